from django.test import TestCase

from thetsaban.eservice import demo
from thetsaban.eservice.choices import Status
from thetsaban.eservice.models import Jurisdiction, ServiceRequest
from thetsaban.places import demo as places_demo


class DemoTests(TestCase):
    def test_the_pilots_take_requests_in_every_state_marked_as_example_data(self):
        places_demo.load()
        self.assertGreater(demo.load(), 0)
        self.assertEqual(Jurisdiction.objects.count(), 6)
        for jurisdiction in Jurisdiction.objects.select_related("lgu"):
            requests = ServiceRequest.objects.filter(lgu=jurisdiction.lgu)
            self.assertEqual(set(requests.values_list("status", flat=True)), set(Status.values), jurisdiction)
            self.assertFalse(requests.filter(example=False).exists())
        self.assertEqual(ServiceRequest.objects.filter(fix_rejections__gt=0).count(), 0)
        self.assertEqual(demo.load(), 0)


class ExampleDataTests(TestCase):
    def test_the_command_makes_marked_example_requests_over_example_lgus(self):
        import io

        from django.core.management import call_command
        from django.core.management.base import CommandError

        places_demo.load()
        out = io.StringIO()
        call_command("generate_example_data", requests=300, lgus=5, verbosity=0, stdout=out)
        self.assertIn("300", out.getvalue())
        self.assertEqual(ServiceRequest.objects.filter(example=True, lgu__code__startswith="EX").count(), 300)
        self.assertEqual(Jurisdiction.objects.filter(lgu__code__startswith="EX").count(), 5)
        with self.assertRaises(CommandError):
            call_command("generate_example_data", requests=0, verbosity=0)
