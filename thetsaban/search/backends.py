"""The full-text part of the index, one implementation per database.

Text is folded and segmented in Python (`thetsaban.thai.tokens`) and handed to the database
as ready-made tokens, so both databases see exactly the same words whatever their locale:
SQLite stores them in an FTS5 table, PostgreSQL as tsvector literals with a GIN index.
"""

from dataclasses import dataclass

from django.db import connection

TITLE_WEIGHT = 10.0
MAX_TOKENS = 4000  # enough for any practice; keeps tsvector positions in range


@dataclass
class Hit:
    document_id: int
    rank: float


def _quote_fts(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _quote_ts(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens: list[str], weight: str) -> str:
    """A tsvector in its text form, positions and weights included."""
    positions: dict[str, list[int]] = {}
    for position, token in enumerate(tokens[:MAX_TOKENS], start=1):
        positions.setdefault(token, []).append(position)
    return " ".join(
        f"{_quote_ts(token)}:{','.join(f'{p}{weight}' for p in spots[:256])}"
        for token, spots in positions.items()
    )


class SqliteBackend:
    """FTS5: a table of token text keyed by the document's id, ranked by weighted BM25."""

    def write(self, cursor, document_id: int, title_tokens: list[str], body_tokens: list[str]):
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document_id])
        cursor.execute(
            "INSERT INTO search_fts(rowid, title, body) VALUES (%s, %s, %s)",
            [document_id, " ".join(title_tokens), " ".join(body_tokens[:MAX_TOKENS])],
        )

    def delete(self, cursor, document_id: int):
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [document_id])

    def delete_kind(self, cursor, kind: str):
        cursor.execute(
            "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_searchdocument WHERE kind = %s)",
            [kind],
        )

    @staticmethod
    def expression(query: list[list[list[str]]]) -> str:
        """Terms AND-ed; each term an OR of alternative phrases."""
        terms = []
        for alternatives in query:
            phrases = [" + ".join(_quote_fts(t) for t in phrase) for phrase in alternatives]
            terms.append("(" + " OR ".join(phrases) + ")")
        return " AND ".join(terms)

    def search(self, cursor, query, kinds: list[str] | None, limit: int, offset: int):
        match = self.expression(query)
        kind_sql, params = "", [match]
        if kinds:
            kind_sql = f" AND d.kind IN ({', '.join(['%s'] * len(kinds))})"
            params += kinds
        cursor.execute(
            "SELECT count(*) FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid"
            f" WHERE search_fts MATCH %s{kind_sql}",
            params,
        )
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT search_fts.rowid, bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS score"
            " FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid"
            f" WHERE search_fts MATCH %s{kind_sql} ORDER BY score LIMIT %s OFFSET %s",
            params + [limit, offset],
        )
        return total, [Hit(row[0], -row[1]) for row in cursor.fetchall()]


class PostgresBackend:
    """tsvector columns written from token literals; title matches rank first."""

    def write(self, cursor, document_id: int, title_tokens: list[str], body_tokens: list[str]):
        title = tsvector_literal(title_tokens, "A")
        body = tsvector_literal(body_tokens, "D")
        cursor.execute(
            "UPDATE search_searchdocument SET title_vector = %s::tsvector,"
            " vector = %s::tsvector || %s::tsvector WHERE id = %s",
            [title, title, body, document_id],
        )

    def delete(self, cursor, document_id: int):
        """The vectors live in the document's own row and go with it."""

    def delete_kind(self, cursor, kind: str):
        """The vectors go with the document rows."""

    @staticmethod
    def expression(query: list[list[list[str]]]) -> str:
        terms = []
        for alternatives in query:
            phrases = ["(" + " <-> ".join(_quote_ts(t) for t in phrase) + ")" for phrase in alternatives]
            terms.append("(" + " | ".join(phrases) + ")")
        return " & ".join(terms)

    def search(self, cursor, query, kinds: list[str] | None, limit: int, offset: int):
        tsquery = self.expression(query)
        kind_sql, params = "", [tsquery]
        if kinds:
            kind_sql = f" AND kind IN ({', '.join(['%s'] * len(kinds))})"
            params += kinds
        cursor.execute(
            f"SELECT count(*) FROM search_searchdocument WHERE vector @@ %s::tsquery{kind_sql}",
            params,
        )
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id, (title_vector @@ q)::int + ts_rank(vector, q) AS score"
            " FROM search_searchdocument, CAST(%s AS tsquery) AS q"
            f" WHERE vector @@ q{kind_sql} ORDER BY score DESC, id LIMIT %s OFFSET %s",
            params + [limit, offset],
        )
        return total, [Hit(row[0], float(row[1])) for row in cursor.fetchall()]


def backend():
    """The implementation for the database in use."""
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
