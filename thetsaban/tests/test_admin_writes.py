"""Admin writes go through the same rules as the services: every parent and inline row is
audited once, with what it was before, and search follows admin edits."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry, LguMembership, User
from thetsaban.coaching import services as coaching_services
from thetsaban.coaching.models import Competency
from thetsaban.coaching.tests.base import CoachingTestCase
from thetsaban.eservice.models import Service
from thetsaban.eservice.tests.base import EserviceTestCase
from thetsaban.learning.models import CentreStaff
from thetsaban.learning.tests.base import LearningTestCase
from thetsaban.practices.models import Practice, PracticeStep, Theme
from thetsaban.testing import ThetsabanTestCase, admin_form_data


def entries_for(model):
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))


class InlineAuditTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theme = Theme.objects.create(code="green", name_th="สิ่งแวดล้อม", name_en="Environment")
        cls.practice = Practice.objects.create(
            lgu=cls.lgu, title_th="คัดแยกขยะ", summary="ชุมชน", status="published", tier="good",
            published_at=timezone.now())
        cls.practice.themes.add(cls.theme)
        cls.step = PracticeStep.objects.create(practice=cls.practice, position=1, title="ประชุมชุมชน")
        cls.spare = PracticeStep.objects.create(practice=cls.practice, position=2, title="ติดตามผล")

    def setUp(self):
        self.login(self.staff)

    def found(self, q):
        data = self.client.get(reverse("api-search"), {"q": q, "type": "practice"}).json()
        return [r["id"] for r in data["results"]]

    def post_practice(self, **changes):
        url = reverse("admin:practices_practice_change", args=[self.practice.pk])
        data = admin_form_data(self.client.get(url))
        data.update(changes)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and [
            f.errors for f in response.context["inline_admin_formsets"]])
        return response

    def test_editing_a_step_is_audited_once_with_its_old_text_and_reindexes_search(self):
        self.post_practice(**{"steps-0-title": "ตั้งธนาคารขยะรีไซเคิล"})
        entry = entries_for(PracticeStep).get()
        self.assertEqual((entry.action, entry.actor, entry.object_id), ("update", self.staff, str(self.step.pk)))
        self.assertEqual(entry.before["title"], "ประชุมชุมชน")
        self.assertEqual(entry.after["title"], "ตั้งธนาคารขยะรีไซเคิล")
        self.assertEqual(entries_for(Practice).filter(action="update").count(), 1)
        self.assertEqual(self.found("ธนาคารขยะ"), [self.practice.pk])

    def test_deleting_a_step_is_audited_once_and_leaves_search(self):
        self.assertEqual(self.found("ติดตามผล"), [self.practice.pk])
        self.post_practice(**{"steps-1-DELETE": "on"})
        entry = entries_for(PracticeStep).get()
        self.assertEqual((entry.action, entry.object_id, entry.before["title"]),
                         ("delete", str(self.spare.pk), "ติดตามผล"))
        self.assertFalse(PracticeStep.objects.filter(pk=self.spare.pk).exists())
        self.assertEqual(self.found("ติดตามผล"), [])

    def test_an_unchanged_save_audits_no_inline_row(self):
        self.post_practice()
        self.assertFalse(entries_for(PracticeStep).exists())

    def test_a_membership_added_on_the_user_page_is_audited(self):
        url = reverse("admin:accounts_user_change", args=[self.member.pk])
        data = admin_form_data(self.client.get(url))
        prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and "lgu" in k).removesuffix("-TOTAL_FORMS")
        data.update({f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-lgu": str(self.other_lgu.pk),
                     f"{prefix}-0-role": "editor"})
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and (
            response.context["adminform"].form.errors, [f.formset.errors for f in response.context["inline_admin_formsets"]]))
        membership = LguMembership.objects.get(user=self.member)
        entry = entries_for(LguMembership).get()
        self.assertEqual((entry.action, entry.actor, entry.object_id), ("create", self.staff, str(membership.pk)))


class CompetencyAdminTests(CoachingTestCase):
    """A competency edited in the admin goes through coaching.services.save_competency: a change
    of its content takes the confirmation away, so a staff coach cannot rewrite a competency
    someone else confirmed and keep it confirmed."""

    def setUp(self):
        self.own = coaching_services.submit_application(
            self.staff, acting_user=self.staff, person={"name_th": "เจ้าหน้าที่ โค้ช"},
            coach={"home_province": self.songkhla, "capacity": 1}, themes=[self.governance],
            languages=[self.thai], competencies=[Competency(theme=self.governance, title="การมีส่วนร่วม")],
            notify=False)
        self.competency = coaching_services.confirm_competency(self.own.competencies.get(),
                                                               acting_user=self.reviewer)
        self.login(self.staff)

    def post_coach(self, **changes):
        url = reverse("admin:coaching_coach_change", args=[self.own.pk])
        data = admin_form_data(self.client.get(url))
        data.update(changes)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and (
            response.context["adminform"].form.errors, [f.formset.errors for f in response.context["inline_admin_formsets"]]))

    def test_rewriting_a_confirmed_competency_takes_the_confirmation_away(self):
        self.post_coach(**{"competencies-0-title": "การมีส่วนร่วมของประชาชน (แก้)"})
        competency = Competency.objects.get(pk=self.competency.pk)
        self.assertEqual(competency.title, "การมีส่วนร่วมของประชาชน (แก้)")
        self.assertIsNone(competency.confirmed_at)
        self.assertIsNone(competency.confirmed_by)
        entry = entries_for(Competency).filter(action="update").latest("pk")
        self.assertEqual((entry.actor, entry.note), (self.staff, "via administration"))
        self.assertIsNotNone(entry.before["confirmed_at"])
        self.assertIsNone(entry.after["confirmed_at"])

    def test_an_unchanged_competency_stays_confirmed(self):
        self.post_coach()
        self.assertEqual(Competency.objects.get(pk=self.competency.pk).confirmed_by, self.reviewer)


class CentreStaffAdminTests(LearningTestCase):
    """Granting the centre staff role in the admin goes through learning.services, like the page."""

    def setUp(self):
        self.login(self.staff)

    def add(self, user):
        return self.client.post(reverse("admin:learning_centrestaff_add"),
                                {"centre": str(self.south.pk), "user": str(user.pk)}, follow=True)

    def test_a_grant_records_who_granted_it_and_is_audited_once(self):
        self.add(self.member)
        grant = CentreStaff.objects.get(centre=self.south, user=self.member)
        self.assertEqual(grant.granted_by, self.staff)
        entry = entries_for(CentreStaff).get(object_id=str(grant.pk))
        self.assertEqual((entry.action, entry.actor), ("create", self.staff))

    def test_an_inactive_account_is_refused_with_the_reason(self):
        User.objects.filter(pk=self.member.pk).update(is_active=False)
        response = self.add(self.member)
        self.assertContains(response, "the account is not active")
        self.assertFalse(CentreStaff.objects.filter(user=self.member).exists())
        self.assertFalse(entries_for(CentreStaff).filter(object_repr__contains="member").exists())

    def test_a_grant_does_not_change_hands(self):
        grant = CentreStaff.objects.get(centre=self.south, user=self.south_staff)
        page = self.client.get(reverse("admin:learning_centrestaff_change", args=[grant.pk]))
        self.assertNotIn("user", page.context["adminform"].form.fields)


class ServiceAdminTests(EserviceTestCase):
    """A service edited in the admin is saved by eservice.services.save_service: one audit entry."""

    def test_a_change_is_saved_by_the_service_and_audited_once(self):
        self.login(self.staff)
        url = reverse("admin:eservice_service_change", args=[self.lights.pk])
        data = admin_form_data(self.client.get(url))
        data["name_th"] = "ไฟฟ้าส่องสว่างดับ"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.context and response.context["adminform"].form.errors)
        self.lights.refresh_from_db()
        self.assertEqual(self.lights.name_th, "ไฟฟ้าส่องสว่างดับ")
        entry = entries_for(Service).filter(object_id=str(self.lights.pk), action="update").get()
        self.assertEqual((entry.actor, entry.after["name_th"]), (self.staff, "ไฟฟ้าส่องสว่างดับ"))
