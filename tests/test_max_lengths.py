"""Every free-text field has a maximum length, in the model and so in every form built from it
(issue 9, item 12): no page has to store or lay out a 100,000-character paste."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

# Written by the service itself, never typed by a person: the outbox's rendered bodies and the
# error a mail server sent back.
NOT_TYPED_BY_A_PERSON = {
    "notifications.Message.body_text",
    "notifications.Message.body_html",
    "notifications.Message.last_error",
    # A call or letter task carries the rendered message it stands in for.
    "notifications.ContactTask.body_text",
    # The agreement a person agreed to, built from the charter's sections (each limited).
    "charter.Agreement.text",
    # The people list's search and sort columns, written by database triggers from fields that
    # are each limited (accounts migration 0014).
    "accounts.Profile.search_text",
    "accounts.Profile.sort_name",
}


def our_text_fields():
    for model in apps.get_models():
        if not Path(apps.get_app_config(model._meta.app_label).path).is_relative_to(settings.BASE_DIR):
            continue
        if ".venv" in Path(apps.get_app_config(model._meta.app_label).path).parts:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                yield f"{model._meta.label}.{field.name}", field


def test_every_text_field_of_ours_has_a_maximum_length():
    fields = dict(our_text_fields())
    assert "opportunities.Opportunity.description" in fields  # the walk over models works
    missing = [
        name for name, field in fields.items() if not field.max_length and name not in NOT_TYPED_BY_A_PERSON
    ]
    assert not missing, f"give these a max_length: {missing}"


def test_the_limits_chosen_for_long_text():
    limits = {name: field.max_length for name, field in our_text_fields()}
    assert limits["opportunities.Opportunity.description"] == 5000
    assert limits["feedback.Outcome.you_said"] == limits["feedback.Outcome.we_did"] == 5000
    for note in [
        "opportunities.SignUp.note",
        "accounts.Profile.support_needs",
        "accounts.Profile.what_helps_me",
        "feedback.CheckIn.went_well",
        "feedback.CheckIn.could_be_better",
        "feedback.FollowUp.action_taken",
        "opportunities.Opportunity.accessibility",
    ]:
        assert limits[note] == 2000, note
