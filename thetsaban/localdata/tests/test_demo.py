import io

from django.core.management import call_command
from django.test import TestCase

from thetsaban.localdata import demo, periods, rollups
from thetsaban.localdata.models import Dataset, District, Indicator, Observation, Subdistrict
from thetsaban.places import demo as places_demo


class DemoTests(TestCase):
    def test_demo_loads_areas_indicators_and_example_figures_once(self):
        places_demo.load()
        added = demo.load()
        self.assertGreater(District.objects.count(), 900)
        self.assertGreater(Subdistrict.objects.count(), 7000)
        self.assertEqual(Subdistrict.objects.get(code="900101").district.province.code, "90")
        self.assertTrue(Observation.objects.exists())
        self.assertFalse(Observation.objects.filter(is_example=False).exists())
        self.assertEqual(demo.load(), 0)
        self.assertGreater(added, 7000)
        per_person = Indicator.objects.get(code="waste-per-person")
        value = rollups.value_for(per_person, periods.parse("2568"))
        self.assertEqual(value.value, value.numerator / value.denominator * 1000)
        self.assertEqual(value.reported, 6)
        response = self.client.get("/data/indicator/waste-collected/")
        self.assertContains(response, "includes example data")
        self.assertEqual(Dataset.objects.count(), 0)
        self.assertContains(self.client.get("/data/area/lgu/DEMO-PK/"), "/data/area/subdistrict/120612/")  # no directory organisations loaded here

    def test_example_observations_command(self):
        places_demo.load()
        out = io.StringIO()
        call_command("generate_example_data", "--observations", "120", "--lgus", "10", "--indicators", "3",
                     stdout=out, stderr=io.StringIO())
        self.assertEqual(Observation.objects.filter(is_example=True).count(), 120)
        self.assertIn("120", out.getvalue())
        national = rollups.value_for(Indicator.objects.get(code="ex-000"), periods.year(2016))
        self.assertEqual(national.reported, 10)
