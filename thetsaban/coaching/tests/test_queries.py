"""List pages and API lists run a constant number of queries whatever the number of coaches."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thetsaban.coaching.models import Assignment
from thetsaban.coaching.tests.base import CoachingTestCase, make_coach
from thetsaban.directory.choices import ContactKind, Visibility
from thetsaban.directory.models import ContactDetail


class QueryCountTests(CoachingTestCase):
    def add_coaches(self, n):
        for i in range(n):
            coach = make_coach(f"เพิ่ม {i}", self.chiang_rai, languages=[self.thai, self.english],
                               themes=[self.governance, self.environment])
            ContactDetail.objects.create(person=coach.person, kind=ContactKind.EMAIL,
                                         value=f"c{i}@example.org", visibility=Visibility.PUBLIC,
                                         consent=True)

    def count(self, url):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def assert_constant(self, url, user):
        self.login(user)
        small = self.count(url)
        self.add_coaches(12)
        large = self.count(url)
        self.assertEqual(small, large, url)

    def test_registry_page_for_anonymous(self):
        self.assert_constant(reverse("coaching:list"), None)

    def test_registry_page_for_a_reviewer(self):
        self.assert_constant(reverse("coaching:list") + "?theme=governance&sort=-name", self.reviewer)

    def test_api_list(self):
        self.assert_constant("/api/v1/coaching/coaches/?language=th", None)

    def test_api_list_for_staff(self):
        self.assert_constant("/api/v1/coaching/coaches/", self.staff)

    def test_review_queue(self):
        self.login(self.reviewer)
        small = self.count(reverse("coaching:review_queue"))
        from thetsaban.coaching.choices import CoachStatus

        for i in range(8):
            make_coach(f"สมัคร {i}", self.songkhla, status=CoachStatus.APPLIED,
                       languages=[self.thai], themes=[self.governance])
        self.assertEqual(small, self.count(reverse("coaching:review_queue")))

    def test_coach_page_with_many_projects(self):
        from thetsaban.transfers.models import TransferProject

        url = self.public_coach.get_absolute_url()
        small = self.count(url)
        for i in range(6):
            project = TransferProject.objects.create(title=f"p{i}", target_lgu=self.lgu)
            Assignment.objects.create(coach=self.public_coach, project=project)
        self.assertEqual(small, self.count(url))

    def test_export(self):
        self.login(self.staff)
        small = self.count(reverse("coaching:export"))
        self.add_coaches(10)
        self.assertEqual(small, self.count(reverse("coaching:export")))
