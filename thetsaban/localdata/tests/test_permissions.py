"""Who may do what, through the pages and the CKAN API: anonymous, a member, the LGU's editor,
another LGU's editor and a data steward."""

import json

from django.urls import reverse
from rest_framework.authtoken.models import Token

from thetsaban.localdata.choices import PERSONAL_DATA, ObservationStatus
from thetsaban.localdata.models import Dataset, Observation
from thetsaban.localdata.tests.base import DataHubTestCase, observe
from thetsaban.localdata.tests.test_ckan import make_dataset

ROLES = ("anonymous", "member", "editor", "outsider", "steward")


class PermissionTableTests(DataHubTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.personal = make_dataset("register", cls.office, data_category=PERSONAL_DATA)
        cls.own_draft = observe(cls.waste, cls.lgu, "2023", 77, status=ObservationStatus.SUBMITTED)

    def user(self, role):
        return None if role == "anonymous" else getattr(self, role)

    def test_pages(self):
        entry = reverse("localdata:entry", args=[self.lgu.code]) + "?period=2569"
        table = {
            reverse("localdata:indicators"): dict.fromkeys(ROLES, 200),
            reverse("localdata:indicator", args=["waste"]): dict.fromkeys(ROLES, 200),
            reverse("localdata:status", args=[self.lgu.code]) + "?period=2569": dict.fromkeys(ROLES, 200),
            entry: {"anonymous": 302, "member": 403, "editor": 200, "outsider": 403, "steward": 200},
            reverse("localdata:review"): {"anonymous": 302, "member": 403, "editor": 403, "outsider": 403,
                                          "steward": 200},
            reverse("localdata:import"): {"anonymous": 302, "member": 403, "editor": 200, "outsider": 200,
                                          "steward": 200},
            reverse("localdata:dataset", args=["register"]): {"anonymous": 404, "member": 404, "editor": 200,
                                                               "outsider": 404, "steward": 200},
        }
        for url, expected in table.items():
            for role in ROLES:
                self.login(self.user(role))
                self.assertEqual(self.client.get(url).status_code, expected[role], f"{role} {url}")

    def test_review_page_approves_only_for_stewards(self):
        for role in ("editor", "outsider", "member"):
            self.login(self.user(role))
            self.client.post(reverse("localdata:review"), {"obs": [self.own_draft.pk], "approve": "1"})
            self.own_draft.refresh_from_db()
            self.assertEqual(self.own_draft.status, ObservationStatus.SUBMITTED, role)
        self.login(self.steward)
        self.client.post(reverse("localdata:review"), {"obs": [self.own_draft.pk], "approve": "1"})
        self.own_draft.refresh_from_db()
        self.assertEqual(self.own_draft.status, ObservationStatus.APPROVED)

    def test_entry_posts_of_other_roles_write_nothing(self):
        entry = reverse("localdata:entry", args=[self.lgu.code])
        before = Observation.objects.count()
        for role in ("anonymous", "member", "outsider"):
            self.login(self.user(role))
            self.client.post(entry, {"period": "2026", f"v-{self.waste.pk}-": "5"})
        self.assertEqual(Observation.objects.count(), before)

    def test_ckan_api(self):
        tokens = {role: Token.objects.create(user=self.user(role)).key for role in ROLES if role != "anonymous"}
        for role in ROLES:
            headers = {"HTTP_AUTHORIZATION": tokens[role]} if role in tokens else {}
            show = self.client.get("/api/3/action/package_show", {"id": "register"}, **headers)
            self.assertEqual(show.status_code, 200 if role in ("editor", "steward") else 404, role)
            create = self.client.post("/api/3/action/package_create", json.dumps(
                {"name": f"by-{role}", "title": "t", "owner_org": "sk-office"}), content_type="application/json",
                **headers)
            self.assertEqual(create.status_code, 200 if role in ("editor", "steward") else 403, role)
            patch = self.client.post("/api/action/package_patch", json.dumps({"id": "register", "notes": role}),
                                     content_type="application/json", **headers)
            expected = 200 if role in ("editor", "steward") else 403 if role == "anonymous" else 404
            self.assertEqual(patch.status_code, expected, role)
        self.assertEqual(set(Dataset.objects.filter(name__startswith="by-").values_list("name", flat=True)),
                         {"by-editor", "by-steward"})
