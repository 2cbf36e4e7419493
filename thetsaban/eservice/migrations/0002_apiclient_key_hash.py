import hashlib

from django.db import migrations, models

PREFIX_LENGTH = 8


def hash_existing_keys(apps, schema_editor):
    """Replace every stored key by its SHA-256 and first characters, and take the keys out of the
    audit trail's snapshots of API clients (they were written there when issued)."""
    ApiClient = apps.get_model("eservice", "ApiClient")
    for client in ApiClient.objects.all():
        client.key_prefix = client.key[:PREFIX_LENGTH]
        client.key_hash = hashlib.sha256(client.key.encode()).hexdigest()
        client.save(update_fields=["key_prefix", "key_hash"])
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("accounts", "AuditEntry")
    content_type = ContentType.objects.filter(app_label="eservice", model="apiclient").first()
    if content_type is None:
        return
    for entry in AuditEntry.objects.filter(content_type=content_type):
        changed = False
        for side in ("before", "after"):
            values = getattr(entry, side)
            if isinstance(values, dict) and "key" in values:
                key = values.pop("key") or ""
                values["key_prefix"] = key[:PREFIX_LENGTH]
                changed = True
        if changed:
            entry.save(update_fields=["before", "after"])


class Migration(migrations.Migration):
    """API keys are stored hashed: step 1, the new columns filled from the old one."""

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("eservice", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apiclient",
            name="key_prefix",
            field=models.CharField(default="", editable=False, max_length=12, verbose_name="key begins with"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apiclient",
            name="key_hash",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="key hash (SHA-256)"),
        ),
        migrations.RunPython(hash_existing_keys, migrations.RunPython.noop, elidable=False),
    ]
