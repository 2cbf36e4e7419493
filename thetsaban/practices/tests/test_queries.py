"""List pages and API lists run the same number of queries whatever the data size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thetsaban.directory.models import Person
from thetsaban.practices.models import PracticeAttachment, PracticeStep
from thetsaban.practices.tests.base import PracticeTestCase, make_practice


class QueryCountTests(PracticeTestCase):
    def add_practices(self, count):
        person = Person.objects.create(name_th="ผู้ประสานงานตัวอย่าง", listing_consent=True, visibility="public")
        for i in range(count):
            lgu = self.lgu if i % 2 else self.other_lgu
            practice = make_practice(lgu, title_th=f"โครงการจัดการขยะตัวอย่าง {i}",
                                     themes=("environment", "participation"))
            practice.contacts.add(person)
            PracticeStep.objects.create(practice=practice, position=1, title="ขั้นตอน")
            PracticeAttachment.objects.create(practice=practice, kind="document", title="ไฟล์",
                                              file="practices/x.pdf", size=10)

    def count_queries(self, url, params=None):
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200)
        return len(context)

    def assert_constant(self, url, params=None, user=None):
        self.login(user)
        self.add_practices(2)
        small = self.count_queries(url, params)
        self.add_practices(15)
        large = self.count_queries(url, params)
        self.assertEqual(small, large, f"{url} {params}: {small} queries with few rows, {large} with more")

    def test_list_page(self):
        self.assert_constant(reverse("practices:list"))

    def test_list_page_with_search_and_facets(self):
        self.assert_constant(reverse("practices:list"), {"q": "ขยะ", "theme": "environment", "sort": "title"},
                             user=self.editor)

    def test_api_list(self):
        self.assert_constant("/api/v1/practices/")

    def test_api_list_for_an_editor_with_search(self):
        self.assert_constant("/api/v1/practices/", {"q": "ขยะ", "region": "north"}, user=self.editor)

    def test_map_data(self):
        self.lgu.latitude = 7.1
        self.lgu.longitude = 100.5
        self.lgu.save()
        self.assert_constant(reverse("practices:map_data"))

    def test_my_work_and_review_queue(self):
        self.assert_constant(reverse("practices:mine"), user=self.editor)
        self.assert_constant(reverse("practices:review_queue"), user=self.reviewer)

    def test_detail_page(self):
        practice = self.published
        self.login(self.staff)
        small = self.count_queries(practice.get_absolute_url())
        for i in range(5):
            PracticeStep.objects.create(practice=practice, position=i, title="ขั้นตอน")
        self.add_practices(5)
        self.assertEqual(small, self.count_queries(practice.get_absolute_url()))
