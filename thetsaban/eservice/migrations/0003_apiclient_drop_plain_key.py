from django.db import migrations, models


class Migration(migrations.Migration):
    """API keys are stored hashed: step 2, the plain keys dropped (a separate transaction on
    PostgreSQL, after the rows were rewritten)."""

    dependencies = [
        ("eservice", "0002_apiclient_key_hash"),
    ]

    operations = [
        migrations.RemoveField(model_name="apiclient", name="key"),
        migrations.AlterField(
            model_name="apiclient",
            name="key_hash",
            field=models.CharField(editable=False, max_length=64, unique=True, verbose_name="key hash (SHA-256)"),
        ),
    ]
