"""The impact-ordered side index (SQLite): pages taken from the highest levels are exactly the
exhaustive ranking's pages, whatever the lengths, frequencies, later writes and page sizes; a
kind indexed before the side index existed is still ranked exactly."""

from unittest import mock, skipUnless

from django.db import connection
from django.utils import timezone

from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice
from thetsaban.search import backends, services, tiers
from thetsaban.search.tests.test_speed_paths import PageWalk, answers, exhaustive
from thetsaban.testing import ThetsabanTestCase

WORD = "ขยะ"  # whole words (no compound parts): the side index answers them
OTHER = "ถนน"


def text(n):
    """Varied frequencies and lengths: the word 1–6 times, 0–40 filler words."""
    return " ".join([WORD] * (1 + n % 6) + ["น้ำ"] * (n * 7 % 41) + [OTHER] * (n % 3))


@skipUnless(connection.vendor == "sqlite", "the side index is SQLite's")
class TierTests(PageWalk, ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        Practice.objects.bulk_create([
            Practice(lgu=cls.lgu, summary=text(n), **published,
                     title_th=f"โครงการ {WORD} ที่ {n}" if n % 50 == 0 else f"โครงการพัฒนา ที่ {n}")
            for n in range(400)
        ])
        services.bulk_index("practice", list(Practice.objects.values_list("pk", flat=True)))

    def fast_pages(self, query, page_size):
        """The pages, and how many of them the side index answered."""
        with answers(backends.SqliteBackend, "_top") as answered:
            return self.pages(query, page_size), sum(answered)

    def test_pages_from_the_side_index_are_the_exhaustive_ranking(self):
        for query in (WORD, f"{WORD} {OTHER}", "น้ำ"):
            expected = exhaustive(query)
            for page_size in (5, 20):
                with self.subTest(query=query, page_size=page_size):
                    (count, ids), answered = self.fast_pages(query, page_size)
                    self.assertEqual((count, ids), (len(expected), expected))
                    self.assertGreater(answered, 0)

    def test_later_longer_documents_keep_the_ranking_exact(self):
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        for n in range(30):  # raises the average length the first levels were computed at
            practice = Practice.objects.create(lgu=self.lgu, title_th=f"บันทึก {n}",
                                               summary=f"{WORD} " * 8 + "น้ำ " * 400, **published)
            services.index_object(practice)
        expected = exhaustive(WORD)
        (count, ids), answered = self.fast_pages(WORD, 10)
        self.assertEqual((count, ids), (len(expected), expected))
        self.assertGreater(answered, 0)

    def test_a_kind_indexed_before_the_side_index_is_ranked_every_match(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_tier_kind")
        expected = exhaustive(WORD)
        (count, ids), answered = self.fast_pages(WORD, 20)
        self.assertEqual((count, ids), (len(expected), expected))
        self.assertEqual(answered, 0)

    def test_rebuild_fills_the_side_index(self):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_tier")
            cursor.execute("DELETE FROM search_tier_kind")
        services.rebuild(kinds=["practice"])
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_tier")
            self.assertEqual(cursor.fetchone()[0], 400)
        expected = exhaustive(WORD)
        (count, ids), answered = self.fast_pages(WORD, 20)
        self.assertEqual((count, ids), (len(expected), expected))
        self.assertGreater(answered, 0)

    def test_words_are_split_as_the_full_text_index_splits_them(self):
        sample = "ราคา฿50 ตลาด๏นัด Café-Bar x_y ２０ ก.ข.ค."
        with connection.cursor() as cursor:
            cursor.execute("CREATE VIRTUAL TABLE temp.split_check USING fts5(t, tokenize ="
                           " \"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\")")
            cursor.execute("CREATE VIRTUAL TABLE temp.split_words USING fts5vocab(temp, split_check, instance)")
            cursor.execute("INSERT INTO split_check(t) VALUES (%s)", [sample])
            cursor.execute("SELECT term FROM split_words ORDER BY offset")
            expected = [row[0] for row in cursor.fetchall()]
            cursor.execute("DROP TABLE temp.split_words")
            cursor.execute("DROP TABLE temp.split_check")
        self.assertEqual(tiers.fts_words(sample), expected)

    def test_a_prefix_that_begins_one_word_ranks_as_that_word(self):
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        for n in range(40):
            practice = Practice.objects.create(
                lgu=self.lgu, title_th=f"บันทึก {n}", title_en="Recycling bank" if n % 4 == 0 else "",
                summary=" ".join(["recycling"] * (1 + n % 3) + ["planning", "plan"][: 1 + n % 2]), **published)
            services.index_object(practice)
        for query in ("recycl", "recycling", "plan"):
            with self.subTest(query=query):
                expected = exhaustive(query)  # ranked with the prefix itself, every match
                (count, ids), answered = self.fast_pages(query, 7)
                self.assertEqual((count, ids), (len(expected), expected))
                self.assertGreater(answered, 0)

    def tight_pages(self, query, page_size):
        """`fast_pages` with the candidates cut to the places wanted (no margin of 50, one to
        four times the places), so that the bound, not the whole match set, decides at this size."""
        original = tiers.cut
        with (mock.patch.object(tiers, "cut", lambda levels, wanted: original(levels, max(1, wanted - 50))),
              mock.patch.object(tiers, "TRIES", (1, 2, 4))):
            return self.fast_pages(query, page_size)

    def test_compound_words_rank_from_the_side_index(self):
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        for n in range(90):  # the compound, its parts apart, both, in titles and bodies; many ties
            summary = " ".join(["น้ำเสีย"] * (n % 4) + ["น้ำ เสีย"] * (n % 3) + ["มูลฝอย"] * (n % 5)
                               + [WORD] * (n % 2) + ["ถนน"] * (n * 5 % 17))
            practice = Practice.objects.create(
                lgu=self.lgu, summary=summary or "ถนน", **published,
                title_th=f"บำบัดน้ำเสีย {n}" if n % 11 == 0 else f"บันทึก {n % 7}")
            services.index_object(practice)
        for query in ("น้ำเสีย", "มูลฝอย", f"น้ำเสีย {WORD}", "น้ำเสีย มูลฝอย", "บำบัดน้ำเสีย"):
            self.assertTrue(any(len(phrase) > 1 for alternatives in services.parse_query(query)
                                for phrase in alternatives), query)
            expected = exhaustive(query)
            for page_size, pages in ((3, self.tight_pages), (7, self.tight_pages), (20, self.fast_pages)):
                with self.subTest(query=query, page_size=page_size):
                    (count, ids), answered = pages(query, page_size)
                    self.assertEqual((count, ids), (len(expected), expected))
                    self.assertGreater(answered, 0)

    def test_tight_cuts_keep_whole_words_exact(self):
        for query in (WORD, f"{WORD} {OTHER}", "น้ำ"):
            expected = exhaustive(query)
            for page_size in (3, 20):
                with self.subTest(query=query, page_size=page_size):
                    (count, ids), _answered = self.tight_pages(query, page_size)
                    self.assertEqual((count, ids), (len(expected), expected))

    def test_prefixes_of_several_words_rank_from_the_side_index(self):
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        for n in range(90):  # "plan" begins plan, plans, planning, planner, in varied mixes; ties
            summary = " ".join(["plan"] * (n % 3) + ["planning"] * (n % 4) + ["plans"] * (n % 2)
                               + ["planner"] * (n * 3 % 5) + [WORD] * (n % 2) + ["road"] * (n * 5 % 17))
            practice = Practice.objects.create(
                lgu=self.lgu, summary=summary or "road", **published, title_th=f"บันทึก {n % 7}",
                title_en="Town planning" if n % 13 == 0 else "")
            services.index_object(practice)
        for query in ("plan", "plann", f"plan {WORD}", "plan road", "planning"):
            expected = exhaustive(query)
            for page_size, pages in ((3, self.tight_pages), (7, self.tight_pages), (20, self.fast_pages)):
                with self.subTest(query=query, page_size=page_size):
                    (count, ids), answered = pages(query, page_size)
                    self.assertEqual((count, ids), (len(expected), expected))
                    self.assertGreater(answered, 0)
        with mock.patch.object(tiers, "MAX_EXPANSIONS", 2):  # too many words begin it: every match
            expected = exhaustive("plan")
            (count, ids), answered = self.fast_pages("plan", 7)
            self.assertEqual((count, ids), (len(expected), expected))
            self.assertEqual(answered, 0)
