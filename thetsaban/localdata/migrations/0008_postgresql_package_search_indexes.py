import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

# Datasets anyone may see (the restriction package_search applies for visitors and harvesters):
# their counts, organisation facet and pages (sorted by date or by id, as harvesters ask) read
# this narrow index alone.
PUBLIC_INDEX = (
    "CREATE INDEX IF NOT EXISTS localdata_dataset_public ON localdata_dataset "
    "(owner_org_id, metadata_modified, id) INCLUDE (ckan_id) "
    "WHERE state = 'active' AND NOT private AND data_category <> 'ข้อมูลส่วนบุคคล'")
# package_search's words are matched anywhere in the folded text (LIKE '%word%'): trigrams let
# PostgreSQL find those rows in an index instead of reading every dataset.
TRIGRAM_INDEX = ("CREATE INDEX IF NOT EXISTS localdata_dataset_text_trgm ON localdata_dataset "
                 "USING gin (search_text gin_trgm_ops)")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(PUBLIC_INDEX)
        try:
            # pg_trgm ships with PostgreSQL and is a trusted extension: a database owner may
            # create it. Without it package_search gives the same answers from a scan.
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute(TRIGRAM_INDEX)
        except DatabaseError as error:
            logger.warning("pg_trgm is not available (%s): package_search reads text without its index", error)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS localdata_dataset_text_trgm")
        cursor.execute("DROP INDEX IF EXISTS localdata_dataset_public")


class Migration(migrations.Migration):
    dependencies = [
        ("localdata", "0007_drop_observation_province_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
