"""package_search reads a page in a constant number of queries, however many rows it shows, and
never lets a private dataset of another organisation through q, fq, facets or counts."""

import json
from unittest import skipUnless

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from thetsaban.localdata.choices import ResourceKind
from thetsaban.localdata.models import DatasetGroup, Resource
from thetsaban.localdata.tests.base import DataHubTestCase
from thetsaban.localdata.tests.test_ckan import make_dataset

PUBLIC = 60


class PackageSearchTests(DataHubTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        DatasetGroup.objects.create(name="waste", name_th="ขยะ")
        DatasetGroup.objects.create(name="roads", name_th="ถนน")
        for index in range(PUBLIC):
            office = cls.office if index % 2 else cls.other_office
            dataset = make_dataset(f"public-{index:02d}", office, title=f"ขยะ ชุดที่ {index}", tags=["ขยะ", f"t{index % 3}"],
                                   groups=["waste", "roads"] if index % 3 else ["waste"])
            Resource.objects.create(dataset=dataset, name="CSV", format="CSV", url="https://example.org/a.csv")
            Resource.objects.create(dataset=dataset, name="JSON", format="JSON", kind=ResourceKind.LINK,
                                    url="https://example.org/a.json")
        # Private: one of the editor's organisation, one of the outsider's (a word, tag and group of its own).
        make_dataset("own-private", cls.office, title="ขยะ ภายใน", tags=["ขยะ"], groups=["waste"], private=True)
        DatasetGroup.objects.create(name="secret", name_th="ลับ")
        make_dataset("other-private", cls.other_office, title="ขยะ ความลับ ลับเฉพาะ", tags=["ขยะ", "ลับเฉพาะ"],
                     groups=["waste", "secret"], private=True)
        cls.editor_token = Token.objects.create(user=cls.editor).key

    def search(self, token=None, **params):
        headers = {"HTTP_AUTHORIZATION": token} if token else {}
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/api/3/action/package_search", params, **headers)
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response.json()["result"], len(queries)

    def test_queries_do_not_grow_with_the_rows_shown(self):
        for token, extra in ((None, {}), (self.editor_token, {"include_private": "true"})):
            for params in ({}, {"q": "ขยะ"}, {"fq": "organization:sk-office", "sort": "metadata_modified desc"},
                           {"fq": "groups:waste", "sort": "id asc", "start": 5},
                           {"fq": "tags:ขยะ -groups:roads OR res_format:JSON"},
                           {"facet.field": '["organization","groups","tags","res_format"]'}):
                with self.subTest(token=bool(token), **params):
                    few, few_queries = self.search(token, rows=10, **params, **extra)
                    many, many_queries = self.search(token, rows=25, **params, **extra)
                    self.assertEqual((len(few["results"]), len(many["results"])), (10, 25))
                    self.assertEqual(few_queries, many_queries)
                    # the page, its tags, groups and resources, and the count with every facet
                    # (and the token's user with its LGUs).
                    self.assertLessEqual(few_queries, 5 + (3 if token else 0))

    def test_a_member_sees_the_private_datasets_of_their_organisation_only(self):
        anonymous, _queries = self.search(q="ขยะ", rows=100)
        self.assertEqual(anonymous["count"], PUBLIC)
        member, _queries = self.search(self.editor_token, q="ขยะ", rows=100, include_private="true")
        self.assertEqual(member["count"], PUBLIC + 1)
        self.assertIn("own-private", [d["name"] for d in member["results"]])
        self.assertNotIn("other-private", [d["name"] for d in member["results"]])
        without, _queries = self.search(self.editor_token, q="ขยะ", rows=100)
        self.assertEqual(without["count"], PUBLIC)

    def test_another_organisations_private_dataset_is_not_reached_by_q_fq_facets_or_counts(self):
        for token, extra in ((None, {}), (self.editor_token, {"include_private": "true"})):
            for params in ({"q": "ลับเฉพาะ"}, {"q": "name:other-private"}, {"fq": "name:other-private"},
                           {"fq": "tags:ลับเฉพาะ"}, {"fq": "groups:secret"}, {"fq": "organization:cr-office -groups:roads",
                                                                             "rows": 0}):
                with self.subTest(token=bool(token), **params):
                    result, _queries = self.search(token, **params, **extra)
                    self.assertNotIn("other-private", [d["name"] for d in result["results"]])
                    if "rows" not in params:
                        self.assertEqual(result["count"], 0)
            result, _queries = self.search(token, rows=0, **extra,
                                           **{"facet.field": '["organization","groups","tags"]', "facet.limit": -1})
            self.assertEqual(result["count"], PUBLIC + (1 if token else 0))
            self.assertNotIn("secret", result["facets"]["groups"])
            self.assertNotIn("ลับเฉพาะ", result["facets"]["tags"])
            self.assertEqual(result["facets"]["organization"],
                             {"cr-office": PUBLIC // 2, "sk-office": PUBLIC // 2 + (1 if token else 0)})
            self.assertEqual(result["facets"]["groups"]["waste"], PUBLIC + (1 if token else 0))
            self.assertEqual(result["facets"]["groups"]["roads"], PUBLIC * 2 // 3)
            # a negation does not let it in either: every dataset not in roads, the other
            # organisation's private one excepted
            negated, _queries = self.search(token, fq="-groups:roads", rows=0, **extra)
            self.assertEqual(negated["count"], PUBLIC // 3 + (1 if token else 0))

    def test_every_facet_counts_the_matches_it_is_shown_beside(self):
        """Each facet's counts equal those worked out from every matching dataset's own record."""
        dataset = make_dataset("public-json", self.office, title="ขยะ รูปแบบ json", tags=["ขยะ"], groups=["roads"],
                               data_type="ข้อมูลสถิติ", license_id="Open Data Common")
        Resource.objects.create(dataset=dataset, name="JSON", format="JSON", url="https://example.org/a.json")
        Resource.objects.create(dataset=dataset, name="JSON 2", format="JSON", url="https://example.org/b.json")
        every = '["organization","groups","tags","res_format","data_type","data_category","license_id"]'
        for token, extra in ((None, {}), (self.editor_token, {"include_private": "true"})):
            for params in ({}, {"q": "ขยะ"}, {"fq": "groups:roads"}, {"fq": "-tags:t1"}, {"q": "json"}):
                with self.subTest(token=bool(token), **params):
                    result, _queries = self.search(token, rows=1000, **params, **extra,
                                                   **{"facet.field": every, "facet.limit": -1})
                    records = result["results"]
                    self.assertEqual(result["count"], len(records))
                    expected = {name: {} for name in json.loads(every)}

                    def add(name, values, expected=expected):
                        for value in values:
                            if value:
                                expected[name][value] = expected[name].get(value, 0) + 1
                    for record in records:
                        add("organization", [record["organization"]["name"]])
                        add("groups", [g["name"] for g in record["groups"]])
                        add("tags", [t["name"] for t in record["tags"]])
                        add("res_format", {r["format"] for r in record["resources"]})
                        for name in ("data_type", "data_category", "license_id"):
                            add(name, [record[name]])
                    self.assertEqual(result["facets"], expected)
                    # the most frequent first, then by value
                    for name, counts in result["facets"].items():
                        self.assertEqual(list(counts), sorted(counts, key=lambda v, c=counts: (-c[v], v)), name)
        limited, _queries = self.search(rows=0, **{"facet.field": '["tags"]', "facet.limit": 2})
        self.assertEqual(limited["facets"]["tags"], {"ขยะ": PUBLIC + 1, "t0": PUBLIC // 3})


@skipUnless(connection.vendor == "postgresql", "PostgreSQL's indexes: pg_trgm and a partial index")
class PackageSearchPlanTests(DataHubTestCase):
    """A visitor's or harvester's package_search reads indexes on PostgreSQL: the words through
    trigrams, the counts and the organisation facet through the narrow index of public datasets."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for index in range(30):
            make_dataset(f"plan-{index:02d}", cls.office, title=f"ขยะ ชุดที่ {index}", tags=["ขยะ"])

    def plans(self, **params):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/api/3/action/package_search", params)
        self.assertEqual(response.status_code, 200)
        found = []
        for query in queries.captured_queries:
            if 'FROM "localdata_dataset"' not in query["sql"]:
                continue
            with connection.cursor() as cursor:
                # A table this small is read whole by choice; the question is whether it must be.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + query["sql"])
                found.append(" ".join(row[0] for row in cursor.fetchall()))
        return found

    def test_words_are_found_through_trigrams(self):
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/api/3/action/package_search", {"q": "ขยะ"})
        self.assertTrue(any("\"search_text\"::text LIKE" in q["sql"] for q in queries.captured_queries))
        # The condition package_search writes for a word, alone: only the trigram index serves it.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN SELECT id FROM localdata_dataset WHERE search_text::text LIKE %s", ["%ขยะ%"])
            plan = " ".join(row[0] for row in cursor.fetchall())
        self.assertIn("Bitmap Index Scan on localdata_dataset_text_trgm", plan)

    def test_counts_and_the_organisation_facet_read_the_index_of_public_datasets(self):
        plans = self.plans(**{"facet.field": '["organization"]', "rows": 0})
        self.assertTrue(plans)
        for plan in plans:
            self.assertIn("Index Only Scan using localdata_dataset_public", plan)
