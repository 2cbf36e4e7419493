from django.test import TestCase

from thetsaban.places import demo
from thetsaban.places.models import Country, LearningCentre, Lgu, Province, Region


class DemoLoadTests(TestCase):
    def test_demo_loads_country_regions_all_provinces_centres_and_seed_lgus(self):
        added = demo.load()
        self.assertEqual(Country.objects.count(), 1)
        self.assertEqual(set(Region.objects.values_list("code", flat=True)),
                         {"north", "northeast", "central", "east", "south"})
        self.assertEqual(Province.objects.count(), 77)
        self.assertEqual(LearningCentre.objects.count(), 5)
        self.assertEqual(Lgu.objects.count(), 6)
        self.assertEqual(added, 1 + 5 + 5 + 77 + 6)

    def test_demo_load_is_idempotent(self):
        demo.load()
        self.assertEqual(demo.load(), 0)
        self.assertEqual(Province.objects.count(), 77)
        self.assertEqual(Lgu.objects.count(), 6)

    def test_provinces_map_to_regions_by_first_digit_of_their_code(self):
        demo.load()
        regions = dict(Province.objects.values_list("code", "region__code"))
        self.assertEqual(regions["10"], "central")  # Bangkok
        self.assertEqual(regions["21"], "east")  # Rayong
        self.assertEqual(regions["41"], "northeast")  # Udon Thani
        self.assertEqual(regions["57"], "north")  # Chiang Rai
        self.assertEqual(regions["67"], "north")  # Phetchabun
        self.assertEqual(regions["77"], "central")  # Prachuap Khiri Khan
        self.assertEqual(regions["90"], "south")  # Songkhla

    def test_reloading_keeps_a_region_staff_changed(self):
        demo.load()
        Province.objects.filter(code="67").update(region=Region.objects.get(code="central"))
        demo.load()
        self.assertEqual(Province.objects.get(code="67").region.code, "central")

    def test_seed_lgus_have_deck_short_names_types_provinces_and_locations(self):
        demo.load()
        songkhla = Lgu.objects.get(short_name="ทน.สงขลา")
        self.assertEqual(songkhla.name_th, "เทศบาลนครสงขลา")
        self.assertEqual(songkhla.province.code, "90")
        self.assertEqual(songkhla.lgu_type, "city")
        self.assertTrue(songkhla.code.startswith("DEMO-"))
        klaeng = Lgu.objects.get(short_name="ทต.เมืองแกลง")
        self.assertEqual(klaeng.lgu_type, "subdistrict")
        self.assertEqual(klaeng.province.name_en, "Rayong")
        self.assertEqual(Lgu.objects.get(short_name="ทน.ปากเกร็ด").province.name_en, "Nonthaburi")
        self.assertTrue(all(lgu.has_location for lgu in Lgu.objects.all()))

    def test_each_region_has_a_learning_centre_without_a_host_yet(self):
        demo.load()
        centre = LearningCentre.objects.get(region__code="south")
        self.assertEqual(centre.name_th,
                         "ศูนย์เครือข่ายการเรียนรู้ด้านการจัดการเมืองและสิ่งแวดล้อม ภาคใต้")
        self.assertIsNone(centre.host)
