from django.db import migrations


def make_the_row(apps, schema_editor):
    # The one row, with the model's defaults, so the admin lists it from the start.
    apps.get_model("dashboard", "Targets").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0002_population_shares")]

    operations = [migrations.RunPython(make_the_row, migrations.RunPython.noop)]
