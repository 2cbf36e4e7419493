from thetsaban import hooks
from thetsaban.directory import demo as directory_demo
from thetsaban.learning import demo as learning_demo
from thetsaban.newsroom import demo
from thetsaban.newsroom.models import JointUndertaking, NewsPost
from thetsaban.places import demo as places_demo
from thetsaban.places.models import LearningCentre
from thetsaban.testing import ThetsabanTestCase


class DemoTests(ThetsabanTestCase):
    def test_example_news_and_one_joint_undertaking_marked_as_example_data(self):
        places_demo.load()
        directory_demo.load()
        learning_demo.load()
        self.assertGreater(demo.load(), 0)
        posts = NewsPost.objects.all()
        self.assertEqual(posts.filter(centre__isnull=True).count(), 2)
        self.assertEqual(posts.filter(centre__isnull=False).count(), LearningCentre.objects.count())
        self.assertFalse(posts.exclude(is_example=True).exists())
        self.assertFalse(posts.exclude(title__startswith=hooks.EXAMPLE_MARK).exists())
        self.assertEqual(posts.published().count(), posts.count())
        undertaking = JointUndertaking.objects.get()
        self.assertTrue(undertaking.is_example and undertaking.title.startswith(hooks.EXAMPLE_MARK))
        self.assertGreater(undertaking.members.count(), 0)
        self.assertContains(self.client.get(undertaking.lead_lgu.get_absolute_url()), undertaking.title)
        self.assertEqual(demo.load(), 0)

    def test_the_example_undertaking_shares_the_data_hubs_waste_indicators(self):
        from thetsaban.localdata import demo as localdata_demo

        places_demo.load()
        directory_demo.load()
        learning_demo.load()
        localdata_demo.load()
        demo.load()
        undertaking = JointUndertaking.objects.get()
        self.assertGreater(undertaking.indicators.count(), 0)
        self.assertFalse(undertaking.indicators.exclude(theme="waste").exists())
        response = self.client.get(undertaking.get_absolute_url())
        self.assertContains(response, 'id="shared-indicators-table"')
        self.assertEqual(demo.load(), 0)
