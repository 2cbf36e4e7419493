from datetime import timedelta

import feedparser
from django.urls import reverse
from django.utils import timezone

from thetsaban.newsroom.choices import PostStatus
from thetsaban.newsroom.tests.base import NewsroomTestCase, make_post, png


class FeedTests(NewsroomTestCase):
    def read(self, url, content_type):
        self.client.cookies.load({"django_language": "th"})
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith(content_type))
        feed = feedparser.parse(response.content)
        self.assertFalse(feed.bozo, feed.get("bozo_exception"))
        return feed

    def test_the_league_feeds_list_published_news_newest_first_and_no_draft(self):
        older = make_post(self.north, title="ข่าวเก่าภาคเหนือ", published_at=timezone.now() - timedelta(days=5))
        for name, content_type, version in (("newsroom:atom", "application/atom+xml", "atom10"),
                                            ("newsroom:rss", "application/rss+xml", "rss20")):
            with self.subTest(name):
                feed = self.read(reverse(name), content_type)
                self.assertEqual(feed.version, version)
                self.assertEqual([entry.title for entry in feed.entries], ["ข่าวของสมาคม", older.title])
                first = feed.entries[0]
                self.assertEqual(first.link, "http://testserver" + self.league_post.get_absolute_url())
                self.assertEqual(first.summary, "เทศบาลเริ่มคัดแยกขยะต้นทาง")
                self.assertEqual([tag.term for tag in first.tags], ["การจัดการขยะ"])
                self.assertEqual(feed.entries[1].published_parsed[:3], older.published_at.utctimetuple()[:3])
                self.assertNotIn("ร่างข่าวภาคใต้", [entry.title for entry in feed.entries])

    def test_a_centre_feed_and_a_theme_feed_have_only_their_news(self):
        make_post(self.south, title="ข่าวภาคใต้", links={"themes": [self.water]})
        feed = self.read(reverse("newsroom:centre_atom", args=["south"]), "application/atom+xml")
        self.assertEqual([entry.title for entry in feed.entries], ["ข่าวภาคใต้"])
        self.assertIn("ศูนย์เรียนรู้ภาคใต้", feed.feed.title)
        feed = self.read(reverse("newsroom:theme_rss", args=["water"]), "application/rss+xml")
        self.assertEqual([entry.title for entry in feed.entries], ["ข่าวภาคใต้"])
        feed = self.read(reverse("newsroom:theme_atom", args=["waste"]), "application/atom+xml")
        self.assertEqual([entry.title for entry in feed.entries], ["ข่าวของสมาคม"])
        self.assertEqual(self.client.get(reverse("newsroom:centre_rss", args=["nowhere"])).status_code, 404)

    def test_a_picture_is_an_enclosure_and_a_withdrawn_post_leaves_the_feed(self):
        post = make_post(self.south, title="ข่าวมีภาพ", image=png())
        feed = self.read(reverse("newsroom:rss"), "application/rss+xml")
        entry = next(entry for entry in feed.entries if entry.title == "ข่าวมีภาพ")
        self.assertEqual(entry.enclosures[0].href, f"http://testserver/news/{post.pk}/picture/")
        self.assertEqual(entry.enclosures[0].type, "image/png")
        from thetsaban.newsroom import services

        services.withdraw_post(post, acting_user=self.south_staff)
        self.assertEqual(post.status, PostStatus.DRAFT)
        feed = self.read(reverse("newsroom:rss"), "application/rss+xml")
        self.assertNotIn("ข่าวมีภาพ", [entry.title for entry in feed.entries])
