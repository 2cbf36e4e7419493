"""`manage.py generate_example_data` is one command for every app: each declares its option in
its AppConfig (hooks.ExampleData), and the command names none of them."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from thetsaban import hooks


class GenerateExampleDataTests(TestCase):
    def test_every_app_that_declares_example_data_has_its_option(self):
        options = [example.option for example in hooks.example_data()]
        self.assertTrue({"practices", "observations", "requests"} <= set(options))
        self.assertEqual(len(options), len(set(options)), "two apps declare the same option")
        for example in hooks.example_data():
            with self.subTest(option=example.option):
                self.assertTrue(callable(example.generator()))

    def test_without_an_option_it_says_which_there_are(self):
        with self.assertRaisesMessage(CommandError, "--practices N, --observations N, --requests N"):
            call_command("generate_example_data", stdout=StringIO())
        with self.assertRaisesMessage(CommandError, "--lgus must be at least 1."):
            call_command("generate_example_data", "--requests", "1", "--lgus", "0", stdout=StringIO())
