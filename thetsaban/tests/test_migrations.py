"""The migrations can be trusted: run from nothing to the latest they give the schema a fresh
database has (tables, columns, indexes and constraints, and the search index tables made by
raw SQL), they run backwards, and a search index left by an older 0001 is brought up to date."""

import importlib
import io
from contextlib import redirect_stdout

from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import TransactionTestCase

from thetsaban.search.models import SearchDocument

BEFORE_RANK_CLASSES = "0005_merge_impact_tiers_and_data_hub_kinds"  # the search migration 0003 is followed by
PROJECT_APPS = ["accounts", "places", "directory", "practices", "coaching", "transfers", "policy",
                "participation", "search"]


def schema() -> dict:
    """Every table with its columns (name, type, null) and its constraints and indexes."""
    result = {}
    with connection.cursor() as cursor:
        introspection = connection.introspection
        for table in sorted(t.name for t in introspection.get_table_list(cursor)):
            columns = sorted((c.name, c.type_code, c.null_ok)
                             for c in introspection.get_table_description(cursor, table))
            constraints = sorted(
                (name if not name.startswith("__") else "", tuple(info["columns"] or ()),
                 bool(info["primary_key"]), bool(info["unique"]), bool(info["index"]),
                 str(info["foreign_key"]), str(info.get("type") or ""))
                for name, info in introspection.get_constraints(cursor, table).items())
            result[table] = {"columns": columns, "constraints": constraints}
        result["raw"] = _raw_sql(cursor)
    return result


def _raw_sql(cursor) -> list:
    """What the Django introspection does not show: the FTS5 table's definition and triggers on
    SQLite; the search_vector table's storage and index definitions on PostgreSQL."""
    if connection.vendor == "sqlite":
        cursor.execute("SELECT type, name, sql FROM sqlite_master"
                       " WHERE type IN ('trigger', 'view') OR sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")
        return cursor.fetchall()
    cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                   " AND tablename LIKE 'search%%' ORDER BY indexname")
    indexes = cursor.fetchall()
    cursor.execute("SELECT a.attname, a.attstorage FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                   " WHERE c.relname = 'search_vector' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attname")
    return indexes + cursor.fetchall()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def run_search_upgrade():
    """Run the search migration that repairs old index tables on the database as it is now."""
    upgrade = importlib.import_module("thetsaban.search.migrations.0003_bring_old_index_tables_up_to_date")
    with connection.schema_editor() as editor:
        upgrade.bring_up_to_date(global_apps, editor)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


class MigrationTests(TransactionTestCase):
    # The schema before and after is what the test database was made with (all migrations).
    available_apps = None

    def test_migrating_from_nothing_to_the_latest_gives_the_fresh_schema(self):
        fresh = schema()
        try:
            migrate([(app, None) for app in PROJECT_APPS])
            emptied = schema()
            self.assertNotIn("practices_practice", emptied)
            self.assertNotIn("search_searchdocument", emptied)
            self.assertEqual(emptied["raw"], [])
        finally:
            migrate(latest())  # whatever happened, the next tests find the latest schema
        self.assertEqual(schema(), fresh)

    def test_a_search_index_made_by_an_older_initial_migration_is_brought_up_to_date(self):
        fresh = schema()
        SearchDocument.objects.create(kind="lgu", object_id=1, title="เทศบาล", url="/")
        # The repair runs where 0003 runs: before the later search migrations change the table.
        migrate([("search", BEFORE_RANK_CLASSES)])
        try:
            self.break_and_repair()
        finally:
            migrate(latest())
        self.assertEqual(schema(), fresh)

    def break_and_repair(self):
        before = schema()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DROP TABLE search_fts")
                cursor.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body,"
                               " tokenize = 'unicode61 remove_diacritics 0')")
            else:
                cursor.execute("DROP TABLE search_vector")
                cursor.execute("ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector,"
                               " ADD COLUMN vector tsvector")
                cursor.execute("CREATE INDEX search_document_vector ON search_searchdocument USING gin (vector)")
        self.assertNotEqual(schema(), before)
        with redirect_stdout(io.StringIO()) as output:
            run_search_upgrade()
        self.assertEqual(schema(), before)
        # The documents were emptied, so the index is rebuilt (and --check says so until it is).
        self.assertFalse(SearchDocument.objects.exists())
        self.assertIn("rebuild_search_index", output.getvalue())

    def test_a_search_index_already_in_shape_is_left_alone(self):
        SearchDocument.objects.create(kind="lgu", object_id=1, title="เทศบาล", url="/")
        migrate([("search", BEFORE_RANK_CLASSES)])
        try:
            with redirect_stdout(io.StringIO()) as output:
                run_search_upgrade()
        finally:
            migrate(latest())
        self.assertEqual(SearchDocument.objects.count(), 1)
        self.assertEqual(output.getvalue(), "")
