"""The full-text part of the index, one implementation per database.

Text is folded and segmented in Python (`thetsaban.thai`) and handed to the database as
ready-made tokens, so both databases see exactly the same words whatever their locale:
SQLite stores them in an FTS5 table, PostgreSQL as tsvector literals with GIN indexes.

Ranking: records whose title matches come first, then the others; within each group the
newest `POOL` matches are ranked by relevance (BM25 on SQLite, ts_rank on PostgreSQL). The
pool bounds the work a query does, so a word found in every record costs the same as a rare
one; the count of matches stays exact.
"""

from dataclasses import dataclass

from django.db import connection

TITLE_WEIGHT = 10.0
MAX_TOKENS = 4000  # enough for any practice; keeps tsvector positions in range
POOL = 200  # matches ranked per group and page; deeper pages widen it


@dataclass
class Hit:
    document_id: int
    rank: float


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_ts(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


# FTS5 rowids carry the kind in their high bits, so a search of one kind is a rowid range
# (which FTS5 seeks to) rather than a join or a second term.
KIND_SHIFT = 40
KIND_NUMBERS = {"practice": 1, "organisation": 2, "person": 3, "lgu": 4}


def fts_rowid(kind: str, document_id: int) -> int:
    return (KIND_NUMBERS[kind] << KIND_SHIFT) + document_id


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


def _split(total_title: int, limit: int, offset: int):
    """Which slice of the title group and of the other group a page needs."""
    title_slice = (offset, max(0, min(limit, total_title - offset))) if offset < total_title else None
    taken = title_slice[1] if title_slice else 0
    rest = limit - taken
    other_slice = (max(0, offset - total_title), rest) if rest > 0 else None
    return title_slice, other_slice


class SqliteBackend:
    """FTS5: title, body and kind columns keyed by the document's id, ranked by weighted BM25."""

    def write(self, cursor, document_id: int, kind: str, title_tokens, body_tokens):
        self.delete(cursor, document_id, kind)
        self.write_many(cursor, [(document_id, kind, title_tokens, body_tokens)])

    def write_many(self, cursor, rows):
        """Add new documents: (id, kind, title tokens, body tokens) each."""
        cursor.executemany(
            "INSERT INTO search_fts(rowid, title, body, kind) VALUES (%s, %s, %s, %s)",
            [(fts_rowid(kind, pk), " ".join(title), " ".join(body[:MAX_TOKENS]), kind_token(kind))
             for pk, kind, title, body in rows],
        )

    def delete(self, cursor, document_id: int, kind: str):
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [fts_rowid(kind, document_id)])

    def delete_kind(self, cursor, kind: str):
        cursor.execute("DELETE FROM search_fts WHERE rowid >= %s AND rowid < %s",
                       [fts_rowid(kind, 0), fts_rowid(kind, 1 << KIND_SHIFT)])

    @staticmethod
    def expression(query: list[list[list[str]]]) -> str:
        """Terms AND-ed; each term an OR of alternative phrases."""
        terms = []
        for alternatives in query:
            phrases = [" + ".join(_quote_fts(t) for t in phrase) for phrase in alternatives]
            terms.append("(" + " OR ".join(phrases) + ")")
        return " AND ".join(terms)

    def _count(self, cursor, match: str, low: int, high: int) -> int:
        cursor.execute(
            "SELECT count(*) FROM search_fts WHERE search_fts MATCH %s AND rowid >= %s AND rowid < %s",
            [match, low, high],
        )
        return cursor.fetchone()[0]

    def _ranked(self, cursor, match: str, low: int, high: int, limit: int, offset: int) -> list[Hit]:
        pool = max(POOL, offset + limit)
        cursor.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s AND rowid >= %s AND rowid < %s"
            " ORDER BY rowid DESC LIMIT 1 OFFSET %s",
            [match, low, high, pool - 1],
        )
        row = cursor.fetchone()
        floor = row[0] if row else low
        cursor.execute(
            f"SELECT rowid, bm25(search_fts, {TITLE_WEIGHT}, 1.0, 0.0) AS score FROM search_fts"
            " WHERE search_fts MATCH %s AND rowid >= %s AND rowid < %s"
            " ORDER BY score, rowid DESC LIMIT %s OFFSET %s",
            [match, floor, high, limit, offset],
        )
        return [Hit(document_id_of(r[0]), -r[1]) for r in cursor.fetchall()]

    def search(self, cursor, query, kinds: list[str] | None, limit: int, offset: int):
        expr = self.expression(query)
        kinds = sorted(set(kinds or [])) if kinds and set(kinds) != set(KIND_NUMBERS) else []
        low, high, kind_filter = 0, 1 << 62, ""
        if len(kinds) == 1:
            low, high = fts_rowid(kinds[0], 0), fts_rowid(kinds[0], 1 << KIND_SHIFT)
        elif kinds:
            kind_filter = " AND {kind} : (" + " OR ".join(_quote_fts(kind_token(k)) for k in kinds) + ")"
        everything = f"({expr}){kind_filter}"
        in_title = f"{{title}} : ({expr}){kind_filter}"
        total = self._count(cursor, everything, low, high)
        title_total = self._count(cursor, in_title, low, high) if total else 0
        title_slice, other_slice = _split(title_total, limit, offset)
        hits = []
        if title_slice and title_slice[1]:
            hits += self._ranked(cursor, in_title, low, high, title_slice[1], title_slice[0])
        if other_slice and total > title_total:
            other = f"{everything} NOT {{title}} : ({expr})"
            hits += self._ranked(cursor, other, low, high, other_slice[1], other_slice[0])
        return total, hits


class PostgresBackend:
    """A narrow search_vector table (vectors out of line, GIN-indexed); title matches first.

    Counting many matches means visiting their heap rows (GIN has no index-only scans), so
    the rows are kept a few dozen bytes wide; plans are pinned to the GIN indexes because a
    sequential scan would read every vector.
    """

    UPSERT = (
        "INSERT INTO search_vector (document_id, kind, title_vector, vector)"
        " VALUES (%s, %s, %s::tsvector, %s::tsvector || %s::tsvector)"
        " ON CONFLICT (document_id) DO UPDATE SET kind = EXCLUDED.kind,"
        " title_vector = EXCLUDED.title_vector, vector = EXCLUDED.vector"
    )

    def _row(self, document_id, kind, title_tokens, body_tokens):
        title = tsvector_literal(title_tokens, "A")
        return (document_id, KIND_NUMBERS[kind], title, title, tsvector_literal(body_tokens, "D"))

    def write(self, cursor, document_id: int, kind: str, title_tokens, body_tokens):
        cursor.execute(self.UPSERT, self._row(document_id, kind, title_tokens, body_tokens))

    def write_many(self, cursor, rows):
        cursor.executemany(self.UPSERT, [self._row(*row) for row in rows])

    def delete(self, cursor, document_id: int, kind: str):
        cursor.execute("DELETE FROM search_vector WHERE document_id = %s", [document_id])

    def delete_kind(self, cursor, kind: str):
        cursor.execute("DELETE FROM search_vector WHERE kind = %s", [KIND_NUMBERS[kind]])

    @staticmethod
    def expression(query: list[list[list[str]]]) -> str:
        terms = []
        for alternatives in query:
            phrases = ["(" + " <-> ".join(_quote_ts(t) for t in phrase) + ")" for phrase in alternatives]
            terms.append("(" + " | ".join(phrases) + ")")
        return " & ".join(terms)

    def _ranked(self, cursor, condition: str, params: list, limit: int, offset: int,
                 matches: int, newest: int, rows: int) -> list[Hit]:
        """Rank the newest `POOL` matches of `condition` (which has `matches` rows)."""
        pool = max(POOL, offset + limit)
        # Look only at the newest ids first (a btree range ANDed with the GIN bitmap), widening
        # the range until it holds the pool; common words are found in a narrow range.
        span = rows if not matches else min(rows, max(pool, int(pool * rows / matches * 2)))
        while True:
            floor = newest - span if span < rows else 0
            cursor.execute(
                "SELECT v.document_id, ts_rank(v.vector, %s::tsquery) AS score FROM search_vector v"
                " JOIN (SELECT document_id FROM search_vector"
                f"       WHERE document_id > %s AND {condition}"
                "       ORDER BY document_id DESC LIMIT %s) AS pool USING (document_id)"
                " ORDER BY score DESC, v.document_id DESC LIMIT %s OFFSET %s",
                [params[0], floor] + params + [pool, limit, offset],
            )
            found = cursor.fetchall()
            if len(found) >= limit or floor == 0:
                return [Hit(r[0], float(r[1])) for r in found]
            span *= 4

    def search(self, cursor, query, kinds: list[str] | None, limit: int, offset: int):
        tsquery = self.expression(query)
        kind_sql, kind_params = "", []
        if kinds and set(kinds) != set(KIND_NUMBERS):
            kind_sql = f" AND kind IN ({', '.join(['%s'] * len(kinds))})"
            kind_params = [KIND_NUMBERS[k] for k in kinds]
        cursor.execute("SELECT coalesce((SELECT max(document_id) FROM search_vector), 0),"
                       " (SELECT reltuples FROM pg_class WHERE relname = 'search_vector')")
        newest, rows = cursor.fetchone()
        rows = max(int(rows or 0), 1)
        # The GIN bitmaps must answer: a sequential scan or a walk down the primary key would
        # read vector after vector. Set for these statements only, then put back as found.
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
        saved = cursor.fetchone()
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)")
        try:
            return self._search(cursor, tsquery, kind_sql, kind_params, limit, offset, newest, rows)
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true), set_config('enable_indexscan', %s, true)",
                           list(saved))

    def _search(self, cursor, tsquery, kind_sql, kind_params, limit, offset, newest, rows):
        cursor.execute(f"SELECT count(*) FROM search_vector WHERE vector @@ %s::tsquery{kind_sql}",
                       [tsquery] + kind_params)
        total = cursor.fetchone()[0]
        title_total = 0
        if total:
            cursor.execute(
                f"SELECT count(*) FROM search_vector WHERE title_vector @@ %s::tsquery{kind_sql}",
                [tsquery] + kind_params)
            title_total = cursor.fetchone()[0]
        title_slice, other_slice = _split(title_total, limit, offset)
        hits = []
        if title_slice and title_slice[1]:
            hits += self._ranked(cursor, "title_vector @@ %s::tsquery" + kind_sql, [tsquery] + kind_params,
                                 title_slice[1], title_slice[0], title_total, newest, rows)
        if other_slice and total > title_total:
            hits += self._ranked(
                cursor, "vector @@ %s::tsquery" + kind_sql + " AND document_id NOT IN ("
                "SELECT document_id FROM search_vector WHERE title_vector @@ %s::tsquery)",
                [tsquery] + kind_params + [tsquery], other_slice[1], other_slice[0], total - title_total,
                newest, rows)
        return total, hits


def backend():
    """The implementation for the database in use."""
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
