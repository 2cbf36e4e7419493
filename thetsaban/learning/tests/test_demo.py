from thetsaban import hooks
from thetsaban.directory import demo as directory_demo
from thetsaban.learning import demo
from thetsaban.learning.models import Course, Event
from thetsaban.places import demo as places_demo
from thetsaban.places.models import LearningCentre
from thetsaban.testing import ThetsabanTestCase


class DemoTests(ThetsabanTestCase):
    def test_every_seed_centre_gets_marked_example_events_and_a_course(self):
        places_demo.load()
        directory_demo.load()
        self.assertGreater(demo.load(), 0)
        self.assertEqual(LearningCentre.objects.count(), 5)
        for centre in LearningCentre.objects.all():
            events = Event.objects.filter(centre=centre)
            self.assertEqual(events.count(), 3, centre)
            self.assertTrue(events.filter(ends_at__lt=self.now()).exists())
            self.assertTrue(events.filter(starts_at__gt=self.now()).exists())
        self.assertFalse(Event.objects.filter(is_example=False).exists())
        self.assertFalse(Event.objects.exclude(title__startswith=hooks.EXAMPLE_MARK).exists())
        course = Course.objects.get()
        self.assertTrue(course.is_example and course.title.startswith(hooks.EXAMPLE_MARK))
        self.assertEqual(course.modules.count(), 2)
        self.assertEqual(demo.load(), 0)

    @staticmethod
    def now():
        from django.utils import timezone

        return timezone.now()
