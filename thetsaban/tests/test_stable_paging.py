"""Pages partition every list: records that sort equal are ordered by their key, so walking the
pages of a list (in the API and on the site) shows each record exactly once."""

import re

from django.urls import reverse

from thetsaban.directory import services
from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.models import Organisation
from thetsaban.filtering import stable_order
from thetsaban.testing import ThetsabanTestCase

SAME_NAME = "สำนักงานตัวอย่าง (example data)"


class StableOrderTests(ThetsabanTestCase):
    def test_the_key_is_added_after_the_list_order(self):
        ordered = stable_order(Organisation.objects.order_by("sort_name"))
        self.assertEqual(list(ordered.query.order_by), ["sort_name", "pk"])
        # The model's own ordering counts as the list order.
        self.assertEqual(list(stable_order(Organisation.objects.all()).query.order_by), ["sort_name", "pk"])
        self.assertEqual(list(stable_order(Organisation.objects.order_by()).query.order_by), ["pk"])

    def test_an_order_that_already_ends_with_a_key_is_kept(self):
        for key in ("pk", "-pk", "id", "-id", "code"):  # code is unique
            with self.subTest(key=key):
                ordered = stable_order(Organisation.objects.order_by("kind", key))
                self.assertEqual(list(ordered.query.order_by), ["kind", key])

    def test_value_lists_pass_unchanged(self):
        values = Organisation.objects.values("kind").distinct()
        self.assertIs(stable_order(values), values)


class WalkingPagesTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        office = services.create_organisation(
            acting_user=None, name_th="เทศบาลนครสงขลา", kind=OrganisationKind.LGU_ADMINISTRATION, lgu=cls.lgu)
        for number in range(23):
            services.create_organisation(acting_user=None, name_th=SAME_NAME, kind=OrganisationKind.CIVIL_SOCIETY)
            # Equal in every sort key; only the responsibilities (not sorted on) tell them apart.
            services.create_post(acting_user=None, organisation=office, label_th="เจ้าหน้าที่ตัวอย่าง",
                                 responsibilities=f"งานตัวอย่างที่ {number}")
        cls.organisation_ids = set(Organisation.objects.filter(name_th=SAME_NAME).values_list("pk", flat=True))
        cls.post_numbers = list(range(23))

    def test_api_pages_list_each_of_many_equal_names_once(self):
        seen = []
        body = self.client.get(reverse("organisation-list"), {"page_size": 4, "q": "สำนักงานตัวอย่าง"}).json()
        while True:
            seen += [row["id"] for row in body["results"]]
            if not body["next"]:
                break
            body = self.client.get(body["next"]).json()
        self.assertEqual(len(seen), len(self.organisation_ids))
        self.assertEqual(set(seen), self.organisation_ids)

    def test_directory_pages_list_each_of_many_equal_roles_once(self):
        seen = []
        for page in (1, 2):
            html = self.client.get(reverse("directory:index"), {"q": "เจ้าหน้าที่ตัวอย่าง", "page": page}).content.decode()
            seen += [int(n) for n in re.findall(r"งานตัวอย่างที่ (\d+)", html)]
        self.assertEqual(sorted(seen), self.post_numbers)
