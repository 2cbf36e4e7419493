"""The newsroom's administration goes through the newsroom's services: news posts and joint
undertakings changed there are audited, a post is published only by the publishing action, and
the page's rules (the lead LGU is not also a member) hold."""

from django.contrib.admin import helpers
from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.localdata.models import Indicator
from thetsaban.newsroom.models import JointUndertaking, NewsPost
from thetsaban.newsroom.tests.base import NewsroomTestCase
from thetsaban.testing import admin_form_data


class NewsroomAdminTests(NewsroomTestCase):
    def post_form(self, url, **changes):
        self.login(self.staff)
        data = admin_form_data(self.client.get(url))
        data.update(changes)
        return self.client.post(url, data, follow=True)

    def test_a_post_changed_in_the_admin_is_audited_and_its_status_is_not_in_the_form(self):
        url = reverse("admin:newsroom_newspost_change", args=[self.south_draft.pk])
        response = self.post_form(url, title="ข่าวภาคใต้ (แก้ไข)", status="published")
        self.assertEqual(response.status_code, 200)
        post = NewsPost.objects.get(pk=self.south_draft.pk)
        self.assertEqual((post.title, post.status), ("ข่าวภาคใต้ (แก้ไข)", "draft"))
        entry = AuditEntry.objects.filter(content_type__model="newspost", object_id=str(post.pk)).latest("pk")
        self.assertEqual((entry.actor, entry.action), (self.staff, "update"))
        self.assertEqual(entry.before["title"], "ร่างข่าวภาคใต้")

    def test_the_publishing_action_calls_the_service(self):
        self.login(self.staff)
        self.client.post(reverse("admin:newsroom_newspost_changelist"), {
            "action": "publish", helpers.ACTION_CHECKBOX_NAME: [self.south_draft.pk]})
        post = NewsPost.objects.get(pk=self.south_draft.pk)
        self.assertTrue(post.is_published)
        self.assertIsNotNone(post.published_at)
        self.assertTrue(AuditEntry.objects.filter(content_type__model="newspost", object_id=str(post.pk),
                                                  note="published", actor=self.staff).exists())

    def test_an_undertaking_changed_in_the_admin_is_audited_with_its_indicators(self):
        indicator = Indicator.objects.create(code="waste-tonnes", name_th="ปริมาณขยะ", theme="waste")
        url = reverse("admin:newsroom_jointundertaking_change", args=[self.undertaking.pk])
        response = self.post_form(url, purpose="กำจัดขยะร่วมกันทั้งจังหวัด", indicators=[str(indicator.pk)],
                                  members=f"{self.neighbour.pk},{self.lgu.pk}")
        self.assertEqual(response.status_code, 200)
        undertaking = JointUndertaking.objects.get(pk=self.undertaking.pk)
        self.assertEqual(undertaking.purpose, "กำจัดขยะร่วมกันทั้งจังหวัด")
        self.assertEqual(list(undertaking.indicators.all()), [indicator])
        # The lead LGU stays the lead, never also a member.
        self.assertEqual(list(undertaking.members.all()), [self.neighbour])
        entries = AuditEntry.objects.filter(content_type__model="jointundertaking", object_id=str(undertaking.pk),
                                            actor=self.staff)
        self.assertTrue(entries.filter(before__purpose="กำจัดขยะร่วมกัน").exists())
        self.assertTrue(any(e.after.get("indicators") == [indicator.pk] for e in entries))

    def test_the_admin_is_refused_to_non_staff(self):
        for user in (self.editor, self.south_staff, None):
            self.login(user)
            response = self.client.get(reverse("admin:newsroom_jointundertaking_change", args=[self.undertaking.pk]))
            self.assertEqual(response.status_code, 302, user)
