"""Coverage numbers on a small fixture, the JSON shape, and the page's chart and map."""

from django.test import override_settings
from django.urls import reverse

from thetsaban.coaching import coverage
from thetsaban.coaching.choices import Availability, CoachStatus
from thetsaban.coaching.tests.base import make_coach
from thetsaban.places.choices import LguType
from thetsaban.places.models import Lgu, Province
from thetsaban.testing import ThetsabanTestCase
from thetsaban.transfers.choices import ProjectStatus
from thetsaban.transfers.models import TransferProject


class CoverageTests(ThetsabanTestCase):
    """South: 3 municipalities (SK city + a town + a subdistrict municipality; an SAO and a PAO
    do not count), 1 active coach. North: 2 municipalities (CR + a subdistrict one), 2 coaches."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        songkhla = Province.objects.get(code="90")
        chiang_rai = Province.objects.get(code="57")

        def lgu(code, lgu_type, province, lat=None, lng=None):
            return Lgu.objects.create(code=code, name_th=code, lgu_type=lgu_type,
                                      province=province, latitude=lat, longitude=lng)

        lgu("S-TOWN", LguType.TOWN, songkhla, "7.0", "100.4")
        lgu("S-SUB", LguType.SUBDISTRICT_MUNICIPALITY, songkhla)
        sao = lgu("S-SAO", LguType.SAO, songkhla)
        lgu("S-PAO", LguType.PAO, songkhla)
        lgu("N-SUB", LguType.SUBDISTRICT_MUNICIPALITY, chiang_rai)
        make_coach("ก", songkhla)
        make_coach("ข", songkhla, availability=Availability.UNAVAILABLE)
        make_coach("ค", songkhla, status=CoachStatus.APPLIED)
        make_coach("ง", songkhla, status=CoachStatus.REJECTED)
        make_coach("จ", chiang_rai)
        make_coach("ฉ", chiang_rai, availability=Availability.LIMITED)
        TransferProject.objects.create(title="a", target_lgu=cls.lgu,
                                       status=ProjectStatus.IMPLEMENTATION)
        TransferProject.objects.create(title="b", target_lgu=cls.lgu, status=ProjectStatus.PIPELINE)
        TransferProject.objects.create(title="c", target_lgu=cls.other_lgu,
                                       status=ProjectStatus.CLOSED)
        TransferProject.objects.create(title="d", target_lgu=sao,
                                       status=ProjectStatus.IMPLEMENTATION)

    def rows(self, report):
        return {row.code: row for row in report.regions}

    def test_numbers_per_region_and_nationally(self):
        report = coverage.compute()
        south, north = self.rows(report)["south"], self.rows(report)["north"]
        self.assertEqual((south.municipalities, south.coaches,
                          south.municipalities_with_active_project), (3, 1, 1))
        self.assertEqual((north.municipalities, north.coaches,
                          north.municipalities_with_active_project), (2, 2, 0))
        self.assertEqual(south.ratio, 0.3333)
        self.assertEqual(north.ratio, 1.0)
        self.assertEqual((south.to_recruit, north.to_recruit), (2, 0))
        self.assertEqual((south.meets_target, north.meets_target), (False, True))
        self.assertEqual((south.share_of_coaches, south.share_of_municipalities), (0.3333, 0.6))
        self.assertEqual((north.share_of_coaches, north.share_of_municipalities), (0.6667, 0.4))
        self.assertEqual(south.balance, -0.2667)
        national = report.national
        self.assertEqual((national.municipalities, national.coaches,
                          national.municipalities_with_active_project), (5, 3, 1))
        self.assertEqual(national.ratio, 0.6)
        self.assertEqual(national.to_recruit, 2)
        self.assertEqual(report.national_shortfall, 2)
        self.assertEqual(report.target_ratio, 1.0)

    def test_surplus_in_one_region_does_not_cover_another(self):
        make_coach("ช", Province.objects.get(code="57"))
        make_coach("ซ", Province.objects.get(code="57"))
        report = coverage.compute()
        self.assertEqual(report.national.to_recruit, 2)  # the south still lacks two
        self.assertEqual(report.national_shortfall, 0)  # 5 coaches for 5 municipalities

    @override_settings(COACH_TARGET_RATIO=0.5)
    def test_target_ratio_is_a_setting(self):
        report = coverage.compute()
        south, north = self.rows(report)["south"], self.rows(report)["north"]
        self.assertEqual((south.to_recruit, north.to_recruit), (1, 0))
        self.assertEqual(report.target_ratio, 0.5)

    def test_region_centroid_is_the_mean_of_its_lgus_locations(self):
        south = self.rows(coverage.compute())["south"]
        self.assertAlmostEqual(south.latitude, (7.1898 + 7.0) / 2, places=4)
        self.assertAlmostEqual(south.longitude, (100.5954 + 100.4) / 2, places=4)

    def test_json_shape(self):
        response = self.client.get("/api/v1/coaching/coverage/")
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(set(data), {"target_ratio", "municipal_types", "national",
                                     "national_shortfall", "regions", "lgus_loaded",
                                     "lgus_expected", "lgu_list_partial"})
        self.assertEqual(data["municipal_types"], ["city", "town", "subdistrict"])
        self.assertEqual(data["national"]["coaches"], 3)
        south = next(r for r in data["regions"] if r["code"] == "south")
        self.assertEqual({k: south[k] for k in ("municipalities", "coaches", "to_recruit",
                                                 "ratio", "meets_target")},
                         {"municipalities": 3, "coaches": 1, "to_recruit": 2, "ratio": 0.3333,
                          "meets_target": False})
        for key in ("share_of_coaches", "share_of_municipalities", "balance", "latitude",
                    "longitude", "municipalities_with_active_project"):
            self.assertIn(key, south)

    def test_page_has_the_table_chart_and_map(self):
        response = self.client.get(reverse("coaching:coverage"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<svg", count=2)
        self.assertContains(response, 'class="target"')
        self.assertContains(response, 'id="map"')
        self.assertContains(response, "leaflet/leaflet.js")
        self.assertContains(response, 'id="coverage-data"')
        self.assertEqual(len(response.context["map_regions"]), 2)

    def test_query_count_does_not_grow_with_the_data(self):
        with self.assertNumQueries(5):
            coverage.compute()
        songkhla = Province.objects.get(code="90")
        for n in range(10):
            Lgu.objects.create(code=f"X{n}", name_th=f"x{n}", lgu_type=LguType.TOWN,
                               province=songkhla)
            make_coach(f"x{n}", songkhla)
        with self.assertNumQueries(5):
            coverage.compute()

    def test_active_pilots_without_a_coach_and_an_assignment_closing_the_gap(self):
        from thetsaban.coaching.models import Assignment, Coach

        south = self.rows(coverage.compute())["south"]
        # Projects a and b at Songkhla and d at the SAO are active; c is closed.
        self.assertEqual((south.active_projects, south.projects_without_coach), (3, 3))
        project = TransferProject.objects.get(title="a")
        Assignment.objects.create(coach=Coach.objects.get(person__name_th="ก"), project=project)
        report = coverage.compute()
        self.assertEqual(self.rows(report)["south"].projects_without_coach, 2)
        self.assertEqual(report.national.projects_without_coach, 2)
        self.assertEqual(report.as_dict()["national"]["projects_without_coach"], 2)
