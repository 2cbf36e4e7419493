"""Bring a search index made by an older 0001_initial to the current shape.

0001_initial was edited in place three times before it was frozen: a database created before
those edits kept an FTS5 table without the `kind` column or with the old tokenizer (SQLite), or
the vectors as columns of search_searchdocument instead of the narrow search_vector table
(PostgreSQL). Such an index table is dropped and made again as 0001 makes it now; the documents
are then emptied, so that `rebuild_search_index --check` reports them missing, and the index must
be rebuilt with `manage.py rebuild_search_index`. A database already in shape is not touched.
"""

import re
import sys

from django.db import migrations

SQLITE_FTS = ("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, kind,"
              " tokenize = \"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\")")
POSTGRESQL_VECTOR = [
    "CREATE TABLE search_vector ("
    " document_id bigint PRIMARY KEY,"
    " kind smallint NOT NULL, title_vector tsvector NOT NULL, vector tsvector NOT NULL)"
    " WITH (toast_tuple_target = 128)",
    "ALTER TABLE search_vector ALTER COLUMN title_vector SET STORAGE EXTERNAL,"
    " ALTER COLUMN vector SET STORAGE EXTERNAL",
    "CREATE INDEX search_vector_body ON search_vector USING gin (vector)",
    "CREATE INDEX search_vector_title ON search_vector USING gin (title_vector)",
]
VECTOR_COLUMNS = {"document_id": "bigint", "kind": "smallint", "title_vector": "tsvector",
                  "vector": "tsvector"}


def _squeezed(sql):
    return re.sub(r"\s+", " ", sql or "").strip().lower()


def _sqlite(cursor) -> bool:
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'")
    row = cursor.fetchone()
    if row is not None and _squeezed(row[0]) == _squeezed(SQLITE_FTS):
        return False
    if row is not None:
        cursor.execute("DROP TABLE search_fts")
    cursor.execute(SQLITE_FTS)
    return True


def _postgresql(cursor) -> bool:
    changed = False
    cursor.execute("SELECT column_name FROM information_schema.columns"
                   " WHERE table_schema = current_schema() AND table_name = 'search_searchdocument'"
                   " AND column_name IN ('title_vector', 'vector')")
    old_columns = [name for (name,) in cursor.fetchall()]
    if old_columns:
        # Their GIN indexes go with them.
        cursor.execute("ALTER TABLE search_searchdocument "
                       + ", ".join(f"DROP COLUMN {name}" for name in sorted(old_columns)))
        changed = True
    cursor.execute("SELECT column_name, data_type FROM information_schema.columns"
                   " WHERE table_schema = current_schema() AND table_name = 'search_vector'")
    columns = dict(cursor.fetchall())
    cursor.execute("SELECT indexname FROM pg_indexes"
                   " WHERE schemaname = current_schema() AND tablename = 'search_vector'")
    indexes = {name for (name,) in cursor.fetchall()}
    if columns == VECTOR_COLUMNS and {"search_vector_body", "search_vector_title"} <= indexes:
        return changed
    if columns:
        cursor.execute("DROP TABLE search_vector")
    for statement in POSTGRESQL_VECTOR:
        cursor.execute(statement)
    return True


def bring_up_to_date(apps, schema_editor):
    connection = schema_editor.connection
    shapers = {"sqlite": _sqlite, "postgresql": _postgresql}
    if connection.vendor not in shapers:
        return
    with connection.cursor() as cursor:
        remade = shapers[connection.vendor](cursor)
    if remade:
        apps.get_model("search", "SearchDocument").objects.using(connection.alias).all().delete()
        sys.stdout.write("\n  The search index was made by an older migration and has been emptied: "
                         "run `manage.py rebuild_search_index`.\n")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_more_searched_kinds")]

    operations = [migrations.RunPython(bring_up_to_date, migrations.RunPython.noop, elidable=False)]
