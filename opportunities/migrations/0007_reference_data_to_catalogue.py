"""Teams and activity types now belong to catalogue (see catalogue 0001): the opportunity's
fields point there, and this app forgets the models. State only: the columns, their
foreign keys and the rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_interests_from_catalogue"),
        ("catalogue", "0001_initial"),
        ("opportunities", "0006_max_lengths"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="opportunity",
                    name="activity_type",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opportunities",
                        to="catalogue.activitytype",
                    ),
                ),
                migrations.AlterField(
                    model_name="opportunity",
                    name="team",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opportunities",
                        to="catalogue.team",
                    ),
                ),
                migrations.DeleteModel(name="ActivityType"),
                migrations.DeleteModel(name="Team"),
            ],
            database_operations=[],
        ),
    ]
