"""Exact top-k on SQLite without scoring every match: an impact-ordered side index.

FTS5's `bm25()` is a sum over the query's phrases of `idf × g(f, D)`, where `f` is the phrase's
weighted frequency in a document (title ×10, body ×1), `D` the document's length in tokens and

    g(f, D) = f (k1 + 1) / (f + k1 (1 − b + b D / avgdl)),   k1 = 1.2, b = 0.75.

When a document is indexed, each of its words is also written to `search_tier` tagged with the
level `floor(100 g)` of its contribution, computed with the average length `avgdl` of its kind at
the time (kept in `search_tier_kind`). A search of one or two common words then takes, for each
word, only the documents at its highest levels as candidates, ranks them with FTS5's own
`bm25()` (so the scores are the ranking's own), and checks that no other document can come
before the page's last place: every other document scores less than

    Σ over phrases  idf × (level cut of its rarest word) / 100 × max(1, avgdl now / avgdl then)

(g grows with avgdl at most proportionally). If the check fails, it tries a deeper cut, then
falls back to ranking every match: the result is always the exhaustive ranking. The count
always counts every match. A phrase of several words (the parts of a compound) is bounded by
its rarest word's cut (it occurs at most as often as each of its words); a prefix (English
words of three letters or more) by the sum of the cuts of the words it begins (its frequency is
theirs summed, and g is concave with g(0) = 0), up to MAX_EXPANSIONS words. A prefix inside a
phrase of several words and words FTS5 would split differently are ranked the exhaustive way.
"""

import math
import re
import unicodedata

K1 = 1.2
B = 0.75
STEPS = 100  # levels per unit of g, which lies in [0, k1 + 1)
MARK = "\ue000"  # private-use characters: FTS5 keeps them inside a word ('Co'), text has none
LEVEL_BASE = 0xE100
# Text the index's tokenizer splits exactly at spaces: lower-case Latin letters and digits, and
# the Thai letters, marks and digits (not ฿ U+0E3F nor ๏ U+0E4F, which it treats as separators).
_PLAIN = re.compile(r"[0-9a-z\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59 ]*")
_PLAIN_WORD = re.compile(r"[0-9a-z\u0e01-\u0e3a\u0e40-\u0e4e\u0e50-\u0e59]+")
TRIES = (4, 40)  # candidates per word, as multiples of the places wanted
MAX_CANDIDATES = 4000  # beyond this, ranking every match is as quick
MAX_EXPANSIONS = 64  # words a prefix may begin for the side index to rank it


def _is_token_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Co"


def fts_words(text: str) -> list[str]:
    """The words FTS5's tokenizer (unicode61, categories L* N* Co M*) finds in `text`."""
    if _PLAIN.fullmatch(text):
        return text.split()
    words, current = [], []
    for ch in text:
        if _is_token_char(ch):
            current.append(ch.lower())
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def g(frequency: float, length: float, avgdl: float) -> float:
    return frequency * (K1 + 1.0) / (frequency + K1 * (1 - B + B * length / avgdl))


def level(frequency: float, length: float, avgdl: float) -> int:
    return min(int(g(frequency, length, avgdl) * STEPS), int((K1 + 1) * STEPS))


def tier_word(word: str, at: int) -> str:
    return word + MARK + chr(LEVEL_BASE + at)


def words_and_length(title: str, body: str, kind: str):
    title_words, body_words = fts_words(title), fts_words(body)
    return title_words, body_words, len(title_words) + len(body_words) + len(fts_words(kind))


def tier_text(title_words, body_words, length: int, avgdl: float, title_weight: float) -> str:
    """The side-index text of one document, from the words FTS5 finds in its columns."""
    frequency: dict[str, float] = {}
    for word in title_words:
        frequency[word] = frequency.get(word, 0.0) + title_weight
    for word in body_words:
        frequency[word] = frequency.get(word, 0.0) + 1.0
    return " ".join(tier_word(word, level(f, length, avgdl)) for word, f in frequency.items())


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """An SQLite varint at `at`: (value, next position)."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


def averages(cursor) -> tuple[int, float]:
    """(rows, average length in tokens) of search_fts, as bm25() reads them."""
    cursor.execute("SELECT block FROM search_fts_data WHERE id = 1")
    row = cursor.fetchone()
    if row is None or not row[0]:
        return 0, 0.0
    data = bytes(row[0])
    rows, at = _varint(data, 0)
    total = 0
    while at < len(data):
        size, at = _varint(data, at)
        total += size
    return rows, (total / rows if rows else 0.0)


def kind_reference(cursor, kind_number: int, lo: int, hi: int, lengths) -> float:
    """The average length a kind's levels are computed at, fixed when the kind starts empty
    (the first batch's average length); 0 when the kind was indexed before the side index
    existed: such a kind is ranked the exhaustive way until it is rebuilt.
    """
    cursor.execute("SELECT avgdl FROM search_tier_kind WHERE kind = %s", [kind_number])
    row = cursor.fetchone()
    if row is not None:
        return row[0]
    cursor.execute("SELECT 1 FROM search_fts WHERE rowid >= %s AND rowid < %s LIMIT 1", [lo, hi])
    if cursor.fetchone() is not None:
        return 0.0
    avgdl = max(1.0, sum(lengths) / max(1, len(lengths)))
    cursor.execute("INSERT INTO search_tier_kind (kind, avgdl) VALUES (%s, %s)", [kind_number, avgdl])
    return avgdl


def idf(rows: int, hits: int) -> float:
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else 1e-6


def declined(query) -> str:
    """Why the side index cannot rank `query` ("" when it can): a word FTS5 splits, or a
    prefix ending a phrase of several words.

    A phrase of several words (a compound's parts, "ขยะมูลฝอย" as "ขยะ + มูลฝอย") occurs in a
    column at most as often as each of its words, and g grows with the frequency, so its
    contribution is bounded by its rarest word's level cut, as a word's is.
    """
    from thetsaban.search.backends import _is_prefix

    for alternatives in query:
        for phrase in alternatives:
            if not all(_PLAIN_WORD.fullmatch(word) for word in phrase):
                return "split by FTS5"
            if _is_prefix(phrase) and (len(phrase) > 1 or phrase[0].startswith("zz")):
                return "prefix in a phrase"
    return ""


def prefix_levels(cursor, prefix: str) -> dict[str, list[tuple[int, int]]]:
    """Each word of the side index that begins with `prefix`, and its (level, documents),
    highest level first."""
    cursor.execute("SELECT term, doc FROM search_tier_vocab WHERE term >= %s AND term < %s",
                   [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)])
    found: dict[str, list[tuple[int, int]]] = {}
    for term, docs in cursor.fetchall():
        word, mark, at = term.partition(MARK)
        if mark and len(at) == 1:
            found.setdefault(word, []).append((ord(at) - LEVEL_BASE, docs))
    return {word: sorted(levels, reverse=True) for word, levels in found.items()}


def levels_of(cursor, word: str) -> list[tuple[int, int]]:
    """(level, documents) of a word in the side index, highest level first."""
    start = word + MARK
    cursor.execute("SELECT term, doc FROM search_tier_vocab WHERE term >= %s AND term < %s",
                   [start, word + chr(ord(MARK) + 1)])
    found = [(ord(term[len(start)]) - LEVEL_BASE, docs) for term, docs in cursor.fetchall()
             if len(term) == len(start) + 1]
    return sorted(found, reverse=True)


def cut(levels: list[tuple[int, int]], wanted: int) -> int:
    """The highest level whose documents and those above number at least `wanted` (0: all)."""
    seen = 0
    for at, docs in levels:
        seen += docs
        if seen >= wanted:
            return at
    return 0
