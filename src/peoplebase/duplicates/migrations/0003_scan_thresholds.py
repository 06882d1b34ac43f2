"""A scan records the band thresholds it used, so that a later, lower "possible" makes the
next scan a full one (issue 5)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("duplicates", "0002_no_self_pairs"),
    ]

    operations = [
        migrations.AddField(
            model_name="duplicatescan",
            name="likely_threshold",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="duplicatescan",
            name="possible_threshold",
            field=models.FloatField(blank=True, null=True),
        ),
    ]
