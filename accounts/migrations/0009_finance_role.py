"""The finance officer role (issue 12): exports approved claims and records payments."""

from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Finance officer")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_interests_from_catalogue")]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]
