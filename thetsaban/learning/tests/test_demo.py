from django.urls import reverse
from django.utils import timezone

from thetsaban import hooks
from thetsaban.accounts.models import AuditEntry
from thetsaban.coaching.models import Coach
from thetsaban.directory import demo as directory_demo
from thetsaban.learning import demo
from thetsaban.learning.choices import EnrolmentStatus
from thetsaban.learning.models import Course, Enrolment, Event
from thetsaban.participation import demo as participation_demo
from thetsaban.places import demo as places_demo
from thetsaban.places.models import LearningCentre
from thetsaban.testing import ThetsabanTestCase


class DemoTests(ThetsabanTestCase):
    def test_every_seed_centre_gets_marked_example_events_and_a_course(self):
        places_demo.load()
        directory_demo.load()
        self.assertGreater(demo.load(), 0)
        self.assertEqual(LearningCentre.objects.count(), 5)
        now = timezone.now()
        for centre in LearningCentre.objects.all():
            events = Event.objects.filter(centre=centre)
            self.assertEqual(events.count(), 3, centre)
            self.assertTrue(events.filter(ends_at__lt=now).exists())
            self.assertTrue(events.filter(starts_at__gt=now).exists())
        self.assertFalse(Event.objects.filter(is_example=False).exists())
        self.assertFalse(Event.objects.exclude(title__startswith=hooks.EXAMPLE_MARK).exists())
        course = Course.objects.get()
        self.assertTrue(course.is_example and course.title.startswith(hooks.EXAMPLE_MARK))
        self.assertEqual(course.modules.count(), 2)
        # Without the participation demo's example members there is nobody to enrol.
        self.assertFalse(Enrolment.objects.exists())
        self.assertEqual(demo.load(), 0)

    def test_the_example_course_has_a_completed_an_in_progress_and_a_withdrawn_example_learner(self):
        places_demo.load()
        directory_demo.load()
        participation_demo.load()
        demo.load()
        course = Course.objects.get(is_example=True)
        enrolments = {e.status: e for e in Enrolment.objects.filter(course=course).select_related("user")}
        self.assertEqual(set(enrolments), {EnrolmentStatus.COMPLETED, EnrolmentStatus.ENROLLED,
                                           EnrolmentStatus.WITHDRAWN})
        for enrolment in enrolments.values():
            self.assertTrue(enrolment.is_example)
            self.assertTrue(enrolment.user.username.startswith("example-member-"))
            self.assertFalse(enrolment.user.has_usable_password() or enrolment.user.email)
        done = {status: e.modules_done.count() for status, e in enrolments.items()}
        self.assertEqual(done, {EnrolmentStatus.COMPLETED: 2, EnrolmentStatus.ENROLLED: 1,
                                EnrolmentStatus.WITHDRAWN: 1})
        completed = enrolments[EnrolmentStatus.COMPLETED]
        self.assertIsNotNone(completed.completed_at)
        # Recorded through the completion service by the loader (the demo records no staff), so
        # not by the learner.
        self.assertNotEqual(completed.completed_by, completed.user)
        notes = list(AuditEntry.objects.filter(content_type__model="enrolment", object_id=str(completed.pk))
                     .order_by("pk").values_list("note", flat=True))
        self.assertEqual(notes, ["demo (example data)", "completed"])
        # The example members are not coaches (the example coaches have no account): no coach
        # page lists the completion.
        self.assertFalse(Coach.objects.filter(user__in=[e.user for e in enrolments.values()]).exists())
        # League staff see the three on the course's learners page.
        self.login(self.staff)
        page = self.client.get(reverse("learning:learners", args=[course.pk]))
        self.assertContains(page, "Completed")
        self.assertContains(page, "Withdrawn")
        self.assertEqual(demo.load(), 0)
        self.assertEqual(Enrolment.objects.count(), 3)
