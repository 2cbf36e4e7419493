"""PostgreSQL: rank classes for exact top-k ranking (`thetsaban.search.pgtiers`).

`search_vector.tier_vector` holds each word of a document tagged with the class of its weight in
the document, GIN-indexed; `search_term` lists the indexed words a prefix query can reach, so a
prefix's words are known without reading the index. A database indexed before this migration has
no classes yet (`tier_vector` is NULL): searches keep ranking every match (exactly, only slower)
until `manage.py rebuild_search_index` fills them. SQLite is not changed.
"""

import importlib

from django.db import migrations

VendorSQL = importlib.import_module("thetsaban.search.migrations.0004_impact_tiers").VendorSQL


class Migration(migrations.Migration):
    dependencies = [("search", "0005_merge_impact_tiers_and_data_hub_kinds")]

    operations = [
        VendorSQL(
            "postgresql",
            [
                "ALTER TABLE search_vector ADD COLUMN tier_vector tsvector",
                "CREATE INDEX search_vector_tier ON search_vector USING gin (tier_vector)",
                # Finds at once whether a kind still has documents without classes.
                "CREATE INDEX search_vector_untiered ON search_vector (kind) WHERE tier_vector IS NULL",
                "CREATE TABLE search_term (term text PRIMARY KEY)",
            ],
            ["DROP TABLE search_term", "DROP INDEX search_vector_untiered", "DROP INDEX search_vector_tier",
             "ALTER TABLE search_vector DROP COLUMN tier_vector"],
        ),
    ]
