"""Reads about people that follow their sign-ups: when each last took part, whether being
lead worker opens them to a worker, and a person's involvement. For the people pages in
`home`; each adds a fixed number of queries, however many people or sign-ups there are."""

from __future__ import annotations

from datetime import datetime

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from opportunities.models import Opportunity, SignUp, SignUpEvent, TrainingCompletion
from opportunities.selectors import lead_access_q

State = SignUp.State


def with_last_involved(people: QuerySet[User]) -> QuerySet[User]:
    """Annotate `last_involved`: the end of the last activity each person attended (as the
    caseload counts it). A subquery per row of the page, not a join and a GROUP BY over all
    their sign-ups, so that the list's filters and count stay one plain query each."""
    last = (
        SignUp.objects.filter(person=OuterRef("pk"), state=State.ATTENDED)
        .order_by(F("opportunity__ends_at").desc(nulls_last=True))
        .values("opportunity__ends_at")[:1]
    )
    return people.annotate(last_involved=Subquery(last))


def _attended() -> QuerySet[SignUp]:
    # A sign-up marked attended, of an activity with dates: what `last_involved` counts.
    return SignUp.objects.filter(
        person=OuterRef("pk"), state=State.ATTENDED, opportunity__ends_at__isnull=False
    )


def people_never_involved(people: QuerySet[User]) -> QuerySet[User]:
    """Those who never attended anything (`last_involved` empty), as an anti-join: filtering
    on the annotation would run its subquery for every person, not just a page of them."""
    return people.filter(~Exists(_attended()))


def people_not_involved_since(people: QuerySet[User], *, since: datetime) -> QuerySet[User]:
    """Those who took part before, but in nothing that ended on or after `since`
    (`last_involved` before it), as two semi-joins, for the reason above."""
    return people.filter(Exists(_attended())).exclude(
        Exists(_attended().filter(opportunity__ends_at__gte=since))
    )


def with_may_open(people: QuerySet[User], *, viewer: User, viewer_is_worker: bool) -> QuerySet[User]:
    """Annotate `may_open`: may `viewer` open the person's page (`accounts.view_person`: their
    named worker, or the lead worker while a sign-up opens them, `lead_access_q`). The same
    rule as the predicate, in SQL, so a list asks it once, not once a row."""
    if not viewer_is_worker:
        return people.annotate(may_open=Value(False, output_field=BooleanField()))
    leads = SignUp.objects.filter(lead_access_q(), person=OuterRef("pk"), opportunity__lead_worker=viewer)
    return people.annotate(
        may_open=ExpressionWrapper(
            Q(profile__named_worker=viewer) | Exists(leads), output_field=BooleanField()
        )
    )


def involvement_for_person(*, person: User) -> QuerySet[SignUp]:
    """Every sign-up of the person, soonest-ending last, with what the person page shows."""
    return (
        SignUp.objects.filter(person=person)
        .select_related("opportunity")
        .only(
            "state",
            "person",
            "opportunity_id",
            "opportunity__title",
            "opportunity__starts_at",
            "opportunity__ends_at",
            "opportunity__lead_worker_id",
            "opportunity__status",
        )
        .annotate(ends=Coalesce("opportunity__ends_at", "opportunity__starts_at"))
        .order_by("-ends", "-pk")
    )


def opportunities_to_sign_up_for() -> QuerySet[Opportunity]:
    """What a worker may sign a person up for on their behalf (assisted digital): published,
    before its sign-up deadline, soonest first; the service checks the rest."""
    return (
        Opportunity.objects.filter(status=Opportunity.Status.PUBLISHED, signup_deadline__gt=timezone.now())
        .only("id", "title", "starts_at")
        .order_by("starts_at", "pk")
    )


def on_behalf_events_for_person(*, person: User) -> QuerySet[SignUpEvent]:
    """What workers did for the person on their behalf, newest first, with who and where."""
    return (
        SignUpEvent.objects.filter(on_behalf_of=person)
        .select_related("actor__profile", "signup__opportunity")
        .order_by("-created_at", "-pk")
    )


def signup_of_person(*, person: User, signup_id: int) -> SignUp | None:
    return SignUp.objects.select_related("opportunity").filter(pk=signup_id, person=person).first()


def training_for_person(*, person: User) -> QuerySet[TrainingCompletion]:
    """A person's training, newest first, with its course and who recorded it (one query)."""
    return TrainingCompletion.objects.filter(person=person).select_related(
        "course", "opportunity", "recorded_by__profile"
    )
