from django.core.exceptions import PermissionDenied, ValidationError

from thetsaban.accounts.models import AuditEntry
from thetsaban.eservice import services
from thetsaban.eservice.models import Service
from thetsaban.eservice.tests.base import NEAR_LAT, NEAR_LON, SK_LAT, SK_LON, EserviceTestCase


class CatalogueTests(EserviceTestCase):
    def test_the_league_catalogue_holds_the_nine_services_once(self):
        codes = set(Service.objects.filter(lgu__isnull=True).values_list("code", flat=True))
        self.assertEqual(codes, {"street_lights", "roads_footpaths", "drains_flooding", "waste_collection",
                                 "water_supply", "trees", "stray_animals", "noise", "other"})
        self.assertEqual(services.ensure_league_catalogue(), 0)

    def test_each_lgu_gets_its_own_copy_with_its_own_sla(self):
        self.assertEqual(self.lgu.eservices.count(), 9)
        self.assertEqual(self.lights.based_on.code, "street_lights")
        self.lights.fix_hours = 48
        services.save_service(self.lights, acting_user=self.editor)
        self.assertEqual(Service.objects.get(lgu=self.other_lgu, code="street_lights").fix_hours, 72)
        self.assertTrue(AuditEntry.objects.filter(object_id=str(self.lights.pk), actor=self.editor).exists())

    def test_an_lgu_adds_its_own_service(self):
        own = Service(lgu=self.lgu, code="beach", name_th="ชายหาดสกปรก", name_en="Dirty beach", ack_hours=4, fix_hours=24)
        services.save_service(own, acting_user=self.editor)
        self.assertEqual(self.lgu.eservices.filter(code="beach").count(), 1)

    def test_another_lgus_editor_cannot_change_a_service(self):
        with self.assertRaises(PermissionDenied):
            services.save_service(self.lights, acting_user=self.outsider)
        with self.assertRaises(PermissionDenied):
            services.save_service(Service.objects.get(lgu__isnull=True, code="noise"), acting_user=self.editor)

    def test_fix_time_cannot_be_shorter_than_acknowledge_time(self):
        self.lights.ack_hours, self.lights.fix_hours = 48, 24
        with self.assertRaises(ValidationError):
            services.save_service(self.lights, acting_user=self.editor)

    def test_restrict_lets_only_the_lgus_editors_change_its_services(self):
        self.assertIn(self.lights, Service.objects.restrict(self.editor, "change"))
        self.assertNotIn(self.lights, Service.objects.restrict(self.outsider, "change"))
        self.assertFalse(Service.objects.restrict(None, "change").exists())


class FindingTheLguTests(EserviceTestCase):
    def test_a_point_inside_a_boundary_goes_to_that_lgu(self):
        self.assertEqual(services.lgu_at(SK_LAT, SK_LON), (self.lgu, "boundary"))

    def test_a_subdistrict_goes_to_the_lgu_that_covers_it(self):
        self.assertEqual(services.lgu_at(None, None, "570101"), (self.other_lgu, "subdistrict"))

    def test_otherwise_the_nearest_lgu_is_proposed(self):
        self.assertEqual(services.lgu_at(19.5, 99.9), (self.other_lgu, "nearest"))

    def test_nothing_found_without_location(self):
        self.assertEqual(services.lgu_at(None, None, "100101"), (None, ""))


class DuplicateTests(EserviceTestCase):
    def test_same_service_within_50_m_is_a_likely_duplicate(self):
        first = self.report()
        found = services.likely_duplicates(self.lights, NEAR_LAT, NEAR_LON)
        self.assertEqual([r.pk for r in found], [first.pk])
        self.assertEqual(services.likely_duplicates(self.drains, NEAR_LAT, NEAR_LON), [])
        self.assertEqual(services.likely_duplicates(self.lights, SK_LAT + 0.001, SK_LON), [])  # 110 m


class CataloguePageTests(EserviceTestCase):
    def url(self):
        from django.urls import reverse

        return reverse("eservice:catalogue", args=["test-sk"])

    def test_the_lgus_staff_set_the_sla_and_add_their_own_service(self):
        self.login(self.editor)
        self.assertContains(self.client.get(self.url()), "Street lights")
        prefix = f"s{self.lights.pk}"
        self.client.post(self.url(), {"service": self.lights.pk, f"{prefix}-name_th": "ไฟถนน", f"{prefix}-group": "streets",
                                      f"{prefix}-ack_hours": 4, f"{prefix}-fix_hours": 24, f"{prefix}-active": "on"})
        self.lights.refresh_from_db()
        self.assertEqual((self.lights.name_th, self.lights.ack_hours, self.lights.fix_hours), ("ไฟถนน", 4, 24))
        self.client.post(self.url(), {"new-code": "beach", "new-name_th": "ชายหาด", "new-group": "environment",
                                      "new-ack_hours": 2, "new-fix_hours": 48, "new-active": "on"})
        self.assertTrue(Service.objects.filter(lgu=self.lgu, code="beach").exists())
        response = self.client.post(self.url(), {"new-code": "beach2", "new-name_th": "x", "new-group": "other",
                                                 "new-ack_hours": 48, "new-fix_hours": 2}, follow=True)
        self.assertContains(response, "The time to fix cannot be shorter than the time to acknowledge.")

    def test_an_lgu_re_enables_a_league_service(self):
        self.lgu.eservices.filter(code="noise").delete()
        noise = Service.objects.get(lgu__isnull=True, code="noise")
        self.login(self.editor)
        self.client.post(self.url(), {"enable": noise.pk})
        self.assertTrue(self.lgu.eservices.filter(code="noise").exists())

    def test_others_may_not_manage_the_catalogue(self):
        for user, status in ((self.outsider, 403), (self.member, 403), (None, 302)):
            self.login(user)
            self.assertEqual(self.client.get(self.url()).status_code, status)
            self.client.post(self.url(), {"new-code": "hack", "new-name_th": "x", "new-group": "other",
                                          "new-ack_hours": 1, "new-fix_hours": 2})
        self.assertFalse(Service.objects.filter(code="hack").exists())
