"""PostgreSQL: rank classes for exact top-k ranking (`thetsaban.search.pgtiers`).

`search_vector.tier_vector` holds each word of a document tagged with the class of its weight in
the document, GIN-indexed; `search_term` lists the indexed words a prefix query can reach, so a
prefix's words are known without reading the index. A database indexed before this migration has
no classes yet (`tier_vector` is NULL): searches keep ranking every match (exactly, only slower)
until `manage.py rebuild_search_index` fills them. `object_id` (the record's id, copied from its
document) lets the records of one class, which all weigh the same, be taken in the ranking's
tie-break order from this table alone.

The vectors keep no planner statistics: with them, PostgreSQL estimates a frequent word's matches
well but then prefers reading the whole table to the GIN index, and reading the table means
reading every vector out of line (0.7 s at 100,000 records against 15 ms through the index).
Without them it estimates a text condition as selective and always takes the index. `ALTER
COLUMN ... TYPE` to the same type drops the statistics ANALYZE has gathered so far (it rewrites
nothing); it also resets the storage, which is set again. SQLite is not changed.
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
                "ALTER TABLE search_vector ADD COLUMN tier_vector tsvector, ADD COLUMN object_id bigint",
                # A vector whose document is gone is never shown, but it would be counted.
                "DELETE FROM search_vector v WHERE NOT EXISTS"
                " (SELECT 1 FROM search_searchdocument d WHERE d.id = v.document_id)",
                "UPDATE search_vector v SET object_id = d.object_id FROM search_searchdocument d"
                " WHERE d.id = v.document_id",
                "ALTER TABLE search_vector ALTER COLUMN object_id SET NOT NULL",
                "ALTER TABLE search_vector ALTER COLUMN title_vector TYPE tsvector,"
                " ALTER COLUMN vector TYPE tsvector, ALTER COLUMN tier_vector TYPE tsvector",
                "ALTER TABLE search_vector ALTER COLUMN title_vector SET STATISTICS 0,"
                " ALTER COLUMN vector SET STATISTICS 0, ALTER COLUMN tier_vector SET STATISTICS 0,"
                " ALTER COLUMN title_vector SET STORAGE EXTERNAL, ALTER COLUMN vector SET STORAGE EXTERNAL",
                "CREATE INDEX search_vector_tier ON search_vector USING gin (tier_vector)",
                # Finds at once whether a kind still has documents without classes.
                "CREATE INDEX search_vector_untiered ON search_vector (kind) WHERE tier_vector IS NULL",
                "CREATE TABLE search_term (term text PRIMARY KEY)",
            ],
            ["DROP TABLE search_term", "DROP INDEX search_vector_untiered", "DROP INDEX search_vector_tier",
             "ALTER TABLE search_vector DROP COLUMN tier_vector, DROP COLUMN object_id,"
             " ALTER COLUMN title_vector SET STATISTICS -1, ALTER COLUMN vector SET STATISTICS -1"],
        ),
    ]
