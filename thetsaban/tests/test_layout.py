"""The page layout every page shares: favicon, menu, the current section, sortable list columns,
filter forms and the branded admin and API pages (their behaviour in a browser, at phone width
and under axe-core, is in thetsaban/browser_tests/test_pages.py)."""

import re

from django.urls import reverse

from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu
from thetsaban.policy.choices import Level, RecommendationStatus
from thetsaban.policy.models import Recommendation
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.choices import ProjectStatus
from thetsaban.transfers.models import TransferProject


def current_links(html: str) -> list[str]:
    """The addresses of the navigation links marked as the current section."""
    return re.findall(r'<a href="([^"]+)" aria-current="page">', html)


class LayoutTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for title, status in (("ข", RecommendationStatus.IMPLEMENTED), ("ก", RecommendationStatus.PROPOSED),
                              ("ค", RecommendationStatus.FORWARDED)):
            Recommendation.objects.create(level=Level.LEAGUE, title=title, recommendation="…",
                                          status=status)
        for title, lgu, status in (("B", cls.lgu, ProjectStatus.CLOSED),
                                   ("A", cls.other_lgu, ProjectStatus.PIPELINE)):
            TransferProject.objects.create(title=title, target_lgu=lgu, status=status)

    def test_every_page_links_the_favicon_and_has_a_menu_button(self):
        html = self.client.get(reverse("home")).content.decode()
        self.assertIn('<link rel="icon" href="/static/thetsaban/favicon.svg" type="image/svg+xml">', html)
        self.assertIn('<details class="menu" data-open-wide>', html)
        self.assertEqual(self.client.get("/static/thetsaban/favicon.svg").status_code, 200)

    def test_the_navigation_marks_the_current_section_only(self):
        self.assertEqual(current_links(self.client.get(reverse("home")).content.decode()), [])
        self.assertEqual(current_links(self.client.get(reverse("practices:map")).content.decode()),
                         [reverse("practices:map")])
        recommendation = Recommendation.objects.first()
        self.assertEqual(current_links(self.client.get(recommendation.get_absolute_url()).content.decode()),
                         [reverse("policy:list")])
        self.assertEqual(current_links(self.client.get(reverse("coaching:coverage")).content.decode()),
                         [reverse("coaching:coverage")])

    def titles(self, response, pattern) -> list[str]:
        return re.findall(pattern, response.content.decode())

    def test_recommendations_sort_by_a_column_header_both_ways(self):
        url = reverse("policy:list")
        row = r'<a href="/policy/\d+/">([^<]+)</a>'
        response = self.client.get(url, {"sort": "title"})
        self.assertEqual(self.titles(response, row), ["ก", "ข", "ค"])
        self.assertContains(response, '<th scope="col" aria-sort="ascending"><a class="sort" href="?sort=-title">', html=False)
        response = self.client.get(url, {"sort": "-title"})
        self.assertEqual(self.titles(response, row), ["ค", "ข", "ก"])
        self.assertContains(response, 'aria-sort="descending"')
        # Status in the order of the workflow, not of the codes' letters.
        response = self.client.get(url, {"sort": "status"})
        self.assertEqual(self.titles(response, row), ["ก", "ค", "ข"])

    def test_an_unknown_sort_column_keeps_the_default_order(self):
        for value in ("recommendation", "-owner__password", "", "--title"):
            response = self.client.get(reverse("policy:list"), {"sort": value})
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "aria-sort")

    def test_sorting_keeps_the_filters_and_filtering_keeps_the_sort(self):
        response = self.client.get(reverse("policy:list"), {"status": "proposed", "sort": "title"})
        self.assertContains(response, 'href="?status=proposed&amp;sort=-title"')
        self.assertContains(response, '<input type="hidden" name="sort" value="title">')

    def test_transfer_projects_and_lgus_sort_by_their_columns(self):
        response = self.client.get(reverse("transfers:list"), {"sort": "lgu"})
        self.assertEqual(self.titles(response, r'<a href="/transfers/\d+/">([^<]+)</a>'), ["A", "B"])
        response = self.client.get(reverse("transfers:list"), {"sort": "-title"})
        self.assertEqual(self.titles(response, r'<a href="/transfers/\d+/">([^<]+)</a>'), ["B", "A"])
        Lgu.objects.create(code="TEST-AA", name_th="เทศบาลตำบลกกกก", name_en="Kokkok",
                           lgu_type=LguType.SUBDISTRICT_MUNICIPALITY, province=self.lgu.province)
        response = self.client.get(reverse("places:lgus"), {"sort": "-province"})
        names = self.titles(response, r'<a href="/places/lgu/[^/]+/">([^<]+)</a>')
        # สงขลา comes after เชียงราย in Thai order, so first when reversed (the whole order is
        # reversed: within the province too, เทศบาลนคร… before เทศบาลตำบล…).
        self.assertEqual(names, ["Songkhla City Municipality", "Kokkok", "Chiang Rai City Municipality"])
        self.assertContains(response, 'aria-sort="descending"')

    def test_filter_forms_offer_any_instead_of_dashes(self):
        for url in (reverse("transfers:list"), reverse("coaching:list"), reverse("places:lgus")):
            response = self.client.get(url)
            self.assertNotContains(response, "---------")
        self.assertContains(self.client.get(reverse("transfers:list")), '<option value="" selected>Any</option>')

    def test_the_admin_is_branded(self):
        self.login(self.staff)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Thetsaban administration")
        self.assertContains(response, "/static/thetsaban/admin.css")
        self.assertNotContains(response, "Django administration")

    def test_the_api_docs_page_has_a_language_and_a_main_landmark(self):
        html = self.client.get(reverse("api-docs")).content.decode()
        self.assertIn('<html lang="en">', html)
        self.assertIn("<main>", html)
        self.assertIn("<h1", html)
