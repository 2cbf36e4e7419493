"""The demo loader: languages and clearly marked example coaches, idempotent."""

from thetsaban.coaching import demo
from thetsaban.coaching.models import Coach, Language
from thetsaban.testing import ThetsabanTestCase


class DemoTests(ThetsabanTestCase):
    def test_load_creates_languages_and_example_coaches_once(self):
        added = demo.load()
        self.assertEqual(set(Language.objects.values_list("code", flat=True)),
                         {"th", "en", "lo", "km", "vi", "id", "ms", "tl", "my"})
        # The test tree has Songkhla and Chiang Rai only: one example coach each, and one example
        # application each waiting to be vetted.
        coaches = Coach.objects.select_related("person")
        self.assertEqual(coaches.filter(status="approved").count(), 2)
        self.assertEqual(coaches.filter(status="applied").count(), 2)
        self.assertEqual(added, 9 + 2 + 2)
        for coach in coaches:
            self.assertTrue(coach.is_example and coach.person.is_example)
            self.assertIn("ตัวอย่าง", coach.person.name_th)
            self.assertIn("xample data", coach.person.name_en)
        self.assertEqual(demo.load(), 0)
        self.assertEqual(Coach.objects.count(), 4)
