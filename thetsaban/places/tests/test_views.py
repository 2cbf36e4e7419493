from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from thetsaban.accounts.models import AuditEntry
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu, Province
from thetsaban.places.tests.helpers import GOOD_ROWS, csv_bytes
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice
from thetsaban.testing import ThetsabanTestCase


def add_lgus(province, count, start=0):
    """Example LGUs to grow the data between query counts."""
    Lgu.objects.bulk_create([
        Lgu(code=f"EX-{province.code}-{start + i}", name_th=f"ตัวอย่าง อบต. {start + i}",
            sort_name=f"x{start + i:05d}", lgu_type=LguType.SAO, province=province)
        for i in range(count)
    ])


class LguPagesTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.published = Practice.objects.create(
            lgu=cls.lgu, title_th="การพัฒนาบริการประชาชน", summary="ตัวอย่าง",
            status=ReviewStatus.PUBLISHED, tier=Tier.GOOD)
        cls.draft = Practice.objects.create(lgu=cls.lgu, title_th="ร่างที่ยังไม่เผยแพร่", summary="ร่าง")

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    @override_settings(LANGUAGE_CODE="th")  # Thai pages, as a Thai visitor sees them

    def test_list_shows_lgus_with_their_province(self):
        response = self.client.get(reverse("places:lgus"))
        self.assertContains(response, self.lgu.name_th)
        self.assertContains(response, self.other_lgu.name_th)

    def test_list_filters_by_region_province_type_and_name(self):
        url = reverse("places:lgus")
        response = self.client.get(url, {"region": "south"})
        self.assertEqual(list(response.context["lgus"]), [self.lgu])
        response = self.client.get(url, {"province": "57"})
        self.assertEqual(list(response.context["lgus"]), [self.other_lgu])
        response = self.client.get(url, {"q": "เชียงราย"})
        self.assertEqual(list(response.context["lgus"]), [self.other_lgu])
        response = self.client.get(url, {"q": "songkhla"})
        self.assertEqual(list(response.context["lgus"]), [self.lgu])
        response = self.client.get(url, {"type": "sao"})
        self.assertEqual(list(response.context["lgus"]), [])

    def test_bad_filter_value_is_shown_not_a_server_error(self):
        response = self.client.get(reverse("places:lgus"), {"region": "atlantis", "page": "x"})
        self.assertEqual(response.status_code, 404)  # a page that is not a number
        response = self.client.get(reverse("places:lgus"), {"region": "atlantis"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["filterset"].errors)

    def test_list_runs_the_same_number_of_queries_whatever_the_data_size(self):
        songkhla = self.lgu.province
        add_lgus(songkhla, 3)
        with CaptureQueriesContext(connection) as small:
            self.client.get(reverse("places:lgus"), {"region": "south"})
        add_lgus(songkhla, 60, start=100)
        with self.assertNumQueries(len(small)):
            response = self.client.get(reverse("places:lgus"), {"region": "south"})
        self.assertEqual(len(response.context["lgus"]), 50)

    def test_detail_shows_facts_map_and_only_published_practices(self):
        response = self.client.get(self.lgu.get_absolute_url())
        self.assertContains(response, self.lgu.name_en)
        self.assertContains(response, 'id="map"')
        self.assertContains(response, self.published.title_th)
        self.assertNotContains(response, self.draft.title_th)

    def test_editor_of_the_lgu_still_sees_only_published_practices_on_its_page(self):
        self.login(self.editor)
        response = self.client.get(self.lgu.get_absolute_url())
        self.assertNotContains(response, self.draft.title_th)

    def test_detail_of_unknown_lgu_is_404(self):
        self.assertEqual(self.client.get(reverse("places:lgu", args=["nope"])).status_code, 404)

    @override_settings(LANGUAGE_CODE="th")  # Thai pages, as a Thai visitor sees them

    def test_region_page_lists_provinces_and_lgu_count(self):
        response = self.client.get(reverse("places:region", args=["south"]))
        self.assertContains(response, "สงขลา")
        self.assertEqual(response.context["lgu_count"], 1)
        self.assertNotContains(response, "เชียงราย")

    def test_name_search_understands_the_decks_abbreviations(self):
        response = self.client.get(reverse("places:lgus"), {"q": "ทน.สงขลา"})
        self.assertEqual(list(response.context["lgus"]), [self.lgu])

    def test_region_page_lists_provinces_in_thai_order(self):
        Province.objects.create(country=self.lgu.province.country, region=self.lgu.province.region,
                                code="81", name_th="กระบี่", name_en="Krabi")
        response = self.client.get(reverse("places:region", args=["south"]))
        self.assertEqual([p.code for p in response.context["provinces"]], ["81", "90"])

    def test_province_page_lists_its_lgus(self):
        response = self.client.get(reverse("places:province", args=["57"]))
        self.assertEqual(list(response.context["lgus"]), [self.other_lgu])

    @override_settings(LANGUAGE_CODE="th")  # Thai pages, as a Thai visitor sees them

    def test_pages_are_in_thai_by_default(self):
        translation.deactivate()
        response = self.client.get(self.lgu.get_absolute_url())
        self.assertContains(response, '<html lang="th">')
        self.assertContains(response, "<h1>เทศบาลนครสงขลา</h1>", html=False)


class ImportPageTests(ThetsabanTestCase):
    url = reverse("places:import")

    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def upload(self, data, name="lgus.csv"):
        return self.client.post(self.url, {"file": SimpleUploadedFile(name, data)})

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_editor_outsider_and_member_may_not_import(self):
        for user in (self.editor, self.outsider, self.member, self.reviewer):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.upload(csv_bytes(GOOD_ROWS[:1])).status_code, 403)
        self.assertFalse(Lgu.objects.filter(code="9001").exists())

    def test_staff_imports_and_sees_a_summary(self):
        Province.objects.create(country=self.lgu.province.country, region=self.lgu.province.region,
                                code="12", name_th="นนทบุรี", name_en="Nonthaburi")
        self.login(self.staff)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        response = self.upload(csv_bytes(GOOD_ROWS, encoding="cp874"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["result"].created, 4)
        self.assertContains(response, "Created: 4")
        self.assertEqual(AuditEntry.objects.get(action="import").actor, self.staff)

    def test_staff_sees_every_problem_in_a_table_and_nothing_is_written(self):
        self.login(self.staff)
        rows = [list(r) for r in GOOD_ROWS]
        rows[0][6] = "abc"
        response = self.upload(csv_bytes(rows))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "&#x27;abc&#x27; is not a whole number", status_code=400)
        self.assertContains(response, "<td>population</td>", status_code=400)
        # Nonthaburi (row 5) is not in this test's place tree, so that row is wrong too.
        self.assertEqual(len(response.context["problems"]), 2)
        self.assertFalse(Lgu.objects.filter(code="9001").exists())

    def test_wrong_extension_is_a_form_error(self):
        self.login(self.staff)
        response = self.upload(b"%PDF-1.4", name="list.pdf")
        self.assertContains(response, "Upload a .csv or .xlsx file.", status_code=400)

    def test_admin_lgu_list_links_to_the_import_page(self):
        self.login(self.staff)
        response = self.client.get(reverse("admin:places_lgu_changelist"))
        self.assertContains(response, self.url)
