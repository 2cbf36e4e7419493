"""How the platform's database connections are set up."""

from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase, TestCase


class PostgresConnectionTests(TestCase):
    @skipUnless(connection.vendor == "postgresql", "PostgreSQL only")
    def test_jit_is_off_on_the_platforms_connections(self):
        # A broad picker word took 2 s more with JIT on (compiling, not running, the query).
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            self.assertEqual(cursor.fetchone()[0], "off")


class OptionsTests(SimpleTestCase):
    def test_jit_is_switched_off_unless_asked_for(self):
        from django.conf import settings

        self.assertEqual(settings.POSTGRES_OPTIONS, {"options": "-c jit=off"})
