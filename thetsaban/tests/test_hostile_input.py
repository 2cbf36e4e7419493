"""Hostile values in every path, query string and JSON body: a 400 or 404 that says why, never a 5xx."""

import json
import re

import django_filters
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from thetsaban.filtering import IntegerFilter, ModelChoiceFilter
from thetsaban.testing import ThetsabanTestCase

HUGE = "99999999999999999999999"
NUL = "%00"
NOT_OBJECTS = ("[]", "null", '"x"', "1")

# Bodies naming related rows by a code holding NUL, or by ids the database cannot hold.
RELATED_NAMES = ("lgu", "lgus", "target_lgu", "host_lgu", "theme", "themes", "country", "region",
                 "province", "home_province", "language", "languages", "topics")
ID_NAMES = ("project", "source_practice", "practices", "projects", "issues", "issue", "person",
            "organisation", "post", "parent", "coach", "provider", "affiliation", "contacts",
            "milestone", "item", "indicator", "target_id", "run")
NUL_CODES = json.dumps({"title": "x", **{name: "\u0000" for name in RELATED_NAMES},
                        "themes": ["\u0000"], "lgus": ["\u0000"], "languages": ["\u0000"]})
HUGE_IDS = json.dumps({"title": "x", **{name: int(HUGE) for name in ID_NAMES},
                       "practices": [int(HUGE)], "projects": [int(HUGE)], "issues": [int(HUGE)]})

# Query parameters that views and API lists read by hand rather than through a FilterSet.
HAND_READ_PARAMETERS = {"page", "page_size", "target_id", "target_type", "days", "status", "sort", "q"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _route_to_path(route: str, value: str) -> str | None:
    """The URL of a route with every argument set to `value` (None for regex routes we cannot fill)."""
    path = re.sub(r"<[^>]+>", value, route)
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", value, path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    if any(char in path for char in "()[]*+?\\"):
        return None
    return "/" + path


def _routes():
    return [route for route in _walk(get_resolver().url_patterns) if not route.startswith("admin/")]


def _filter_names(kinds) -> set[str]:
    """Names of every filter of these kinds in every FilterSet of the project."""
    names, pending = set(), list(django_filters.FilterSet.__subclasses__())
    while pending:
        filterset = pending.pop()
        pending.extend(filterset.__subclasses__())
        if filterset.__module__.startswith("thetsaban."):
            names |= {name for name, f in filterset.base_filters.items() if isinstance(f, kinds)}
    return names


class HostileInputTests(ThetsabanTestCase):
    def setUp(self):
        # A server error is a status to report with the others, not an exception that stops the walk.
        self.client.raise_request_exception = False
        self.server_errors = []

    def tearDown(self):
        self.assertEqual(self.server_errors, [])

    def assertNoServerError(self, response, what):
        if response.status_code >= 500:
            self.server_errors.append(f"{response.status_code} {what}")

    def test_hostile_path_arguments_never_give_a_server_error(self):
        for user in (None, self.staff):
            self.login(user)
            for route in _routes():
                if "<" not in route and "(?P" not in route:
                    continue
                for value in (HUGE, NUL, "-1"):
                    path = _route_to_path(route, value)
                    if path:
                        self.assertNoServerError(self.client.get(path), f"{user} GET {path}")

    def test_nul_byte_in_a_path_is_refused(self):
        for path in ("/api/v1/lgus/%00/", "/places/lgu/%00/", "/practices/%00/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "NUL", status_code=400)

    def test_hostile_query_values_never_give_a_server_error(self):
        numeric = (django_filters.NumberFilter, django_filters.ModelChoiceFilter,
                   django_filters.ModelMultipleChoiceFilter)
        every_name = _filter_names(numeric) | HAND_READ_PARAMETERS
        self.login(self.staff)
        for route in _routes():
            path = _route_to_path(route, "")
            if path is None or "<" in route or "(?P" in route:
                continue
            # An API list answers 400 to the first bad filter, so it is asked about each of its own
            # filters in turn; a page ignores a filter it cannot read and applies the others, so it
            # is asked about all of them at once, then about each parameter read by hand.
            filterset = getattr(getattr(resolve(path).func, "cls", None), "filterset_class", None)
            if filterset is None:
                queries = [dict.fromkeys(every_name, HUGE), *({name: HUGE} for name in HAND_READ_PARAMETERS)]
            else:
                queries = [{name: HUGE} for name in {*filterset.base_filters, *HAND_READ_PARAMETERS}]
            for query in queries:
                response = self.client.get(path, query)
                self.assertNoServerError(response, f"GET {path}?{'&'.join(query)}={HUGE}")
            response = self.client.get(f"{path}?q=a{NUL}b&{NUL}=1")
            self.assertNoServerError(response, f"GET {path} with a NUL byte")

    def test_every_integer_filter_is_bounded_by_the_database(self):
        loose = (django_filters.NumberFilter, django_filters.ModelChoiceFilter)
        bounded = (IntegerFilter, ModelChoiceFilter)
        names = _filter_names(loose) - _filter_names(bounded)
        self.assertEqual(names, set())

    def test_huge_integer_filters_answer_400_naming_the_filter(self):
        self.login(self.staff)
        for path in ("/transfers/", "/api/v1/transfers/projects/", "/api/v1/transfers/logbook/"):
            for name in ("source_practice", "project", "coach"):
                with self.subTest(path=path, name=name):
                    response = self.client.get(path, {name: HUGE})
                    self.assertNoServerError(response, path)
        response = self.client.get("/api/v1/transfers/projects/", {"source_practice": HUGE})
        self.assertEqual(response.status_code, 400)
        self.assertIn("source_practice", response.json())

    def test_nul_byte_in_a_query_string_is_refused(self):
        response = self.client.get("/practices/?q=a%00b")
        self.assertEqual(response.status_code, 400)
        response = self.client.get("/api/v1/lgus/?province=%00")
        self.assertEqual(response.status_code, 400)
        # The API's documented error body, not a plain-text page.
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("NUL", response.json()["detail"])

    def test_json_body_that_is_not_an_object_is_refused(self):
        self.login(self.staff)
        for body in NOT_OBJECTS:
            with self.subTest(body=body):
                response = self.client.post("/api/v1/recommendations/promote-issue/", body,
                                            content_type="application/json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("object", response.json()["detail"])

    def test_nul_character_in_a_json_code_is_refused(self):
        self.login(self.editor)
        response = self.client.post("/api/v1/practices/", {"title_th": "x", "lgu": "\u0000"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("lgu", response.json())

    def test_hostile_json_bodies_to_every_api_list_never_give_a_server_error(self):
        self.login(self.staff)
        for route in _routes():
            path = _route_to_path(route, "")
            if path is None or not path.startswith("/api/v1/") or "<" in route or "(?P" in route:
                continue
            for body in (*NOT_OBJECTS, NUL_CODES, HUGE_IDS):
                response = self.client.post(path, body, content_type="application/json")
                self.assertNoServerError(response, f"POST {path} {body}")
