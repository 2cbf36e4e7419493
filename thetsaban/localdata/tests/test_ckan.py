"""The CKAN Action API, through the test client, the real ckanapi client and a replay of the
CKAN harvester's gather loop; and the DCAT output parsed back with rdflib."""

import json
from datetime import timedelta

import ckanapi
from django.contrib.auth.models import AnonymousUser
from django.test import LiveServerTestCase
from django.utils import timezone
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF
from rest_framework.authtoken.models import Token

from thetsaban.accounts.models import LguMembership, User
from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.models import Organisation
from thetsaban.localdata import ckan
from thetsaban.localdata.choices import PERSONAL_DATA, ResourceKind
from thetsaban.localdata.models import Dataset, DatasetGroup, Resource, Tag
from thetsaban.localdata.tests.base import DataHubTestCase
from thetsaban.places.models import Lgu


def make_dataset(name, org, **fields):
    tags = fields.pop("tags", [])
    groups = fields.pop("groups", [])
    fields.setdefault("title", name.replace("-", " "))
    dataset = Dataset.objects.create(name=name, owner_org=org, objective=["พันธกิจหน่วยงาน"], data_format=["CSV"],
                                     data_language=["ไทย"], maintainer="ฝ่ายข้อมูล", maintainer_email="d@example.org",
                                     data_source="เทศบาล", **fields)
    dataset.tags.set([Tag.objects.get_or_create(name=t)[0] for t in tags])
    dataset.groups.set(DatasetGroup.objects.filter(name__in=groups))
    dataset.search_text = ckan.search_text(dataset, tags)
    dataset.save()
    return dataset


class CkanApiTests(DataHubTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        DatasetGroup.objects.create(name="waste", name_th="ขยะ")
        DatasetGroup.objects.create(name="water", name_th="น้ำ")
        cls.public = make_dataset("waste-tonnes", cls.office, title="ปริมาณขยะมูลฝอย", notes="ขยะที่เก็บขนได้รายปี",
                                  tags=["ขยะ", "waste"], groups=["waste"], indicator=cls.waste)
        Resource.objects.create(dataset=cls.public, name="CSV", format="CSV", kind=ResourceKind.EXTRACT_CSV)
        cls.water = make_dataset("piped-water", cls.other_office, title="น้ำประปา", tags=["น้ำ"], groups=["water"])
        cls.personal = make_dataset("welfare-register", cls.office, title="ทะเบียนผู้รับสวัสดิการ",
                                    data_category=PERSONAL_DATA)
        cls.deleted = make_dataset("old-survey", cls.office, state="deleted")
        cls.token = Token.objects.create(user=cls.editor).key

    def action(self, action_name, token=None, method="get", **params):
        headers = {"HTTP_AUTHORIZATION": token} if token else {}
        if method == "post":
            return self.client.post(f"/api/3/action/{action_name}", json.dumps(params), content_type="application/json",
                                    **headers)
        return self.client.get(f"/api/3/action/{action_name}", params, **headers)

    def test_envelope_and_both_paths(self):
        for path in ("/api/3/action/status_show", "/api/action/status_show"):
            body = self.client.get(path).json()
            self.assertTrue(body["success"])
            self.assertIn("help", body)
            self.assertEqual(body["result"]["api_version"], 3)
        body = self.action("package_show", id="nope").json()
        self.assertEqual((body["success"], body["error"]["__type"]), (False, "Not Found Error"))
        self.assertEqual(self.action("no_such_action").status_code, 400)

    def test_personal_and_deleted_datasets_are_not_public(self):
        names = self.action("package_list").json()["result"]
        self.assertEqual(names, ["piped-water", "waste-tonnes"])
        self.assertEqual(self.action("package_show", id="welfare-register").status_code, 404)
        self.assertEqual(self.action("package_show", id="welfare-register", token=self.token).status_code, 200)
        other = Token.objects.create(user=self.outsider).key
        self.assertEqual(self.action("package_show", id="welfare-register", token=other).status_code, 404)
        self.assertEqual(self.action("package_search", q="welfare").json()["result"]["count"], 0)
        deleted = self.action("package_search", include_deleted="true", fq="name:old-survey").json()["result"]
        self.assertEqual([d["state"] for d in deleted["results"]], ["deleted"])
        self.assertEqual(self.action("package_search", fq="name:old-survey").json()["result"]["count"], 0)

    def test_package_show_carries_gd_catalog_fields_at_the_top_level(self):
        result = self.action("package_show", id=str(self.public.ckan_id)).json()["result"]
        for key in ("data_type", "objective", "update_frequency_unit", "geo_coverage", "data_source", "data_format",
                    "data_category", "license_id", "data_language", "quality", "extras", "resources", "groups"):
            self.assertIn(key, result)
        self.assertEqual(result["license_id"], "Creative Commons Attributions")
        self.assertEqual(result["organization"]["name"], "sk-office")
        self.assertTrue(result["resources"][0]["url"].endswith(f"/extract/{self.public.resources.get().pk}/"))

    def test_search_q_fq_facets_sort_and_paging(self):
        def search(**params):
            return self.action("package_search", **params).json()["result"]

        self.assertEqual([d["name"] for d in search(q="ขยะ")["results"]], ["waste-tonnes"])
        self.assertEqual(search(fq="organization:cr-office")["count"], 1)
        self.assertEqual(search(fq="-organization:cr-office")["count"], 1)
        self.assertEqual(search(fq="organization:cr-office OR organization:sk-office")["count"], 2)
        self.assertEqual(search(fq="groups:waste")["results"][0]["name"], "waste-tonnes")
        self.assertEqual(search(fq="tags:น้ำ")["results"][0]["name"], "piped-water")
        self.assertEqual(search(fq="res_format:CSV")["count"], 1)
        future = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.assertEqual(search(fq=f"metadata_modified:[{future} TO *]")["count"], 0)
        self.assertEqual(search(fq="metadata_modified:[2020-01-01T00:00:00Z TO *]")["count"], 2)
        ids = sorted(str(d.ckan_id) for d in (self.public, self.water))
        self.assertEqual([d["id"] for d in search(sort="id asc")["results"]], ids)
        self.assertEqual([d["id"] for d in search(sort="id asc", rows=1, start=1)["results"]], ids[1:])
        facets = self.action("package_search", **{"facet.field": '["organization","groups"]'}).json()["result"]
        self.assertEqual(facets["facets"]["organization"], {"cr-office": 1, "sk-office": 1})
        self.assertEqual(facets["search_facets"]["groups"]["items"][0]["count"], 1)
        error = self.action("package_search", fq="metadata_modified:yesterday").json()
        self.assertEqual(error["error"]["__type"], "Search Query Error")
        self.assertEqual(self.action("package_search", rows="x").status_code, 409)
        self.assertEqual(self.action("package_search", sort="nonsense asc").status_code, 409)

    def test_organisations_groups_tags_resources(self):
        self.assertEqual(self.action("organization_list").json()["result"], ["cr-office", "sk-office"])
        org = self.action("organization_show", id="sk-office", include_datasets="true").json()["result"]
        self.assertEqual([p["name"] for p in org["packages"]], ["waste-tonnes"])
        self.assertEqual(self.action("group_list").json()["result"], ["waste", "water"])
        self.assertEqual(self.action("group_show", id="water").json()["result"]["package_count"], 1)
        self.assertNotIn("welfare", " ".join(self.action("tag_list").json()["result"]))
        resource = self.public.resources.get()
        self.assertEqual(self.action("resource_show", id=str(resource.pk)).json()["result"]["format"], "CSV")
        self.assertEqual(self.action("resource_show", id="x").status_code, 404)

    def test_writes_need_a_token_of_someone_who_may_publish_for_the_organisation(self):
        body = {"name": "new-set", "title": "ชุดใหม่", "owner_org": "sk-office", "data_category": "ข้อมูลสาธารณะ"}
        self.assertEqual(self.action("package_create", method="post", **body).json()["error"]["__type"],
                         "Authorization Error")
        other = Token.objects.create(user=self.outsider).key
        self.assertEqual(self.action("package_create", other, method="post", **body).status_code, 403)
        self.assertEqual(self.action("package_create", "bogus", method="post", **body).status_code, 403)
        bad = self.action("package_create", self.token, method="post", **dict(body, data_type="อะไร")).json()
        self.assertEqual(bad["error"]["__type"], "Validation Error")
        self.assertIn("data_type", bad["error"])
        created = self.action("package_create", self.token, method="post", **body).json()["result"]
        self.assertEqual(created["owner_org"], str(self.office.pk))
        patched = self.action("package_patch", self.token, method="post", id="new-set", notes="ใหม่").json()["result"]
        self.assertEqual((patched["notes"], patched["title"]), ("ใหม่", "ชุดใหม่"))
        self.assertEqual(self.action("package_patch", other, method="post", id="new-set", notes="x").status_code, 403)
        self.assertEqual(self.action("package_delete", self.token, method="post", id="new-set").status_code, 200)
        self.assertEqual(Dataset.objects.get(name="new-set").state, "deleted")
        self.assertEqual(self.action("package_create", self.token).status_code, 400)  # GET

    def test_dcat_dataset_and_catalog_parse(self):
        for fmt, rdflib_format in (("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")):
            response = self.client.get(f"/dataset/waste-tonnes.{fmt}")
            graph = Graph().parse(data=response.content, format=rdflib_format)
            datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
            self.assertEqual(len(datasets), 1)
            self.assertEqual(str(graph.value(datasets[0], DCTERMS.identifier)), str(self.public.ckan_id))
        self.assertEqual(self.client.get("/dataset/welfare-register.ttl").status_code, 404)
        graph = Graph().parse(data=self.client.get("/catalog.ttl").content, format="turtle")
        self.assertEqual(len(list(graph.subjects(RDF.type, DCAT.Dataset))), 2)
        self.assertEqual(self.client.get("/catalog.ttl?page=9").status_code, 404)

    def test_dataset_pages_show_quality_and_hide_personal_data(self):
        response = self.client.get("/data/datasets/waste-tonnes/")
        self.assertContains(response, "/ 100")
        self.assertEqual(self.client.get("/data/datasets/welfare-register/").status_code, 404)
        self.login(self.editor)
        self.assertEqual(self.client.get("/data/datasets/welfare-register/").status_code, 200)
        extract = self.client.get(f"/data/datasets/waste-tonnes/extract/{self.public.resources.get().pk}/")
        self.assertIn("TEST-SK", extract.content.decode("utf-8-sig"))
        self.assertNotIn("999", extract.content.decode("utf-8-sig"))  # a draft

    def test_restrict(self):
        self.assertNotIn(self.personal, Dataset.objects.restrict(AnonymousUser(), "view"))
        self.assertIn(self.personal, Dataset.objects.restrict(self.steward, "view"))
        self.assertIn(self.personal, Dataset.objects.restrict(self.editor, "change"))
        self.assertNotIn(self.personal, Dataset.objects.restrict(self.outsider, "change"))


class RealClientTests(LiveServerTestCase):
    """ckanapi and the harvester's gather loop against the running server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    def setUp(self):
        from thetsaban.testing import make_place_tree

        lgu, _other = make_place_tree()
        self.org = Organisation.objects.create(name_th="สำนักงาน", code="office", kind=OrganisationKind.LGU_ADMINISTRATION,
                                               lgu=lgu)
        self.user = User.objects.create(username="publisher")
        LguMembership.objects.create(user=self.user, lgu=lgu)
        self.token = Token.objects.create(user=self.user).key
        DatasetGroup.objects.create(name="waste", name_th="ขยะ")
        for index in range(23):
            make_dataset(f"set-{index:02d}", self.org, groups=["waste"] if index % 2 else [])
        Lgu.objects.count()

    def test_ckanapi_lists_searches_dumps_creates_and_patches(self):
        remote = ckanapi.RemoteCKAN(self.live_server_url, apikey=self.token, user_agent="ckanapi-test")
        self.assertEqual(len(remote.action.package_list()), 23)
        self.assertEqual(remote.action.package_search(q="set", rows=5)["count"], 23)
        self.assertEqual(len(remote.action.package_search(fq="groups:waste", rows=100)["results"]), 11)
        for name in remote.action.package_list()[:3]:
            self.assertEqual(remote.action.package_show(id=name, include_datasets=False)["name"], name)
        created = remote.action.package_create(name="from-ckanapi", title="สร้างจาก ckanapi", owner_org="office",
                                               tags=[{"name": "ทดสอบ"}], data_format=["CSV"])
        self.assertEqual(created["tags"][0]["name"], "ทดสอบ")
        patched = remote.action.package_patch(id=created["id"], title="แก้แล้ว")
        self.assertEqual(patched["title"], "แก้แล้ว")
        resource = remote.action.resource_create(package_id="from-ckanapi", name="ลิงก์", url="https://example.org/a.csv")
        self.assertEqual(resource["format"], "CSV")
        with self.assertRaises(ckanapi.NotFound):
            remote.action.package_show(id="missing")
        with self.assertRaises(ckanapi.ValidationError):
            remote.action.package_create(name="bad name", owner_org="office")
        anonymous = ckanapi.RemoteCKAN(self.live_server_url)
        with self.assertRaises(ckanapi.NotAuthorized):
            anonymous.action.package_create(name="x-y", owner_org="office")
        get_only = ckanapi.RemoteCKAN(self.live_server_url, get_only=True)
        self.assertEqual(get_only.action.organization_list(), ["office"])

    def test_harvester_gather_loop_sees_every_dataset_once(self):
        import requests

        url = f"{self.live_server_url}/api/3/action/package_search"
        since = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
        seen, start, previous = [], 0, None
        while True:
            response = requests.get(url, params={"fq": f"metadata_modified:[{since} TO *]", "rows": 10,
                                                 "start": start, "sort": "id asc"}, timeout=10)
            page = response.json()["result"]["results"]
            if not page:
                break
            self.assertNotEqual(page, previous, "paging doesn't seem to work")
            previous = page
            for package in page:
                self.assertIsInstance(package["extras"], list)
                self.assertIn("resources", package)
            seen += [p["id"] for p in page]
            start += 10
        self.assertEqual(len(seen), 23)
        self.assertEqual(len(set(seen)), 23)
