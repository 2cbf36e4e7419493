"""A search answers while another connection holds a write transaction, on both databases."""

import contextlib
import sqlite3
import tempfile
import time
from pathlib import Path

from django.db import connections
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from thetsaban.practices.models import Practice
from thetsaban.testing import make_place_tree


@contextlib.contextmanager
def file_database():
    """On SQLite, move the default connection onto a WAL file copy of the test database.

    The test database is in memory with a shared cache, where a writer locks whole tables;
    the deployed database is a file in WAL mode, which is what this test is about.
    """
    connection = connections["default"]
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    with tempfile.TemporaryDirectory() as directory:
        path = str(Path(directory) / "test.sqlite3")
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        memory, name = connection.connection, connection.settings_dict["NAME"]
        connection.connection, connection.settings_dict["NAME"] = None, path
        try:
            connection.ensure_connection()
            yield
        finally:
            connection.connection.close()
            connection.connection, connection.settings_dict["NAME"] = memory, name


class ReadsDuringAWriteTests(TransactionTestCase):
    def setUp(self):
        lgu, _other = make_place_tree()
        self.practice = Practice.objects.create(
            lgu=lgu, title_th="ตลาดสดน่าซื้อ", summary="ตลาด สะอาด", status="published", tier="good",
            published_at=timezone.now())

    def test_a_search_answers_while_another_connection_holds_a_write_transaction(self):
        connection = connections["default"]
        with file_database():
            writer = type(connection)(dict(connection.settings_dict), "default")
            writer.set_autocommit(False)
            try:
                with writer.cursor() as cursor:
                    # Take the write lock: on SQLite the database's, on PostgreSQL the rows'.
                    cursor.execute("UPDATE practices_practice SET summary = %s", ["กำลังแก้ไข"])
                    cursor.execute("UPDATE search_searchdocument SET body = %s", ["กำลังแก้ไข"])
                for url, params in [(reverse("api-search"), {"q": "ตลาด"}),
                                    (reverse("search:page"), {"q": "ตลาด"}),
                                    (reverse("practices:list"), {"q": "ตลาด"}),
                                    ("/api/v1/practices/", {"q": "ตลาด"})]:
                    with self.subTest(url=url):
                        started = time.monotonic()
                        response = self.client.get(url, params)
                        self.assertEqual(response.status_code, 200)
                        self.assertContains(response, "ตลาดสดน่าซื้อ")
                        self.assertLess(time.monotonic() - started, 2)
            finally:
                writer.rollback()
                writer.close()
