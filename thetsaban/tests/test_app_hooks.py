"""An app plugs in through its AppConfig alone: the throw-away sample app shows up everywhere.

`thetsaban/tests/sample_app/` touches nothing outside its folder but INSTALLED_APPS (added in
test runs by settings.py). These tests keep the checklist in docs/architecture.md true.
"""

import io
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import SimpleTestCase
from django.urls import reverse

from thetsaban import hooks
from thetsaban.hooks import SearchIndex
from thetsaban.participation.targets import UnknownTarget, find
from thetsaban.testing import ThetsabanTestCase
from thetsaban.tests.sample_app import search as sample_search
from thetsaban.tests.sample_app.models import Note

WORD = "ปลาทูนึ่ง"


class SampleAppTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.note = Note.objects.create(title=f"บันทึก {WORD}")
        cls.private = Note.objects.create(title=f"ลับ {WORD}", public=False)

    def test_its_pages_are_served_under_its_prefix(self):
        response = self.client.get("/sample-notes/")
        self.assertContains(response, f"บันทึก {WORD}")
        self.assertNotContains(response, "ลับ")
        self.assertEqual(self.client.get(self.note.get_absolute_url()).status_code, 200)

    def test_its_api_routes_are_in_the_api_root(self):
        root = self.client.get("/api/v1/").json()
        self.assertEqual(root["sample-notes"], "http://testserver/api/v1/sample-notes/")
        data = self.client.get("/api/v1/sample-notes/").json()
        self.assertEqual([row["title"] for row in data["results"]], [f"บันทึก {WORD}"])

    def test_its_documents_are_indexed_and_found(self):
        data = self.client.get(reverse("api-search"), {"q": WORD, "type": "note"}).json()
        self.assertEqual([(r["type"], r["id"], r["url"]) for r in data["results"]],
                         [("note", self.note.pk, self.note.get_absolute_url())])
        page = self.client.get(reverse("search:page"), {"q": WORD})
        self.assertContains(page, '<option value="note"')

    def test_its_navigation_link_is_on_every_page(self):
        self.assertContains(self.client.get(reverse("home")), '<a href="/sample-notes/">Sample notes</a>', html=True)

    def test_its_demo_loader_runs_with_load_demo(self):
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        self.assertIn("sample notes: 1 added", out.getvalue())
        self.assertTrue(Note.objects.filter(title="บันทึกตัวอย่าง").exists())

    def test_its_records_are_participation_targets(self):
        self.assertEqual(find("note", self.note.pk, self.outsider), self.note)
        with self.assertRaises(UnknownTarget):
            find("note", self.private.pk, self.outsider)

    def test_its_section_is_on_my_page(self):
        self.login(self.outsider)
        page = self.client.get(reverse("participation:me"))
        self.assertContains(page, "Notes I may read: 1")
        # Sections come in their weight's order: the sample's (10) before the coach pool's (100).
        text = page.content.decode()
        self.assertLess(text.index('id="sample-notes"'), text.index('id="coach"'))

    def test_its_section_is_on_an_lgus_page(self):
        Note.objects.create(title=f"บันทึก {self.lgu.name_th}")
        page = self.client.get(self.lgu.get_absolute_url())
        self.assertContains(page, "Notes about this LGU: 1")
        self.assertNotContains(self.client.get(self.other_lgu.get_absolute_url()), 'id="sample-lgu-notes"')

    def test_its_example_data_is_made_by_generate_example_data(self):
        out = io.StringIO()
        call_command("generate_example_data", "--notes", "2", "--verbosity", "0", stdout=out)
        self.assertIn("2 example sample notes created", out.getvalue())
        self.assertEqual(Note.objects.filter(title__startswith=hooks.EXAMPLE_MARK).count(), 2)


class SearchIndexDeclarationTests(SimpleTestCase):
    def test_two_apps_may_not_claim_the_same_stored_kind_number(self):
        clash = SearchIndex("clash", 99, "Clash", "sample_app.Note", lambda note: None)
        with mock.patch("thetsaban.tests.sample_app.search.INDEXES", [clash, *sample_search.INDEXES]):
            with self.assertRaisesMessage(ImproperlyConfigured, "the same number: 99"):
                hooks.search_indexes()


class DeclarationShapeTests(SimpleTestCase):
    """Every app declares its parts the same way, and docs/architecture.md lists them all."""

    def test_every_app_declares_its_demo_loader_the_same_way(self):
        import inspect

        loaders = dict(hooks.demo_loaders())
        self.assertGreaterEqual(len(loaders), 7)
        for config in hooks.thetsaban_apps():
            if not config.demo:
                continue
            label, dotted = config.demo
            with self.subTest(app=config.name):
                self.assertEqual(dotted, f"{config.name}.demo.load")
                load = loaders[label]
                required = [p for p in inspect.signature(load).parameters.values()
                            if p.default is inspect.Parameter.empty]
                self.assertEqual(required, [], "a demo loader takes no argument")
                self.assertIs(inspect.signature(load).return_annotation, int)

    def test_the_architecture_document_lists_every_declaration(self):
        from pathlib import Path

        from django.conf import settings

        document = (Path(settings.BASE_DIR) / "docs" / "architecture.md").read_text(encoding="utf-8")
        declared = [name for name in vars(hooks.ThetsabanAppConfig)
                    if not name.startswith("_") and name not in vars(hooks.AppConfig)]
        self.assertEqual(sorted(declared), sorted(
            ["urls", "api", "search", "demo", "participation_targets", "navigation", "privacy",
             "mypage", "example_data", "lgu_page", "coach_page"]))
        step = document.split("4. In `apps.py`", 1)[1].split("\n5. ", 1)[0]
        for name in declared:
            with self.subTest(attribute=name):
                self.assertIn(f"| `{name}` |", document)
                self.assertIn(f"`{name}`", step)
