"""The API keeps its own contract: schemathesis generates requests from the OpenAPI schema at
`/api/schema/` and checks every answer against it (no 5xx, only documented status codes and
content types, bodies of the documented shape), anonymously and with a staff token.

It runs in process through the WSGI application, on the test database with the demo loaded.
Each request runs in a savepoint that is rolled back, so a staff write never changes what the
next request sees, and the seed is fixed, so two runs send the same requests.
"""

import io
import re
from collections import defaultdict

import hypothesis
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import TestCase, tag
from hypothesis import HealthCheck, Phase, strategies
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from thetsaban.accounts.models import User

SEED = 20261201
# Requests per operation = 2 x this (valid and invalid data, on generated or listed records):
# about 2,800 requests per user over the 175 operations, a minute or so of CPU per database.
MAX_EXAMPLES = 8
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


@tag("contract")
class ApiContractTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        cls.staff = User.objects.create(username="contract-staff", is_staff=True, is_superuser=True)
        cls.token = Token.objects.create(user=cls.staff)

    def setUp(self):
        # The WSGI handler closes the connection at the end of each request, as a server would;
        # here the connection holds the test's transaction, so keep it open (as Django's test
        # client does).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.addCleanup(request_started.connect, close_old_connections)
        self.addCleanup(request_finished.connect, close_old_connections)
        self.app = get_wsgi_application()
        self.schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", self.app)

    def run_contract(self, headers):
        """Every operation of the schema, with valid and invalid data; the failures, grouped."""
        failures = defaultdict(dict)
        for result in self.schema.get_all_operations():
            operation = result.ok()
            self.run_operation(operation, headers, failures[operation.label])
        return {label: found for label, found in failures.items() if found}

    def run_operation(self, operation, headers, found):
        modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
        choices = [operation.as_strategy(generation_mode=mode) for mode in modes]
        # Generated ids and codes rarely name a real record: as often, take one of the records
        # the list shows this user, so details, writes and actions run on real rows too.
        existing = self.existing_values(operation.path, headers)
        if existing:
            choices += [operation.as_strategy(generation_mode=mode, path_parameters=values)
                        for mode in modes for values in existing]
        strategy = strategies.one_of(choices)

        @hypothesis.seed(SEED)
        @hypothesis.settings(max_examples=2 * MAX_EXAMPLES, database=None, deadline=None,
                             phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=list(HealthCheck),
                             verbosity=hypothesis.Verbosity.quiet)
        @hypothesis.given(case=strategy)
        def exercise(case):
            self.exercise(case, headers, found)

        exercise()

    def existing_values(self, path, headers):
        """Path parameters of up to 3 records listed at the path's collection."""
        names = re.findall(r"\{(\w+)\}", path)
        if len(names) != 1:
            return []
        response = Client(self.app).get(path[:path.index("{")], headers=headers)
        if response.status_code != 200:
            return []
        rows = response.json
        if isinstance(rows, dict):
            rows = rows.get("results", [])
        return [{names[0]: row[names[0]]} for row in rows[:3] if names[0] in row]

    def exercise(self, case, headers, found):
        # Throttles count requests in the cache: each generated request starts afresh.
        cache.clear()
        with transaction.atomic():
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:
                for failure in group.exceptions:
                    found.setdefault(_key(failure), _describe(failure, case))
            except Failure as failure:
                found.setdefault(_key(failure), _describe(failure, case))
            transaction.set_rollback(True)

    def assertNoFailures(self, failures):
        count = sum(len(found) for found in failures.values())
        report = "\n".join(f"{label}: {description}" for label, found in sorted(failures.items())
                           for description in found.values())
        self.assertEqual(count, 0, f"{count} contract failures in {len(failures)} operations:\n{report}")

    def test_anonymous_requests_match_the_schema(self):
        self.assertNoFailures(self.run_contract(headers={}))

    def test_staff_requests_match_the_schema(self):
        self.assertNoFailures(self.run_contract(
            headers={"Authorization": f"Token {self.token.key}"}))


def _key(failure):
    return (type(failure).__name__, getattr(failure, "status_code", None), failure.title,
            failure.message[:200])


def _describe(failure, case):
    return f"[{failure.code}] {failure.title}: {failure.message[:300]} -- {case.method} {case.formatted_path}"
