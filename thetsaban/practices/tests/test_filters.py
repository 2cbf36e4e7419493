from datetime import date

from django.test import override_settings
from django.urls import reverse

from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu
from thetsaban.practices.choices import Maturity, Recognition, ReviewStatus
from thetsaban.practices.filters import PracticeFilterSet
from thetsaban.practices.models import Practice
from thetsaban.practices.tests.base import PracticeTestCase, make_practice


class FacetTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # self.lgu is in the South (Songkhla), other_lgu in the North (Chiang Rai).
        cls.town = Lgu.objects.create(code="TEST-TOWN", name_th="เทศบาลเมืองตัวอย่าง", lgu_type=LguType.TOWN,
                                      province=cls.other_lgu.province)
        make_practice(cls.other_lgu, title_th="การจัดการขยะแบบครบวงจร", themes=("environment", "participation"),
                      maturity=Maturity.PROVEN, start_date=date(2019, 5, 1),
                      recognition=Recognition.NATIONAL, recognition_detail="รางวัลตัวอย่าง")
        make_practice(cls.other_lgu, title_th="งบประมาณแบบมีส่วนร่วม", themes=("budget", "participation"),
                      start_date=date(2021, 1, 1))
        make_practice(cls.town, title_th="บริการอิเล็กทรอนิกส์", themes=("governance",),
                      start_date=date(2021, 3, 1))

    def facets(self, **params):
        filterset = PracticeFilterSet(params, queryset=Practice.objects.published())
        return filterset, filterset.facet_counts()

    def counts(self, facets, name):
        return {v["value"]: v["count"] for v in facets[name]["values"]}

    def test_counts_per_facet_value(self):
        _fs, facets = self.facets()
        self.assertEqual(self.counts(facets, "theme"),
                         {"governance": 2, "environment": 1, "budget": 1, "participation": 2})
        self.assertEqual(self.counts(facets, "region"), {"south": 1, "north": 3})
        self.assertEqual(self.counts(facets, "province"), {"90": 1, "57": 3})
        self.assertEqual(self.counts(facets, "lgu_type"), {"city": 3, "town": 1})
        self.assertEqual(self.counts(facets, "maturity"), {"pilot": 3, "proven": 1})
        self.assertEqual(self.counts(facets, "recognition"), {"national": 1})
        self.assertEqual(self.counts(facets, "year"), {"2019": 1, "2021": 2})

    def test_counts_follow_the_other_filters_but_not_their_own(self):
        filterset, facets = self.facets(region="north")
        self.assertEqual(filterset.qs.count(), 3)
        # The region facet still offers the South (disjunctive), with its own count.
        self.assertEqual(self.counts(facets, "region"), {"south": 1, "north": 3})
        self.assertTrue(next(v for v in facets["region"]["values"] if v["value"] == "north")["selected"])
        self.assertEqual(self.counts(facets, "lgu_type"), {"city": 2, "town": 1})
        self.assertEqual(self.counts(facets, "theme"),
                         {"governance": 1, "environment": 1, "budget": 1, "participation": 2})

    def test_each_filter(self):
        cases = {
            "theme": ("participation", 2), "region": ("south", 1), "province": ("57", 3),
            "lgu_type": ("town", 1), "maturity": ("proven", 1), "recognition": ("national", 1),
            "year": ("2021", 2), "lgu": ("TEST-TOWN", 1),
        }
        for name, (value, expected) in cases.items():
            with self.subTest(name=name):
                filterset = PracticeFilterSet({name: value}, queryset=Practice.objects.published())
                self.assertTrue(filterset.is_valid(), filterset.errors)
                self.assertEqual(filterset.qs.count(), expected)

    def test_q_finds_a_practice_by_its_text_and_by_its_lgus_name(self):
        filterset = PracticeFilterSet({"q": "ขยะ"}, queryset=Practice.objects.published())
        self.assertEqual([p.title_th for p in filterset.qs], ["การจัดการขยะแบบครบวงจร"])
        # No practice's own text says เชียงราย: they are found by their LGU's (and province's) name.
        filterset = PracticeFilterSet({"q": "เชียงราย"}, queryset=Practice.objects.published())
        self.assertEqual({p.lgu_id for p in filterset.qs}, {self.other_lgu.pk, self.town.pk})
        self.assertEqual(filterset.qs.count(), 3)

    def test_q_without_words_filters_nothing(self):
        filterset = PracticeFilterSet({"q": " ?!. "}, queryset=Practice.objects.published())
        self.assertEqual(filterset.qs.count(), 4)

    def test_q_matches_unpublished_titles_for_their_editors(self):
        queryset = Practice.objects.restrict(self.editor, "view")
        filterset = PracticeFilterSet({"q": "คัดแยกขยะ"}, queryset=queryset)
        self.assertIn(self.draft.pk, [p.pk for p in filterset.qs])

    def test_sort_by_thai_title(self):
        filterset = PracticeFilterSet({"sort": "title"}, queryset=Practice.objects.published())
        titles = [p.title_th for p in filterset.qs]
        # Dictionary order ignores the leading vowel เ: การ < งบ < ตลาด < บริการ
        self.assertEqual(titles, ["การจัดการขยะแบบครบวงจร", "งบประมาณแบบมีส่วนร่วม", "ตลาดเก่าของชุมชน",
                                  "บริการอิเล็กทรอนิกส์"])

    @override_settings(LANGUAGE_CODE="th")  # Thai pages, as a Thai visitor sees them

    def test_list_page_shows_facets_and_search(self):
        response = self.client.get(reverse("practices:list"), {"region": "north", "q": "ขยะ"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual([p.title_th for p in response.context["page"]], ["การจัดการขยะแบบครบวงจร"])
        response = self.client.get(reverse("practices:list"), {"region": "north"})
        self.assertContains(response, "ภาคใต้")
        self.assertContains(response, '<span class="count">3</span>')

    def test_bad_parameters_never_500(self):
        for params in ({"year": "abc"}, {"theme": "nope"}, {"region": "x"}, {"sort": "bogus"},
                       {"page": "-3"}, {"maturity": "expert"}, {"q": "x" * 5000}):
            with self.subTest(params=params):
                self.assertEqual(self.client.get(reverse("practices:list"), params).status_code, 200)
                api = self.client.get("/api/v1/practices/", params)
                self.assertIn(api.status_code, (200, 400))
                if "page" not in params and "q" not in params:
                    self.assertEqual(api.status_code, 400)
                    self.assertTrue(api.json())
        self.assertEqual(self.client.get("/api/v1/practices/", {"ordering": "secret"}).status_code, 400)

    def test_api_filters_and_q(self):
        response = self.client.get("/api/v1/practices/", {"theme": "participation", "region": "north"})
        self.assertEqual(response.json()["count"], 2)
        response = self.client.get("/api/v1/practices/", {"q": "เชียงราย", "maturity": "proven"})
        self.assertEqual([r["title_th"] for r in response.json()["results"]], ["การจัดการขยะแบบครบวงจร"])

    def test_map_data_groups_by_lgu_and_follows_filters(self):
        self.lgu.latitude, self.lgu.longitude = 7.19, 100.59
        response = self.client.get(reverse("practices:map_data"), {"theme": "participation"})
        data = response.json()
        # Songkhla's published practice is governance only; the town has no coordinates.
        self.assertEqual(data["count"], 2)
        self.assertEqual(len(data["markers"]), 1)
        marker = data["markers"][0]
        self.assertEqual(marker["count"], 2)
        self.assertEqual(len(marker["practices"]), 2)
        self.assertEqual(self.client.get(reverse("practices:map_data"), {"year": "x"}).status_code, 400)

    def test_map_page_uses_leaflet_from_static_and_no_tiles_in_tests(self):
        response = self.client.get(reverse("practices:map"))
        self.assertContains(response, "/static/leaflet/leaflet.js")
        self.assertContains(response, "/static/leaflet/leaflet.css")
        self.assertContains(response, 'data-tiles=""')

    def test_related_practices_share_themes_from_other_lgus(self):
        response = self.client.get(reverse("practices:detail", args=[self.published.pk]))
        related = [p.title_th for p in response.context["related"]]
        self.assertEqual(related, ["บริการอิเล็กทรอนิกส์"])
        self.assertNotIn(ReviewStatus.DRAFT, [p.status for p in response.context["related"]])


class RelevanceTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.in_body = make_practice(cls.lgu, title_th="งานบริการชุมชน",
                                    summary="ชุมชนร่วมกันดูแลคลองและคัดแยกขยะทุกสัปดาห์")
        cls.in_title = make_practice(cls.lgu, title_th="คลองสวยน้ำใส", summary="ฟื้นฟูแหล่งน้ำ")

    def test_a_title_match_comes_first_unless_another_order_is_chosen(self):
        filterset = PracticeFilterSet({"q": "คลอง"}, queryset=Practice.objects.published())
        self.assertEqual([p.pk for p in filterset.qs], [self.in_title.pk, self.in_body.pk])
        filterset = PracticeFilterSet({"q": "คลอง", "sort": "oldest"}, queryset=Practice.objects.published())
        self.assertEqual([p.pk for p in filterset.qs], [self.in_body.pk, self.in_title.pk])

    def test_a_text_query_lists_every_match_without_a_cut(self):
        response = self.client.get(reverse("practices:list"), {"q": "คลอง"})
        self.assertEqual(response.context["page"].paginator.count, 2)
        self.assertNotContains(response, "are listed")
