"""Check-ins after an activity or at any time, and the follow-up when somebody asks for a
chat (F5: involvement can be hard on wellbeing; F7: the named worker is crucial). Messages
about them never carry what the person wrote."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from feedback.models import CheckIn, FollowUp
from feedback.permissions import took_part_in
from feedback.services.errors import FeedbackError
from involvement.jobs import each_in_own_transaction
from involvement.working_days import working_days_after
from notifications.kinds import Kind
from notifications.selectors import existing_dedupe_keys
from notifications.services import message_create
from opportunities.models import Opportunity, SignUp


def check_in_create(
    *,
    person: User,
    opportunity: Opportunity | None,
    how_it_went: int,
    felt_valued: int,
    went_well: str = "",
    could_be_better: str = "",
    wants_chat: bool = False,
    urgency: str = FollowUp.Urgency.THIS_WEEK,
) -> CheckIn:
    """Record a check-in. Asking for a chat creates a follow-up for the person's named
    worker (or the opportunity's lead worker), saying how soon (`urgency`) and due within
    FOLLOW_UP_TARGET_WORKING_DAYS working days, and tells that worker at once, without any
    of what the person wrote."""
    if opportunity is not None and not took_part_in(person, opportunity):
        raise FeedbackError("You can check in about activities you took part in.")
    if wants_chat and urgency not in FollowUp.Urgency.values:
        raise FeedbackError("Choose how soon you would like a chat.")
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
            requested_at = timezone.now()
            follow_up = FollowUp.objects.create(
                check_in=check_in,
                person=person,
                worker=worker,
                urgency=urgency,
                requested_at=requested_at,
                due_on=follow_up_due_on(requested_at),
            )
            message_create(
                recipient=worker,
                kind=Kind.FOLLOW_UP_REQUESTED,
                dedupe_key=f"follow_up:{follow_up.pk}",
                # The follow-up's id, not the person's name: the body is stored, and the
                # follow-up page names them from the live row, so erasure leaves no name here.
                context={"follow_up": follow_up},
            )
    return check_in


def _worker_for(*, person: User, opportunity: Opportunity | None) -> User | None:
    named = person.profile.named_worker
    if named is not None and named.is_active:
        return named
    return opportunity.lead_worker if opportunity is not None else None


def follow_up_due_on(requested_at: datetime) -> date:
    """The last day to pick up a request made at `requested_at`: FOLLOW_UP_TARGET_WORKING_DAYS
    working days after the day it was made (Europe/London), weekends and bank holidays
    skipped, so a request on Friday afternoon is due on Tuesday."""
    return working_days_after(timezone.localdate(requested_at), settings.FOLLOW_UP_TARGET_WORKING_DAYS)


def worker_name(worker: User) -> str:
    """How a person is told who their worker is: the name the worker chose, else their full
    name, else a plain description (never their e-mail address)."""
    profile = getattr(worker, "profile", None)
    return (getattr(profile, "display_name", "") or worker.get_full_name()) or "Your involvement worker"


def follow_up_pick_up(*, follow_up: FollowUp, by: User, call_by: date) -> FollowUp:
    """The worker takes the request and says by when they will call. The person sees it on
    their check-ins page and is told by message (e-mail, and text if they chose). May be
    done again while open, with a new date: the person is told of each date."""
    if call_by < timezone.localdate():
        raise FeedbackError("The date you will call by must be today or later.")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.status == FollowUp.Status.CLOSED:
            raise FeedbackError("This follow-up is already closed.")
        if follow_up.call_by == call_by:
            return follow_up
        follow_up.picked_up_at = follow_up.picked_up_at or timezone.now()
        follow_up.call_by = call_by
        follow_up.save(update_fields=["picked_up_at", "call_by"])
        message_create(
            recipient=follow_up.person,
            kind=Kind.CHAT_REPLY,
            dedupe_key=f"chat_reply:{follow_up.pk}:call_by:{call_by.isoformat()}",
            context={"worker_name": worker_name(by), "call_by": call_by, "done": False},
        )
    return follow_up


def follow_up_close(*, follow_up: FollowUp, by: User, action_taken: str) -> FollowUp:
    """Done: what the worker did is the record (the person is told it is done, never what
    was written)."""
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
        message_create(
            recipient=follow_up.person,
            kind=Kind.CHAT_REPLY,
            dedupe_key=f"chat_reply:{follow_up.pk}:done",
            context={"worker_name": worker_name(by), "done": True},
        )
    return follow_up


def check_in_invitations_send(*, now: datetime | None = None) -> int:
    """Once per person per activity, after their last attended session has ended: a gentle
    invitation to check in. Idempotent (the message key). Each invitation is written in a
    transaction of its own, so one that fails is logged and tried again on the next run,
    and the others still go."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.CHECK_IN_INVITE_WITHIN_DAYS)
    signups = list(
        SignUp.objects.filter(
            state=SignUp.State.ATTENDED, opportunity__ends_at__lte=now, opportunity__ends_at__gte=since
        )
        .exclude(opportunity__check_ins__person=F("person"))
        .select_related("person__profile", "opportunity")
    )
    done = existing_dedupe_keys(keys=[_invitation_key(signup) for signup in signups])
    return each_in_own_transaction(
        [signup for signup in signups if _invitation_key(signup) not in done],
        _check_in_invitation_send,
        job="check-in invitations",  # pragma: no mutate: the job's name only labels its log line
        item_id=lambda signup: f"sign-up {signup.pk}",
    )


def _invitation_key(signup: SignUp) -> str:
    return f"check_in_invitation:{signup.pk}"


def _check_in_invitation_send(signup: SignUp) -> int:
    message = message_create(
        recipient=signup.person,
        kind=Kind.CHECK_IN_INVITATION,
        dedupe_key=_invitation_key(signup),
        context={"opportunity": signup.opportunity},
    )
    return int(message is not None)
