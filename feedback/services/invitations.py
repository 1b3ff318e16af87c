"""Invitations that widen reach (issue 13, item 10; F4: staff governed opportunities and many
users missed out). When an opportunity is published, the people whose interests include its
type of activity and who have never taken part, or least in the last 12 months, are invited
at once rather than waiting for the weekly digest.

Who is invited: active representatives with an e-mail address whose interests match; not
taking a break; not at their own pace (at most N activities a month, counted as the sign-up
page counts it: `opportunities.selectors.pace_passed`); not signed up to it already; not
invited to it before; not invited to anything in the last INVITATION_GAP_DAYS. Never involved
first, then fewest activities attended in the last 12 months, then longest since they last
took part; at most INVITATIONS_PER_OPPORTUNITY for each opportunity, however often the job
runs. The outbox applies their choices of channel (e-mail off, texts) and pauses it for a
break.

When: `opportunity_publish` (opportunities, below feedback) calls the listeners registered in
`opportunities.publishing` once its transaction commits; feedback's listener queues the task
`send_opportunity_invitations`. A periodic job (`send_recent_invitations`) goes over the
opportunities published in the last day, for a task the broker lost. Both are idempotent.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from feedback.models import Invitation
from involvement.jobs import each_in_own_transaction
from notifications.kinds import Kind
from notifications.services import message_create
from opportunities.models import Opportunity, SignUp

logger = logging.getLogger(__name__)

# The first key of PostgreSQL's two-key advisory lock: this lock's own space, so that the
# second (the person's id) never meets another lock's.
INVITATION_LOCK = 13_010
# Sign-ups that count towards a person's pace, as on the sign-up page.
PACE_STATES = [SignUp.State.CONFIRMED, SignUp.State.OFFERED, SignUp.State.APPLIED, SignUp.State.ATTENDED]
# Opportunities published this long ago are still looked at by the periodic job.
RECENT = timedelta(days=1)


def _month_of(moment: datetime) -> tuple[datetime, datetime]:
    local = timezone.localtime(moment)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, (start + timedelta(days=32)).replace(day=1)


def invitation_candidates(*, opportunity: Opportunity, limit: int, now: datetime | None = None) -> list[User]:
    """Who to invite to `opportunity`, in order, at most `limit`: one query."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    attended = SignUp.objects.filter(person=OuterRef("pk"), state=SignUp.State.ATTENDED)
    recent = (
        attended.filter(opportunity__ends_at__gte=now - timedelta(days=365))
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last = attended.values("person").annotate(last=Max("opportunity__ends_at")).values("last")
    month_start, next_month = _month_of(opportunity.starts_at or now)
    this_month = (
        SignUp.objects.filter(
            person=OuterRef("pk"),
            state__in=PACE_STATES,
            opportunity__starts_at__gte=month_start,
            opportunity__starts_at__lt=next_month,
        )
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    on_break = Q(profile__taking_break=True) & (
        Q(profile__break_until__isnull=True) | Q(profile__break_until__gte=today)
    )
    invited_lately = Invitation.objects.filter(person=OuterRef("pk")).filter(
        Q(opportunity=opportunity) | Q(sent_at__gte=now - timedelta(days=settings.INVITATION_GAP_DAYS))
    )
    people = (
        User.objects.filter(
            is_active=True,
            groups__name=Role.REPRESENTATIVE.value,
            profile__interests=opportunity.activity_type_id,
        )
        # Someone with no e-mail address hears through their worker; an invitation is not
        # worth a call, so they find opportunities with their worker instead.
        .exclude(Q(email__isnull=True) | Q(email=""))
        .exclude(on_break)
        .exclude(Exists(SignUp.objects.filter(person=OuterRef("pk"), opportunity=opportunity)))
        .exclude(Exists(invited_lately))
        .annotate(
            ever=Exists(attended),
            recent=Coalesce(Subquery(recent, output_field=IntegerField()), Value(0)),
            last=Subquery(last),
            this_month=Coalesce(Subquery(this_month, output_field=IntegerField()), Value(0)),
        )
        .filter(Q(profile__pace_per_month__isnull=True) | Q(this_month__lt=F("profile__pace_per_month")))
        .select_related("profile")
        .order_by("ever", "recent", F("last").asc(nulls_first=True), "pk")
    )
    return list(people[: max(limit, 0)])


def invitations_send(*, opportunity_id: int) -> int:
    """Invite the people `invitation_candidates` names to a published opportunity still
    taking sign-ups. Each invitation in a transaction of its own, under a lock on the person
    (so that two opportunities published at once never both invite them within the gap),
    re-checked once the lock is held. Returns how many were invited; safe to run again."""
    now = timezone.now()
    opportunity = (
        Opportunity.objects.filter(
            pk=opportunity_id, status=Opportunity.Status.PUBLISHED, signup_deadline__gt=now
        )
        .select_related("activity_type")
        .first()
    )
    if opportunity is None:
        return 0
    left = settings.INVITATIONS_PER_OPPORTUNITY - Invitation.objects.filter(opportunity=opportunity).count()
    people = invitation_candidates(opportunity=opportunity, limit=left, now=now)
    return each_in_own_transaction(
        people,
        lambda person: _invite(person, opportunity=opportunity),
        job="invitations",  # pragma: no mutate: the job's name only labels its log line
        item_id=lambda person: f"person {person.pk} to opportunity {opportunity.pk}",
    )


def _invite(person: User, *, opportunity: Opportunity) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [INVITATION_LOCK, person.pk])
    now = timezone.now()
    gap_start = now - timedelta(days=settings.INVITATION_GAP_DAYS)
    if (
        Invitation.objects.filter(person=person)
        .filter(Q(opportunity=opportunity) | Q(sent_at__gte=gap_start))
        .exists()
    ):
        return 0
    message = message_create(
        recipient=person,
        kind=Kind.INVITATION,
        dedupe_key=f"invitation:{opportunity.pk}:{person.pk}",
        context={"opportunity": opportunity},
    )
    if message is None:  # paused for them (a break that began since the list was read)
        return 0
    Invitation.objects.create(person=person, opportunity=opportunity, sent_at=now)
    return 1


def invitations_send_recent(*, now: datetime | None = None) -> int:
    """The periodic job: every opportunity published in the last day, again (idempotent)."""
    now = now or timezone.now()
    ids = Opportunity.objects.filter(
        status=Opportunity.Status.PUBLISHED, published_at__gte=now - RECENT, signup_deadline__gt=now
    ).values_list("pk", flat=True)
    return sum(invitations_send(opportunity_id=pk) for pk in ids)


def invitations_queue(opportunity_id: int) -> None:
    """The publish listener (`opportunities.publishing`), run once the publish has committed:
    queue the task. If the broker is down, the publish still stands and the periodic job
    sends the invitations on its next run."""
    from feedback.tasks import send_opportunity_invitations

    try:
        send_opportunity_invitations.delay(opportunity_id)
    except Exception as error:  # kombu and redis raise several types; all mean "not queued"
        logger.warning(
            "Could not queue invitations to opportunity %s (%s); the periodic job will send them.",
            opportunity_id,
            type(error).__name__,
        )
