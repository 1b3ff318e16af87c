"""The teams' and activity types' tables take catalogue's names, now that nothing in the
migration state points at them from opportunities. A rename keeps every row, and the
foreign keys to them (opportunities, profile interests) follow it in PostgreSQL."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0001_initial"),
        ("opportunities", "0007_reference_data_to_catalogue"),
    ]

    operations = [
        migrations.AlterModelTable(name="activitytype", table=None),
        migrations.AlterModelTable(name="team", table=None),
    ]
