"""Hostile input answers 2xx or 4xx, never 5xx, and a refusal writes nothing.

The strings of hostile/strings.txt go into every field of the main create and edit pages, every
writable field of every API write endpoint, every filter of every API list and list page, and
every object path; the files of hostile/ go to every import page and command. After each
refused request the row counts of every model and the audit trail are as they were.
"""

import codecs
import os
import tempfile
import time
import unittest
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from thetsaban.api import build_router
from thetsaban.tests.hostile import files as hostile_files
from thetsaban.tests.test_permission_matrix import EDITOR, MEMBER, STAFF, PermissionMatrixCase


def load_strings() -> dict[str, str]:
    """name -> hostile string, from hostile/strings.txt (escapes decoded)."""
    strings = {}
    path = Path(hostile_files.HERE, "strings.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, value = line.split("\t", 1)
            strings[name] = codecs.decode(value, "unicode_escape")
    strings["10k-characters"] = "ก" * 10_000
    return strings


STRINGS = load_strings()

# Findings not fixed yet, marked as expected failures: (kind of case, string or file name) ->
# (the finding, the databases where it still fails). None are pending.
PENDING: dict[tuple[str, str], tuple[str, set[str]]] = {}

ROUTER = build_router()
API_ROUTES = [(prefix, viewset) for prefix, viewset, _basename in ROUTER.registry]

# The main create and edit pages: (role, URL name, arguments from the fixture).
FORM_PAGES = [
    (EDITOR, "practices:create", ()),
    (EDITOR, "practices:edit", ("practice-draft",)),
    (EDITOR, "directory:organisation_edit", ("office",)),
    (EDITOR, "directory:post_add", ("office",)),
    (EDITOR, "directory:post_edit", ("post",)),
    (EDITOR, "transfers:create", ()),
    (EDITOR, "transfers:edit", ("project",)),
    (EDITOR, "transfers:report_add", ("project",)),
    (EDITOR, "policy:create", ()),
    (EDITOR, "policy:edit", ("recommendation",)),
    (MEMBER, "participation:proposal_new", ()),
    (MEMBER, "coaching:apply", ()),
] + [(EDITOR, "transfers:part_add", ("project", f"={kind}"))
     for kind in ("logframe", "indicators", "taskforce", "milestones", "logbook", "visits", "issues")]

LIST_PAGES = ["practices:list", "practices:map_data", "transfers:list", "policy:list", "coaching:list",
              "places:lgus", "directory:index", "participation:proposals", "search:page",
              "coaching:coverage", "policy:coverage"]
LIST_PARAMETERS = ["q", "lgu", "theme", "region", "province", "status", "source_practice", "target_lgu",
                   "level", "kind", "tier", "maturity", "lgu_type", "page", "ordering", "page_size", "year"]

IMPORTS = [("places:import", ("import_lgus", "--no-progress")), ("coaching:import", ("import_coaches",)),
           ("transfers:import", ("import_transfers",))]


class HostileCase(PermissionMatrixCase):
    """The permission matrix's fixture (every model, every role) and the checks of hostile input."""

    def row_counts(self):
        """The number of rows of every table (the audit trail included), in one query."""
        quote = connection.ops.quote_name
        tables = sorted({model._meta.db_table for model in apps.get_models() if not model._meta.proxy})
        sql = " UNION ALL ".join(f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables)
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return dict(cursor.fetchall())

    def setUp(self):
        super().setUp()
        # Every request runs in a savepoint that is rolled back, so this is the state before each.
        self.baseline = self.row_counts()

    def send(self, failures, what, method, *args, **kwargs):
        """Send one request in a rolled-back savepoint; no 5xx, and a refusal writes nothing."""
        with transaction.atomic():
            try:
                response = method(*args, **kwargs)
            except Exception as error:  # the test client re-raises what the view raised
                failures.append(f"{what}: raised {type(error).__name__}: {str(error)[:120]}")
                transaction.set_rollback(True)
                return None
            status = response.status_code
            if status >= 500:
                failures.append(f"{what}: answered {status}")
            elif method != self.client.get and not (200 <= status < 400 and self.wrote(response)):
                after = self.row_counts()
                if after != self.baseline:
                    changed = sorted(k for k in after if after[k] != self.baseline[k])
                    failures.append(f"{what}: refused ({status}) but wrote {changed}")
            transaction.set_rollback(True)
            return response

    @staticmethod
    def wrote(response):
        """Whether the server says it accepted the write (then rows may change)."""
        if response.status_code in (201, 204, 302):
            return True
        if response.status_code != 200:
            return False
        if response.context is None:  # the API: 200 after a change
            return response.get("Content-Type", "").startswith("application/json")
        return response.context.get("result") is not None  # an import page that went through

    def finish(self, failures, started, budget=20.0):
        """No failures, within `budget` seconds of this process's CPU (robust to a busy machine)."""
        self.assertEqual(failures, [])
        self.assertLess(time.process_time() - started, budget)


class HostileFormTests(HostileCase):
    """Hostile strings in every field of the main create and edit pages."""

    # -- strings -------------------------------------------------------------------------

    def form_fields(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        form = response.context["form"]
        return [name for name in form.fields]

    def every_form_field(self, label):
        """One hostile string in every field of every main create and edit page."""
        started, failures = time.process_time(), []
        value = STRINGS[label]
        for role, name, keys in FORM_PAGES:
            self.as_role(role)
            args = [key[1:] if key.startswith("=") else self.objects[key].pk for key in keys]
            url = reverse(name, args=args)
            fields = self.form_fields(url)
            self.send(failures, f"{name} {label}", self.client.post, url, {field: value for field in fields})
        self.finish(failures, started)

class HostileApiTests(HostileCase):
    """Hostile strings in every API write, list filter and object path, and in list pages."""

    def api_writable_fields(self, viewset):
        serializer = viewset.serializer_class()
        return [name for name, field in serializer.fields.items() if not field.read_only]

    def every_api_write_endpoint(self, label):
        """One hostile string in every writable field of every API write endpoint."""
        started, failures = time.process_time(), []
        value = STRINGS[label]
        for prefix, viewset in API_ROUTES:
            if getattr(viewset, "serializer_class", None) is None:
                continue
            allowed = set(getattr(viewset, "http_method_names", ["post", "patch"]))
            fields = self.api_writable_fields(viewset)
            if not fields:
                continue
            self.as_role(STAFF)
            listing = self.client.get(f"/api/v1/{prefix}/")
            data = listing.json() if listing.status_code == 200 else []
            results = data.get("results", []) if isinstance(data, dict) else data
            lookup = getattr(viewset, "lookup_field", "pk")
            detail = (f"/api/v1/{prefix}/{results[0].get('id' if lookup == 'pk' else lookup)}/"
                      if results and isinstance(results[0], dict) else None)
            body = {field: value for field in fields}
            self.as_role(STAFF)
            if "post" in allowed:
                self.send(failures, f"POST /{prefix}/ {label}", self.client.post,
                          f"/api/v1/{prefix}/", body, content_type="application/json")
            if detail and "patch" in allowed:
                self.send(failures, f"PATCH {detail} {label}", self.client.patch,
                          detail, body, content_type="application/json")
        self.finish(failures, started)

    def test_json_bodies_that_are_not_objects(self):
        started, failures = time.process_time(), []
        self.as_role(STAFF)
        for url in ["/api/v1/practices/", "/api/v1/persons/", "/api/v1/comments/",
                    "/api/v1/coaching/coaches/apply/", "/api/v1/transfers/projects/"]:
            self.post_non_objects(failures, url)
        self.finish(failures, started)

    def test_json_bodies_that_are_not_objects_to_promote_an_issue(self):
        started, failures = time.process_time(), []
        self.as_role(STAFF)
        self.post_non_objects(failures, "/api/v1/recommendations/promote-issue/")
        self.finish(failures, started)

    def post_non_objects(self, failures, url):
        for body in ("[]", "null", '"x"', "1", "{", "\x00"):
            self.send(failures, f"POST {url} {body!r}", self.client.post, url, body,
                      content_type="application/json")

    def every_api_list_filter(self, label):
        """One hostile string in each filter of every API list, one filter at a time."""
        started, failures = time.process_time(), []
        value = STRINGS[label]
        for prefix, viewset in API_ROUTES:
            filterset = getattr(viewset, "filterset_class", None)
            names = list(filterset.base_filters) if filterset else []
            for name in names + ["ordering", "page", "page_size", "q"]:
                self.as_role(STAFF)
                self.send(failures, f"GET /{prefix}/?{name}= {label}", self.client.get,
                          f"/api/v1/{prefix}/", {name: value})
        self.finish(failures, started)

    def every_list_page_filter(self, label):
        """One hostile string in each filter of every list page, one filter at a time."""
        started, failures = time.process_time(), []
        value = STRINGS[label]
        for name in LIST_PAGES:
            for parameter in LIST_PARAMETERS:
                self.as_role(STAFF)
                self.send(failures, f"{name}?{parameter}= {label}", self.client.get,
                          reverse(name), {parameter: value})
        self.finish(failures, started)

    def test_invalid_utf8_in_query_strings(self):
        started, failures = time.process_time(), []
        urls = [reverse(name) for name in LIST_PAGES] + [f"/api/v1/{prefix}/" for prefix, _v in API_ROUTES]
        for url in urls:
            self.as_role(STAFF)
            self.send(failures, f"{url} bad UTF-8", self.client.generic,
                "GET", url, QUERY_STRING="q=%ff%fe&lgu=%c0%af&page=%80")
        self.finish(failures, started)

    def every_object_path(self, label):
        """One hostile string as the key of every object path of the API and the pages."""
        started, failures = time.process_time(), []
        value = STRINGS[label]
        routes = [f"/api/v1/{prefix}/{{}}/" for prefix, viewset in API_ROUTES
                  if hasattr(viewset, "retrieve")]
        routes += ["/places/lgu/{}/", "/places/province/{}/", "/places/region/{}/",
                   "/accounts/history/practices/practice/{}/"]
        for route in routes:
            url = route.format(quote(value, safe=""))
            self.as_role(STAFF)
            self.send(failures, f"GET {url[:60]} {label}", self.client.get, url)
        self.finish(failures, started)


class HostileFileTests(HostileCase):
    """Hostile files to every import page and command."""

    def import_everywhere(self, filename):
        """One hostile file to every import page and every import command."""
        started, failures = time.process_time(), []
        content = hostile_files.build()[filename]
        for page, command in IMPORTS:
            self.as_role(STAFF)
            upload = SimpleUploadedFile(filename, content)
            self.send(failures, f"{page} {filename}", self.client.post, reverse(page), {"file": upload})
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, filename)
                Path(path).write_bytes(content)
                self.run_command(failures, command, path, filename)
        self.finish(failures, started, budget=10.0)

    def run_command(self, failures, command, path, filename):
        """A hostile file makes a command stop with a message (CommandError), never a traceback."""
        with transaction.atomic():
            before = self.row_counts()
            try:
                call_command(command[0], path, *command[1:], stdout=open(os.devnull, "w"),
                             stderr=open(os.devnull, "w"))
            except CommandError:
                if self.row_counts() != before:
                    failures.append(f"{command[0]} {filename}: refused but wrote")
            except Exception as error:
                failures.append(f"{command[0]} {filename}: raised {type(error).__name__}: {str(error)[:120]}")
            transaction.set_rollback(True)



def _generated(kind, name, method_name):
    """A test for one hostile string or file; expected to fail while its finding is unfixed."""
    def test(self):
        getattr(self, method_name)(name)
    test.__name__ = f"test_{method_name}_with_{name}".replace("-", "_").replace(".", "_")
    finding, vendors = PENDING.get((kind, name), ("", set()))
    if connection.vendor in vendors:
        test.__doc__ = f"pending fix: {finding}"
        test = unittest.expectedFailure(test)
    return test


for _kind, _class, _method, _names in [
    ("forms", HostileFormTests, "every_form_field", STRINGS),
    ("api-writes", HostileApiTests, "every_api_write_endpoint", STRINGS),
    ("filters", HostileApiTests, "every_api_list_filter", STRINGS),
    ("list-pages", HostileApiTests, "every_list_page_filter", STRINGS),
    ("paths", HostileApiTests, "every_object_path", STRINGS),
    ("files", HostileFileTests, "import_everywhere", hostile_files.NAMES),
]:
    for _name in _names:
        _test = _generated(_kind, _name, _method)
        setattr(_class, _test.__name__, _test)
