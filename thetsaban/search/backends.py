"""The full-text part of the index, one implementation per database.

Text is folded and segmented in Python (`thetsaban.thai`) and handed to the database as
ready-made tokens, so both databases see exactly the same words whatever their locale:
SQLite stores them in an FTS5 table, PostgreSQL as tsvector literals with GIN indexes.

Ranking is one function over every match of the query, computed by the database in the same
statement that filters and pages (no pool, window or cut):

1. records whose title (Thai or English) matches the whole query come first;
2. then by relevance, higher first: on SQLite FTS5's BM25 with the title column weighted
   `TITLE_WEIGHT` times the body (`-bm25()`, so that higher is better); on PostgreSQL
   `ts_rank` of the query's distinct words OR-ed (the average of each word's weight in the
   record, its title occurrences weighted A (1.0) and its body occurrences D (0.1), the same
   ten-to-one);
3. ties by kind, then by the record's own id: a stable key, so pages partition the results.

On SQLite a page of a one- or two-word query is usually taken from an impact-ordered side index
(`thetsaban.search.tiers`), on PostgreSQL a page of a query with many matches from each word's
rank classes (`thetsaban.search.pgtiers`): only the documents where the words weigh most are
scored, by the same function, and the page is used only when no other match can rank above its
last place; otherwise every match is ranked. Either way the page and the count are the same.

`ranking()` gives these as SQL for one kind of record keyed by its own id, so a list of
practices (or any other kind) can filter, count, facet and order by it in its own query.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import connection

from thetsaban.search import pgtiers, tiers
from thetsaban.search.documents import indexes

TITLE_WEIGHT = 10.0
MAX_TOKENS = 4000  # enough for any practice; keeps tsvector positions in range


@dataclass
class Hit:
    document_id: int
    rank: float
    in_title: bool = False


@dataclass
class Ranking:
    """The ranking of one kind of record as SQL fragments, each a (sql, params) pair.

    `matches` selects the ids of the matching records (for `pk IN (...)`); `in_title` and
    `score` are scalar subqueries for one record whose id is the given column (for ORDER BY
    in_title DESC, score DESC, pk).
    """

    matches: tuple[str, list]
    in_title: tuple[str, list]
    score: tuple[str, list]


class WholeWord(list):
    """A one-word phrase known to match only that word: no other indexed word begins with it."""


def _is_prefix(phrase: list[str]) -> bool:
    """English words match the longer words they begin ("waste" finds "wastewater")."""
    if isinstance(phrase, WholeWord):
        return False
    last = phrase[-1]
    return last.isascii() and last.isalpha() and len(last) >= 3


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts_phrase(phrase: list[str]) -> str:
    """A phrase in FTS5's query syntax: its words in sequence, the last one a prefix for English."""
    return " + ".join(_quote_fts(t) for t in phrase) + ("*" if _is_prefix(phrase) else "")


def _quote_ts(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


# FTS5 rowids carry the kind in their high bits, so a search of one kind is a rowid range
# (which FTS5 seeks to) rather than a join or a second term.
KIND_SHIFT = 40


def kind_number(kind: str) -> int:
    """The number that marks `kind` in the full-text tables (declared with the kind, never changed)."""
    return indexes()[kind].number


def fts_rowid(kind: str, document_id: int) -> int:
    return (kind_number(kind) << KIND_SHIFT) + document_id


def document_id_of(rowid: int) -> int:
    return rowid & ((1 << KIND_SHIFT) - 1)


def kind_token(kind: str) -> str:
    """The word that marks a document's kind in the FTS5 table (no query can produce it)."""
    return f"zzkind{kind}"


def tsvector_literal(tokens: list[str], weight: str) -> str:
    """A tsvector in its text form, positions and weights included."""
    positions: dict[str, list[int]] = {}
    for position, token in enumerate(tokens[:MAX_TOKENS], start=1):
        positions.setdefault(token, []).append(position)
    return " ".join(
        f"{_quote_ts(token)}:{','.join(f'{p}{weight}' for p in spots[:256])}"
        for token, spots in positions.items()
    )


class _TitleMatches:
    """The title matches of a search: counted at once, their rowids read only when the side
    index gets as far as ranking candidates (a query whose every match is a title match would
    otherwise bring a hundred thousand rowids into Python for nothing)."""

    def __init__(self, cursor, title_expr, ranges, range_params, count):
        self.cursor, self.title_expr, self.ranges, self.range_params = cursor, title_expr, ranges, range_params
        self.count = count

    @cached_property
    def rowids(self) -> set:
        self.cursor.execute(f"SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND ({self.ranges})",
                            [self.title_expr] + self.range_params)
        return {row[0] for row in self.cursor.fetchall()}


class SqliteBackend:
    """FTS5: title, body and kind columns keyed by kind and document id, ranked by weighted BM25."""

    declined = ""  # why the side index did not answer the last search ("" when it did)

    def write(self, cursor, document_id: int, kind: str, title_tokens, body_tokens):
        self.delete(cursor, document_id, kind)
        self.write_many(cursor, [(document_id, kind, title_tokens, body_tokens)])

    def write_many(self, cursor, rows):
        """Add new documents: (id, kind, title tokens, body tokens) each, with their tiers."""
        texts = [(fts_rowid(kind, pk), kind, " ".join(title), " ".join(body[:MAX_TOKENS]), kind_token(kind))
                 for pk, kind, title, body in rows]
        by_kind: dict[str, list] = {}
        for rowid, kind, title, body, token in texts:
            by_kind.setdefault(kind, []).append((rowid, tiers.words_and_length(title, body, token)))
        # Before the rows go in: a kind that starts empty fixes its reference length here.
        references = {kind: tiers.kind_reference(cursor, kind_number(kind), fts_rowid(kind, 0),
                                                 fts_rowid(kind, 1 << KIND_SHIFT),
                                                 [length for _rowid, (_t, _b, length) in documents])
                      for kind, documents in by_kind.items()}
        cursor.executemany(
            "INSERT INTO search_fts(rowid, title, body, kind) VALUES (%s, %s, %s, %s)",
            [(rowid, title, body, token) for rowid, _kind, title, body, token in texts],
        )
        for kind, documents in by_kind.items():
            if references[kind] <= 0:
                continue  # indexed before the side index: complete only after a rebuild
            cursor.executemany(
                "INSERT INTO search_tier(rowid, tiers) VALUES (%s, %s)",
                [(rowid, tiers.tier_text(title, body, length, references[kind], TITLE_WEIGHT))
                 for rowid, (title, body, length) in documents],
            )

    def delete(self, cursor, document_id: int, kind: str):
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [fts_rowid(kind, document_id)])
        cursor.execute("DELETE FROM search_tier WHERE rowid = %s", [fts_rowid(kind, document_id)])

    def delete_kind(self, cursor, kind: str):
        bounds = [fts_rowid(kind, 0), fts_rowid(kind, 1 << KIND_SHIFT)]
        cursor.execute("DELETE FROM search_fts WHERE rowid >= %s AND rowid < %s", bounds)
        cursor.execute("DELETE FROM search_tier WHERE rowid >= %s AND rowid < %s", bounds)
        cursor.execute("DELETE FROM search_tier_kind WHERE kind = %s", [kind_number(kind)])

    def optimize(self, cursor):
        """Merge the full-text tables' segments (after a rebuild)."""
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        cursor.execute("INSERT INTO search_tier(search_tier) VALUES ('optimize')")

    def indexed_count(self, cursor, kind: str) -> int:
        cursor.execute("SELECT count(*) FROM search_fts WHERE rowid >= %s AND rowid < %s",
                       [fts_rowid(kind, 0), fts_rowid(kind, 1 << KIND_SHIFT)])
        return cursor.fetchone()[0]

    @staticmethod
    def expression(query: list[list[list[str]]]) -> str:
        """Terms AND-ed; each term an OR of alternative phrases (a trailing * matches a prefix)."""
        terms = []
        for alternatives in query:
            phrases = [_fts_phrase(phrase) for phrase in alternatives]
            terms.append("(" + " OR ".join(phrases) + ")")
        return " AND ".join(terms)

    def _where(self, query, kinds):
        """The match condition over search_fts joined to its documents `d`, and its parameters."""
        expr = self.expression(query)
        sql = "search_fts MATCH %s"
        params: list = [expr]
        kinds = sorted(set(kinds or []))
        if len(kinds) == 1:
            sql += " AND search_fts.rowid >= %s AND search_fts.rowid < %s"
            params += [fts_rowid(kinds[0], 0), fts_rowid(kinds[0], 1 << KIND_SHIFT)]
        elif kinds:
            sql += f" AND d.kind IN ({', '.join(['%s'] * len(kinds))})"
            params += kinds
        return expr, sql, params

    JOIN = f"search_searchdocument d ON d.id = (search_fts.rowid & {(1 << KIND_SHIFT) - 1})"
    SCORE = f"-bm25(search_fts, {TITLE_WEIGHT}, 1.0, 0.0)"

    def _in_title(self, expr):
        return ("(search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))",
                [f"{{title}} : ({expr})"])

    @staticmethod
    def _ranges(kinds):
        """The rowid ranges of the kinds searched (FTS5 seeks to one range), or no condition."""
        kinds = sorted(set(kinds or []))
        if not kinds or set(kinds) == set(indexes()):
            return "1", []
        sql = " OR ".join(["(rowid >= %s AND rowid < %s)"] * len(kinds))
        return sql, [bound for kind in kinds for bound in (fts_rowid(kind, 0), fts_rowid(kind, 1 << KIND_SHIFT))]

    def search(self, cursor, query, kinds: list[str] | None, limit: int, offset: int):
        """One page in the documented order, and the exact count.

        Each match's title flag and score are computed once (a materialised table); only the
        matches ranked at or above the page's last place (ties included) are joined to their
        documents for the tie-break, so the join and sort stay page-sized however many match.
        When the title matches alone fill the page, only they are scored, and the rest is
        just counted.
        """
        query = self._whole_words(cursor, query)
        expr = self.expression(query)
        title_expr = f"{{title}} : ({expr})"
        ranges, range_params = self._ranges(kinds)
        wanted = offset + limit
        cursor.execute(f"SELECT count(*) FROM search_fts WHERE search_fts MATCH %s AND ({ranges})",
                       [title_expr] + range_params)
        in_titles = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM search_fts WHERE search_fts MATCH %s AND ({ranges})",
                       [expr] + range_params)
        total = cursor.fetchone()[0]
        if total == 0 or offset >= total:
            return total, []
        titled = _TitleMatches(cursor, title_expr, ranges, range_params, in_titles)
        hits = self._top(cursor, query, kinds, expr, ranges, range_params, limit, offset, titled, total)
        if hits is not None:
            return total, hits
        if in_titles in (0, total):
            # Every match is a title match, or none is (the title matches are some of the
            # matches): the title flag is the same for all, and only the scores are computed.
            matches = (f"SELECT rowid AS id, {int(in_titles > 0)} AS in_title, {self.SCORE} AS score"
                       f" FROM search_fts WHERE search_fts MATCH %s AND ({ranges})")
            params = [expr] + range_params
        elif in_titles >= wanted:
            matches = (f"SELECT rowid AS id, 1 AS in_title, {self.SCORE} AS score FROM search_fts"
                       # `+rowid`: one pass over the match testing the title set, not one
                       # FTS5 query per title match
                       f" WHERE search_fts MATCH %s AND +rowid IN (SELECT rowid FROM search_fts"
                       f" WHERE search_fts MATCH %s AND ({ranges}))")
            params = [expr, title_expr] + range_params
        else:
            matches = (f"SELECT rowid AS id, rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)"
                       f" AS in_title, {self.SCORE} AS score FROM search_fts"
                       f" WHERE search_fts MATCH %s AND ({ranges})")
            params = [title_expr, expr] + range_params
        cursor.execute(
            f"WITH m AS MATERIALIZED ({matches}),"
            " edge AS (SELECT in_title, score FROM m ORDER BY in_title DESC, score DESC LIMIT 1 OFFSET %s)"
            f" SELECT d.id, m.in_title, m.score FROM m JOIN search_searchdocument d ON d.id = (m.id & {(1 << KIND_SHIFT) - 1})"
            " WHERE NOT EXISTS (SELECT 1 FROM edge) OR m.in_title > (SELECT in_title FROM edge)"
            " OR (m.in_title = (SELECT in_title FROM edge) AND m.score >= (SELECT score FROM edge))"
            " ORDER BY m.in_title DESC, m.score DESC, d.kind, d.object_id LIMIT %s OFFSET %s",
            params + [wanted - 1, limit, offset],
        )
        return total, [Hit(r[0], r[2], bool(r[1])) for r in cursor.fetchall()]

    def _complete_tiers(self, cursor, kinds) -> dict | None:
        """The reference lengths of `kinds` (number -> avgdl), or None when one of them has
        documents indexed before the side index existed."""
        cursor.execute("SELECT kind, avgdl FROM search_tier_kind")
        references = dict(cursor.fetchall())
        for kind in kinds:
            if kind_number(kind) not in references:
                cursor.execute("SELECT 1 FROM search_fts WHERE rowid >= %s AND rowid < %s LIMIT 1",
                               [fts_rowid(kind, 0), fts_rowid(kind, 1 << KIND_SHIFT)])
                if cursor.fetchone() is not None:
                    return None
        return references

    def _whole_words(self, cursor, query):
        """`query` with each one-word prefix that begins only one indexed word written as that
        word: the same matches and the same bm25() (same frequencies, same document count),
        found without expanding the prefix, and open to the side index."""
        prefixes = [phrase[0] for alternatives in query for phrase in alternatives
                    if len(phrase) == 1 and _is_prefix(phrase) and not phrase[0].startswith("zz")]
        if not prefixes or self._complete_tiers(cursor, list(indexes())) is None:
            return query
        single = {}
        for prefix in prefixes:
            cursor.execute("SELECT term FROM search_tier_vocab WHERE term >= %s AND term < %s",
                           [prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)])
            words = {term.split(tiers.MARK)[0] for (term,) in cursor.fetchall()}
            if len(words) == 1:
                single[prefix] = words.pop()
        return [[WholeWord([single[phrase[0]]]) if len(phrase) == 1 and phrase[0] in single
                 and _is_prefix(phrase) else phrase for phrase in alternatives] for alternatives in query]

    def _top(self, cursor, query, kinds, expr, ranges, range_params, limit, offset, titled, total):
        """The page from the side index's highest levels, when provably the exhaustive ranking's
        page (see `thetsaban.search.tiers`); None otherwise."""
        self.declined = tiers.declined(query)  # why not, for the benchmark's slowest queries
        if self.declined:
            return None
        phrases = [phrase for alternatives in query for phrase in alternatives]
        searched = sorted(set(kinds or indexes()))
        references = self._complete_tiers(cursor, searched)
        if references is None:
            self.declined = "indexed before the side index"
            return None
        factor = 1.0
        rows, avgdl = tiers.averages(cursor)
        for kind in searched:
            if kind_number(kind) in references:
                factor = max(factor, avgdl / references[kind_number(kind)])
        idfs, levels, expansions = [], {}, []
        for phrase in phrases:
            if _is_prefix(phrase):
                # A prefix's frequency is the sum of its words' and g(f1 + f2) <= g(f1) + g(f2):
                # its bound is the sum of its words' cuts, its candidates theirs together.
                found = tiers.prefix_levels(cursor, phrase[0])
                if len(found) > tiers.MAX_EXPANSIONS:
                    self.declined = f"prefix of {len(found)} words"
                    return None
                levels.update(found)
                expansions.append(sorted(found))
            else:
                levels.update((word, tiers.levels_of(cursor, word)) for word in phrase if word not in levels)
                expansions.append(None)
        words = sorted(levels)
        wanted = offset + limit
        for multiple in tiers.TRIES:
            cuts = {word: tiers.cut(levels[word], multiple * wanted + 50) for word in words}
            if sum(docs for word in words for at, docs in levels[word] if at >= cuts[word]) > tiers.MAX_CANDIDATES:
                self.declined = f"too many candidates at {multiple}x"
                return None
            hits = self._rank_candidates(cursor, expr, ranges, range_params, levels, cuts, titled, wanted)
            if len(hits) == total:
                return [Hit(h[4], h[2], bool(h[1])) for h in hits[offset:wanted]]
            if len(hits) < wanted:
                continue
            if not idfs:  # counted only now: a query with too many candidates never needs them
                for phrase in phrases:
                    cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [_fts_phrase(phrase)])
                    idfs.append(tiers.idf(rows, cursor.fetchone()[0]))
            bound = factor * sum(idf * (min(cuts[word] for word in phrase) if expanded is None
                                        else sum(cuts[word] for word in expanded)) / tiers.STEPS
                                 for idf, phrase, expanded in zip(idfs, phrases, expansions, strict=True))
            bound = bound * (1 + 1e-9) + 1e-12
            edge_title, edge_score = hits[wanted - 1][1], hits[wanted - 1][2]
            other_title = titled.count > sum(1 for h in hits if h[1])  # a title match among the rest
            if edge_title > other_title or (edge_title == other_title and edge_score > bound):
                return [Hit(h[4], h[2], bool(h[1])) for h in hits[offset:wanted]]
        self.declined = "deeper cut failed"
        return None

    def _rank_candidates(self, cursor, expr, ranges, range_params, levels, cuts, titled, wanted):
        """The candidates that match, each (rowid, in_title, score, (kind, object_id), document id),
        in the documented order."""
        terms = [_quote_fts(tiers.tier_word(word, at)) for word, found in levels.items()
                 for at, _docs in found if at >= cuts[word]]
        found = set()
        if terms:
            cursor.execute(f"SELECT rowid FROM search_tier WHERE search_tier MATCH %s AND ({ranges})",
                           [" OR ".join(terms)] + range_params)
            found = {int(row[0]) for row in cursor.fetchall()}
        if titled.count <= tiers.MAX_CANDIDATES // 2:
            found |= titled.rowids  # title matches come first: with them all, the rest need no title check
        candidates = ", ".join(str(rowid) for rowid in sorted(found))
        if not candidates:
            return []
        # `+rowid`: one pass over the match scoring only the candidates (a seek per candidate
        # would make bm25() count each phrase's documents again for every one).
        cursor.execute(f"SELECT rowid, {self.SCORE} FROM search_fts WHERE search_fts MATCH %s"
                       f" AND +rowid IN ({candidates})", [expr])
        scores = dict(cursor.fetchall())
        if not scores:
            return []
        mask = (1 << KIND_SHIFT) - 1
        order = sorted(((rowid not in titled.rowids, -score, rowid) for rowid, score in scores.items()))
        # Only the places up to the page's end (and ties with its last) need the tie-break key.
        edge = order[min(wanted, len(order)) - 1][:2]
        head = [row for row in order if row[:2] <= edge]
        cursor.execute("SELECT id, kind, object_id FROM search_searchdocument"
                       f" WHERE id IN ({', '.join(str(row[2] & mask) for row in head)})")
        keys = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        hits = [(rowid, not untitled, -negative, keys.get(rowid & mask, ("", 0)), rowid & mask)
                for untitled, negative, rowid in head]
        hits.sort(key=lambda h: (not h[1], -h[2], h[3]))
        return hits + [(rowid, not untitled, -negative, None, rowid & mask)
                       for untitled, negative, rowid in order[len(head):]]

    def ranking(self, query, kind: str, pk_column: str) -> Ranking:
        """SQL for records of `kind` whose primary key is `pk_column` (see `Ranking`).

        Every match's title flag and score are computed in one pass over the index, into a
        materialised table that each record looks itself up in. A query per record would not
        do: bm25() counts the documents holding each word (its idf) afresh for every FTS5 query,
        so ranking n matches that way costs n passes over n matches."""
        expr, where, params = self._where(query, [kind])
        in_title, title_params = self._in_title(expr)
        scored = (f"WITH search_scored AS MATERIALIZED (SELECT d.object_id AS object_id,"
                  f" {in_title} AS in_title, {self.SCORE} AS score"
                  f" FROM search_fts JOIN {self.JOIN} WHERE {where})")
        scored_params = title_params + params
        return Ranking(
            matches=(f"SELECT d.object_id FROM search_fts JOIN {self.JOIN} WHERE {where}", params),
            in_title=(f"({scored} SELECT in_title FROM search_scored WHERE object_id = {pk_column})",
                      scored_params),
            score=(f"({scored} SELECT score FROM search_scored WHERE object_id = {pk_column})", scored_params),
        )


class PostgresBackend:
    """A narrow search_vector table, GIN-indexed, ranked by `ts_rank` of the query's words OR-ed.

    A page of a query with many matches is usually taken from the words' rank classes
    (`thetsaban.search.pgtiers`): only the documents in each word's highest classes are ranked,
    and the page is used only when no other match can rank above its last place; otherwise
    every match is ranked. Either way the page and the count are the same.

    Not RUM: its distance `vector <=> query` gives one row different values depending on the
    rows scored before it (with the phrase alternatives Thai compounds produce), so it cannot be
    an exact, stable ranking.
    """

    SCORE = "ts_rank(v.vector, %s::tsquery)"
    SMALL = 200  # matches that are ranked outright: as quick as any cut
    TRIES = (4, 40)  # candidates per word, as multiples of the places wanted
    MAX_CANDIDATES = 1500  # candidates ranked (each vector read out of line) at most
    RANKED_OUTRIGHT = MAX_CANDIDATES  # unless one class ties them, so many matches are all ranked
    declined = ""  # why the rank classes did not answer the last search ("" when they did)

    UPSERT = (
        "INSERT INTO search_vector (document_id, kind, title_vector, vector, tier_vector, object_id)"
        " VALUES (%s, %s, %s::tsvector, %s::tsvector || %s::tsvector, %s::tsvector,"
        " (SELECT object_id FROM search_searchdocument WHERE id = %s))"
        " ON CONFLICT (document_id) DO UPDATE SET kind = EXCLUDED.kind,"
        " title_vector = EXCLUDED.title_vector, vector = EXCLUDED.vector,"
        " tier_vector = EXCLUDED.tier_vector, object_id = EXCLUDED.object_id"
    )

    def _row(self, document_id, kind, title_tokens, body_tokens):
        title_tokens, body_tokens = title_tokens[:MAX_TOKENS], body_tokens[:MAX_TOKENS]
        title = tsvector_literal(title_tokens, "A")
        tiers_text = " ".join(_quote_ts(word) for word in pgtiers.tier_words(title_tokens, body_tokens))
        return (document_id, kind_number(kind), title, title, tsvector_literal(body_tokens, "D"), tiers_text,
                document_id)

    def write(self, cursor, document_id: int, kind: str, title_tokens, body_tokens):
        self.write_many(cursor, [(document_id, kind, title_tokens, body_tokens)])

    def write_many(self, cursor, rows):
        cursor.executemany(self.UPSERT, [self._row(*row) for row in rows])
        terms = set()
        for _pk, _kind, title_tokens, body_tokens in rows:
            terms |= pgtiers.vocabulary(title_tokens[:MAX_TOKENS])
            terms |= pgtiers.vocabulary(body_tokens[:MAX_TOKENS])
        if terms:  # sorted: concurrent writers take the rows' locks in the same order
            cursor.execute("INSERT INTO search_term (term) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                           [sorted(terms)])

    def delete(self, cursor, document_id: int, kind: str):
        cursor.execute("DELETE FROM search_vector WHERE document_id = %s", [document_id])

    def delete_kind(self, cursor, kind: str):
        cursor.execute("DELETE FROM search_vector WHERE kind = %s", [kind_number(kind)])

    def optimize(self, cursor):
        """Fresh planner statistics for the tables searches read (after a rebuild)."""
        cursor.execute("ANALYZE search_vector")

    def indexed_count(self, cursor, kind: str) -> int:
        cursor.execute("SELECT count(*) FROM search_vector WHERE kind = %s", [kind_number(kind)])
        return cursor.fetchone()[0]

    @staticmethod
    def expression(query: list[list[list[str]]]) -> str:
        terms = []
        for alternatives in query:
            phrases = ["(" + " <-> ".join(_quote_ts(t) for t in phrase)
                       + (":*" if _is_prefix(phrase) else "") + ")" for phrase in alternatives]
            terms.append("(" + " | ".join(phrases) + ")")
        return " & ".join(terms)

    @staticmethod
    def operands(query) -> list[tuple[str, bool]]:
        """The query's distinct words, each with whether it is a prefix (anywhere in the query)."""
        found: dict[str, bool] = {}
        for alternatives in query:
            for phrase in alternatives:
                for position, word in enumerate(phrase):
                    found[word] = found.get(word, False) or (position == len(phrase) - 1 and _is_prefix(phrase))
        return sorted(found.items())

    def ranked(self, query) -> str:
        """The query ranked by: its distinct words OR-ed (ts_rank then averages their weights)."""
        return " | ".join(_quote_ts(word) + (":*" if prefix else "") for word, prefix in self.operands(query))

    @staticmethod
    def tier_expression(query) -> str | None:
        """`query` over the rank classes' vector: the same matches, found in the GIN index alone
        with no positions to check (a word as any of its classes, a prefix as any word it
        begins, two Thai words in a row as their pair); None when a phrase is not of two Thai
        words."""
        terms = []
        for alternatives in query:
            phrases = []
            for phrase in alternatives:
                if len(phrase) == 1:
                    word = phrase[0]
                    phrases.append(_quote_ts(word if _is_prefix(phrase) else word + pgtiers.MARK) + ":*")
                elif len(phrase) == 2 and all(pgtiers.thai(word) for word in phrase):
                    phrases.append(_quote_ts(pgtiers.pair(*phrase)))
                else:
                    return None
            terms.append("(" + " | ".join(phrases) + ")")
        return " & ".join(terms)

    JOIN = "search_searchdocument d ON d.id = v.document_id"

    def _where(self, query, kinds, tiered=False):
        """The match condition and its parameters; `tiered` (every document of `kinds` has its
        classes): over the classes' vector when the query can be written there."""
        tsquery = self.expression(query)
        tier_query = self.tier_expression(query) if tiered else None
        if tier_query:
            sql, params = "v.tier_vector @@ %s::tsquery", [tier_query]
        else:
            sql, params = "v.vector @@ %s::tsquery", [tsquery]
        sql_kinds, kind_params = self._kinds(kinds)
        return tsquery, sql + sql_kinds, params + kind_params

    @staticmethod
    def _kinds(kinds):
        if kinds and set(kinds) != set(indexes()):
            return (f" AND v.kind IN ({', '.join(['%s'] * len(set(kinds)))})",
                    [kind_number(k) for k in sorted(set(kinds))])
        return "", []

    def search(self, cursor, query, kinds: list[str] | None, limit: int, offset: int):
        complete = self._complete(cursor, kinds)
        tsquery, where, params = self._where(query, kinds, tiered=complete)
        ranked = self.ranked(query)
        window, total = ", count(*) OVER () AS total", None
        self.declined = "not tried"
        if complete:
            cursor.execute(f"SELECT count(*) FROM search_vector v WHERE {where}", params)
            total = cursor.fetchone()[0]
            if total == 0 or offset >= total:
                return total, []
            window = ""
            self.declined = "few matches"
            if total > self.SMALL:
                hits = self._top(cursor, query, kinds, tsquery, ranked, where, params, limit, offset, total)
                if hits is not None:
                    return total, hits
        else:
            self.declined = "indexed before the rank classes"
        # The matches first, on their own (the GIN index), then scored and ordered: with LIMIT
        # in the same statement the planner may prefer reading the whole table in order.
        cursor.execute(
            f"WITH m AS MATERIALIZED (SELECT v.document_id, v.title_vector @@ %s::tsquery AS in_title,"
            f" {self.SCORE} AS score{window} FROM search_vector v WHERE {where})"
            " SELECT d.id, m.in_title, m.score" + (", m.total" if window else "") +
            " FROM m JOIN search_searchdocument d ON d.id = m.document_id"
            " ORDER BY m.in_title DESC, m.score DESC, d.kind, d.object_id LIMIT %s OFFSET %s",
            [tsquery, ranked] + params + [limit, offset],
        )
        rows = cursor.fetchall()
        if total is None:
            if not rows:
                cursor.execute(f"SELECT count(*) FROM search_vector v WHERE {where}", params)
                return cursor.fetchone()[0], []
            total = rows[0][3]
        return total, [Hit(r[0], float(r[2]), r[1]) for r in rows]

    def _complete(self, cursor, kinds) -> bool:
        """Whether every document of `kinds` has its rank classes (those indexed before they
        existed have none until a rebuild)."""
        numbers = [kind_number(k) for k in sorted(set(kinds or indexes()))]
        cursor.execute("SELECT 1 FROM search_vector WHERE tier_vector IS NULL AND kind = ANY(%s) LIMIT 1",
                       [numbers])
        return cursor.fetchone() is None

    @staticmethod
    def _classes(levels) -> str:
        """A tsquery over the rank classes' vector: any of the (word, class) pairs given."""
        return " | ".join(_quote_ts(pgtiers.tier_word(word, at)) for word, at in levels)

    def _counts(self, cursor, counts: dict, word: str, wanted: int, cap: int | None = None) -> int:
        """The cut for `word` (see `pgtiers.cut`), counting its classes from the top down, a few
        at a time, only as far as needed (`counts` keeps them between tries)."""
        have = counts.setdefault(word, [])
        while sum(have) < wanted and len(have) <= pgtiers.TOP:
            levels = range(pgtiers.TOP - len(have), max(-1, pgtiers.TOP - len(have) - 10), -1)
            # Every kind's documents: at least the searched ones', and read from the index alone.
            cursor.execute("SELECT " + ", ".join(
                ["(SELECT count(*) FROM search_vector WHERE tier_vector @@ %s::tsquery)"] * len(levels)),
                [self._classes([(word, at)]) for at in levels])
            have.extend(cursor.fetchone())
        return pgtiers.cut(have, wanted, cap)

    def _top(self, cursor, query, kinds, tsquery, ranked, where, params, limit, offset, total):
        """The page from the words' highest rank classes, when provably the exhaustive ranking's
        page (see `thetsaban.search.pgtiers`); None otherwise."""
        operands = self.operands(query)
        expansions = []
        for word, prefix in operands:
            if not prefix:
                expansions.append([word])
                continue
            cursor.execute("SELECT term FROM search_term WHERE term >= %s AND term < %s",
                           [word, word[:-1] + chr(ord(word[-1]) + 1)])
            found = [row[0] for row in cursor.fetchall()]
            if len(found) > pgtiers.MAX_EXPANSIONS:
                self.declined = f"prefix of {len(found)} words"
                return None
            expansions.append(found)
        words = sorted({word for found in expansions for word in found})
        wanted = offset + limit
        counts: dict[str, list[int]] = {}
        if len(expansions) == 1 and expansions[0]:
            # One word, or a prefix and the words it begins.
            hits = self._tied(cursor, expansions[0], kinds, tsquery, ranked, counts, wanted)
            if hits is not None:
                self.declined = ""
                return hits[offset:wanted]
        if total <= self.RANKED_OUTRIGHT:
            self.declined = "no more matches than candidates"  # ranking them all is as quick
            return None
        sql_kinds, kind_params = self._kinds(kinds)
        cursor.execute(f"SELECT count(*) FROM search_vector v WHERE v.title_vector @@ %s::tsquery{sql_kinds}",
                       [tsquery] + kind_params)
        in_titles = cursor.fetchone()[0]
        with_titles = in_titles <= self.MAX_CANDIDATES // 2
        tried = None
        for multiple in self.TRIES:
            # Each word's candidates stay within its share of the limit: a word too common to
            # take in full is bounded by its highest class instead.
            cuts = {word: self._counts(cursor, counts, word, multiple * wanted + 50,
                                       self.MAX_CANDIDATES // len(words)) for word in words}
            if cuts == tried:
                break  # a deeper cut would take the same candidates
            tried = cuts
            levels = [(word, pgtiers.TOP - depth) for word in words
                      for depth, docs in enumerate(counts[word]) if docs and pgtiers.TOP - depth >= cuts[word]]
            if sum(counts[word][pgtiers.TOP - at] for word, at in levels) > self.MAX_CANDIDATES:
                self.declined = f"too many candidates at {multiple}x"
                return None
            candidates = self._classes(levels)
            conditions, condition_params = [], []
            if candidates:
                conditions.append("v.tier_vector @@ %s::tsquery")
                condition_params.append(candidates)
            if with_titles:
                conditions.append("v.title_vector @@ %s::tsquery")
                condition_params.append(tsquery)
            if not conditions:
                continue  # every word too common to take any of its documents
            cursor.execute(
                f"SELECT d.id, v.title_vector @@ %s::tsquery AS in_title, {self.SCORE} AS score"
                f" FROM search_vector v JOIN {self.JOIN} WHERE ({' OR '.join(conditions)}) AND {where}"
                " ORDER BY in_title DESC, score DESC, d.kind, d.object_id",
                [tsquery, ranked] + condition_params + params,
            )
            hits = cursor.fetchall()
            if len(hits) == total:
                self.declined = ""
                return [Hit(r[0], float(r[2]), r[1]) for r in hits[offset:wanted]]
            if len(hits) < wanted:
                continue
            bound = sum(sum(pgtiers.below(cuts[word]) for word in found) for found in expansions) / len(operands)
            bound = bound * (1 + pgtiers.MARGIN) + 1e-9
            edge_title, edge_score = hits[wanted - 1][1], hits[wanted - 1][2]
            other_title = in_titles > sum(1 for h in hits if h[1])  # a title match among the rest
            if edge_title > other_title or (edge_title == other_title and edge_score > bound):
                self.declined = ""
                return [Hit(r[0], float(r[2]), r[1]) for r in hits[offset:wanted]]
        self.declined = "deeper cut failed"
        return None

    def _tied(self, cursor, words, kinds, tsquery, ranked, counts, wanted):
        """The first `wanted` places of a one-word query (or a prefix: `words` are those it begins)
        where one word is common and the others are rare, when the last place falls in a class of
        the common word whose documents all weigh the same (the same title and body counts);
        None otherwise.

        A document holding the common word alone has its class's title flag and weight, so its
        place is decided by its class but for ties. The candidates: every document of the rare
        words (ranked exactly), the common word's classes above that class, and that class's
        first documents in the tie-break order, as many as the places wanted and the rare words'
        documents together, taken from search_vector alone.
        """
        cap = self.MAX_CANDIDATES
        for word in words:
            self._counts(cursor, counts, word, cap + 1)  # a rare word's classes, all of them
        common = [word for word in words if sum(counts[word]) > cap]
        if len(common) != 1:
            return None
        word = common[0]
        rare = [(other, pgtiers.TOP - depth) for other in words if other != word
                for depth, docs in enumerate(counts[other]) if docs]
        enough = wanted + sum(sum(counts[other]) for other in words if other != word)
        at = self._counts(cursor, counts, word, enough)
        if at == 0 or not pgtiers.exact(at):
            return None
        sql_kinds, kind_params = self._kinds(kinds)
        # The tie-break orders by kind name, then record id; kinds are numbered in another order.
        names = sorted(indexes())
        order = ("CASE v.kind " + " ".join(f"WHEN {kind_number(name)} THEN {place}" for place, name in enumerate(names))
                 + " END") if len(set(kinds or names)) > 1 else "v.kind"
        others = rare + [(word, level) for level in range(at + 1, pgtiers.TOP + 1) if counts[word][pgtiers.TOP - level]]
        ids = []
        if others:
            cursor.execute(f"SELECT v.document_id FROM search_vector v WHERE v.tier_vector @@ %s::tsquery{sql_kinds}",
                           [self._classes(others)] + kind_params)
            ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT v.document_id FROM search_vector v WHERE v.tier_vector @@ %s::tsquery{sql_kinds}"
                       f" ORDER BY {order}, v.object_id LIMIT %s",
                       [self._classes([(word, at)])] + kind_params + [enough])
        tied = [row[0] for row in cursor.fetchall()]
        if len(tied) < enough:
            return None  # the class holds fewer of the kinds searched than its count of every kind
        cursor.execute(
            f"SELECT d.id, v.title_vector @@ %s::tsquery AS in_title, {self.SCORE} AS score"
            f" FROM search_vector v JOIN {self.JOIN} WHERE v.document_id = ANY(%s)"
            " ORDER BY in_title DESC, score DESC, d.kind, d.object_id",
            [tsquery, ranked, sorted(set(ids + tied))])
        return [Hit(r[0], float(r[2]), r[1]) for r in cursor.fetchall()]

    def ranking(self, query, kind: str, pk_column: str) -> Ranking:
        tsquery, where, params = self._where(query, [kind])
        row = (f"FROM search_vector v JOIN {self.JOIN} WHERE {where}"
               f" AND d.kind = %s AND d.object_id = {pk_column}")
        return Ranking(
            matches=(f"SELECT d.object_id FROM search_vector v JOIN {self.JOIN} WHERE {where}", params),
            in_title=(f"(SELECT v.title_vector @@ %s::tsquery {row})", [tsquery] + params + [kind]),
            score=(f"(SELECT {self.SCORE} {row})", [self.ranked(query)] + params + [kind]),
        )


def backend():
    """The implementation for the database in use."""
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
