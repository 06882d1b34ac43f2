"""No self-pairs: a "not a duplicate" decision moved onto a merge's survivor could pair it with
itself. Existing such rows say nothing and are deleted before the constraint is added."""

from django.conf import settings
from django.db import migrations, models


def delete_self_pairs(apps, schema_editor):
    not_duplicate = apps.get_model("duplicates", "NotDuplicate")
    not_duplicate.objects.filter(contact_a=models.F("contact_b")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0004_add_contact_birthday"),
        ("duplicates", "0001_duplicates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(delete_self_pairs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="notduplicate",
            constraint=models.CheckConstraint(
                condition=models.Q(("contact_a", models.F("contact_b")), _negated=True),
                name="not_dup_no_self_pair",
            ),
        ),
    ]
