"""The periodic jobs: offers that lapse, fair-share selections that fall due, and reminders
before sessions. Each is idempotent and safe to run concurrently, and handles each item in
a transaction of its own (involvement.jobs): one opportunity at fault is logged and left
for the next run, and everyone else's offers, selections and reminders go on."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from involvement.jobs import each_in_own_transaction
from notifications.kinds import Kind
from notifications.selectors import existing_dedupe_keys
from notifications.services import message_create
from opportunities.models import Opportunity, SelectionDraw, SelectionMethod, Session, SignUp
from opportunities.services.places import _fill_free_places, _lock, _move, _notify, _recount
from opportunities.services.selection import selection_run
from opportunities.services.states import RUNNING, State


def offers_expire(*, now: datetime | None = None) -> int:
    """Offers whose accept-by time has passed lapse, and the place goes to the next person.
    Idempotent and safe to run concurrently: each offer is re-checked under the lock."""
    now = now or timezone.now()
    due = SignUp.objects.filter(state=State.OFFERED, offer_expires_at__lte=now).values_list(
        "pk", "opportunity_id"
    )

    def lapse(item: tuple[int, int]) -> int:
        signup_id, opportunity_id = item
        opportunity = _lock(opportunity_id)
        signup = SignUp.objects.select_for_update().select_related("person", "opportunity").get(pk=signup_id)
        if signup.state != State.OFFERED or signup.offer_expires_at is None or signup.offer_expires_at > now:
            return 0  # accepted, declined or already lapsed by another run
        _move(signup, State.DECLINED, actor=None, reason="The offer lapsed.")
        _notify(signup, "offer_lapsed")
        _fill_free_places(opportunity, actor=None)
        _recount(opportunity)
        return 1

    return each_in_own_transaction(
        list(due), lapse, job="Offers that lapse", item_id=lambda item: f"sign-up {item[0]}"
    )


def _selection_due(now: datetime) -> Q:
    """Fair-share opportunities, running, past their deadline, not yet selected."""
    return Q(
        selection_method=SelectionMethod.FAIR_SHARE,
        status__in=RUNNING,
        signup_deadline__lte=now,
        selection_done_at__isnull=True,
    )


def selections_due(*, now: datetime | None = None) -> int:
    """Fair-share opportunities whose deadline has passed are selected automatically if the
    lead worker has not run the selection by hand. Idempotent."""
    now = now or timezone.now()
    due = Opportunity.objects.filter(_selection_due(now)).values_list("pk", flat=True)

    def select(opportunity_id: int) -> int:
        # Locked and asked again: the lead worker, or another run of this job, may have run
        # the selection since the list was read. The draw is made in the same transaction,
        # so a selection that fails leaves no draw behind.
        opportunity = (
            Opportunity.objects.select_for_update().filter(_selection_due(now), pk=opportunity_id).first()
        )
        if opportunity is None:
            return 0
        draw = SelectionDraw.objects.create(opportunity=opportunity, seed=secrets.token_hex(16))
        selection_run(opportunity=opportunity, draw=draw, by=None)
        return 1

    return each_in_own_transaction(
        list(due), select, job="Fair-share selections due", item_id=lambda pk: f"opportunity {pk}"
    )


def reminders_send(*, now: datetime | None = None) -> int:
    """Reminders before each session to confirmed people, once per lead time (48 and 2 hours
    by default). Each lead time covers the sessions between it and the next shorter one, so
    somebody who confirms an hour before gets the 2-hour reminder only. The message key makes
    each reminder once only, whatever the retries."""
    now = now or timezone.now()
    lead_times = sorted(settings.REMINDER_HOURS, reverse=True)
    created = 0
    for index, hours in enumerate(lead_times):
        shorter = lead_times[index + 1] if index + 1 < len(lead_times) else 0
        signups = list(
            SignUp.objects.filter(
                state=State.CONFIRMED,
                # Published or closed: closing shuts the door to newcomers, and the people
                # already confirmed still need reminding.
                opportunity__status__in=RUNNING,
                opportunity__sessions__starts_at__gt=now + timedelta(hours=shorter),
                opportunity__sessions__starts_at__lte=now + timedelta(hours=hours),
            )
            .select_related("person__profile", "opportunity")
            .distinct()
        )
        sessions = Session.objects.filter(
            opportunity_id__in={s.opportunity_id for s in signups},
            starts_at__gt=now + timedelta(hours=shorter),
            starts_at__lte=now + timedelta(hours=hours),
        )
        by_opportunity: dict[int, list[Session]] = {}
        for session in sessions:
            by_opportunity.setdefault(session.opportunity_id, []).append(session)
        # The key carries the session's start time: a session moved after its reminder
        # went gets a reminder for the new time, and an unchanged one never gets two.
        wanted = {
            f"reminder:{hours}h:{signup.pk}:{session.pk}:{session.starts_at:%Y%m%dT%H%M%SZ}": (
                signup,
                session,
            )
            for signup in signups
            for session in by_opportunity.get(signup.opportunity_id, [])
        }
        done = existing_dedupe_keys(keys=list(wanted))

        def remind(item: tuple[str, tuple[SignUp, Session]], hours: int = hours) -> int:
            key, (signup, session) = item
            message = message_create(
                recipient=signup.person,
                kind=Kind.REMINDER,
                dedupe_key=key,
                context={"session": session, "opportunity": signup.opportunity, "hours": hours},
            )
            return message is not None

        created += each_in_own_transaction(
            [item for item in wanted.items() if item[0] not in done],
            remind,
            job=f"Reminders {hours} hours ahead",
            item_id=lambda item: f"sign-up {item[1][0].pk}, session {item[1][1].pk}",
        )
    return created
