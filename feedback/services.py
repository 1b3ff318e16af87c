"""Closing the loop: outcomes, check-ins, follow-ups, digests and the worker's summary.

The research found that people get involved to make a difference and must hear back (F1,
F2), that feeling valued matters (F3), that involvement can be hard on wellbeing (F5) and
that a named worker is crucial (F7). Every message here goes through the outbox and never
carries a check-in's answers.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from feedback.models import CheckIn, FollowUp, Outcome
from feedback.permissions import took_part_in
from involvement.errors import ServiceError
from notifications.kinds import DigestFrequency, Kind
from notifications.selectors import existing_dedupe_keys
from notifications.services import message_create
from opportunities.models import Opportunity, SignUp


class FeedbackError(ServiceError):
    """A rule about outcomes, check-ins or follow-ups refused the action (involvement.errors)."""


def outcome_due_on(opportunity: Opportunity) -> date | None:
    """Due a set number of days (default 28) after the last session."""
    if opportunity.ends_at is None:
        return None
    return timezone.localdate(opportunity.ends_at) + timedelta(days=settings.OUTCOME_DUE_DAYS)


# --- outcomes -----------------------------------------------------------------------------------


def outcome_save(
    *,
    opportunity: Opportunity,
    by: User,
    you_said: str,
    we_did: str,
    evidence_url: str = "",
    follow_up_on: date | None = None,
) -> Outcome:
    """Save the draft (or correct a published outcome: people were told; the page updates)."""
    if opportunity.status == Opportunity.Status.CANCELLED:
        raise FeedbackError("A cancelled opportunity has no outcome to write.")
    with transaction.atomic():
        outcome, _ = Outcome.objects.select_for_update().get_or_create(
            opportunity=opportunity, defaults={"you_said": you_said, "we_did": we_did, "written_by": by}
        )
        outcome.you_said, outcome.we_did = you_said.strip(), we_did.strip()
        outcome.evidence_url, outcome.follow_up_on, outcome.written_by = evidence_url, follow_up_on, by
        outcome.save()
    return outcome


def outcome_publish(*, outcome: Outcome, by: User) -> int:
    """Publish and tell everyone who attended. Safe to run twice: the message keys make a
    second copy impossible. Returns how many people were told this time."""
    with transaction.atomic():
        outcome = Outcome.objects.select_for_update().select_related("opportunity").get(pk=outcome.pk)
        opportunity = outcome.opportunity
        if opportunity.status != Opportunity.Status.COMPLETED:
            raise FeedbackError("Mark the opportunity as completed before publishing its outcome.")
        if not outcome.you_said.strip() or not outcome.we_did.strip():
            raise FeedbackError("Write both what people said and what was done before publishing.")
        if outcome.status != Outcome.Status.PUBLISHED:
            outcome.status = Outcome.Status.PUBLISHED
            outcome.published_at = timezone.now()
            outcome.save(update_fields=["status", "published_at", "updated_at"])
        attendees = SignUp.objects.filter(
            opportunity=opportunity, state=SignUp.State.ATTENDED
        ).select_related("person__profile")
        keys = {f"outcome:{outcome.pk}:{signup.person_id}": signup.person for signup in attendees}
        done = existing_dedupe_keys(keys=list(keys))
        told = 0
        for key, person in keys.items():
            if key in done:
                continue
            message_create(
                recipient=person,
                kind=Kind.OUTCOME_PUBLISHED,
                dedupe_key=key,
                context={"outcome": outcome, "opportunity": opportunity},
            )
            told += 1
    return told


# --- check-ins and follow-ups -------------------------------------------------------------------


def check_in_create(
    *,
    person: User,
    opportunity: Opportunity | None,
    how_it_went: int,
    felt_valued: int,
    went_well: str = "",
    could_be_better: str = "",
    wants_chat: bool = False,
) -> CheckIn:
    """Record a check-in. Asking for a chat creates a follow-up for the person's named
    worker (or the opportunity's lead worker) and tells that worker at once, without any of
    what the person wrote."""
    if opportunity is not None and not took_part_in(person, opportunity):
        raise FeedbackError("You can check in about activities you took part in.")
    with transaction.atomic():
        if (
            opportunity is not None
            and CheckIn.objects.filter(person=person, opportunity=opportunity).exists()
        ):
            raise FeedbackError("You have already checked in about this activity. Thank you.")
        check_in = CheckIn.objects.create(
            person=person,
            opportunity=opportunity,
            how_it_went=how_it_went,
            felt_valued=felt_valued,
            went_well=went_well.strip(),
            could_be_better=could_be_better.strip(),
            wants_chat=wants_chat,
        )
        if wants_chat:
            worker = _worker_for(person=person, opportunity=opportunity)
            if worker is None:
                raise FeedbackError(
                    "We could not find an involvement worker for you. Please contact the involvement team."
                )
            follow_up = FollowUp.objects.create(check_in=check_in, person=person, worker=worker)
            message_create(
                recipient=worker,
                kind=Kind.FOLLOW_UP_REQUESTED,
                dedupe_key=f"follow_up:{follow_up.pk}",
                context={"follow_up": follow_up, "person": person},
            )
    return check_in


def _worker_for(*, person: User, opportunity: Opportunity | None) -> User | None:
    named = getattr(person.profile, "named_worker", None)
    if named is not None and named.is_active:
        return named
    return opportunity.lead_worker if opportunity is not None else None


def follow_up_close(*, follow_up: FollowUp, by: User, action_taken: str) -> FollowUp:
    action_taken = action_taken.strip()
    if not action_taken:
        raise FeedbackError("Write what you did, so the record shows the person was followed up.")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.status == FollowUp.Status.CLOSED:
            raise FeedbackError("This follow-up is already closed.")
        follow_up.status = FollowUp.Status.CLOSED
        follow_up.closed_at, follow_up.closed_by, follow_up.action_taken = timezone.now(), by, action_taken
        follow_up.save()
    return follow_up


def check_in_invitations_send(*, now=None) -> int:
    """Once per person per activity, after their last attended session has ended: a gentle
    invitation to check in. Idempotent (the message key)."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.CHECK_IN_INVITE_WITHIN_DAYS)
    signups = list(
        SignUp.objects.filter(
            state=SignUp.State.ATTENDED, opportunity__ends_at__lte=now, opportunity__ends_at__gte=since
        )
        .exclude(opportunity__check_ins__person=F("person"))
        .select_related("person__profile", "opportunity")
    )
    keys = {f"check_in_invitation:{s.pk}": s for s in signups}
    done = existing_dedupe_keys(keys=list(keys))
    sent = 0
    for key, signup in keys.items():
        if key in done:
            continue
        with transaction.atomic():
            message = message_create(
                recipient=signup.person,
                kind=Kind.CHECK_IN_INVITATION,
                dedupe_key=key,
                context={"opportunity": signup.opportunity},
            )
        sent += message is not None
    return sent


# --- digests ------------------------------------------------------------------------------------


def digest_period(*, frequency: str, today: date) -> tuple[str, date]:
    """The period's key (one digest per person per period, whatever the retries) and its
    start: the week's Monday, or the month's first day."""
    if frequency == DigestFrequency.MONTHLY:
        start = today.replace(day=1)
        return start.strftime("%Y-%m"), start
    start = today - timedelta(days=today.weekday())
    iso = start.isocalendar()
    return f"{iso.year}-W{iso.week:02d}", start


def _digest_people(*, frequency: str, today: date):
    from django.db.models import Q

    from accounts.permissions import Role

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


def digests_build(
    *, frequency: str = DigestFrequency.WEEKLY, today: date | None = None, batch_size: int | None = None
) -> int:
    """Build and queue this period's digests for everyone who wants them.

    Works in batches of people with a fixed number of queries per batch, so the cost grows
    with the number of batches, never with the number of people. Never sends an empty
    digest, nor one to somebody taking a break; one per person per period, however often
    it runs (the message key)."""
    from notifications.services import messages_store_bulk, render_message
    from opportunities.models import Session

    today = today or timezone.localdate()
    batch_size = batch_size or settings.DIGEST_BATCH_SIZE
    period_key, start = digest_period(frequency=frequency, today=today)
    since = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
    now = timezone.now()
    # Shared by everyone: opportunities published this period, by activity type.
    new_by_type: dict[int, list[Opportunity]] = {}
    for opportunity in Opportunity.objects.filter(
        status=Opportunity.Status.PUBLISHED, published_at__gte=since, signup_deadline__gt=now
    ).order_by("starts_at")[:200]:
        new_by_type.setdefault(opportunity.activity_type_id, []).append(opportunity)

    people = _digest_people(frequency=frequency, today=today)
    queued, last_pk = 0, 0
    while True:
        batch = list(people.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        ids = [person.pk for person in batch]
        keys = {person.pk: f"digest:{frequency}:{period_key}:{person.pk}" for person in batch}
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
                opportunity__status=Opportunity.Status.PUBLISHED,
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
        for person in batch:
            if keys[person.pk] in done:
                continue
            new = [o for type_id in interests.get(person.pk, ()) for o in new_by_type.get(type_id, [])][:10]
            context = {
                "recipient": person,
                "outcomes": outcomes.get(person.pk, []),
                "new_opportunities": new,
                "upcoming": upcoming.get(person.pk, []),
                "check_ins": due_check_ins.get(person.pk, []),
                "frequency": frequency,
            }
            if not any(context[name] for name in ("outcomes", "new_opportunities", "upcoming", "check_ins")):
                continue  # never send an empty digest
            items.append((person, keys[person.pk], render_message(kind=Kind.DIGEST, context=context)))
        with transaction.atomic():
            queued += messages_store_bulk(kind=Kind.DIGEST, items=items)
    return queued


# --- the worker's daily summary ------------------------------------------------------------------


def worker_summaries_send(*, today: date | None = None) -> int:
    """Each worker's daily summary: overdue outcomes, waiting follow-ups, offers lapsing
    today on their opportunities. Not sent when there is nothing."""
    from notifications.services import messages_store_bulk, render_message

    today = today or timezone.localdate()
    now = timezone.now()
    end_of_day = timezone.make_aware(timezone.datetime.combine(today, timezone.datetime.max.time()))
    overdue: dict[int, list[Opportunity]] = {}
    for opportunity in outcomes_overdue(today=today):
        overdue.setdefault(opportunity.lead_worker_id, []).append(opportunity)
    waiting: dict[int, list[FollowUp]] = {}
    for follow_up in FollowUp.objects.filter(status=FollowUp.Status.OPEN).order_by("requested_at"):
        waiting.setdefault(follow_up.worker_id, []).append(follow_up)
    lapsing: dict[int, list[SignUp]] = {}
    for signup in SignUp.objects.filter(
        state=SignUp.State.OFFERED, offer_expires_at__gte=now, offer_expires_at__lte=end_of_day
    ).select_related("opportunity"):
        lapsing.setdefault(signup.opportunity.lead_worker_id, []).append(signup)
    worker_ids = set(overdue) | set(waiting) | set(lapsing)
    items = []
    for worker in User.objects.filter(pk__in=worker_ids, is_active=True).select_related("profile"):
        context = {
            "recipient": worker,
            "overdue": overdue.get(worker.pk, []),
            "follow_ups": waiting.get(worker.pk, []),
            "lapsing": lapsing.get(worker.pk, []),
            "today": today,
        }
        items.append(
            (
                worker,
                f"worker_summary:{today.isoformat()}:{worker.pk}",
                render_message(kind=Kind.WORKER_SUMMARY, context=context),
            )
        )
    with transaction.atomic():
        return messages_store_bulk(kind=Kind.WORKER_SUMMARY, items=items)


def outcomes_overdue(*, today: date | None = None):
    """Completed opportunities past their outcome due date with no published outcome."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        timezone.datetime.combine(
            today - timedelta(days=settings.OUTCOME_DUE_DAYS), timezone.datetime.min.time()
        )
    )
    return (
        Opportunity.objects.filter(status=Opportunity.Status.COMPLETED, ends_at__lt=cutoff)
        .exclude(outcome__status=Outcome.Status.PUBLISHED)
        .select_related("lead_worker")
        .order_by("ends_at")
    )
