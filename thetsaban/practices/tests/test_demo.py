from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from thetsaban.accounts.choices import AuditAction
from thetsaban.accounts.models import AuditEntry
from thetsaban.practices import demo
from thetsaban.practices.choices import Maturity, ReviewStatus
from thetsaban.practices.models import Practice, Theme
from thetsaban.search.services import search

SEED_TITLES = {
    "เทศบาลนครสงขลา": "ปรับปรุงประสิทธิภาพการให้บริการประชาชน",
    "เทศบาลนครเชียงราย": "การบูรณาการความร่วมมือระหว่างเครือข่ายเมือง",
    "เทศบาลนครยะลา": "การให้บริการสาธารณะ โดยการมีส่วนร่วมของชุมชน",
    "เทศบาลตำบลเมืองแกลง": "เมืองคาร์บอนต่ำ",
    "เทศบาลนครอุดรธานี": "การจัดการน้ำเสียของเมือง",
    "เทศบาลนครปากเกร็ด": "การอนุรักษ์และพัฒนาตลาดเก่าอย่างมีส่วนร่วมอย่างยั่งยืน",
}


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from thetsaban.directory import demo as directory_demo
        from thetsaban.places import demo as places_demo

        places_demo.load()
        directory_demo.load()
        cls.added = demo.load()

    def test_the_four_themes_with_the_correct_spelling(self):
        themes = {t.code: t for t in Theme.objects.all()}
        self.assertEqual(list(themes), ["governance", "environment", "budget", "participation"])
        self.assertEqual(themes["governance"].name_th, "ธรรมาภิบาลในองค์กร")
        self.assertNotIn("ธรรมนูญบาล", "".join(Theme.objects.values_list("name_th", flat=True)))
        self.assertEqual(themes["participation"].name_en, "Participation in planning and decision-making")

    def test_the_six_pilot_practices_published_with_the_seeds_titles(self):
        # The directory demo already loaded the themes (through demo.load_themes); beside the
        # seed's six, the example practices waiting for review (test_example_practices_…).
        self.assertEqual(self.added, 6 + len(demo.EXAMPLES))
        practices = Practice.objects.filter(is_example=False).select_related("lgu").prefetch_related("themes")
        self.assertEqual({p.lgu.name_th: p.title_th for p in practices}, SEED_TITLES)
        for practice in practices:
            with self.subTest(practice=practice.title_th):
                self.assertEqual(practice.status, ReviewStatus.PUBLISHED)
                self.assertEqual(practice.maturity, Maturity.PILOT)
                self.assertTrue(practice.tier)
                self.assertTrue(practice.title_en)
                self.assertFalse(practice.is_example)
                self.assertIn("ข้อเสนอแนะเชิงนโยบาย", practice.source_note)
                self.assertIn("participation", [t.code for t in practice.themes.all()])
                self.assertIsNone(practice.start_date)  # the seed gives no dates
                self.assertFalse(practice.steps.exists())  # nor steps
                actions = set(AuditEntry.objects.for_object(practice).values_list("action", flat=True))
                self.assertEqual(actions, {AuditAction.CREATE, AuditAction.SUBMIT, AuditAction.PUBLISH})

    def test_practices_carry_the_seeds_own_words(self):
        seed = Practice.objects.filter(is_example=False)
        songkhla = seed.get(lgu__name_th="เทศบาลนครสงขลา")
        self.assertIn("ขาดผู้เชี่ยวชาญด้านซอฟต์แวร์", songkhla.failures)
        self.assertIn("กพร.", songkhla.lessons)
        self.assertEqual(songkhla.partners.count(), 3)
        chiang_rai = seed.get(lgu__name_th="เทศบาลนครเชียงราย")
        self.assertIn("Co-management", chiang_rai.lessons)
        self.assertIn("Transboundary", chiang_rai.situation_before)
        pak_kret = seed.get(lgu__name_th="เทศบาลนครปากเกร็ด")
        self.assertIn("แผนชุมชน", pak_kret.lessons)
        yala = seed.get(lgu__name_th="เทศบาลนครยะลา")
        self.assertIn("จิตสาธารณะ", yala.lessons)

    def test_published_through_the_services_so_they_are_searchable(self):
        _total, results = search("ตลาดเก่า", ["practice"])
        self.assertIn(Practice.objects.get(lgu__name_th="เทศบาลนครปากเกร็ด").pk,
                      [r.object_id for r in results])
        _total, results = search("ทน.สงขลา", ["practice"])
        self.assertTrue(results)

    def test_example_practices_wait_for_review_marked_as_example_data(self):
        examples = Practice.objects.filter(is_example=True)
        self.assertEqual(examples.count(), len(demo.EXAMPLES))
        for practice in examples:
            self.assertEqual(practice.status, ReviewStatus.SUBMITTED)
            self.assertTrue(practice.title_th.startswith("ตัวอย่าง (example data)"))
            self.assertIn("example data", practice.source_note)

    def test_loading_again_adds_nothing(self):
        self.assertEqual(demo.load(), 0)
        self.assertEqual(Practice.objects.filter(is_example=False).count(), 6)
        self.assertEqual(Practice.objects.filter(is_example=True).count(), len(demo.EXAMPLES))
        self.assertEqual(Theme.objects.count(), 4)

    def test_missing_lgus_are_skipped_with_a_warning(self):
        Practice.objects.filter(lgu__name_th="เทศบาลนครยะลา").delete()
        from thetsaban.places.models import Lgu

        Lgu.objects.filter(name_th="เทศบาลนครยะลา").delete()
        with self.assertLogs("thetsaban.practices.demo", "WARNING") as logs:
            self.assertEqual(demo.load(), 0)
        self.assertIn("skipped", logs.output[0])


class ExampleDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from thetsaban.testing import make_place_tree

        make_place_tree()

    def run_command(self, *args):
        out = StringIO()
        call_command("generate_example_data", *args, stdout=out, stderr=StringIO(), verbosity=0)
        return out.getvalue()

    def test_every_stage_shows_its_progress(self):
        # Generating practices has a second, long stage (indexing them for search): it has a
        # bar of its own that reaches the count, not a silence after the first bar's 100 %.
        out, err = StringIO(), StringIO()
        with translation.override("en"):
            call_command("generate_example_data", "--practices", "3", stdout=out, stderr=err)
        bars = err.getvalue()
        self.assertIn("3/3", bars.split("search index")[0])
        self.assertRegex(bars, r"practices: search index: 100%\|[^\n]*\| 3/3")
        self.assertIn("3 example practices created", out.getvalue())

    def test_generates_published_example_practices_marked_and_indexed(self):
        output = self.run_command("--practices", "30", "--seed", "7")
        self.assertIn("30", output)
        practices = Practice.objects.filter(is_example=True)
        self.assertEqual(practices.count(), 30)
        self.assertFalse(practices.exclude(status=ReviewStatus.PUBLISHED).exists())
        self.assertFalse(practices.exclude(source_note__contains="(ข้อมูลตัวอย่าง)").exists())
        self.assertTrue(all(500 <= len(p.summary) <= 1700 for p in practices))
        self.assertTrue(all(p.steps.count() >= 3 for p in practices))
        self.assertTrue(all(p.sort_title for p in practices))
        self.assertTrue(all(p.start_year == p.start_date.year for p in practices))
        lgus = {p.lgu.code for p in practices.select_related("lgu")}
        self.assertTrue(all(code.startswith("EX-") for code in lgus))
        self.assertTrue(all("ตัวอย่าง" in p.lgu.name_th for p in practices.select_related("lgu")))
        total, _results = search("ผู้นำชุมชน", ["practice"], limit=100)
        self.assertGreater(total, 0)

    def test_same_seed_gives_the_same_text(self):
        self.run_command("--practices", "5", "--seed", "3")
        first = list(Practice.objects.order_by("pk").values_list("title_th", "summary", "lgu__code"))
        Practice.objects.all().delete()
        self.run_command("--practices", "5", "--seed", "3")
        second = list(Practice.objects.order_by("pk").values_list("title_th", "summary", "lgu__code"))
        self.assertEqual(first, second)

    def test_bad_count_is_a_clear_error(self):
        from django.core.management import CommandError

        with self.assertRaisesMessage(CommandError, "at least 1"):
            self.run_command("--practices", "0")
