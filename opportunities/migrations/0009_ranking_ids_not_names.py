"""Selection rankings recorded before this held each applicant's name: keep their ids
instead (the sign-up's and the person's), so that erasing a person leaves no trace of them
in a ranking. The page reads names when it is shown."""

from django.db import migrations


def names_to_ids(apps, schema_editor):
    SelectionDraw = apps.get_model("opportunities", "SelectionDraw")
    SignUp = apps.get_model("opportunities", "SignUp")
    for draw in SelectionDraw.objects.exclude(ranking=[]).iterator():
        if not any("person_name" in row for row in draw.ranking):
            continue
        people = dict(
            SignUp.objects.filter(pk__in=[row["signup_id"] for row in draw.ranking]).values_list(
                "pk", "person_id"
            )
        )
        for row in draw.ranking:
            row.pop("person_name", None)
            row["person_id"] = people.get(row["signup_id"])
        draw.save(update_fields=["ranking"])


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0008_protect_people"),
    ]

    # Forwards only: the names are not put back.
    operations = [migrations.RunPython(names_to_ids, migrations.RunPython.noop)]
