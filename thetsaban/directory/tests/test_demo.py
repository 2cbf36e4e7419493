from decimal import Decimal
from unittest.mock import patch

from thetsaban.directory import demo
from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.models import Organisation, Person, Post
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu
from thetsaban.practices.models import Theme
from thetsaban.testing import ThetsabanTestCase


class DirectoryDemoTests(ThetsabanTestCase):
    """The demo loader takes only the seed's organisations and roles, and is idempotent."""

    def test_load_is_idempotent_and_invents_no_people(self):
        added = demo.load()
        self.assertGreater(added, 0)
        counts = (Organisation.objects.count(), Post.objects.count())
        self.assertEqual(demo.load(), 0)
        self.assertEqual((Organisation.objects.count(), Post.objects.count()), counts)
        self.assertEqual(Person.objects.count(), 0)

    def test_seed_organisations_with_abbreviations(self):
        demo.load()
        league = Organisation.objects.get(code="nmlt")
        self.assertEqual(league.kind, OrganisationKind.LEAGUE)
        self.assertEqual(league.abbreviation, "ส.ท.ท.")
        self.assertIn(league, Organisation.objects.matching("สทท"))
        self.assertEqual(Organisation.objects.get(abbreviation="กพร.").code, "opdc")
        self.assertEqual(Organisation.objects.get(abbreviation="สกถ.").kind, OrganisationKind.AGENCY)
        self.assertEqual(Organisation.objects.get(abbreviation="สตง.").kind, OrganisationKind.AGENCY)
        self.assertEqual(Organisation.objects.get(code="kpi").name_th, "สถาบันพระปกเกล้า")
        self.assertEqual(Organisation.objects.get(code="media").name_th, "สื่อมวลชน")
        self.assertEqual(Organisation.objects.get(code="civil-society").kind,
                         OrganisationKind.CIVIL_SOCIETY)
        self.assertTrue(Post.objects.filter(organisation__code="academic-regional",
                                            label_th__contains="วิทยากรพี่เลี้ยง").exists())

    def test_directory_search_puts_the_league_first_for_its_abbreviation(self):
        demo.load()
        response = self.client.get("/directory/", {"q": "สทท"})
        posts = list(response.context["posts"])
        self.assertEqual({p.organisation.code for p in posts[:5]}, {"nmlt"})
        self.assertIn("ondc", {p.organisation.code for p in posts})
        self.assertEqual(response.context["organisations"][0].code, "nmlt")

    def test_lgu_offices_for_the_demo_lgus_that_exist(self):
        Lgu.objects.create(code="DEMO-SK", name_th="เทศบาลนครสงขลา",
                           name_en="Songkhla City Municipality", short_name="SK",
                           lgu_type=LguType.CITY, province=self.lgu.province,
                           latitude=Decimal("7.1988"), longitude=Decimal("100.5951"))
        demo.load()
        office = Organisation.objects.get(kind=OrganisationKind.LGU_ADMINISTRATION)
        self.assertEqual(office.lgu.code, "DEMO-SK")
        self.assertEqual(office.abbreviation, "ทน.สงขลา")
        self.assertTrue(office.posts.filter(responsibilities__contains="ปรับปรุงประสิทธิภาพ").exists())

    def test_topics_are_linked_to_the_seed_themes(self):
        demo.load()
        oag_post = Post.objects.get(organisation__code="oag")
        self.assertEqual({t.code for t in oag_post.topics.all()}, {"budget", "environment"})
        self.assertEqual(set(Theme.objects.values_list("code", flat=True)),
                         {"governance", "environment", "budget", "participation"})

    def test_topics_are_linked_when_themes_arrive_later(self):
        with patch("thetsaban.practices.demo.load_themes", return_value=0):
            demo.load()
        self.assertFalse(Post.objects.filter(topics__isnull=False).exists())
        Theme.objects.create(code="environment", name_th="การบริการสาธารณะด้านสิ่งแวดล้อม")
        with patch("thetsaban.practices.demo.load_themes", return_value=0):
            demo.load()
        oag_post = Post.objects.get(organisation__code="oag")
        self.assertEqual([t.code for t in oag_post.topics.all()], ["environment"])
        self.assertEqual(demo.load(), 0)
