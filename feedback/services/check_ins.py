"""Check-ins after an activity or at any time, and the follow-up when somebody asks for a
chat (F5: involvement can be hard on wellbeing; F7: the named worker is crucial). Messages
about them never carry what the person wrote."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from feedback.models import CheckIn, FollowUp
from feedback.permissions import took_part_in
from feedback.services.errors import FeedbackError
from involvement.jobs import each_in_own_transaction
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
