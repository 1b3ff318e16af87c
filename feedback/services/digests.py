"""The representative's digest: outcomes of what they took part in, new opportunities that
match their interests, their sessions coming up and check-ins still open (F1, F2)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from feedback.models import Outcome
from involvement.jobs import batch_in_own_transaction
from notifications.kinds import DigestFrequency, Kind
from notifications.selectors import existing_dedupe_keys
from notifications.services import RenderedMessage, messages_store_bulk, render_message
from opportunities.models import Opportunity, Session, SignUp


def digest_period(*, frequency: str, today: date) -> tuple[str, date]:
    """The period's key (one digest per person per period, whatever the retries) and its
    start: the week's Monday, or the month's first day."""
    if frequency == DigestFrequency.MONTHLY:
        start = today.replace(day=1)
        return start.strftime("%Y-%m"), start
    start = today - timedelta(days=today.weekday())
    iso = start.isocalendar()
    return f"{iso.year}-W{iso.week:02d}", start


def _digest_people(*, frequency: str, today: date) -> QuerySet[User]:
    on_break = Q(profile__taking_break=True) & (
        Q(profile__break_until__isnull=True) | Q(profile__break_until__gte=today)
    )
    return (
        User.objects.filter(
            groups__name=Role.REPRESENTATIVE, is_active=True, profile__digest_frequency=frequency
        )
        .exclude(on_break)
        .select_related("profile")
        .order_by("pk")
    )


@dataclass(frozen=True)
class _Period:
    """What every batch of one run shares."""

    frequency: str
    key: str
    since: datetime
    now: datetime
    # Opportunities published this period, by activity type.
    new_by_type: dict[int, list[Opportunity]]


def digests_build(
    *, frequency: str = DigestFrequency.WEEKLY, today: date | None = None, batch_size: int | None = None
) -> int:
    """Build and queue this period's digests for everyone who wants them.

    Works in batches of people with a fixed number of queries per batch, so the cost grows
    with the number of batches, never with the number of people. Each batch is written in
    a transaction of its own; a batch that fails is done again one person at a time, so that
    one person's digest that cannot be built is logged and left for the next run, and
    everyone else still gets theirs. Never sends an empty digest, nor one to somebody taking
    a break; one per person per period, however often it runs (the message key)."""
    today = today or timezone.localdate()
    batch_size = batch_size or settings.DIGEST_BATCH_SIZE
    period_key, start = digest_period(frequency=frequency, today=today)
    since = timezone.make_aware(datetime.combine(start, time.min))
    now = timezone.now()
    new_by_type: dict[int, list[Opportunity]] = {}
    for opportunity in Opportunity.objects.filter(
        status=Opportunity.Status.PUBLISHED, published_at__gte=since, signup_deadline__gt=now
    ).order_by("starts_at")[:200]:
        new_by_type.setdefault(opportunity.activity_type_id, []).append(opportunity)
    period = _Period(frequency=frequency, key=period_key, since=since, now=now, new_by_type=new_by_type)

    people = _digest_people(frequency=frequency, today=today)
    queued, last_pk = 0, 0
    while True:
        batch = list(people.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        queued += batch_in_own_transaction(
            batch,
            partial(_digests_store, period=period),
            job=f"{frequency} digests",  # pragma: no mutate: the job's name only labels its log line
            item_id=lambda person: f"person {person.pk}",
        )
    return queued


def _digests_store(people: Sequence[User], *, period: _Period) -> int:
    """Build and store the digests of some people, with the same queries however many."""
    since, now = period.since, period.now
    ids = [person.pk for person in people]
    keys = {person.pk: f"digest:{period.frequency}:{period.key}:{person.pk}" for person in people}
    done = existing_dedupe_keys(keys=list(keys.values()))
    outcomes: dict[int, list[Outcome]] = {}
    for outcome in (
        Outcome.objects.filter(
            status=Outcome.Status.PUBLISHED,
            published_at__gte=since,
            opportunity__signups__person_id__in=ids,
            opportunity__signups__state=SignUp.State.ATTENDED,
        )
        .select_related("opportunity")
        .annotate(person_id=F("opportunity__signups__person_id"))
    ):
        outcomes.setdefault(outcome.person_id, []).append(outcome)
    interests: dict[int, set[int]] = {}
    for person_id, type_id in User.objects.filter(pk__in=ids).values_list("pk", "profile__interests"):
        if type_id:
            interests.setdefault(person_id, set()).add(type_id)
    upcoming: dict[int, list[Session]] = {}
    for session in (
        Session.objects.filter(
            starts_at__gte=now,
            starts_at__lte=now + timedelta(days=14),
            # A closed opportunity still happens for those confirmed on it.
            opportunity__status__in=[Opportunity.Status.PUBLISHED, Opportunity.Status.CLOSED],
            opportunity__signups__person_id__in=ids,
            opportunity__signups__state=SignUp.State.CONFIRMED,
        )
        .select_related("opportunity")
        .annotate(person_id=F("opportunity__signups__person_id"))
        .order_by("starts_at")
    ):
        upcoming.setdefault(session.person_id, []).append(session)
    due_check_ins: dict[int, list[Opportunity]] = {}
    for signup in (
        SignUp.objects.filter(
            person_id__in=ids,
            state=SignUp.State.ATTENDED,
            opportunity__ends_at__gte=now - timedelta(days=settings.CHECK_IN_INVITE_WITHIN_DAYS),
        )
        .exclude(opportunity__check_ins__person=F("person"))
        .select_related("opportunity")
    ):
        due_check_ins.setdefault(signup.person_id, []).append(signup.opportunity)

    items = []
    for person in people:
        if keys[person.pk] in done:
            continue
        new = [o for type_id in interests.get(person.pk, ()) for o in period.new_by_type.get(type_id, [])]
        context = {
            "recipient": person,
            "outcomes": outcomes.get(person.pk, []),
            "new_opportunities": new[:10],
            "upcoming": upcoming.get(person.pk, []),
            "check_ins": due_check_ins.get(person.pk, []),
            "frequency": period.frequency,
        }
        if not any(context[name] for name in ("outcomes", "new_opportunities", "upcoming", "check_ins")):
            continue  # never send an empty digest
        items.append((person, keys[person.pk], _digest_render(context)))
    return messages_store_bulk(kind=Kind.DIGEST, items=items)


def _digest_render(context: dict) -> RenderedMessage:
    return render_message(kind=Kind.DIGEST, context=context)
