"""The periodic jobs: offers that lapse, fair-share selections that fall due, and reminders
before sessions. Each is idempotent and safe to run concurrently."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.kinds import Kind
from notifications.services import message_create
from opportunities.models import Opportunity, SelectionDraw, SelectionMethod, Session, SignUp
from opportunities.services.places import _fill_free_places, _lock, _move, _notify, _recount
from opportunities.services.selection import selection_run
from opportunities.services.states import State, Status


def offers_expire(*, now=None) -> int:
    """Offers whose accept-by time has passed lapse, and the place goes to the next person.
    Idempotent and safe to run concurrently: each offer is re-checked under the lock."""
    now = now or timezone.now()
    lapsed = 0
    due = list(
        SignUp.objects.filter(state=State.OFFERED, offer_expires_at__lte=now).values_list(
            "pk", "opportunity_id"
        )
    )
    for signup_id, opportunity_id in due:
        with transaction.atomic():
            opportunity = _lock(opportunity_id)
            signup = (
                SignUp.objects.select_for_update().select_related("person", "opportunity").get(pk=signup_id)
            )
            if (
                signup.state != State.OFFERED
                or signup.offer_expires_at is None
                or signup.offer_expires_at > now
            ):
                continue  # accepted, declined or already lapsed by another run
            _move(signup, State.DECLINED, actor=None, reason="The offer lapsed.")
            _notify(signup, "offer_lapsed")
            _fill_free_places(opportunity, actor=None)
            _recount(opportunity)
            lapsed += 1
    return lapsed


def selections_due(*, now=None) -> int:
    """Fair-share opportunities whose deadline has passed are selected automatically if the
    lead worker has not run the selection by hand. Idempotent."""
    now = now or timezone.now()
    done = 0
    for opportunity in Opportunity.objects.filter(
        selection_method=SelectionMethod.FAIR_SHARE,
        status__in=[Status.PUBLISHED, Status.CLOSED],
        signup_deadline__lte=now,
        selection_done_at__isnull=True,
    ):
        draw = SelectionDraw.objects.create(opportunity=opportunity, seed=secrets.token_hex(16))
        selection_run(opportunity=opportunity, draw=draw, by=None)
        done += 1
    return done


def reminders_send(*, now=None) -> int:
    """Reminders before each session to confirmed people, once per lead time (48 and 2 hours
    by default). Each lead time covers the sessions between it and the next shorter one, so
    somebody who confirms an hour before gets the 2-hour reminder only. The message key makes
    each reminder once only, whatever the retries."""
    from notifications.selectors import existing_dedupe_keys

    now = now or timezone.now()
    lead_times = sorted(settings.REMINDER_HOURS, reverse=True)
    created = 0
    for index, hours in enumerate(lead_times):
        shorter = lead_times[index + 1] if index + 1 < len(lead_times) else 0
        signups = list(
            SignUp.objects.filter(
                state=State.CONFIRMED,
                opportunity__status=Status.PUBLISHED,
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
        for key, (signup, session) in wanted.items():
            if key in done:
                continue
            with transaction.atomic():
                message = message_create(
                    recipient=signup.person,
                    kind=Kind.REMINDER,
                    dedupe_key=key,
                    context={"session": session, "opportunity": signup.opportunity, "hours": hours},
                )
            created += message is not None
    return created
