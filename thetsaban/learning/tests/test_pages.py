from django.urls import reverse
from django.utils import timezone

from thetsaban.accounts.models import AuditEntry
from thetsaban.coaching.choices import CoachStatus
from thetsaban.coaching.models import Coach
from thetsaban.directory.choices import OrganisationKind, Visibility
from thetsaban.directory.models import Organisation, Person
from thetsaban.learning.models import CentreStaff, Course, Event, Module
from thetsaban.learning.tests.base import LearningTestCase
from thetsaban.practices.choices import Maturity, ReviewStatus, Tier
from thetsaban.practices.models import Practice, Theme


class CentrePageTests(LearningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.theme = Theme.objects.create(code="environment", name_th="สิ่งแวดล้อม", name_en="Environment")
        cls.practice = Practice.objects.create(
            lgu=cls.lgu, title_th="ธนาคารขยะชุมชน", title_en="Community waste bank", status=ReviewStatus.PUBLISHED,
            maturity=Maturity.PROVEN, tier=Tier.BEST, published_at=timezone.now())
        cls.practice.themes.add(cls.theme)
        person = Person.objects.create(name_th="ตัวอย่าง วิทยากร", visibility=Visibility.PUBLIC, listing_consent=True,
                                       is_example=True)
        Coach.objects.create(person=person, status=CoachStatus.APPROVED, home_province=cls.lgu.province)
        cls.host = Organisation.objects.create(name_th="มหาวิทยาลัยตัวอย่าง", kind=OrganisationKind.ACADEMIC)
        cls.south.host = cls.host
        cls.south.save()
        staff_person = Person.objects.create(name_th="ตัวอย่าง เจ้าหน้าที่ศูนย์", visibility=Visibility.PUBLIC,
                                             listing_consent=True, is_example=True)
        cls.south_staff.person = staff_person
        cls.south_staff.save()

    def test_a_centre_shows_its_host_staff_region_events_coaches_practices_and_dashboard(self):
        response = self.client.get(reverse("learning:centre", args=["south"]))
        for text in ("มหาวิทยาลัยตัวอย่าง", "ตัวอย่าง เจ้าหน้าที่ศูนย์", self.lgu.name, self.event.title,
                     "ตัวอย่าง วิทยากร", "Community waste bank", "Coaches live in 1 of the region",
                     "1 published practice.", "Practices by theme", "<svg"):
            self.assertContains(response, text)
        self.assertNotContains(response, self.draft.title)
        self.assertNotContains(response, self.north_event.title)
        self.assertNotContains(response, "New event")
        self.assertNotContains(response, "Make centre staff")

    def test_the_centre_staff_see_their_drafts_and_the_new_event_link_other_regions_do_not(self):
        self.login(self.south_staff)
        response = self.client.get(reverse("learning:centre", args=["south"]))
        self.assertContains(response, self.draft.title)
        self.assertContains(response, "New event")
        self.login(self.north_staff)
        response = self.client.get(reverse("learning:centre", args=["south"]))
        self.assertNotContains(response, self.draft.title)
        self.assertEqual(self.client.get(self.draft.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get(reverse("learning:event_new", args=["south"])).status_code, 404)

    def test_league_staff_grant_and_revoke_the_centre_staff_role_and_it_is_audited(self):
        self.login(self.staff)
        response = self.client.post(reverse("learning:grant", args=["south"]), {"username": "member"}, follow=True)
        self.assertContains(response, "member is now staff of this centre.")
        grant = CentreStaff.objects.get(centre=self.south, user=self.member)
        self.assertEqual(grant.granted_by, self.staff)
        self.assertEqual(AuditEntry.objects.for_object(grant).get().actor, self.staff)
        response = self.client.post(reverse("learning:grant", args=["south"]), {"username": "nobody"}, follow=True)
        self.assertContains(response, "Username: no active account is called “nobody”.")
        self.client.post(reverse("learning:revoke", args=["south", grant.pk]))
        self.assertFalse(CentreStaff.objects.filter(pk=grant.pk).exists())
        self.assertEqual(AuditEntry.objects.filter(object_id=str(grant.pk), action="delete").count(), 1)

    def test_nobody_but_league_staff_grants_the_role(self):
        for user in (self.south_staff, self.north_staff, self.member):
            self.login(user)
            response = self.client.post(reverse("learning:grant", args=["south"]), {"username": "member"})
            self.assertEqual(response.status_code, 403, user)
        self.client.logout()
        response = self.client.post(reverse("learning:grant", args=["south"]), {"username": "member"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(CentreStaff.objects.filter(user=self.member).exists())


class EventFormTests(LearningTestCase):
    def post(self, user, **changes):
        self.login(user)
        data = {"kind": "training", "status": "published", "title": "อบรมการทำปุ๋ยหมัก",
                "start_date": "10/3/2570", "start_time": "09:00", "end_date": "10/3/2570", "end_time": "16:00",
                "place_name": "ศาลาประชาคม", "capacity": "40"}
        data.update(changes)
        return self.client.post(reverse("learning:event_new", args=["south"]), data, follow=True)

    def test_the_centre_staff_publish_an_event_with_a_buddhist_era_date(self):
        response = self.post(self.south_staff)
        self.assertContains(response, "The event was saved.")
        event = Event.objects.get(title="อบรมการทำปุ๋ยหมัก")
        start = timezone.localtime(event.starts_at)
        self.assertEqual((start.year, start.month, start.day, start.hour), (2027, 3, 10, 9))
        self.assertEqual(AuditEntry.objects.for_object(event).get().actor, self.south_staff)

    def test_bad_input_is_refused_with_a_message_that_names_the_field(self):
        response = self.post(self.south_staff, start_date="31/2/2570")
        self.assertContains(response, "Start date: “31/2/2570” is not a date")
        response = self.post(self.south_staff, end_time="08:00")
        self.assertContains(response, "End: the event must end after it starts.")
        response = self.post(self.south_staff, kind="online", place_name="")
        self.assertContains(response, "An online session needs its link.")
        self.assertFalse(Event.objects.filter(title="อบรมการทำปุ๋ยหมัก").exists())

    def test_staff_of_another_region_a_member_and_an_anonymous_visitor_cannot_create_or_edit(self):
        for user in (self.north_staff, self.member):
            self.assertEqual(self.post(user).status_code, 404, user)
            self.assertEqual(self.client.get(reverse("learning:event_edit", args=[self.event.pk])).status_code, 404)
        self.client.logout()
        response = self.client.get(reverse("learning:event_edit", args=[self.event.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Event.objects.filter(title="อบรมการทำปุ๋ยหมัก").exists())

    def test_the_host_lgu_is_typed_by_its_short_name(self):
        self.post(self.south_staff, host_lgu="SK", place_name="")
        self.assertEqual(Event.objects.get(title="อบรมการทำปุ๋ยหมัก").host_lgu, self.lgu)
        response = self.post(self.south_staff, title="อีกงาน", host_lgu="ไม่มีเทศบาลนี้")
        self.assertContains(response, "ไม่มีเทศบาลนี้")
        self.assertFalse(Event.objects.filter(title="อีกงาน").exists())

    def test_the_practices_studied_are_typed_in_a_picker_box_and_shown_on_the_event(self):
        practice = Practice.objects.create(lgu=self.lgu, title_th="ธนาคารขยะชุมชน", status=ReviewStatus.PUBLISHED,
                                           tier=Tier.BEST, published_at=timezone.now())
        response = self.post(self.south_staff, practices="ธนาคารขยะชุมชน")
        event = Event.objects.get(title="อบรมการทำปุ๋ยหมัก")
        self.assertEqual(list(event.practices.all()), [practice])
        self.assertContains(response, "Practices studied")

    def test_the_centre_staff_edit_their_event(self):
        self.login(self.south_staff)
        page = self.client.get(reverse("learning:event_edit", args=[self.event.pk]))
        self.assertContains(page, self.event.title)
        response = self.post(self.south_staff, title="ชื่อใหม่")
        self.assertContains(response, "ชื่อใหม่")


class CoursePageTests(LearningTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.provider = Organisation.objects.create(name_th="มหาวิทยาลัยตัวอย่าง", kind=OrganisationKind.ACADEMIC)
        cls.practice = Practice.objects.create(
            lgu=cls.lgu, title_th="ธนาคารขยะชุมชน", status=ReviewStatus.PUBLISHED, tier=Tier.BEST,
            published_at=timezone.now())
        cls.hidden = Practice.objects.create(lgu=cls.other_lgu, title_th="ร่างแนวปฏิบัติ")
        cls.course = Course.objects.create(title="หลักสูตรการจัดการขยะ", provider=cls.provider, centre=cls.south,
                                           is_published=True, outcomes="วางแผนได้\nประเมินผลได้")
        module = Module.objects.create(course=cls.course, title="กรณีศึกษาธนาคารขยะ", outcomes="อธิบายได้")
        module.practices.set([cls.practice, cls.hidden])
        module.materials.create(title="สไลด์", url="https://example.org/slides.pdf")
        cls.draft_course = Course.objects.create(title="หลักสูตรร่าง", centre=cls.south)

    def test_a_course_shows_its_provider_outcomes_modules_case_studies_and_materials(self):
        response = self.client.get(self.course.get_absolute_url())
        for text in ("มหาวิทยาลัยตัวอย่าง", "วางแผนได้", "กรณีศึกษาธนาคารขยะ", "ธนาคารขยะชุมชน", "https://example.org/slides.pdf"):
            self.assertContains(response, text)
        self.assertNotContains(response, "ร่างแนวปฏิบัติ")

    def test_a_draft_course_is_seen_by_its_centre_staff_only(self):
        self.assertNotContains(self.client.get(reverse("learning:courses")), "หลักสูตรร่าง")
        self.assertEqual(self.client.get(self.draft_course.get_absolute_url()).status_code, 404)
        self.login(self.north_staff)
        self.assertEqual(self.client.get(self.draft_course.get_absolute_url()).status_code, 404)
        self.login(self.south_staff)
        self.assertContains(self.client.get(self.draft_course.get_absolute_url()), "หลักสูตรร่าง")
