from django.test import override_settings
from django.urls import reverse

from thetsaban.directory.choices import OrganisationKind, Visibility
from thetsaban.directory.models import Organisation, Person
from thetsaban.practices.models import Practice, Theme
from thetsaban.search import services
from thetsaban.search.demo import load as load_abbreviations
from thetsaban.search.models import SearchDocument
from thetsaban.testing import ThetsabanTestCase


def publish(practice):
    practice.status = "published"
    practice.tier = "good"
    practice.save()
    return practice


class SearchTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        load_abbreviations()
        cls.theme = Theme.objects.create(code="environment", name_th="การบริการสาธารณะด้านสิ่งแวดล้อม",
                                         name_en="Environmental public services")
        cls.waste = publish(Practice.objects.create(
            lgu=cls.other_lgu, title_th="การจัดการขยะมูลฝอยอย่างครบวงจร", title_en="Integrated waste management",
            summary="สร้างกลไกการมีส่วนร่วมระหว่าง อปท. กับ ประชาชน (Co-management) โดยมี ส.ท.ท. สนับสนุน",
        ))
        cls.waste.themes.add(cls.theme)
        cls.service = publish(Practice.objects.create(
            lgu=cls.lgu, title_th="ปรับปรุงประสิทธิภาพการให้บริการประชาชน",
            title_en="Improving the efficiency of services", summary="ลดขั้นตอน และ ลดขยะ กระดาษ ในสำนักงาน",
        ))
        cls.draft = Practice.objects.create(
            lgu=cls.lgu, title_th="ร่างโครงการขยะลับ", summary="ยังไม่เผยแพร่ ขยะ",
        )
        cls.league = Organisation.objects.create(
            kind=OrganisationKind.LEAGUE, name_th="สันนิบาตเทศบาลแห่งประเทศไทย",
            name_en="National Municipal League of Thailand", abbreviation="ส.ท.ท.",
        )
        cls.public_person = Person.objects.create(name_th="ผู้ประสานงาน ตัวอย่าง", summary="งานขยะ",
                                                  visibility=Visibility.PUBLIC, listing_consent=True)
        cls.private_person = Person.objects.create(name_th="บุคคล ไม่ยินยอม", summary="งานขยะ",
                                                   visibility=Visibility.PUBLIC, listing_consent=False)

    def api(self, **params):
        response = self.client.get(reverse("api-search"), params)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def test_thai_query_finds_published_practice_with_title_match_first(self):
        data = self.api(q="ขยะ")
        ids = [(r["type"], r["id"]) for r in data["results"] if r["type"] == "practice"]
        self.assertEqual(ids[0], ("practice", self.waste.pk))
        self.assertIn(("practice", self.service.pk), ids)

    def test_draft_practices_are_never_in_the_index(self):
        data = self.api(q="ร่างโครงการขยะลับ")
        self.assertNotIn(self.draft.pk, [r["id"] for r in data["results"] if r["type"] == "practice"])

    def test_publishing_and_unpublishing_update_the_index_in_the_same_transaction(self):
        publish(self.draft)
        self.assertIn(self.draft.pk, [r["id"] for r in self.api(q="ลับ")["results"]])
        self.draft.status = "returned"
        self.draft.tier = ""
        self.draft.save()
        self.assertEqual(self.api(q="ลับ")["count"], 0)

    def test_practice_is_found_by_its_lgus_name(self):
        data = self.api(q="เชียงราย", type="practice")
        self.assertEqual([r["id"] for r in data["results"]], [self.waste.pk])

    def test_abbreviation_finds_the_full_name_and_the_other_way_round(self):
        for query in ["สทท", "ส.ท.ท.", "NMLT", "สันนิบาตเทศบาลแห่งประเทศไทย"]:
            with self.subTest(query=query):
                data = self.api(q=query, type="organisation")
                self.assertEqual([r["id"] for r in data["results"]], [self.league.pk])

    def test_city_municipality_abbreviation_expands(self):
        data = self.api(q="ทน.เชียงราย", type="lgu")
        self.assertEqual([r["id"] for r in data["results"]], [self.other_lgu.pk])

    def test_decomposed_vowel_and_thai_digits_in_query_are_normalised(self):
        Practice.objects.filter(pk=self.service.pk).update(summary="โครงการนำร่อง ปี 2554")
        services.index_object(Practice.objects.get(pk=self.service.pk))
        data = self.api(q="น\u0e4d\u0e32ร่อง ๒๕๕๔")
        self.assertEqual([r["id"] for r in data["results"]], [self.service.pk])

    def test_english_title_is_searchable(self):
        data = self.api(q="waste management")
        self.assertEqual(data["results"][0]["id"], self.waste.pk)

    def test_persons_only_with_public_consent(self):
        data = self.api(q="งานขยะ", type="person")
        self.assertEqual([r["id"] for r in data["results"]], [self.public_person.pk])

    def test_result_shape_and_highlighted_snippet(self):
        data = self.api(q="Co-management")
        result = data["results"][0]
        self.assertEqual(set(result), {"type", "id", "title", "title_en", "url", "snippet"})
        self.assertIn("<mark>", result["snippet"])
        self.assertEqual(result["url"], self.waste.get_absolute_url())

    def test_hostile_query_is_escaped_not_executed(self):
        for query in ['"', "' OR 1=1 --", "<script>alert(1)</script>", "NEAR(", "a" * 5000, "\x00"]:
            with self.subTest(query=query[:20]):
                response = self.client.get(reverse("api-search"), {"q": query})
                self.assertIn(response.status_code, (200, 400))
                page = self.client.get(reverse("search:page"), {"q": query})
                self.assertIn(page.status_code, (200, 400))
                self.assertNotIn(b"<script>alert", page.content)

    def test_bad_type_parameter_is_a_400_with_a_message(self):
        response = self.client.get(reverse("api-search"), {"q": "ขยะ", "type": "spaceship"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("type", response.json())

    @override_settings(LANGUAGE_CODE="th")  # Thai pages, as a Thai visitor sees them

    def test_search_page_shows_results_in_thai(self):
        response = self.client.get(reverse("search:page"), {"q": "ขยะมูลฝอย ประชาชน"})
        self.assertContains(response, "การจัดการขยะมูลฝอยอย่างครบวงจร")
        self.assertContains(response, "<mark>ประชาชน</mark>")

    def test_a_part_of_a_compound_word_finds_the_compound(self):
        data = self.api(q="มูลฝอย", type="practice")
        self.assertEqual([r["id"] for r in data["results"]], [self.waste.pk])

    def test_rebuild_and_bulk_index_give_the_same_results(self):
        before = self.api(q="ขยะ")
        services.rebuild()
        self.assertEqual(self.api(q="ขยะ"), before)

    def test_deleting_a_record_removes_it_from_the_index(self):
        pk = self.league.pk
        self.league.delete()
        self.assertFalse(SearchDocument.objects.filter(kind="organisation", object_id=pk).exists())
        self.assertEqual(self.api(q="สทท", type="organisation")["count"], 0)

    def test_search_api_runs_a_constant_number_of_queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries():
            with CaptureQueriesContext(connection) as context:
                self.client.get(reverse("api-search"), {"q": "ขยะ"})
            return len(context.captured_queries)

        few = queries()
        for n in range(30):
            publish(Practice.objects.create(lgu=self.lgu, title_th=f"ขยะ {n}", summary="ขยะ ชุมชน"))
        many = queries()
        # Bounded whatever the number of matches: abbreviations, a savepoint, the counts, one
        # probe per kind of record (the data hub's indicators and datasets are two more), two
        # ranked groups (a few widening steps at most on PostgreSQL), the page's documents.
        self.assertLessEqual(few, 18)
        self.assertLessEqual(many, 18)

    def test_pages_do_not_repeat_or_skip_results(self):
        for n in range(25):
            publish(Practice.objects.create(lgu=self.lgu, title_th=f"ตลาด {n}", summary="ตลาด ชุมชน"))
        first = self.api(q="ตลาด", page_size=10)
        ids = [r["id"] for page in (1, 2, 3) for r in self.api(q="ตลาด", page_size=10, page=page)["results"]]
        self.assertEqual(first["count"], 25)
        self.assertEqual(len(ids), 25)
        self.assertEqual(len(set(ids)), 25)


class FtsTokenizerTests(ThetsabanTestCase):
    def test_thai_words_are_whole_terms_in_the_sqlite_index(self):
        from django.db import connection

        if connection.vendor != "sqlite":
            self.skipTest("FTS5 is the SQLite index")
        with connection.cursor() as cursor:
            cursor.execute("CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab(main, search_fts, 'row')")
            cursor.execute("SELECT term FROM temp.search_terms WHERE term = %s", ["เชียงราย"])
            self.assertEqual(cursor.fetchall(), [("เชียงราย",)])
            cursor.execute("SELECT count(*) FROM temp.search_terms WHERE term = %s", ["เช"])
            self.assertEqual(cursor.fetchone()[0], 0)


class SnippetTests(ThetsabanTestCase):
    def test_marks_never_fall_inside_an_html_entity(self):
        self.assertEqual(services.snippet("fish & chips, amp <b>", ["amp", "b"]),
                         "fish &amp; chips, <mark>amp</mark> &lt;<mark>b</mark>&gt;")

    def test_a_thai_digit_in_the_text_is_marked_for_an_arabic_digit_in_the_query(self):
        self.assertEqual(services.snippet("ปี ๒๕๕๔", ["2554"]), "ปี <mark>๒๕๕๔</mark>")

    def test_the_search_api_snippet_escapes_then_marks(self):
        Practice.objects.create(lgu=self.lgu, title_th="ทดสอบ", summary="R&D amp lab", status="published",
                                tier="good")
        data = self.client.get(reverse("api-search"), {"q": "amp"}).json()
        self.assertTrue(data["results"][0]["snippet"].startswith("R&amp;D <mark>amp</mark> lab"))


class RecallTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.spaced = publish(Practice.objects.create(lgu=cls.lgu, title_th="ธนาคาร ขยะ มูลฝอย ชุมชน",
                                                     summary="ชุมชน"))
        cls.water = publish(Practice.objects.create(lgu=cls.lgu, title_th="บำบัดน้ำเสีย",
                                                    title_en="City wastewater management", summary="น้ำ"))
        cls.markets = publish(Practice.objects.create(lgu=cls.lgu, title_th="ตลาดชุมชน",
                                                      title_en="Green markets", summary="ตลาด"))

    def found(self, q):
        return [r["id"] for r in self.client.get(reverse("api-search"), {"q": q, "type": "practice"}).json()["results"]]

    def test_a_compound_query_finds_its_parts_written_apart(self):
        self.assertEqual(self.found("ขยะมูลฝอย"), [self.spaced.pk])
        self.assertEqual(self.found("ขยะ มูลฝอย"), [self.spaced.pk])

    def test_english_words_find_their_longer_forms(self):
        self.assertEqual(self.found("waste"), [self.water.pk])
        self.assertEqual(self.found("market"), [self.markets.pk])
        self.assertEqual(self.found("Markets"), [self.markets.pk])
