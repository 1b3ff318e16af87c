"""Erasing a person (issue 16, item 3; ADR 9): afterwards no text column of any table holds
their name, e-mail, phone or anything they wrote; the dashboard's figures are the same; they
cannot log in; their places went to the next person waiting.

Here, not in privacy/tests: it compares the dashboard's figures, and privacy and dashboard
sit side by side, neither importing the other (.importlinter)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Profile, User
from accounts.permissions import Role
from accounts.tests.factories import PASSWORD, person
from dashboard.metrics import Scope, activity, feedback_loop, monthly_trend, payments, reach, valued
from opportunities.models import SignUp
from payments.models import ExpenseLine, PaymentDetails
from privacy.models import DataRequest
from privacy.registry import providers
from privacy.services import PrivacyError, erasure_confirm, erasure_decline, erasure_request, export_request
from privacy.tests.people import EMAIL, SEARCHED, everything

pytestmark = pytest.mark.django_db

TEXT_TYPES = ("text", "character varying", "jsonb", "json", "ARRAY")


def found_anywhere(terms: list[str]) -> list[str]:
    """Every (table.column: term) in the whole database where a term occurs, any case."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type = ANY(%s) ORDER BY table_name, column_name",
            [list(TEXT_TYPES)],
        )
        columns = cursor.fetchall()
        patterns = [f"%{term}%" for term in terms]
        hits = []
        for table, column in columns:
            cursor.execute(
                f'SELECT "{column}"::text FROM "{table}" WHERE "{column}"::text ILIKE ANY(%s)',  # noqa: S608
                [patterns],
            )
            for (value,) in cursor.fetchall():
                hits += [f"{table}.{column}: {term}" for term in terms if term.lower() in value.lower()]
    return hits


def figures() -> dict:
    scope = Scope(start=date.today() - timedelta(days=60), end=date.today())
    people = reach(scope)
    return {
        "activity": activity(scope),
        "feedback_loop": feedback_loop(scope),
        "valued": valued(scope),
        "payments": payments(scope),
        "trend": monthly_trend(scope),
        # Figures over active accounts count an erased person as any closed account (ADR 9);
        # those over what happened do not change.
        "first_timers": people["first_timers"],
        "invited_first_timers": people["invited_first_timers"],
    }


def test_erasure_leaves_nothing_that_identifies_the_person_and_the_figures_unchanged(
    worker, administrator, django_capture_on_commit_callbacks
):
    w = everything(worker=worker)
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(person=w.rep, by=w.rep)
    export.refresh_from_db()
    zip_path = Path(settings.PRIVATE_MEDIA_ROOT) / export.file
    receipt = ExpenseLine.objects.get(claim=w.claim)
    receipt_path = Path(receipt.receipt.path)
    assert zip_path.is_file() and receipt_path.is_file()
    assert found_anywhere(SEARCHED), "the person's data is there before"
    before = figures()

    request = erasure_request(person=w.rep, by=w.rep)
    with django_capture_on_commit_callbacks(execute=True):
        erasure_confirm(request=request, by=administrator)

    hits = found_anywhere(SEARCHED)
    assert hits == [], "\n".join(hits)
    assert figures() == before
    assert not zip_path.exists() and not receipt_path.exists()

    rep = User.objects.get(pk=w.rep.pk)
    assert rep.email is None and not rep.is_active and not rep.has_usable_password()
    assert not rep.groups.exists()
    profile = Profile.objects.get(user=rep)
    assert profile.display_name == "Former participant"
    # The columns the database keeps for search and sorting hold only the fixed label.
    assert profile.search_text.strip() == profile.sort_name == "former participant"
    assert profile.privacy_consent_version  # the basis the kept history was processed on
    # Their place to come went to the next person waiting, through the services.
    w.confirmed.refresh_from_db()
    w.waiting.refresh_from_db()
    assert w.confirmed.state == SignUp.State.WITHDRAWN
    assert w.waiting.state == SignUp.State.OFFERED
    # Past attendance and the claim's amounts stay; the earnings limit goes.
    assert SignUp.objects.get(pk=w.finished.signups.get().pk).state == SignUp.State.ATTENDED
    assert receipt.amount == ExpenseLine.objects.get(pk=receipt.pk).amount
    assert PaymentDetails.objects.filter(person=rep, earnings_limit__isnull=False).exists() is False

    # Logged out everywhere, and no way back in.
    assert w.client.get(reverse("me:home")).status_code == 302
    assert not Client().login(email=EMAIL, password=PASSWORD)

    request.refresh_from_db()
    assert request.status == DataRequest.Status.DONE and request.decided_by == administrator
    # Deciding twice is refused; each provider's erasure run again changes nothing more.
    with pytest.raises(PrivacyError):
        erasure_confirm(request=request, by=administrator)
    for _, provider in providers():
        provider.erase(rep)
    assert found_anywhere(SEARCHED) == []
    assert figures() == before


def test_only_another_administrator_decides(worker, administrator, manager):
    request = erasure_request(person=administrator, by=administrator)
    with pytest.raises(PrivacyError):
        erasure_confirm(request=request, by=administrator)
    with pytest.raises(PrivacyError):
        erasure_confirm(request=request, by=manager)
    other_admin = person(roles=[Role.ADMINISTRATOR], display_name="Ada Admin")
    erasure_decline(request=request, by=other_admin)
    request.refresh_from_db()
    assert request.status == DataRequest.Status.DECLINED
    assert User.objects.get(pk=administrator.pk).is_active


def test_a_lead_worker_is_handed_over_first(worker, administrator, representative):
    from opportunities.tests.factories import OpportunityFactory

    OpportunityFactory(lead_worker=worker)
    request = erasure_request(person=worker, by=administrator, channel=DataRequest.Channel.LETTER)
    with pytest.raises(PrivacyError, match="lead"):
        erasure_confirm(request=request, by=administrator)
    assert User.objects.get(pk=worker.pk).is_active


def test_a_second_request_is_the_first_and_a_closed_account_cannot_ask(representative, administrator):
    first = erasure_request(person=representative, by=representative)
    assert erasure_request(person=representative, by=representative) == first
    erasure_confirm(request=first, by=administrator)
    with pytest.raises(PrivacyError):
        erasure_request(person=User.objects.get(pk=representative.pk), by=representative)
