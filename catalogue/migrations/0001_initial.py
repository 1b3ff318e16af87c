"""Teams and activity types move here from opportunities, keeping their rows.

The tables are not touched: this only tells Django's migration state that the models now
belong to catalogue, still in their old tables (opportunities_team and
opportunities_activitytype). Opportunities and accounts then point their fields here
(their own migrations), opportunities forgets the models, and 0002 renames the tables.
The content types move with them, so the Administrator group's permissions and the admin's
history of these rows carry over.
"""

from django.db import migrations, models


def move_content_types(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in ("team", "activitytype"):
        # Where the target already has one (post_migrate made it on a half-migrated
        # database), the old one is left for remove_stale_contenttypes.
        if not ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor) -> None:
    move_content_types(apps, schema_editor, source="opportunities", target="catalogue")


def backwards(apps, schema_editor) -> None:
    move_content_types(apps, schema_editor, source="catalogue", target="opportunities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("opportunities", "0006_max_lengths"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ActivityType",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120, unique=True)),
                        (
                            "description",
                            models.TextField(
                                blank=True, help_text="Plain English: what taking part involves.", max_length=2000
                            ),
                        ),
                        (
                            "default_involvement_level",
                            models.CharField(
                                choices=[
                                    ("informing", "Informing"),
                                    ("consulting", "Consulting"),
                                    ("engaging", "Engaging"),
                                    ("co-designing", "Co-designing"),
                                    ("co-producing", "Co-producing"),
                                ],
                                default="consulting",
                                max_length=20,
                            ),
                        ),
                        (
                            "is_active",
                            models.BooleanField(default=True, help_text="Inactive types are hidden from new choices."),
                        ),
                    ],
                    options={"ordering": ["name"], "db_table": "opportunities_activitytype"},
                ),
                migrations.CreateModel(
                    name="Team",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120, unique=True)),
                        ("description", models.TextField(blank=True, max_length=2000)),
                        (
                            "is_active",
                            models.BooleanField(default=True, help_text="Inactive teams are hidden from new choices."),
                        ),
                    ],
                    options={"ordering": ["name"], "db_table": "opportunities_team"},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
