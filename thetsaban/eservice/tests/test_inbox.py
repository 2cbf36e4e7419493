"""The staff inbox of an LGU with a long closed history: the open requests in due order, read
from the open-request index on SQLite and PostgreSQL; and who may open which LGU's inbox."""

import uuid
from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from thetsaban.eservice import examples
from thetsaban.eservice.choices import CLOSED_STATUSES, OPEN_STATUSES
from thetsaban.eservice.models import ServiceRequest
from thetsaban.eservice.tests.base import EserviceTestCase
from thetsaban.eservice.views import PAGE_SIZE

INBOX = reverse("eservice:inbox")
CLOSED, OPEN = 1500, PAGE_SIZE + 12


class OpenInboxTests(EserviceTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        rows = []
        for i in range(CLOSED + OPEN):
            status = OPEN_STATUSES[i % 3] if i % 25 == 0 or i >= CLOSED else CLOSED_STATUSES[i % 4]
            # Closed requests fell due long ago; open ones share due times (ties go by id).
            due = now - timedelta(days=400 - i % 365) if status in CLOSED_STATUSES \
                else now + timedelta(hours=(i * 7) % 40 - 10)
            rows.append(dict(lgu=cls.lgu.pk, service=cls.lights.pk, status=status,
                             description=f"(ข้อมูลตัวอย่าง) {i}", requested_at=due - timedelta(days=3),
                             updated_at=due, ack_due_at=due - timedelta(days=2), fix_due_at=due,
                             token=uuid.uuid4(), reporter_key=uuid.uuid4(), example=True))
        rows.append({**rows[-1], "lgu": cls.other_lgu.pk, "service": cls.other_lights.pk,
                     "token": uuid.uuid4(), "description": "elsewhere"})
        examples.insert_requests(rows)
        cls.expected = list(ServiceRequest.objects.filter(lgu=cls.lgu, status__in=OPEN_STATUSES)
                            .order_by("fix_due_at", "pk").values_list("pk", flat=True))

    def open_inbox(self, **params):
        return self.client.get(INBOX, {"lgu": self.lgu.code, "state": "open", **params})

    def test_the_open_inbox_lists_exactly_the_open_requests_in_due_order(self):
        self.assertGreater(len(self.expected), PAGE_SIZE)
        self.login(self.editor)
        first = self.open_inbox()
        self.assertEqual(first.context["open_count"], len(self.expected))
        self.assertEqual(first.context["page"].paginator.count, len(self.expected))
        listed = [row["pk"] for page in range(1, first.context["page"].paginator.num_pages + 1)
                  for row in self.open_inbox(page=page).context["rows"]]
        self.assertEqual(listed, self.expected)

    def test_the_overdue_open_requests_keep_their_answers(self):
        self.login(self.editor)
        now = timezone.now()
        expected = [pk for pk, due, ack, status in ServiceRequest.objects.filter(lgu=self.lgu).order_by(
            "fix_due_at", "pk").values_list("pk", "fix_due_at", "ack_due_at", "status")
            if status in OPEN_STATUSES and (due < now or (status == "open" and ack < now))]
        response = self.open_inbox(overdue="true")
        self.assertEqual([row["pk"] for row in response.context["rows"]], expected[:PAGE_SIZE])

    def statements(self, **params):
        """The statements the open inbox page sends about requests, with their bound values."""
        sent = []

        def capture(execute, sql, params, many, context):
            if '"eservice_servicerequest"' in sql.split(" FROM ", 1)[-1][:40]:
                sent.append((sql, params))
            return execute(sql, params, many, context)

        self.login(self.editor)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        with connection.execute_wrapper(capture):
            self.assertEqual(self.open_inbox(**params).status_code, 200)
        return sent

    def plans(self, **params):
        plans = []
        with connection.cursor() as cursor:
            for sql, bound in self.statements(**params):
                if connection.vendor == "sqlite":
                    cursor.execute("EXPLAIN QUERY PLAN " + sql, bound)
                    plans.append((sql, " | ".join(str(row[-1]) for row in cursor.fetchall())))
                else:
                    cursor.execute("EXPLAIN " + sql, bound)
                    plans.append((sql, " | ".join(row[0] for row in cursor.fetchall())))
        return plans

    def test_the_open_inbox_reads_the_open_request_index_not_the_closed_history(self):
        plans = self.plans()
        page = [plan for sql, plan in plans if "ORDER BY" in sql and "fix_due_at" in sql.split("ORDER BY")[1]]
        counts = [plan for sql, plan in plans if "COUNT(*)" in sql]
        self.assertEqual(len(page), 1, plans)
        self.assertTrue(counts, plans)
        if connection.vendor == "sqlite":
            # Bound values are unknown when SQLite plans: the index is usable only because the
            # statuses are written into the statement as in the index's condition.
            self.assertRegex(page[0], r"SEARCH eservice_servicerequest USING (COVERING )?INDEX "
                                      r"eservice_req_lgu_open_due \(lgu_id=\?\)")
            self.assertNotIn("TEMP B-TREE", page[0])
            for plan in counts:
                self.assertRegex(plan, r"eservice_req_lgu_open_due \(lgu_id=\?\)|"
                                       r"eservice_req_lgu_status \(lgu_id=\? AND status=\?\)")
        else:
            self.assertRegex(page[0], r"Index (Only )?Scan using eservice_req_lgu_open_due on eservice_servicerequest")
            self.assertNotIn("Sort", page[0])
            for plan in counts:
                self.assertNotIn("Seq Scan on eservice_servicerequest", plan)
                self.assertRegex(plan, r"eservice_req_lgu_open_due|eservice_req_lgu_status")

    def test_the_overdue_filter_reads_only_open_requests_too(self):
        # The planner may read the open-request index in due order or, when it expects few overdue
        # requests, the (LGU, status) index and sort them: either way not the closed history.
        page = [plan for sql, plan in self.plans(overdue="true") if "ORDER BY" in sql]
        self.assertRegex(page[0], r"eservice_req_lgu_open_due|eservice_req_lgu_status")
        self.assertNotRegex(page[0], r"eservice_req_lgu_due|eservice_req_lgu_time|Seq Scan on eservice_servicerequest"
                                     r"|SCAN eservice_servicerequest")


class InboxLguPickerTests(EserviceTestCase):
    """League staff pick any LGU's inbox with the LGU autocomplete; an LGU's staff keep theirs."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.item = cls.report(cls)
        cls.elsewhere = cls.report(cls, service=cls.other_lights, answers={}, lat=19.91, lon=99.84)

    def inbox(self, user, **params):
        self.login(user)
        return self.client.get(INBOX, params)

    def lgu_options(self, response):
        return response.content.decode().count("<option")

    def test_league_staff_type_the_lgu_instead_of_choosing_among_every_lgu(self):
        from random import Random

        response = self.inbox(self.staff)
        self.assertContains(response, 'data-picker="/api/v1/pickers/lgus/"')
        self.assertContains(response, '<label for="id_lgu">')
        self.assertNotContains(response, '<select name="lgu"')
        before = self.lgu_options(response)
        examples.ensure_example_jurisdictions(30, Random(1))
        self.assertEqual(self.lgu_options(self.inbox(self.staff)), before)

    def test_league_staff_open_an_lgus_inbox_by_its_code_or_a_chosen_suggestion(self):
        from thetsaban.places.pickers import LGUS

        self.login(self.staff)
        suggestion = self.client.get("/api/v1/pickers/lgus/", {"q": self.other_lgu.name_th}).json()["results"][0]
        for value in (self.other_lgu.code, suggestion["value"], LGUS.choice_text(self.other_lgu)):
            with self.subTest(value=value):
                response = self.inbox(self.staff, lgu=value)
                self.assertEqual(response.context["lgu"], self.other_lgu)
                self.assertContains(response, f'value="{self.elsewhere.pk}"')
                self.assertNotContains(response, f'value="{self.item.pk}"')
                # The box shows the LGU whose inbox this is.
                self.assertContains(response, f'value="{LGUS.choice_text(self.other_lgu)}"')

    def test_league_staff_are_told_when_the_text_names_no_lgu_that_takes_requests(self):
        from thetsaban.places.models import Lgu

        lgu_without_service = Lgu.objects.exclude(pk__in=[self.lgu.pk, self.other_lgu.pk]).first()
        for text in ("ไม่มีเทศบาลนี้", lgu_without_service.code if lgu_without_service else "XX-NONE"):
            with self.subTest(text=text):
                response = self.inbox(self.staff, lgu=text)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errorlist')
                self.assertIn(response.context["lgu"], (self.lgu, self.other_lgu))

    def test_an_lgu_officer_has_no_picker_and_another_lgus_code_gives_their_own_inbox(self):
        for user, own, own_item, other, other_item in (
                (self.editor, self.lgu, self.item, self.other_lgu, self.elsewhere),
                (self.outsider, self.other_lgu, self.elsewhere, self.lgu, self.item)):
            with self.subTest(user=user.username):
                response = self.inbox(user, lgu=other.code)
                self.assertEqual(response.context["lgu"], own)
                self.assertIsNone(response.context["lgu_form"])
                self.assertNotContains(response, "/api/v1/pickers/lgus/")
                self.assertNotContains(response, '<select name="lgu"')
                self.assertContains(response, f'value="{own_item.pk}"')
                self.assertNotContains(response, f'value="{other_item.pk}"')
                # Nor can they change the other LGU's requests by posting to that inbox.
                self.client.post(INBOX + f"?lgu={other.code}", {"ids": [other_item.pk], "status": "closed"})
                other_item.refresh_from_db()
                self.assertEqual(other_item.status, "open")

    def test_a_member_without_an_lgu_sees_their_requests_and_an_anonymous_visitor_signs_in(self):
        response = self.inbox(self.member, lgu=self.lgu.code)
        self.assertTemplateUsed(response, "eservice/my_requests.html")
        self.assertNotContains(response, f'value="{self.item.pk}"')
        self.client.logout()
        response = self.client.get(INBOX, {"lgu": self.lgu.code})
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])
