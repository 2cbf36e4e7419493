"""A member's stored notices through the API: the owner, another member, a visitor, staff."""

from django.contrib.contenttypes.models import ContentType

from thetsaban.participation.models import Notification
from thetsaban.places.models import Lgu
from thetsaban.testing import ThetsabanTestCase

URL = "/api/v1/notices/"


class NoticeAPITests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        lgu_type = ContentType.objects.get_for_model(Lgu)

        def notice(user, summary):
            return Notification.objects.create(
                recipient=user, content_type=lgu_type, object_id=cls.lgu.pk, record=str(cls.lgu),
                summary=summary, url=cls.lgu.get_absolute_url())

        cls.first = notice(cls.member, "เพิ่มแนวปฏิบัติใหม่")
        cls.second = notice(cls.member, "แก้ไขข้อมูลติดต่อ")
        cls.others = notice(cls.outsider, "ของสมาชิกอื่น")

    def ids(self, **params):
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_a_member_lists_only_their_own_notices(self):
        self.login(self.member)
        self.assertEqual(self.ids(), {self.first.pk, self.second.pk})
        row = self.client.get(f"{URL}{self.first.pk}/").json()
        self.assertEqual(row["summary"], "เพิ่มแนวปฏิบัติใหม่")
        self.assertEqual((row["target_type"], row["target_id"], row["unread"]), ("lgu", self.lgu.pk, True))

    def test_marking_one_read_and_then_all(self):
        self.login(self.member)
        response = self.client.post(f"{URL}{self.first.pk}/read/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json(), {"marked_read": 1})
        self.assertEqual(self.ids(unread="true"), {self.second.pk})
        self.assertEqual(self.client.post(f"{URL}read-all/").json(), {"marked_read": 1})
        self.assertEqual(self.ids(unread="true"), set())
        self.others.refresh_from_db()
        self.assertIsNone(self.others.read_at)

    def test_another_member_cannot_see_or_mark_them(self):
        self.login(self.outsider)
        self.assertEqual(self.ids(), {self.others.pk})
        self.assertEqual(self.client.get(f"{URL}{self.first.pk}/").status_code, 404)
        self.assertEqual(self.client.post(f"{URL}{self.first.pk}/read/").status_code, 404)
        self.client.post(f"{URL}read-all/")
        self.first.refresh_from_db()
        self.assertIsNone(self.first.read_at)

    def test_staff_see_only_their_own_notices_too(self):
        self.login(self.staff)
        self.assertEqual(self.ids(), set())
        self.assertEqual(self.client.post(f"{URL}{self.first.pk}/read/").status_code, 404)

    def test_a_visitor_has_none_and_cannot_mark(self):
        self.login(None)
        self.assertEqual(self.ids(), set())
        self.assertIn(self.client.post(f"{URL}read-all/").status_code, (401, 403))
        self.assertIn(self.client.post(f"{URL}{self.first.pk}/read/").status_code, (401, 403, 404))
        self.first.refresh_from_db()
        self.assertIsNone(self.first.read_at)
