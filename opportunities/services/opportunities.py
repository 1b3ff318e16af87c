"""Opportunities: create and edit, publish, close, complete, cancel, duplicate, and who
leads them."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from catalogue.selectors import rate_in_force
from notifications.kinds import Kind
from notifications.services import message_create
from opportunities.models import Opportunity, OpportunityEvent, Session
from opportunities.publishing import opportunity_published
from opportunities.services.places import (
    _fill_free_places,
    _fit_place_numbers,
    _lock,
    _move,
    _notify,
    _recount,
)
from opportunities.services.sessions import (
    WHAT_TO_EXPECT,
    SessionData,
    _check_sessions,
    _save_sessions,
    _sync_dates,
    _tell_about_session_changes,
)
from opportunities.services.states import (
    ACTIVE,
    FINISHED,
    OPPORTUNITY_TRANSITIONS,
    RUNNING,
    OpportunityError,
    State,
    Status,
    opportunity_complete_refusal,
)


def opportunity_save(*, opportunity: Opportunity, sessions: list[SessionData], by: User) -> Opportunity:
    """Create or edit an opportunity and its sessions. Sessions are edited in place (their
    ids stay, so attendance and reminder keys survive an edit); a session with attendance
    recorded cannot be removed."""
    _check_sessions(opportunity, sessions)
    version = None
    with transaction.atomic():
        if opportunity.pk:
            locked = _lock(opportunity.pk)
            if locked.status in FINISHED:
                raise OpportunityError("A completed or cancelled opportunity cannot be changed.")
            # The row's last change, read under the lock: it tells one edit of the sessions
            # from a later edit that happens to make the same change (see the message key).
            version = locked.updated_at
            if opportunity.places < locked.places_taken:
                raise OpportunityError(
                    f"{locked.places_taken} places are already taken: there must be at least that many."
                )
            if opportunity.places < locked.places:
                _fit_place_numbers(locked, places=opportunity.places)
            # The form changes only its own fields; everything the services own comes from
            # the locked row, so an edit cannot undo a concurrent sign-up or selection.
            for name in SERVICE_OWNED_FIELDS:
                setattr(opportunity, name, getattr(locked, name))
            if locked.status != Status.DRAFT:
                # The rate was copied from this card when it was published: it stays.
                opportunity.rate_card_id = locked.rate_card_id
            previous_lead = locked.lead_worker
            if opportunity.lead_worker_id != previous_lead.pk:
                _check_lead_change(locked, lead_worker=opportunity.lead_worker, by=by)
        else:
            opportunity.created_by = by
            # Whoever creates it leads it unless they choose another worker.
            previous_lead = None
            _check_lead_change(None, lead_worker=opportunity.lead_worker, by=by)
        opportunity.save()
        if opportunity.lead_worker_id != (previous_lead.pk if previous_lead else by.pk):
            _record_lead_change(opportunity, previous_lead=previous_lead, by=by)
        running = opportunity.status in RUNNING
        changes = _save_sessions(opportunity, sessions, running=running)
        _sync_dates(opportunity)
        if running and changes:
            _tell_about_session_changes(opportunity, changes, version=version)
        if opportunity.status != Status.DRAFT:
            _fill_free_places(opportunity, actor=by)
            _recount(opportunity)
    return opportunity


def _check_lead_change(current: Opportunity | None, *, lead_worker: User, by: User) -> None:
    """Being lead opens the participants' notes, so only the lead worker (handing over) or a
    manager may change who leads an existing opportunity; the new lead must be a worker."""
    if current is not None and not by.has_perm("opportunities.change_lead", current):
        raise OpportunityError(
            "Only the lead worker or a manager can change the lead worker.", field="lead_worker"
        )
    if not lead_worker.has_perm("opportunities.lead"):
        raise OpportunityError("Choose an involvement worker to lead this opportunity.", field="lead_worker")


def _name(user: User | None) -> str:
    profile = getattr(user, "profile", None)
    return (getattr(profile, "display_name", "") or user.get_full_name() or user.email or "") if user else ""


def _record_lead_change(
    opportunity: Opportunity, *, previous_lead: User | None, by: User, reason: str = ""
) -> OpportunityEvent:
    """Write the change to the opportunity's history and tell the old and the new lead."""
    event = OpportunityEvent.objects.create(
        opportunity=opportunity,
        kind=OpportunityEvent.Kind.LEAD_CHANGED,
        actor=by,
        previous_lead=previous_lead,
        new_lead=opportunity.lead_worker,
        reason=reason,
    )
    told = [(opportunity.lead_worker, "new")] + ([(previous_lead, "previous")] if previous_lead else [])
    for recipient, role in told:
        message_create(
            recipient=recipient,
            kind=Kind.LEAD_WORKER_CHANGED,
            # One change, one message to each of the two: the event makes the key unique.
            dedupe_key=f"opportunity:lead:{opportunity.pk}:{event.pk}:{role}",
            context={
                "opportunity": opportunity,
                "is_new_lead": role == "new",
                "by_you": recipient.pk == by.pk,
                "actor_name": _name(by),
                "previous_name": _name(previous_lead),
                "new_name": _name(opportunity.lead_worker),
                "reason": reason,
            },
        )
    return event


def opportunity_change_lead(
    *, opportunity: Opportunity, lead_worker: User, by: User, reason: str = ""
) -> OpportunityEvent:
    """Hand an opportunity to another lead worker: by its lead worker, or by a manager."""
    reason = reason.strip()
    with transaction.atomic():
        locked = _lock(opportunity.pk)
        if lead_worker.pk == locked.lead_worker_id:
            raise OpportunityError(
                f"{_name(lead_worker)} already leads this opportunity: choose another worker.",
                field="lead_worker",
            )
        _check_lead_change(locked, lead_worker=lead_worker, by=by)
        previous_lead = locked.lead_worker
        locked.lead_worker = lead_worker
        locked.save(update_fields=["lead_worker", "updated_at"])
        return _record_lead_change(locked, previous_lead=previous_lead, by=by, reason=reason)


FEE_FIELDS = [
    "fee_rate_name",
    "fee_unit",
    "fee_amount",
    "fee_block_hours",
    "fee_preparation_hours",
    "fee_rate_from",
]

# Fields only services change; an edit form never overwrites them.
SERVICE_OWNED_FIELDS = [
    "status",
    # Uploaded on a page of its own (opportunity_pack_save): an edit never undoes it.
    "preparation_pack",
    "preparation_pack_content_type",
    "places_taken",
    "waitlist_length",
    "selection_done_at",
    "published_at",
    "cancel_reason",
    "created_by_id",
    "created_at",
    # The fee promised, copied from the rate card when it was published (_promise_fee).
    *FEE_FIELDS,
]


def _set_status(opportunity: Opportunity, to_status: str) -> None:
    if to_status not in OPPORTUNITY_TRANSITIONS[opportunity.status]:
        raise OpportunityError(
            f"A {opportunity.get_status_display().lower()} opportunity cannot be made {to_status}."
        )
    opportunity.status = to_status
    if to_status == Status.PUBLISHED and opportunity.published_at is None:
        opportunity.published_at = timezone.now()
    opportunity.save(update_fields=["status", "published_at", "updated_at"])


def opportunity_publish(*, opportunity: Opportunity, by: User) -> None:
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        if not opportunity.sessions.exists():
            raise OpportunityError("Add at least one session before publishing.")
        if opportunity.starts_at and opportunity.starts_at <= timezone.now():
            raise OpportunityError(
                "The first session has already started: change the dates before publishing."
            )
        if opportunity.signup_deadline <= timezone.now():
            raise OpportunityError("The sign-up deadline has passed: change it before publishing.")
        _promise_fee(opportunity)
        _set_status(opportunity, Status.PUBLISHED)
        # Apps above opportunities act once this commits (feedback's invitations).
        opportunity_published(opportunity.pk)


def _promise_fee(opportunity: Opportunity) -> None:
    """Copy the rate in force today onto the opportunity, once: what people sign up for is
    what they are paid, whatever the rate card says later (issue 12)."""
    card = opportunity.rate_card
    if not opportunity.is_paid or card is None or opportunity.fee_amount is not None:
        return
    rate = rate_in_force(card=card, day=timezone.localdate())
    if rate is None:
        raise OpportunityError(
            f"The rate card “{card}” has no rate in force today: "
            "ask an administrator to add one, or choose another."
        )
    opportunity.fee_rate_name = card.name
    opportunity.fee_unit = rate.unit
    opportunity.fee_amount = rate.amount
    opportunity.fee_block_hours = rate.block_hours
    opportunity.fee_preparation_hours = rate.preparation_hours
    opportunity.fee_rate_from = rate.effective_from
    opportunity.save(update_fields=FEE_FIELDS)


def opportunity_close(*, opportunity: Opportunity, by: User) -> None:
    with transaction.atomic():
        _set_status(_lock(opportunity.pk), Status.CLOSED)


def opportunity_complete(*, opportunity: Opportunity, by: User) -> None:
    """Completed: nobody else can join, and anyone still waiting is told kindly."""
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        refusal = opportunity_complete_refusal(opportunity=opportunity)
        if refusal:
            raise OpportunityError(refusal)
        _set_status(opportunity, Status.COMPLETED)
        for signup in opportunity.signups.select_related("person", "opportunity").filter(
            state__in=[State.APPLIED, State.WAITLISTED, State.OFFERED]
        ):
            to_state = State.DECLINED if signup.state == State.OFFERED else State.NOT_SELECTED
            _move(signup, to_state, actor=by, reason="The activity has finished.")
            _notify(signup, "not_selected")
        _recount(opportunity)


def opportunity_cancel(*, opportunity: Opportunity, by: User, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise OpportunityError("Give a reason: it is sent to everyone who signed up.")
    with transaction.atomic():
        opportunity = _lock(opportunity.pk)
        _set_status(opportunity, Status.CANCELLED)
        opportunity.cancel_reason = reason
        opportunity.save(update_fields=["cancel_reason", "updated_at"])
        for signup in opportunity.signups.select_related("person").filter(state__in=ACTIVE):
            _move(signup, State.CANCELLED, actor=by, reason=reason)
            message_create(
                recipient=signup.person,
                kind=Kind.OPPORTUNITY_CANCELLED,
                dedupe_key=f"opportunity:cancelled:{opportunity.pk}:{signup.pk}",
                context={"opportunity": opportunity, "reason": reason},
            )
        _recount(opportunity)


def opportunity_duplicate(*, opportunity: Opportunity, by: User) -> Opportunity:
    """A draft copy to post a similar activity quickly; dates are left for the worker."""
    with transaction.atomic():
        copy = Opportunity.objects.get(pk=opportunity.pk)
        sessions = list(copy.sessions.all())
        copy.pk = None
        copy.title = f"Copy of {opportunity.title}"[:150]
        copy.status = Status.DRAFT
        copy.places_taken = copy.waitlist_length = 0
        copy.published_at = copy.selection_done_at = None
        copy.cancel_reason = ""
        # The pack is the original's file: the copy gets one of its own, uploaded for it.
        copy.preparation_pack, copy.preparation_pack_content_type = "", ""
        # The copy promises the rate in force when it is published, not the original's.
        copy.fee_rate_name = copy.fee_unit = ""
        copy.fee_amount = copy.fee_block_hours = copy.fee_preparation_hours = copy.fee_rate_from = None
        copy.created_by = by
        copy.created_at = timezone.now()
        if by.has_perm("opportunities.lead"):
            # A copy is a new opportunity: whoever makes it leads it, as when creating one.
            copy.lead_worker = by
        copy._state.adding = True
        copy.save()
        Session.objects.bulk_create(
            Session(
                opportunity=copy,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                area=s.area,
                location=s.location,
                joining_link=s.joining_link,
                **{name: getattr(s, name) for name in WHAT_TO_EXPECT},
            )
            for s in sessions
        )
        _sync_dates(copy)
    return copy
