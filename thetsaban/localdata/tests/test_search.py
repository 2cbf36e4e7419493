"""Indicators and datasets in the site's search: a Thai query finds them, and datasets a visitor
may not view (private, personal data, deleted) are never shown."""

from django.urls import reverse

from thetsaban.localdata import datasets
from thetsaban.localdata.choices import PERSONAL_DATA, Theme
from thetsaban.localdata.models import Indicator
from thetsaban.localdata.tests.base import DataHubTestCase
from thetsaban.localdata.tests.test_ckan import make_dataset
from thetsaban.search.backends import kind_number


class DataHubSearchTests(DataHubTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.forest = Indicator.objects.create(
            code="community-forest-area", name_th="พื้นที่ป่าชุมชน", name_en="Community forest area",
            definition_th="พื้นที่ป่าชุมชนที่ขึ้นทะเบียนกับกรมป่าไม้", unit="ไร่", theme=Theme.FOREST)
        cls.public = make_dataset("forest-area", cls.office, title="พื้นที่ป่าชุมชนเทศบาลนครสงขลา",
                                  notes="สรุปพื้นที่ป่าชุมชนรายปี", tags=["ป่าชุมชน"], indicator=cls.forest)
        cls.private = make_dataset("forest-draft", cls.office, title="ร่างข้อมูลป่าชุมชน", private=True)
        cls.personal = make_dataset("forest-members", cls.office, title="รายชื่อสมาชิกป่าชุมชน",
                                    data_category=PERSONAL_DATA)

    def found(self, query, kinds="indicator,dataset"):
        data = self.client.get(reverse("api-search"), {"q": query, "type": kinds}).json()
        return [(r["type"], r["id"]) for r in data["results"]]

    def test_a_thai_query_finds_the_indicator_and_its_public_dataset(self):
        found = self.found("ป่าชุมชน")
        self.assertIn(("indicator", self.forest.pk), found)
        self.assertIn(("dataset", self.public.pk), found)
        page = self.client.get(reverse("search:page"), {"q": "ป่าชุมชน"})
        self.assertContains(page, "พื้นที่ป่าชุมชนเทศบาลนครสงขลา")
        self.assertContains(page, self.forest.get_absolute_url())
        self.assertContains(page, self.public.get_absolute_url())
        self.assertEqual(self.client.get(self.public.get_absolute_url()).status_code, 200)

    def test_the_english_name_and_a_word_of_the_definition_find_the_indicator(self):
        self.assertIn(("indicator", self.forest.pk), self.found("community forest"))
        self.assertIn(("indicator", self.forest.pk), self.found("กรมป่าไม้"))

    def test_private_and_personal_data_datasets_are_never_shown(self):
        for user in (None, self.editor, self.steward):
            with self.subTest(user=user and user.username):
                if user:
                    self.client.force_login(user)
                found = self.found("ป่าชุมชน", "dataset")
                self.assertEqual(found, [("dataset", self.public.pk)])
                page = self.client.get(reverse("search:page"), {"q": "ป่าชุมชน"}).content.decode()
                self.assertNotIn("ร่างข้อมูลป่าชุมชน", page)
                self.assertNotIn("รายชื่อสมาชิกป่าชุมชน", page)

    def test_a_dataset_made_private_or_deleted_leaves_the_search(self):
        datasets.save_dataset({"private": True}, acting_user=self.steward, dataset=self.public, partial=True)
        self.assertEqual(self.found("ป่าชุมชน", "dataset"), [])
        datasets.save_dataset({"private": False}, acting_user=self.steward, dataset=self.public, partial=True)
        self.assertEqual(self.found("ป่าชุมชน", "dataset"), [("dataset", self.public.pk)])
        datasets.delete_dataset(self.public, acting_user=self.steward)
        self.assertEqual(self.found("ป่าชุมชน", "dataset"), [])

    def test_renaming_the_organisation_or_the_indicator_updates_the_dataset(self):
        self.office.name_th = "สำนักงานทะเลสาบสงขลา"
        self.office.save()
        self.assertIn(("dataset", self.public.pk), self.found("ทะเลสาบสงขลา", "dataset"))
        self.forest.name_th = "ป่าชายเลนชุมชน"
        self.forest.save()
        self.assertIn(("dataset", self.public.pk), self.found("ป่าชายเลน", "dataset"))
        self.assertIn(("indicator", self.forest.pk), self.found("ป่าชายเลน", "indicator"))

    def test_the_kinds_keep_their_stored_numbers(self):
        self.assertEqual((kind_number("indicator"), kind_number("dataset")), (20, 21))
