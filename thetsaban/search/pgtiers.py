"""Exact top-k on PostgreSQL without ranking every match: words tagged with their rank class.

PostgreSQL ranks a match by `ts_rank(vector, q)` where `q` is the query's distinct words OR-ed
(a prefix stays a prefix). For such a query `ts_rank` is the average over the words of each
word's own weight in the document:

    c = (sum over the word's positions, in order, j = 1, 2, ...: weight_j / j²) / (π² / 6)

(weights 1.0 for title positions, which come first, and 0.1 for body positions; a prefix adds up
the words it begins). So a word's weight depends only on how often it is in the title (t) and in
the body (b), and it grows with both. Each document also carries a third GIN-indexed vector,
`tier_vector`, holding each of its words tagged with the class of its (t, b): t = 0, 1, 2, 3 each
with b in ten bands, and t >= 4. The classes' weight ranges do not overlap, so their order is the
weight's order.

The same vector holds each pair of Thai words found one right after the other (where phrase
search would find them, positions kept as PostgreSQL keeps them), so a query whose phrases are
two Thai words (a compound's parts) is matched and counted from the GIN index alone, without
reading each candidate's positions.

A search then takes, for each word, the documents in its highest classes (down to a cut chosen
from their counts) as candidates, ranks them with `ts_rank` itself, and keeps the page only when
every other document must rank below its last place: the other documents' words all lie below
their cuts, so their score is at most the average of the weights at the top of the classes just
below. Otherwise it tries a deeper cut, then ranks every match. The page and count are always
the exhaustive ranking's.
"""

import math

MARK = "\ue000"  # private-use characters: no query word carries them
PAIR = "\ue001"
LEVEL_BASE = 0xE100
MAX_POSITIONS = 256  # PostgreSQL keeps at most 256 positions of a word in a tsvector
BODY_WEIGHT = 0.1  # weight D in ts_rank's default weights (title words carry A, 1.0)
ZETA2 = 1.64493406685  # ts_rank's divisor, π²/6
# The upper ends of the body-count bands (None: no upper end); a class is (t, band).
BANDS = (0, 1, 2, 3, 4, 6, 9, 14, 24, None)
TOP_TITLE = 4  # t >= 4: one class of its own, above all others
TOP = TOP_TITLE * len(BANDS)  # its level
MARGIN = 1e-5  # ts_rank computes in single precision
MAX_EXPANSIONS = 64  # words a prefix may begin for the side index to rank it


def _band(count: int) -> int:
    for index, upper in enumerate(BANDS):
        if upper is None or count <= upper:
            return index
    raise AssertionError("unreachable: the last band has no upper end")


def level(title_count: int, body_count: int) -> int:
    """The class of a word found `title_count` times in the title and `body_count` in the body
    (as PostgreSQL keeps them: at most 256 positions, title ones first)."""
    title_count = min(title_count, MAX_POSITIONS)
    body_count = min(body_count, MAX_POSITIONS - title_count)
    if title_count >= TOP_TITLE:
        return TOP
    return title_count * len(BANDS) + _band(body_count)


def _squares(first: int, last: float) -> float:
    """Σ 1/j² for j from `first` to `last` (inclusive; math.inf for the tail)."""
    if last == math.inf:
        return ZETA2 - sum(1.0 / (j * j) for j in range(1, first))
    return sum(1.0 / (j * j) for j in range(first, int(last) + 1))


def ceiling(at: int) -> float:
    """The highest weight a word of class `at` can have in a document."""
    if at >= TOP:
        return 1.0
    title_count, band = divmod(at, len(BANDS))
    upper = BANDS[band]
    last = math.inf if upper is None else title_count + upper
    return (_squares(1, title_count) + BODY_WEIGHT * _squares(title_count + 1, last)) / ZETA2


def exact(at: int) -> bool:
    """Whether every word of class `at` has the same (t, b), so the same weight."""
    if at >= TOP:
        return False
    band = at % len(BANDS)
    return BANDS[band] is not None and (band == 0 or BANDS[band - 1] + 1 == BANDS[band])


def tier_word(word: str, at: int) -> str:
    return word + MARK + chr(LEVEL_BASE + at)


def pair(first: str, second: str) -> str:
    """The word that marks `first` right before `second` (two Thai words)."""
    return first + PAIR + second


def thai(word: str) -> bool:
    return all("\u0e00" <= ch <= "\u0e7f" for ch in word)


def kept_positions(title_tokens: list[str], body_tokens: list[str]) -> dict[int, str]:
    """Position -> word, as PostgreSQL keeps them in `title || body`: each word's first 256
    positions in the title, then in the body as many as make 256 in all, the body's positions
    after the title's last."""
    kept: dict[int, str] = {}
    in_title: dict[str, int] = {}
    for position, word in enumerate(title_tokens, start=1):
        if in_title.get(word, 0) < MAX_POSITIONS:
            kept[position] = word
        in_title[word] = in_title.get(word, 0) + 1
    shift = max(kept, default=0)
    in_body: dict[str, int] = {}
    for position, word in enumerate(body_tokens, start=1):
        seen = in_body.get(word, 0)
        in_body[word] = seen + 1
        if seen < MAX_POSITIONS and min(in_title.get(word, 0), MAX_POSITIONS) + seen < MAX_POSITIONS:
            kept[position + shift] = word
    return kept


def tier_words(title_tokens: list[str], body_tokens: list[str]) -> list[str]:
    """Each distinct word of a document tagged with its class, and each pair of Thai words one
    right after the other (where PostgreSQL's phrase search would find them), from the tokens it
    is indexed with."""
    counts: dict[str, list[int]] = {}
    for token in title_tokens:
        counts.setdefault(token, [0, 0])[0] += 1
    for token in body_tokens:
        counts.setdefault(token, [0, 0])[1] += 1
    words = [tier_word(word, level(t, b)) for word, (t, b) in counts.items()]
    kept = kept_positions(title_tokens, body_tokens)
    pairs = {pair(word, kept[position + 1]) for position, word in kept.items()
             if position + 1 in kept and thai(word) and thai(kept[position + 1])}
    return words + sorted(pairs)


def vocabulary(tokens) -> set[str]:
    """The words a prefix query could reach (three Latin letters or more at their start)."""
    return {token for token in tokens if len(token) >= 3 and token[:3].isascii() and token[:3].isalpha()}


def cut(counts: list[int], wanted: int, cap: int | None = None) -> int:
    """The highest level whose documents and those above number at least `wanted` (0: all);
    `counts` from the top level down. With `cap`, no lower than where they would pass `cap`:
    then one above the level that would (TOP + 1: none of the word's documents)."""
    seen = 0
    for depth, docs in enumerate(counts):
        if cap is not None and seen + docs > cap:
            return TOP - depth + 1
        seen += docs
        if seen >= wanted:
            return TOP - depth
    return 0


def below(at: int) -> float:
    """The highest weight a word can have in a document where its class is below `at`
    (`at` up to TOP + 1)."""
    return ceiling(at - 1) if at > 0 else 0.0
