from django.core.files.uploadedfile import SimpleUploadedFile

from thetsaban.learning.choices import EventStatus
from thetsaban.newsroom.models import Agreement
from thetsaban.newsroom.tests.base import NewsroomTestCase, make_post
from thetsaban.newsroom.tests.test_undertakings import PDF

NEWS = "/api/v1/news/"
UNDERTAKINGS = "/api/v1/joint-undertakings/"


class NewsApiTests(NewsroomTestCase):
    def ids(self, user, **params):
        self.login(user)
        response = self.client.get(NEWS, params)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["results"]}

    def test_published_news_for_everyone_drafts_for_their_centre_and_staff(self):
        public = {self.league_post.pk}
        for user in (None, self.member, self.editor, self.north_staff):
            with self.subTest(user=user):
                self.assertEqual(self.ids(user), public)
        self.assertEqual(self.ids(self.south_staff), public | {self.south_draft.pk})
        self.assertEqual(self.ids(self.staff), public | {self.south_draft.pk})
        self.login(self.north_staff)
        self.assertEqual(self.client.get(f"{NEWS}{self.south_draft.pk}/").status_code, 404)

    def test_filters_and_links_visible_to_the_reader_only(self):
        make_post(self.north, title="ข่าวภาคเหนือ", links={"events": [self.draft]})
        self.login(None)
        rows = self.client.get(NEWS, {"centre": "north"}).json()["results"]
        self.assertEqual([row["title"] for row in rows], ["ข่าวภาคเหนือ"])
        self.assertEqual(rows[0]["events"], [])  # the South centre's draft event is not revealed
        self.assertEqual(self.ids(None, league="true"), {self.league_post.pk})
        self.assertEqual(self.ids(None, theme="waste"), {self.league_post.pk})
        row = self.client.get(f"{NEWS}{self.league_post.pk}/").json()
        self.assertEqual((row["centre"], row["themes"], row["practices"], row["events"]),
                         (None, ["waste"], [self.practice.pk], [self.event.pk]))
        self.assertEqual(self.draft.status, EventStatus.DRAFT)

    def test_the_api_does_not_write(self):
        self.login(self.staff)
        self.assertEqual(self.client.post(NEWS, {"title": "x"}).status_code, 405)


class UndertakingApiTests(NewsroomTestCase):
    def test_everyone_reads_undertakings_and_only_their_lgus_the_agreements(self):
        Agreement.objects.create(undertaking=self.undertaking, title="บันทึกข้อตกลง",
                                 file=SimpleUploadedFile("mou.pdf", PDF))
        self.undertaking.members.set([self.neighbour])
        for user, agreements in ((None, 0), (self.member, 0), (self.outsider, 0), (self.south_staff, 0),
                                 (self.editor, 1), (self.staff, 1)):
            with self.subTest(user=user):
                self.login(user)
                rows = self.client.get(UNDERTAKINGS).json()["results"]
                self.assertEqual([row["title"] for row in rows], ["ศูนย์กำจัดขยะรวม"])
                self.assertEqual(len(rows[0]["agreements"]), agreements)
        row = rows[0]
        self.assertEqual((row["lead_lgu"], row["members"], row["practices"]),
                         (self.lgu.code, [self.neighbour.code], [self.practice.pk]))
        self.login(None)
        self.assertEqual(len(self.client.get(UNDERTAKINGS, {"lgu": self.neighbour.code}).json()["results"]), 1)
        self.assertEqual(len(self.client.get(UNDERTAKINGS, {"lgu": self.other_lgu.code}).json()["results"]), 0)
