"""The demo LGUs loaded before this change carry the deck's Latin codes (SK) as short names:
give them the deck's Thai short names (ทน.สงขลา), as a fresh load does. Other rows are left alone."""

from django.db import migrations

SHORT_NAMES = [
    ("DEMO-SK", "SK", "ทน.สงขลา"),
    ("DEMO-CR", "CR", "ทน.เชียงราย"),
    ("DEMO-YL", "YL", "ทน.ยะลา"),
    ("DEMO-PK", "PK", "ทน.ปากเกร็ด"),
]


def forwards(apps, schema_editor):
    Lgu = apps.get_model("places", "Lgu")
    for code, old, new in SHORT_NAMES:
        Lgu.objects.filter(code=code, short_name=old).update(short_name=new)


def backwards(apps, schema_editor):
    Lgu = apps.get_model("places", "Lgu")
    for code, old, new in SHORT_NAMES:
        Lgu.objects.filter(code=code, short_name=new).update(short_name=old)


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
