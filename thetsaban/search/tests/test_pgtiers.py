"""The rank classes (PostgreSQL): each class's weights are those ts_rank gives, pages taken from
the highest classes are exactly the exhaustive ranking's pages (one word, two words, compounds,
prefixes of several words, tight cuts, later writes), and a kind indexed before the classes
existed is still ranked exactly."""

from unittest import mock, skipUnless

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from thetsaban.directory.choices import OrganisationKind
from thetsaban.directory.models import Organisation
from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice
from thetsaban.search import backends, pgtiers, services
from thetsaban.search.tests.test_speed_paths import PageWalk, answers, exhaustive
from thetsaban.testing import ThetsabanTestCase

WORD = "ขยะ"
OTHER = "ถนน"


def summary(n):
    """Varied frequencies and lengths; a compound, its parts apart, English words a prefix begins."""
    return " ".join([WORD] * (1 + n % 6) + ["น้ำ"] * (n * 7 % 41) + [OTHER] * (n % 3)
                    + ["น้ำเสีย"] * (n % 4) + ["น้ำ เสีย"] * (n % 3)
                    + ["plan"] * (n % 3) + ["planning"] * (n % 4) + ["plans"] * (n % 2) + ["planner"] * (n * 3 % 5))


class ClassTests(ThetsabanTestCase):
    def test_classes_are_ordered_and_do_not_overlap(self):
        ceilings = [pgtiers.ceiling(at) for at in range(pgtiers.TOP + 1)]
        self.assertEqual(ceilings, sorted(ceilings))
        for title in range(pgtiers.TOP_TITLE):  # t + 1 title positions outweigh t and any body
            self.assertLess(pgtiers.ceiling(title * len(pgtiers.BANDS) + len(pgtiers.BANDS) - 1),
                            sum(1 / j ** 2 for j in range(1, title + 2)) / pgtiers.ZETA2)

    @skipUnless(connection.vendor == "postgresql", "ts_rank is PostgreSQL's")
    def test_each_class_holds_the_weights_ts_rank_gives(self):
        """Every (title, body) count up to 300 positions: the weight ts_rank gives lies in its
        class, above every lower class."""
        pairs = [(t, b) for t in (0, 1, 2, 3, 4, 7, 300) for b in (*range(0, 40), 60, 255, 300) if t or b]
        with connection.cursor() as cursor:
            for t, b in pairs:
                title = backends.tsvector_literal(["w"] * t, "A")
                body = backends.tsvector_literal(["x"] * 3 + ["w"] * b, "D")
                cursor.execute("SELECT ts_rank(%s::tsvector || %s::tsvector, 'w')", [title, body])
                weight = cursor.fetchone()[0]
                at = pgtiers.level(t, b)
                with self.subTest(t=t, b=b, level=at):
                    self.assertLessEqual(weight, pgtiers.ceiling(at) * (1 + pgtiers.MARGIN))
                    self.assertGreater(weight, pgtiers.below(at) * (1 + pgtiers.MARGIN))

    @skipUnless(connection.vendor == "postgresql", "phrase search is PostgreSQL's")
    def test_pairs_are_where_phrase_search_finds_two_words_in_a_row(self):
        """Across the title's end and the body's start, and not past a word's 256th position."""
        words = ["น้ำ", "เสีย", "ขยะ"]
        samples = [
            (["บำบัด", "น้ำ"], ["เสีย", "ขยะ", "น้ำ"]),  # title ends "น้ำ", body starts "เสีย"
            ([], ["น้ำ"] * 300 + ["เสีย"]),  # the last "น้ำ" is past its 256 positions
            (["น้ำ"] * 200, ["น้ำ"] * 100 + ["เสีย", "น้ำ", "ขยะ"]),  # 256 in all, title ones first
            (["ขยะ", "ขยะ"], ["เสีย"] * 3 + ["ขยะ", "น้ำ", "x1", "เสีย"]),  # not Thai between
        ]
        with connection.cursor() as cursor:
            for title, body in samples:
                stored = set(pgtiers.tier_words(title, body))
                for first in words:
                    for second in words:
                        cursor.execute("SELECT %s::tsvector || %s::tsvector @@ %s::tsquery",
                                       [backends.tsvector_literal(title, "A"), backends.tsvector_literal(body, "D"),
                                        f"{first} <-> {second}"])
                        with self.subTest(title=title[:3], body=body[:3], pair=(first, second)):
                            self.assertEqual(pgtiers.pair(first, second) in stored, cursor.fetchone()[0])


@skipUnless(connection.vendor == "postgresql", "the rank classes are PostgreSQL's")
class RankClassTests(PageWalk, ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        Practice.objects.bulk_create([
            Practice(lgu=cls.lgu, summary=summary(n), **published,
                     title_th=f"โครงการ {WORD} ที่ {n}" if n % 50 == 0 else f"บำบัดน้ำเสีย {n % 7}",
                     title_en="Town planning" if n % 13 == 0 else "")
            for n in range(400)
        ])
        services.bulk_index("practice", list(Practice.objects.values_list("pk", flat=True)))

    def fast_pages(self, query, page_size):
        """The pages, and how many of them the rank classes answered (every size ranked by them)."""
        with answers(backends.PostgresBackend, "_top") as answered, \
                mock.patch.object(backends.PostgresBackend, "SMALL", 0), \
                mock.patch.object(backends.PostgresBackend, "RANKED_OUTRIGHT", 0):
            return self.pages(query, page_size), sum(answered)

    def tight_pages(self, query, page_size):
        """`fast_pages` with the candidates cut to the places wanted (no margin of 50, one to four
        times the places), so that the bound, not the whole match set, decides at this size."""
        original = pgtiers.cut
        with (mock.patch.object(pgtiers, "cut", lambda counts, wanted, cap=None: original(counts, max(1, wanted - 50), cap)),
              mock.patch.object(backends.PostgresBackend, "TRIES", (1, 2, 4))):
            return self.fast_pages(query, page_size)

    QUERIES = (WORD, f"{WORD} {OTHER}", "น้ำ", "น้ำเสีย", f"น้ำเสีย {WORD}", "plan", "plann", f"plan {WORD}",
               "planning", "บำบัดน้ำเสีย")

    def test_pages_from_the_rank_classes_are_the_exhaustive_ranking(self):
        for query in self.QUERIES:
            expected = exhaustive(query)
            self.assertTrue(expected, query)
            for page_size, pages in ((3, self.tight_pages), (7, self.tight_pages), (20, self.fast_pages)):
                with self.subTest(query=query, page_size=page_size):
                    (count, ids), answered = pages(query, page_size)
                    self.assertEqual((count, ids), (len(expected), expected))
                    self.assertGreater(answered, 0)

    def test_the_same_pages_without_the_rank_classes(self):
        for query in self.QUERIES:
            expected = exhaustive(query)
            with self.subTest(query=query), mock.patch.object(backends.PostgresBackend, "_top", return_value=None):
                self.assertEqual(self.pages(query, 20), (len(expected), expected))

    def test_later_writes_keep_the_ranking_exact(self):
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        for n in range(30):
            practice = Practice.objects.create(lgu=self.lgu, title_th=f"{WORD} {WORD} บันทึก {n}",
                                               summary=f"{WORD} " * (n % 9) + "น้ำ " * 400 + "planners", **published)
            services.index_object(practice)
        Practice.objects.filter(pk__in=Practice.objects.order_by("pk").values("pk")[:20]).delete()
        for query in (WORD, "plan"):
            expected = exhaustive(query)
            with self.subTest(query=query):
                (count, ids), answered = self.tight_pages(query, 5)
                self.assertEqual((count, ids), (len(expected), expected))
                self.assertGreater(answered, 0)

    def test_a_kind_indexed_before_the_rank_classes_is_ranked_every_match(self):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE search_vector SET tier_vector = NULL WHERE document_id IN"
                           " (SELECT document_id FROM search_vector WHERE kind = %s LIMIT 1)",
                           [backends.kind_number("practice")])
        expected = exhaustive(WORD)
        (count, ids), answered = self.fast_pages(WORD, 20)
        self.assertEqual((count, ids), (len(expected), expected))
        self.assertEqual(answered, 0)
        services.rebuild(kinds=["practice"])
        (count, ids), answered = self.fast_pages(WORD, 20)
        self.assertEqual((count, ids), (len(expected), expected))
        self.assertGreater(answered, 0)

    def test_a_prefix_of_too_many_words_ranks_every_match(self):
        with mock.patch.object(pgtiers, "MAX_EXPANSIONS", 2):
            expected = exhaustive("plan")
            (count, ids), answered = self.fast_pages("plan", 7)
            self.assertEqual((count, ids), (len(expected), expected))
            self.assertEqual(answered, 0)


@skipUnless(connection.vendor == "postgresql", "the rank classes are PostgreSQL's")
class TiedClassTests(ThetsabanTestCase):
    """Words that weigh the same in most records (once in the body of each, or once in each
    title): the page is the classes above, then the tied class in the tie-break order."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        Practice.objects.bulk_create([
            Practice(lgu=cls.lgu, **published,
                     # "ชุมชน" once in every body, twice in every 40th; "market" once in every
                     # title, "marketing" in a few; "ตำบล" in most titles and a few bodies.
                     summary=" ".join(["ชุมชน"] * (2 if n % 40 == 0 else 1) + ["ตำบล"] * (n % 97 == 0)
                                      + ["marketing"] * (n % 60 == 0)),
                     title_th=f"ตำบล {n}" if n % 5 else f"บันทึก {n}", title_en=f"Market {n}")
            for n in range(1700)
        ])
        services.bulk_index("practice", list(Practice.objects.values_list("pk", flat=True)))
        # Another kind with "market" once in each title: ties across kinds.
        Organisation.objects.bulk_create([
            Organisation(name_th=f"ตลาด {n}", name_en=f"Market {n}", code=f"market-{n}",
                         kind=OrganisationKind.LGU_ADMINISTRATION, lgu=cls.lgu) for n in range(30)])
        services.bulk_index("organisation", list(Organisation.objects.values_list("pk", flat=True)))

    def test_tied_classes_give_the_exhaustive_pages(self):
        with answers(backends.PostgresBackend, "_tied") as calls:
            for query in ("ชุมชน", "market", "ตำบล"):
                expected = exhaustive(query)
                self.assertGreater(len(expected), 1000, query)
                for page in (1, 2, 40):
                    with self.subTest(query=query, page=page):
                        data = self.client.get(reverse("api-search"), {"q": query, "type": "practice",
                                                                       "page": page}).json()
                        self.assertEqual(data["count"], len(expected))
                        self.assertEqual([r["id"] for r in data["results"]], expected[(page - 1) * 20:page * 20])
        self.assertGreater(sum(calls), 0)

    def test_tied_classes_across_kinds_follow_the_kind_order(self):
        """Without `type`, a tie between kinds is broken by the kind's name, then the record's id."""
        total, everything = services.search("market", kinds=None, limit=5000, offset=0)
        self.assertEqual(total, 1730)
        for offset in (0, 20, 40):
            with self.subTest(offset=offset):
                self.assertEqual([(r.kind, r.object_id) for r in services.search("market", limit=20, offset=offset)[1]],
                                 [(r.kind, r.object_id) for r in everything[offset:offset + 20]])
        # After the 29 practices that also say "marketing", the tie: organisations first.
        self.assertEqual([r.kind for r in everything[28:60]], ["practice"] + ["organisation"] * 30 + ["practice"])
