"""Every model that points at a person, or holds free text that may be about one, is answered
for by some app's personal-data provider (issue 16, item 1): a new model that is not fails
here until its app says how it is exported and erased, or why it holds nothing personal."""

from django.apps import apps
from django.conf import settings
from django.db import models

from privacy.registry import providers

# Models no provider answers for, each with why nothing in it is about a person.
NOT_PERSONAL = {
    "auth.Permission": "Django's permission names.",
    "auth.Group": "The roles; membership is on the user row, erased by accounts.",
    "contenttypes.ContentType": "Django's list of models.",
    "catalogue.Team": "Reference data administrators keep.",
    "catalogue.ActivityType": "Reference data administrators keep.",
    "catalogue.Course": "Reference data administrators keep.",
    "catalogue.RateCard": "Reference data administrators keep.",
    "catalogue.Rate": "Reference data administrators keep.",
    "catalogue.PaymentPolicy": "Reference data administrators keep.",
    "dashboard.PopulationShare": "Census shares of the population the Trust serves, about no one.",
}

FREE_TEXT = (models.TextField, models.CharField, models.JSONField)


def _covered() -> dict[str, str]:
    covered = {}
    for label, provider in providers():
        for model in provider.models:
            assert model not in covered, f"{model} is answered for by both {covered[model]} and {label}"
            covered[model] = label
    return covered


def _needs_a_provider(model) -> bool:
    user = apps.get_model(settings.AUTH_USER_MODEL)
    for field in model._meta.get_fields():
        if field.concrete and field.is_relation and field.related_model is user:
            return True
        if field.concrete and isinstance(field, FREE_TEXT) and not field.choices:
            return True
    return model is user


def test_every_model_about_a_person_is_covered_by_a_provider():
    covered = _covered()
    missing = [
        model._meta.label
        for model in apps.get_models()
        if _needs_a_provider(model)
        and model._meta.label not in covered
        and model._meta.label not in NOT_PERSONAL
    ]
    assert missing == [], "Add these to an app's personal_data.PROVIDER (or to NOT_PERSONAL, with why)"


def test_the_lists_name_only_models_that_exist():
    labels = {model._meta.label for model in apps.get_models()}
    assert set(_covered()) - labels == set()
    assert set(NOT_PERSONAL) - labels == set()
    for _, provider in providers():
        assert set(provider.not_personal) <= set(provider.models)


def test_providers_walk_from_the_top_with_accounts_last():
    labels = [label for label, _ in providers()]
    assert labels[-1] == "accounts"
    assert labels.index("opportunities") < labels.index("notifications")
    assert {
        "accounts",
        "notifications",
        "opportunities",
        "feedback",
        "payments",
        "charter",
        "privacy",
    } <= set(labels)
