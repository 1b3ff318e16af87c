from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_calendar_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry",
            name="what",
            field=models.CharField(
                choices=[
                    ("support_note", "Support note"),
                    ("check_in", "Check-in"),
                    ("two_factor_reset", "Two-factor authentication reset"),
                ],
                max_length=20,
            ),
        ),
    ]
