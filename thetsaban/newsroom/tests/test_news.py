from django.urls import reverse

from thetsaban.accounts.models import AuditEntry
from thetsaban.newsroom.choices import PostStatus
from thetsaban.newsroom.models import NewsPost
from thetsaban.newsroom.tests.base import NewsroomTestCase, make_post, png


class NewsPageTests(NewsroomTestCase):
    def test_the_list_shows_published_news_to_everyone_and_drafts_only_to_their_centre(self):
        for user, sees_draft in ((None, False), (self.member, False), (self.editor, False),
                                 (self.north_staff, False), (self.south_staff, True), (self.staff, True)):
            with self.subTest(user=user):
                self.login(user)
                response = self.client.get(reverse("newsroom:list"))
                self.assertContains(response, "ข่าวของสมาคม")
                self.assertEqual("ร่างข่าวภาคใต้" in response.content.decode(), sees_draft)

    def test_a_draft_is_hidden_from_anyone_but_its_centre_and_league_staff(self):
        url = self.south_draft.get_absolute_url()
        for user, status in ((None, 404), (self.member, 404), (self.north_staff, 404), (self.south_staff, 200),
                             (self.staff, 200)):
            with self.subTest(user=user):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_the_post_page_shows_its_links_and_social_cards(self):
        response = self.client.get(self.league_post.get_absolute_url())
        self.assertContains(response, "ธนาคารขยะชุมชน")
        self.assertContains(response, self.event.title)
        self.assertContains(response, '<meta property="og:title" content="ข่าวของสมาคม">', html=False)
        self.assertContains(response, '<meta name="twitter:card" content="summary">', html=False)
        self.assertContains(response, 'property="og:url" content="http://testserver/news/')

    def test_filters_by_centre_and_theme(self):
        make_post(self.north, title="ข่าวภาคเหนือ")
        response = self.client.get(reverse("newsroom:list"), {"centre": "north"})
        self.assertContains(response, "ข่าวภาคเหนือ")
        self.assertNotContains(response, "ข่าวของสมาคม")
        response = self.client.get(reverse("newsroom:list"), {"theme": "waste"})
        self.assertContains(response, "ข่าวของสมาคม")
        self.assertNotContains(response, "ข่าวภาคเหนือ")
        self.assertEqual(self.client.get(reverse("newsroom:list"), {"centre": "nowhere"}).status_code, 404)


class WritingTests(NewsroomTestCase):
    def data(self, **extra):
        values = {"title": "ข่าวใหม่ของศูนย์", "summary": "สรุปข่าว", "body": "", "status": PostStatus.DRAFT,
                  "image_alt": "", "practices": ""}
        values.update(extra)
        return values

    def test_centre_staff_write_for_their_centre_and_publish_with_an_audit_trail(self):
        self.login(self.south_staff)
        response = self.client.post(reverse("newsroom:new"), self.data(centre=self.south.pk, image=png(),
                                                                       image_alt="ภาพถุงขยะ"))
        post = NewsPost.objects.get(title="ข่าวใหม่ของศูนย์")
        self.assertRedirects(response, post.get_absolute_url())
        self.assertEqual((post.centre, post.author, post.status), (self.south, self.south_staff, PostStatus.DRAFT))
        self.client.post(reverse("newsroom:publish", args=[post.pk]))
        post.refresh_from_db()
        self.assertTrue(post.is_published)
        entries = AuditEntry.objects.filter(object_id=str(post.pk), content_type__model="newspost")
        self.assertEqual([(e.actor, e.note) for e in entries.order_by("pk")],
                         [(self.south_staff, ""), (self.south_staff, "published")])
        self.login(None)
        page = self.client.get(post.get_absolute_url())
        self.assertContains(page, 'content="summary_large_image"')
        self.assertContains(page, f'property="og:image" content="http://testserver/news/{post.pk}/picture/"')
        self.assertEqual(self.client.get(reverse("newsroom:image", args=[post.pk])).status_code, 200)

    def test_centre_staff_cannot_write_for_another_centre_or_the_league(self):
        self.login(self.north_staff)
        response = self.client.post(reverse("newsroom:new"), self.data(centre=self.south.pk))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "centre", status_code=400)
        response = self.client.post(reverse("newsroom:new"), self.data(centre=""))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(NewsPost.objects.filter(title="ข่าวใหม่ของศูนย์").exists())
        # Nor change or publish the South centre's draft.
        self.assertEqual(self.client.get(reverse("newsroom:edit", args=[self.south_draft.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("newsroom:publish", args=[self.south_draft.pk])).status_code, 404)
        self.south_draft.refresh_from_db()
        self.assertEqual(self.south_draft.status, PostStatus.DRAFT)

    def test_league_staff_write_the_leagues_news(self):
        self.login(self.staff)
        self.client.post(reverse("newsroom:new"), self.data(centre="", status=PostStatus.PUBLISHED))
        post = NewsPost.objects.get(title="ข่าวใหม่ของศูนย์")
        self.assertIsNone(post.centre)
        self.assertIsNotNone(post.published_at)

    def test_members_editors_and_anonymous_visitors_cannot_write(self):
        for user in (self.member, self.editor):
            with self.subTest(user=user):
                self.login(user)
                self.assertEqual(self.client.get(reverse("newsroom:new")).status_code, 403)
                self.assertEqual(self.client.post(reverse("newsroom:new"), self.data(centre=self.south.pk)).status_code, 403)
                self.assertEqual(self.client.post(reverse("newsroom:publish", args=[self.south_draft.pk])).status_code, 404)
        self.login(None)
        self.assertEqual(self.client.get(reverse("newsroom:new")).status_code, 302)
        self.assertFalse(NewsPost.objects.filter(title="ข่าวใหม่ของศูนย์").exists())

    def test_a_renamed_file_is_refused_as_a_picture_naming_the_field(self):
        self.login(self.south_staff)
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("picture.png", b"not a picture")
        response = self.client.post(reverse("newsroom:new"), self.data(centre=self.south.pk, image=fake))
        self.assertContains(response, "is not a real .png file", status_code=400)


class SocialCardOnPracticeTests(NewsroomTestCase):
    def test_a_practice_page_has_open_graph_and_twitter_tags(self):
        response = self.client.get(self.practice.get_absolute_url())
        self.assertContains(response, '<meta property="og:title" content="ธนาคารขยะชุมชน">', html=False)
        self.assertContains(response, 'name="twitter:description" content="ลดขั้นตอนการให้บริการประชาชน')
        self.assertNotContains(response, 'property="og:image"')

    def test_a_practice_with_a_photo_shows_it_on_its_card(self):
        from thetsaban.practices.models import PracticeAttachment

        photo = PracticeAttachment.objects.create(practice=self.practice, kind="image", title="ภาพ", file=png())
        PracticeAttachment.objects.create(practice=self.practice, kind="document", title="รายงาน", file=png("r.png"))
        response = self.client.get(self.practice.get_absolute_url())
        url = f"http://testserver/practices/{self.practice.pk}/files/{photo.pk}/"
        self.assertContains(response, f'<meta property="og:image" content="{url}">', html=False)
        self.assertContains(response, '<meta name="twitter:card" content="summary_large_image">', html=False)
