"""Ranking over every match: more matches than any former pool, with filters, facets and pages."""

from unittest import skipUnless

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice, Theme
from thetsaban.search import services
from thetsaban.testing import ThetsabanTestCase

WORD = "ตลาดนัด"
NEWER = 1100  # more matches than the former pool (200) and cut (500) together


class RankingOverEveryMatchTests(ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.green = Theme.objects.create(code="green", name_th="สิ่งแวดล้อม", name_en="Environment")
        cls.care = Theme.objects.create(code="care", name_th="สวัสดิการ", name_en="Welfare")
        now = timezone.now()
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": now}
        # The oldest record is the best match: the word is its whole title and fills its summary.
        cls.best = Practice.objects.create(lgu=cls.lgu, title_th=WORD, summary=f"{WORD} {WORD} {WORD}",
                                           **published)
        newer = [
            Practice(lgu=cls.lgu if n % 2 else cls.other_lgu,
                     title_th=(f"โครงการ {WORD} ชุมชน ที่ {n}" if n % 3 == 0 else f"โครงการพัฒนาชุมชน ที่ {n}"),
                     summary=f"ชาวบ้าน ร่วมกัน ดูแล {WORD} และ คลอง ของ ชุมชน ทุก สัปดาห์ ครั้ง {n}",
                     **published)
            for n in range(NEWER)
        ]
        Practice.objects.bulk_create(newer)
        ids = list(Practice.objects.order_by("pk").values_list("pk", flat=True))
        Through = Practice.themes.through
        Through.objects.bulk_create(
            [Through(practice_id=pk, theme_id=(cls.green if pk % 2 else cls.care).pk) for pk in ids])
        services.bulk_index("practice", ids)
        cls.total = NEWER + 1
        cls.in_title = {pk for pk, title in Practice.objects.values_list("pk", "title_th") if WORD in title}

    def api_pages(self, url, page_size=100, **params):
        ids, page, count = [], 1, None
        while True:
            response = self.client.get(url, {**params, "page": page, "page_size": page_size})
            self.assertEqual(response.status_code, 200, response.content[:300])
            data = response.json()
            count = data["count"]
            ids += [r["id"] for r in data["results"]]
            if not data["results"] or len(ids) >= count:
                return count, ids
            page += 1

    def test_an_old_best_match_ranks_first_among_more_than_a_thousand(self):
        data = self.client.get(reverse("api-search"), {"q": WORD, "type": "practice"}).json()
        self.assertEqual(data["count"], self.total)
        self.assertEqual(data["results"][0]["id"], self.best.pk)

    def test_walking_every_page_lists_each_match_once_title_matches_first(self):
        count, ids = self.api_pages(reverse("api-search"), q=WORD, type="practice")
        self.assertEqual(count, self.total)
        self.assertEqual(len(ids), self.total)
        self.assertEqual(set(ids), set(Practice.objects.values_list("pk", flat=True)))
        titles = len(self.in_title)
        self.assertEqual(set(ids[:titles]), self.in_title)

    def test_the_practice_api_pages_partition_the_same_ranking(self):
        count, ids = self.api_pages("/api/v1/practices/", q=WORD)
        _count, searched = self.api_pages(reverse("api-search"), q=WORD, type="practice")
        self.assertEqual(count, self.total)
        self.assertEqual(ids, searched)

    def test_a_filtered_count_is_the_unfiltered_count_split_by_the_filter(self):
        counts = {region: self.api_pages("/api/v1/practices/", q=WORD, region=region)[0]
                  for region in ("north", "south")}
        self.assertEqual(sum(counts.values()), self.total)
        self.assertEqual(counts["north"], Practice.objects.filter(lgu=self.other_lgu).count())
        _count, north = self.api_pages("/api/v1/practices/", q=WORD, region="north")
        self.assertEqual(len(set(north)), counts["north"])
        self.assertEqual(set(north), set(Practice.objects.filter(lgu=self.other_lgu).values_list("pk", flat=True)))

    def test_list_page_counts_and_facets_are_exact_with_a_query(self):
        response = self.client.get(reverse("practices:list"), {"q": WORD, "region": "north"})
        self.assertEqual(response.status_code, 200)
        north = Practice.objects.filter(lgu=self.other_lgu)
        self.assertEqual(response.context["page"].paginator.count, north.count())
        themes = {v["value"]: v["count"] for v in response.context["facets"]["theme"]["values"]}
        expected = {theme.code: north.filter(themes=theme).count() for theme in (self.green, self.care)}
        self.assertEqual(themes, {code: n for code, n in expected.items() if n})
        regions = {v["value"]: v["count"] for v in response.context["facets"]["region"]["values"]}
        self.assertEqual(regions, {"north": north.count(), "south": self.total - north.count()})
        self.assertNotContains(response, "are listed")

    def test_search_page_pages_partition_the_results(self):
        seen = []
        for page in range(1, self.total // 20 + 2):
            response = self.client.get(reverse("search:page"), {"q": WORD, "type": "practice", "page": page})
            seen += [r.object_id for r in response.context["results"]]
        self.assertEqual(response.context["total"], self.total)
        self.assertEqual(len(seen), self.total)
        self.assertEqual(len(set(seen)), self.total)
        self.assertEqual(seen[0], self.best.pk)

    @skipUnless(connection.vendor == "sqlite", "FTS5's bm25() is SQLite's")
    def test_each_match_is_scored_once_not_by_a_query_per_record(self):
        """bm25() counts each word's documents anew in every FTS5 query: a query per record would
        make ranking n matches cost n passes over n matches (hours at 100,000 practices)."""
        ranked = services.order_by_rank(Practice.objects.filter(lgu=self.other_lgu), WORD)
        sql, params = ranked.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = [(node, parent, detail) for node, parent, _unused, detail in cursor.fetchall()]
        parent_of = {node: parent for node, parent, _detail in plan}
        detail_of = {node: detail for node, _parent, detail in plan}
        for node, _parent, detail in plan:
            if detail.startswith("SCAN search_fts"):
                up, ancestors = parent_of[node], []
                while up:
                    ancestors.append(detail_of[up])
                    up = parent_of.get(up)
                correlated = [a for a in ancestors if a.startswith("CORRELATED")]
                if correlated:
                    self.assertTrue(any(a.startswith("MATERIALIZE") for a in ancestors), plan)
        self.assertEqual(list(ranked.values_list("pk", flat=True)[:5]),
                         [pk for pk in self.api_pages("/api/v1/practices/", q=WORD, region="north")[1][:5]])
