"""A request for a chat says how soon (urgency), has a last day to be picked up (due_on,
working days after it was asked for) and may be picked up with a date to call by."""

from datetime import timedelta

from django.db import migrations, models

import feedback.models


def _due_on(apps, schema_editor):
    # Follow-ups already waiting: two working days after they were asked for, weekends
    # skipped (bank holidays are left out here: the figure for old rows is approximate).
    from django.utils import timezone

    FollowUp = apps.get_model("feedback", "FollowUp")
    for follow_up in FollowUp.objects.all().only("pk", "requested_at"):
        day, left = timezone.localdate(follow_up.requested_at), 2
        while left:
            day += timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        FollowUp.objects.filter(pk=follow_up.pk).update(due_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0003_protect_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="urgency",
            field=models.CharField(
                choices=[
                    ("today", "Today, if you can"),
                    ("this_week", "This week"),
                    ("no_rush", "There is no rush"),
                ],
                default="this_week",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="followup",
            name="due_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(_due_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="followup",
            name="due_on",
            field=models.DateField(default=feedback.models.due_on_if_asked_today),
        ),
        migrations.AddField(
            model_name="followup",
            name="picked_up_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="followup",
            name="call_by",
            field=models.DateField(blank=True, null=True, verbose_name="I will call you by"),
        ),
    ]
