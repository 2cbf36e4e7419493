"""Registries that count themselves: community groups, community forests, water sources and
waste facilities, kept by each LGU, counted (and summed) into indicators that roll up like any
other, with pages, charts and the API open to the right people only."""

import io
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from thetsaban import tabular
from thetsaban.accounts.models import AuditEntry
from thetsaban.directory.choices import Visibility
from thetsaban.directory.models import Person
from thetsaban.localdata import periods, rollups, services
from thetsaban.localdata.choices import (
    GroupType,
    ObservationStatus,
    RegistryStatus,
    WasteFacilityType,
)
from thetsaban.localdata.models import (
    CommunityForest,
    CommunityGroup,
    District,
    Indicator,
    Observation,
    Subdistrict,
    WasteFacility,
)
from thetsaban.localdata.tests.base import DataHubTestCase

ROLES = ("anonymous", "member", "editor", "outsider", "steward")


def group(lgu, name, members=10, group_type=GroupType.SAVINGS, acting_user=None, **extra):
    return services.save_registry_record(CommunityGroup(name_th=name, lgu=lgu, group_type=group_type,
                                                        members=members, **extra), acting_user=acting_user)


class RegistryTestCase(DataHubTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        services.ensure_registry_indicators()
        district = District.objects.create(code="9001", name_th="เมืองสงขลา", province=cls.lgu.province)
        cls.subdistrict = Subdistrict.objects.create(code="900101", name_th="บ่อยาง", district=district,
                                                     province=cls.lgu.province)
        cls.year = periods.parse(str(timezone.localdate().year))

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)

    def value(self, code, lgu=None, subdistrict=None):
        key = f"lgu:{lgu.pk}" if lgu else f"sub:{subdistrict.code}"
        obs = Observation.objects.filter(indicator__code=code, unit_key=key, period=self.year.code).first()
        return obs.value if obs else None


class CountingTests(RegistryTestCase):
    def test_counts_and_sums_of_active_records_become_approved_indicator_values(self):
        group(self.lgu, "กลุ่มออมทรัพย์บ่อยาง", members=30, acting_user=self.editor)
        group(self.lgu, "ชมรมผู้สูงอายุบ่อยาง", members=20, group_type=GroupType.ELDERLY, acting_user=self.editor)
        group(self.lgu, "กลุ่มที่หยุดดำเนินการ", members=99, status=RegistryStatus.DORMANT, acting_user=self.editor)
        group(self.other_lgu, "กลุ่มออมทรัพย์เชียงราย", members=15, acting_user=self.outsider)
        self.assertEqual(self.value("registry-community-groups", self.lgu), 2)
        self.assertEqual(self.value("registry-community-group-members", self.lgu), 50)
        self.assertEqual(self.value("registry-savings-groups", self.lgu), 1)
        self.assertEqual(self.value("registry-elderly-clubs", self.lgu), 1)
        self.assertEqual(self.value("registry-savings-groups", self.other_lgu), 1)
        obs = Observation.objects.get(indicator__code="registry-community-groups", lgu=self.lgu)
        self.assertEqual(obs.status, ObservationStatus.APPROVED)
        self.assertEqual((obs.period, obs.comment), (self.year.code, "counted from the community groups registry"))
        groups = Indicator.objects.get(code="registry-community-groups")
        nation = rollups.value_for(groups, self.year)
        self.assertEqual((nation.value, nation.reported, nation.expected), (3, 2, 3))
        south = rollups.rollup(groups, self.year, "region")
        self.assertEqual({r.code: r.value for r in south}, {"south": 2, "north": 1})
        page = self.client.get(groups.get_absolute_url())
        self.assertContains(page, "2 of 3 reporting units reported")

    def test_moving_closing_and_removing_a_record_counts_again_and_is_audited(self):
        entry = group(self.lgu, "กลุ่มอาสาสมัครบ่อยาง", members=12, group_type=GroupType.VOLUNTEERS,
                      acting_user=self.steward)
        entry.lgu = self.third_lgu
        services.save_registry_record(entry, acting_user=self.steward)
        self.assertEqual(self.value("registry-volunteer-groups", self.lgu), 0)
        self.assertEqual(self.value("registry-volunteer-groups", self.third_lgu), 1)
        entry.status = RegistryStatus.CLOSED
        services.save_registry_record(entry, acting_user=self.steward)
        self.assertEqual(self.value("registry-community-group-members", self.third_lgu), 0)
        entry.status = RegistryStatus.ACTIVE
        services.save_registry_record(entry, acting_user=self.steward)
        services.delete_registry_record(entry, acting_user=self.steward)
        self.assertEqual(self.value("registry-community-groups", self.third_lgu), 0)
        actions = list(AuditEntry.objects.filter(object_repr="กลุ่มอาสาสมัครบ่อยาง").order_by("pk").values_list(
            "action", "actor__username"))
        self.assertEqual([a for a, _ in actions], ["create", "update", "update", "update", "delete"])
        self.assertEqual({u for _, u in actions}, {"steward"})
        self.assertTrue(AuditEntry.objects.filter(note="counted from the community groups registry").exists())

    def test_forests_water_and_waste_are_summed_and_a_subdistrict_record_counts_in_its_subdistrict(self):
        services.save_registry_record(CommunityForest(name_th="ป่าชุมชนเขาเก้าแสน", lgu=self.lgu,
                                                      area_rai=Decimal("120.5")), acting_user=self.editor)
        services.save_registry_record(CommunityForest(name_th="ป่าชุมชนบ่อยาง", subdistrict=self.subdistrict,
                                                      area_rai=Decimal("30")), acting_user=self.steward)
        services.save_registry_record(WasteFacility(name_th="ธนาคารขยะบ่อยาง", lgu=self.lgu, capacity_tonnes=2,
                                                    facility_type=WasteFacilityType.WASTE_BANK),
                                      acting_user=self.editor)
        self.assertEqual(self.value("registry-community-forest-area", self.lgu), Decimal("120.5"))
        self.assertEqual(self.value("registry-community-forest-area", subdistrict=self.subdistrict), 30)
        self.assertEqual(self.value("registry-waste-banks", self.lgu), 1)
        self.assertEqual(self.value("registry-waste-capacity", self.lgu), 2)
        area = Indicator.objects.get(code="registry-community-forest-area")
        self.assertEqual(rollups.value_for(area, self.year, "province", self.lgu.province_id).value,
                         Decimal("150.5"))

    def test_a_record_founded_after_a_year_is_not_counted_in_it(self):
        group(self.lgu, "กลุ่มใหม่", founded=timezone.localdate().replace(month=1, day=1))
        last_year = self.year.start.year - 1
        services.count_registry("community_group", year=last_year)
        obs = Observation.objects.get(indicator__code="registry-community-groups", lgu=self.lgu, period=str(last_year))
        self.assertEqual(obs.value, 0)
        self.assertEqual(self.value("registry-community-groups", self.lgu), 1)

    def test_registry_values_cannot_be_entered_or_imported_by_hand(self):
        groups = Indicator.objects.get(code="registry-community-groups")
        with self.assertRaisesMessage(ValidationError, "counted from the community groups registry"):
            services.save_observation(indicator=groups, period=self.year.code, value=5, lgu=self.lgu,
                                      acting_user=self.steward)
        csv = f"indicator,lgu,period,value\nwaste,TEST-SK,2024,1\nregistry-community-groups,TEST-SK,{self.year.code},5\n"
        with self.assertRaises(tabular.ImportRejected) as caught:
            services.import_observations(io.BytesIO(csv.encode()), filename="f.csv", acting_user=self.steward)
        problem = caught.exception.problems[0]
        self.assertEqual((problem.row, problem.column), (3, "indicator"))
        self.assertIn("registry", str(problem))
        self.assertFalse(Observation.objects.filter(period="2024", indicator=self.waste, lgu=self.lgu,
                                                    value=1).exists())

    def test_the_registry_indicators_are_made_once_and_their_settings_are_checked(self):
        self.assertEqual(services.ensure_registry_indicators(), [])
        self.assertEqual(Indicator.objects.filter(kind="registry").count(), 15)
        wrong = Indicator(code="bad", name_th="bad", theme="waste", kind="registry", registry="water_source",
                          registry_measure="members")
        with self.assertRaisesMessage(ValidationError, "can sum only capacity_m3, households_served"):
            wrong.full_clean()
        wrong.registry_measure, wrong.registry_type = "", "savings"
        with self.assertRaisesMessage(ValidationError, "has the types"):
            wrong.full_clean()


class PermissionTests(RegistryTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = group(cls.lgu, "กลุ่มออมทรัพย์สงขลา")
        cls.sub_only = services.save_registry_record(
            CommunityForest(name_th="ป่าชุมชนตำบลบ่อยาง", subdistrict=cls.subdistrict, area_rai=5), acting_user=None)

    def test_services_refuse_other_lgus_and_subdistrict_records_to_editors(self):
        with self.assertRaises(PermissionDenied):
            group(self.lgu, "กลุ่มของคนอื่น", acting_user=self.outsider)
        with self.assertRaises(PermissionDenied):
            services.save_registry_record(self.own, acting_user=self.outsider)
        with self.assertRaises(PermissionDenied):
            services.delete_registry_record(self.own, acting_user=self.outsider)
        with self.assertRaises(PermissionDenied):
            services.save_registry_record(CommunityForest(name_th="ป่า", subdistrict=self.subdistrict),
                                          acting_user=self.editor)
        with self.assertRaises(PermissionDenied):
            group(self.lgu, "กลุ่มของสมาชิก", acting_user=self.member)
        self.assertTrue(CommunityGroup.objects.filter(pk=self.own.pk).exists())

    def test_pages(self):
        own_edit = reverse("localdata:registry_edit", kwargs={"registry": "community_group", "pk": self.own.pk})
        sub_edit = reverse("localdata:registry_edit", kwargs={"registry": "community_forest", "pk": self.sub_only.pk})
        add = reverse("localdata:registry_add", kwargs={"registry": "community_group"})
        table = {
            reverse("localdata:registries"): dict.fromkeys(ROLES, 200),
            reverse("localdata:registry", kwargs={"registry": "community_group"}): dict.fromkeys(ROLES, 200),
            self.own.get_absolute_url(): dict.fromkeys(ROLES, 200),
            add: {"anonymous": 302, "member": 403, "editor": 200, "outsider": 200, "steward": 200},
            own_edit: {"anonymous": 302, "member": 404, "editor": 200, "outsider": 404, "steward": 200},
            sub_edit: {"anonymous": 302, "member": 404, "editor": 404, "outsider": 404, "steward": 200},
        }
        for url, expected in table.items():
            for role, status in expected.items():
                with self.subTest(url=url, role=role):
                    self.login(self.user(role))
                    self.assertEqual(self.client.get(url).status_code, status)

    def test_an_editor_adds_and_changes_records_of_their_lgu_only_through_the_pages(self):
        add = reverse("localdata:registry_add", kwargs={"registry": "community_group"})
        data = {"name_th": "ชมรมผู้สูงอายุเขารูปช้าง", "group_type": "elderly", "members": "๔๕", "status": "active",
                "founded": "1 มกราคม 2560"}
        self.login(self.outsider)
        response = self.client.post(add, {**data, "lgu": "TEST-SK"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CommunityGroup.objects.filter(name_th=data["name_th"]).exists())
        self.login(self.editor)
        response = self.client.post(add, {**data, "lgu": "TEST-SK"})
        created = CommunityGroup.objects.get(name_th=data["name_th"])
        self.assertRedirects(response, created.get_absolute_url())
        self.assertEqual((created.members, created.founded.year, created.created_by), (45, 2017, self.editor))
        self.assertEqual(self.value("registry-elderly-clubs", self.lgu), 1)
        self.login(self.outsider)
        delete = reverse("localdata:registry_delete", kwargs={"registry": "community_group", "pk": created.pk})
        self.assertEqual(self.client.post(delete).status_code, 404)
        self.login(self.editor)
        self.assertRedirects(self.client.post(delete), reverse("localdata:registry",
                                                                kwargs={"registry": "community_group"}))
        self.assertFalse(CommunityGroup.objects.filter(pk=created.pk).exists())

    def test_a_form_without_a_place_or_with_a_bad_subdistrict_says_which_field(self):
        self.login(self.steward)
        add = reverse("localdata:registry_add", kwargs={"registry": "community_forest"})
        response = self.client.post(add, {"name_th": "ป่า", "area_rai": "1", "households": "0", "status": "active"})
        self.assertContains(response, "Give the LGU or the subdistrict.")
        response = self.client.post(add, {"name_th": "ป่า", "area_rai": "1", "households": "0", "status": "active",
                                          "subdistrict_code": "999999"})
        self.assertContains(response, "No subdistrict has the code 999999.")
        district = District.objects.create(code="5701", name_th="เมืองเชียงราย", province=self.other_lgu.province)
        Subdistrict.objects.create(code="570101", name_th="เวียง", district=district, province=district.province)
        response = self.client.post(add, {"name_th": "ป่า", "area_rai": "1", "households": "0", "status": "active",
                                          "lgu": "TEST-SK", "subdistrict_code": "570101"})
        self.assertContains(response, "The subdistrict is in another province than the LGU.")
        self.assertFalse(CommunityForest.objects.filter(name_th="ป่า").exists())

    def test_api(self):
        url = reverse("community-group-list")
        detail = reverse("community-group-detail", args=[self.own.pk])
        body = {"name_th": "กลุ่มผู้ใช้น้ำ", "group_type": "water_users", "members": 12, "lgu": "TEST-SK"}
        expected = {"anonymous": 403, "member": 403, "editor": 201, "outsider": 403, "steward": 201}
        for role, status in expected.items():
            with self.subTest(role=role, method="POST"):
                self.login(self.user(role))
                self.assertEqual(self.client.get(url).status_code, 200)
                self.assertEqual(self.client.get(detail).status_code, 200)
                response = self.client.post(url, {**body, "name_th": f"กลุ่มผู้ใช้น้ำ {role}"},
                                            content_type="application/json")
                self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(self.value("registry-water-users-groups", self.lgu), 2)
        for role, status in {"anonymous": 403, "outsider": 403, "editor": 200}.items():
            with self.subTest(role=role, method="PATCH"):
                self.login(self.user(role))
                response = self.client.patch(detail, {"members": 77}, content_type="application/json")
                self.assertEqual(response.status_code, status, response.content)
        self.own.refresh_from_db()
        self.assertEqual(self.own.members, 77)
        self.login(self.editor)
        response = self.client.post(reverse("community-forest-list"), {"name_th": "ป่า", "subdistrict": "900101"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 403)
        response = self.client.post(url, {"name_th": "ไม่มีที่ตั้ง", "group_type": "other"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("lgu", response.json())
        self.login(self.outsider)
        self.assertEqual(self.client.delete(detail).status_code, 403)
        listing = self.client.get(url, {"lgu": "TEST-SK"}).json()
        self.assertEqual({r["lgu"] for r in listing["results"]}, {"TEST-SK"})


class ContactConsentTests(RegistryTestCase):
    def test_the_contact_person_is_shown_only_with_consent_and_to_whom_the_directory_shows_them(self):
        public = Person.objects.create(name_th="ตัวอย่าง (example data) ผู้ประสานงาน", visibility=Visibility.PUBLIC,
                                       listing_consent=True)
        members_only = Person.objects.create(name_th="ตัวอย่าง (example data) สมาชิกเท่านั้น",
                                             visibility=Visibility.MEMBERS, listing_consent=True)
        without = group(self.lgu, "กลุ่มไม่ยินยอม", contact=public, contact_consent=False)
        agreed = group(self.lgu, "กลุ่มยินยอม", contact=public, contact_consent=True)
        members = group(self.lgu, "กลุ่มสมาชิก", contact=members_only, contact_consent=True)
        self.assertIsNotNone(agreed.consent_recorded_at)
        self.assertIsNone(without.consent_recorded_at)
        self.assertNotContains(self.client.get(without.get_absolute_url()), public.name_th)
        self.assertContains(self.client.get(agreed.get_absolute_url()), public.name_th)
        self.assertNotContains(self.client.get(members.get_absolute_url()), members_only.name_th)
        api = {r["name_th"]: r["contact_person"] for r in self.client.get(reverse("community-group-list")).json()["results"]}
        self.assertEqual(api["กลุ่มไม่ยินยอม"], None)
        self.assertEqual(api["กลุ่มยินยอม"]["name"], public.name_th)
        self.assertEqual(api["กลุ่มสมาชิก"], None)
        self.login(self.member)
        self.assertContains(self.client.get(members.get_absolute_url()), members_only.name_th)


class PageTests(RegistryTestCase):
    def test_the_list_shows_totals_charts_by_type_and_province_and_the_indicators_it_keeps(self):
        group(self.lgu, "กลุ่มออมทรัพย์ก", members=10)
        group(self.lgu, "กลุ่มออมทรัพย์ข", members=5)
        group(self.other_lgu, "ชมรมผู้สูงอายุค", members=7, group_type=GroupType.ELDERLY)
        group(self.other_lgu, "กลุ่มปิดแล้ว", members=7, status=RegistryStatus.CLOSED)
        response = self.client.get(reverse("localdata:registry", kwargs={"registry": "community_group"}))
        self.assertContains(response, "3 active records")
        self.assertContains(response, "members: 22")
        self.assertContains(response, '<title>savings group: 2</title>', html=False)
        self.assertContains(response, '<title>elderly club: 1</title>', html=False)
        self.assertContains(response, '<title>สงขลา: 2</title>', html=False)
        self.assertContains(response, "/data/indicator/registry-community-groups/")
        filtered = self.client.get(reverse("localdata:registry", kwargs={"registry": "community_group"}),
                                   {"type": "elderly"})
        self.assertContains(filtered, "1 active record")
        self.assertNotContains(filtered, "กลุ่มออมทรัพย์ก")
        index = self.client.get(reverse("localdata:registries"))
        self.assertContains(index, "3 active of 4 records")
