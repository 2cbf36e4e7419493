from django.db import migrations


class Migration(migrations.Migration):
    """Queries by province read the covering roll-up index (provenance too, now that it names
    the category): the province index only cost every imported figure one more b-tree write."""

    dependencies = [
        ('localdata', '0006_observation_dataset_index'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='observation',
            name='localdata_obs_province',
        ),
    ]
