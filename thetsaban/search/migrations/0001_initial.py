from django.db import migrations, models


class VendorSQL(migrations.RunSQL):
    """Raw SQL that runs only on one database vendor."""

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
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("practice", "Practice"), ("organisation", "Organisation"), ("person", "Person"), ("lgu", "LGU")], max_length=20, verbose_name="type")),
                ("object_id", models.PositiveBigIntegerField()),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                ("title_en", models.CharField(blank=True, max_length=300, verbose_name="English title")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("url", models.CharField(max_length=300)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"verbose_name": "search document", "verbose_name_plural": "search documents"},
        ),
        migrations.AddConstraint(
            model_name="searchdocument",
            constraint=models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_unique"),
        ),
        migrations.CreateModel(
            name="Abbreviation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("forms", models.TextField(help_text="One form per line: abbreviations, full names, English names.", verbose_name="equivalent forms")),
                ("note", models.CharField(blank=True, max_length=300, verbose_name="meaning")),
            ],
            options={"verbose_name": "abbreviation", "verbose_name_plural": "abbreviations", "ordering": ["pk"]},
        ),
        VendorSQL(
            "sqlite",
            "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, kind,"
            " tokenize = \"unicode61 remove_diacritics 0 categories 'L* N* Co M*'\")",
            "DROP TABLE search_fts",
        ),
        # PostgreSQL: the vectors live in a narrow table of their own, stored out of line, so a
        # count over many matches visits few heap pages (GIN cannot answer from the index alone).
        VendorSQL(
            "postgresql",
            [
                "CREATE TABLE search_vector ("
                " document_id bigint PRIMARY KEY,"
                " kind smallint NOT NULL, title_vector tsvector NOT NULL, vector tsvector NOT NULL)"
                " WITH (toast_tuple_target = 128)",
                "ALTER TABLE search_vector ALTER COLUMN title_vector SET STORAGE EXTERNAL,"
                " ALTER COLUMN vector SET STORAGE EXTERNAL",
                "CREATE INDEX search_vector_body ON search_vector USING gin (vector)",
                "CREATE INDEX search_vector_title ON search_vector USING gin (title_vector)",
            ],
            ["DROP TABLE search_vector"],
        ),
    ]
