from django.db import migrations


def fill(apps, schema_editor):
    """Fill the folded search text of rows saved before the field existed."""
    from thetsaban.directory.models import search_text

    Organisation = apps.get_model("directory", "Organisation")
    Person = apps.get_model("directory", "Person")
    Post = apps.get_model("directory", "Post")
    for row in Organisation.objects.filter(search_text=""):
        row.search_text = search_text(row.name_th, row.name_en, row.abbreviation,
                                      row.other_names, row.description)
        row.save(update_fields=["search_text"])
    for row in Person.objects.filter(search_text=""):
        row.search_text = search_text(row.name_th, row.name_en, row.summary)
        row.save(update_fields=["search_text"])
    for row in Post.objects.filter(search_text=""):
        row.search_text = search_text(row.label_th, row.label_en, row.responsibilities)
        row.save(update_fields=["search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0003_search_text_code_example"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
