"""A person's interests are activity types, which now belong to catalogue (see catalogue
0001). State only: the table of interests and its rows stay as they are."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0007_max_lengths"),
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="profile",
                    name="interests",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="interested_profiles",
                        to="catalogue.activitytype",
                        verbose_name="what would you like to get involved in?",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
