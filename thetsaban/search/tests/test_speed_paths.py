"""The fast paths of search give exactly the documented ranking: pages filled by title matches
alone, pages past them, ties across a page's edge; abbreviations edited between searches count."""

import contextlib
from unittest import mock

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from thetsaban.practices.choices import ReviewStatus, Tier
from thetsaban.practices.models import Practice
from thetsaban.search import services
from thetsaban.search.models import Abbreviation
from thetsaban.testing import ThetsabanTestCase

WORD = "ตลาดนัด"


def exhaustive(text):
    """Every match's (title flag, score) fetched one record at a time and sorted here."""
    ranking = services._ranking(Practice.objects.all(), text)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM practices_practice WHERE id IN ({ranking.matches[0]})",
                       ranking.matches[1])
        rows = []
        for (pk,) in cursor.fetchall():
            cursor.execute(f"SELECT {ranking.in_title[0]}, {ranking.score[0]} FROM practices_practice"
                           " WHERE id = %s", ranking.in_title[1] + ranking.score[1] + [pk])
            in_title, score = cursor.fetchone()
            rows.append((not in_title, -score, pk))
    return [pk for *_key, pk in sorted(rows)]


@contextlib.contextmanager
def answers(cls, method: str):
    """`cls.method` patched to note, call by call, whether it answered (returned other than None)."""
    answered = []
    original = getattr(cls, method)

    def spy(backend, *args):
        hits = original(backend, *args)
        answered.append(hits is not None)
        return hits

    with mock.patch.object(cls, method, spy):
        yield answered


class PageWalk:
    """Walk every page of a practice search through the API."""

    def pages(self, text, page_size):
        ids, page = [], 1
        while True:
            data = self.client.get(reverse("api-search"), {"q": text, "type": "practice", "page": page,
                                                           "page_size": page_size}).json()
            ids += [r["id"] for r in data["results"]]
            if not data["results"] or len(ids) >= data["count"]:
                return data["count"], ids
            page += 1


class SpeedPathTests(PageWalk, ThetsabanTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        published = {"status": ReviewStatus.PUBLISHED, "tier": Tier.GOOD, "published_at": timezone.now()}
        Practice.objects.bulk_create([
            Practice(lgu=cls.lgu,
                     # 40 title matches (more than a page), the rest in the text only; many ties.
                     title_th=f"โครงการ {WORD} ที่ {n}" if n % 3 == 0 else f"โครงการพัฒนา ที่ {n}",
                     summary=" ".join([WORD] * (1 + n % 4)) + f" ชุมชน คลอง {n % 5}", **published)
            for n in range(120)
        ])
        services.bulk_index("practice", list(Practice.objects.values_list("pk", flat=True)))

    def assert_exact(self):
        expected = exhaustive(WORD)
        for page_size in (7, 20, 100):
            with self.subTest(page_size=page_size):
                self.assertEqual(self.pages(WORD, page_size), (len(expected), expected))
        self.assertEqual(len(expected), 120)

    def test_every_page_is_the_exhaustive_ranking(self):
        self.assert_exact()

    def test_words_in_every_title_or_in_none_rank_the_same_with_or_without_the_side_index(self):
        """"โครงการ" is in every title, "ชุมชน" and "คลอง" in none: the title flag is then the same
        for every match, and the ranking is the scores' alone, whichever path gives the page."""
        from contextlib import nullcontext
        from unittest import mock

        from thetsaban.search import backends

        for text in ("โครงการ", "ชุมชน", "คลอง 3"):
            expected = exhaustive(text)
            self.assertTrue(expected, text)
            for side_index in (True, False):
                patch = nullcontext() if side_index else mock.patch.object(backends.SqliteBackend, "_top",
                                                                           return_value=None)
                with self.subTest(text=text, side_index=side_index), patch:
                    for page_size in (7, 100):
                        self.assertEqual(self.pages(text, page_size), (len(expected), expected))

    def test_a_page_past_the_end_is_empty_with_the_exact_count(self):
        self.assertEqual(services.search(WORD, kinds=["practice"], limit=20, offset=120), (120, []))
        total, results = services.search(WORD, kinds=["practice"], limit=20, offset=110)
        self.assertEqual((total, [r.object_id for r in results]), (120, exhaustive(WORD)[110:]))

    def test_an_abbreviation_added_after_a_search_counts_at_once(self):
        self.assertEqual(services.search("ตน.", kinds=["practice"])[0], 0)
        Abbreviation.objects.create(forms=f"ตน.\n{WORD}")
        self.assertEqual(services.search("ตน.", kinds=["practice"])[0], 120)
