"""SQLite: an impact-ordered side index for exact top-k ranking (`thetsaban.search.tiers`).

`search_tier` holds, for every indexed document, each of its words tagged with the level of its
BM25 contribution; `search_tier_kind` names the kinds whose tiers are complete, with the average
document length the levels were computed at. A database indexed before this migration has no
tiers yet: searches keep ranking every match (exactly, only slower) until
`manage.py rebuild_search_index` fills them. PostgreSQL is not changed.
"""

from django.db import migrations

TOKENIZER = "tokenize = \"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\""


class VendorSQL(migrations.RunSQL):
    """Raw SQL that runs only on one database vendor (as in 0001)."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_bring_old_index_tables_up_to_date")]

    operations = [
        VendorSQL(
            "sqlite",
            [
                f"CREATE VIRTUAL TABLE search_tier USING fts5(tiers, detail = none, {TOKENIZER})",
                "CREATE VIRTUAL TABLE search_tier_vocab USING fts5vocab(search_tier, row)",
                "CREATE TABLE search_tier_kind (kind INTEGER PRIMARY KEY, avgdl REAL NOT NULL)",
            ],
            ["DROP TABLE search_tier_kind", "DROP TABLE search_tier_vocab", "DROP TABLE search_tier"],
        ),
    ]
