from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from accounts.models import Profile, User
from accounts.permissions import Role
from demo.scale import SCALE_PREFIX
from opportunities.models import Attendance, Opportunity, Session, SignUp, SignUpEvent
from opportunities.services import HOLDS_PLACE

pytestmark = pytest.mark.django_db

State = SignUp.State
Status = Opportunity.Status


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in [User, Profile, Opportunity, Session, SignUp, SignUpEvent, Attendance]
    )


def assert_counters_match_sign_ups(opportunities=None) -> None:
    opportunities = (opportunities or Opportunity.objects.all()).annotate(
        taken=Count("signups", filter=Q(signups__state__in=HOLDS_PLACE), distinct=True),
        waiting=Count("signups", filter=Q(signups__state=State.WAITLISTED), distinct=True),
        first=Min("sessions__starts_at"),
        last=Max("sessions__ends_at"),
    )
    for opportunity in opportunities:
        assert (opportunity.places_taken, opportunity.waitlist_length) == (
            opportunity.taken,
            opportunity.waiting,
        )
        assert opportunity.places_taken <= opportunity.places, opportunity.title
        assert (opportunity.starts_at, opportunity.ends_at) == (opportunity.first, opportunity.last)
        assert opportunity.signup_deadline <= opportunity.starts_at
        positions = list(
            opportunity.signups.filter(state=State.WAITLISTED).values_list("waitlist_position", flat=True)
        )
        assert sorted(positions) == list(range(1, len(positions) + 1)), opportunity.title
    assert not SignUp.objects.exclude(state=State.WAITLISTED).filter(waitlist_position__isnull=False).exists()


def test_it_creates_an_opportunity_in_every_state_with_sessions_in_london_daytime():
    call_command("seed_demo", quiet=True)
    assert set(Opportunity.objects.values_list("status", flat=True)) == set(Status.values)
    assert Opportunity.objects.get(status=Status.CANCELLED).cancel_reason
    published = Opportunity.objects.filter(status=Status.PUBLISHED)
    assert published.filter(places_taken__lt=F("places"), selection_method="first_come").exists()
    assert published.filter(places_taken=F("places"), waitlist_length__gt=0).exists()
    assert published.filter(selection_method="fair_share", signup_deadline__gt=timezone.now()).exists()
    completed = SignUp.objects.filter(opportunity__status=Status.COMPLETED)
    assert completed.filter(state=State.ATTENDED).exists() and completed.filter(state=State.NO_SHOW).exists()
    for opportunity in Opportunity.objects.annotate(sessions_count=Count("sessions")):
        assert 1 <= opportunity.sessions_count <= 3
        assert opportunity.lead_worker.email == "worker@example.org"
        assert opportunity.accessibility
    for session in Session.objects.all():
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        assert starts.hour >= 9 and ends.hour <= 18
    assert_counters_match_sign_ups()


def test_it_gives_the_demo_representative_a_sign_up_in_each_state_that_matters():
    call_command("seed_demo", quiet=True)
    now = timezone.now()
    mine = {
        s.state: s
        for s in SignUp.objects.filter(person__email="rep@example.org").select_related("opportunity")
    }
    assert {State.CONFIRMED, State.WAITLISTED, State.OFFERED, State.APPLIED, State.ATTENDED} <= set(mine)
    assert mine[State.CONFIRMED].opportunity.starts_at > now
    assert mine[State.WAITLISTED].waitlist_position is not None
    assert mine[State.OFFERED].offer_expires_at > now
    assert mine[State.OFFERED].opportunity.status == Status.PUBLISHED
    assert mine[State.APPLIED].opportunity.selection_method == "fair_share"
    assert mine[State.APPLIED].opportunity.signup_deadline > now
    attended = mine[State.ATTENDED]
    assert attended.opportunity.status == Status.COMPLETED and attended.opportunity.ends_at < now
    assert attended.attendance.filter(attended=True).count() == attended.opportunity.sessions.count()
    assert attended.events.first().to_state == State.CONFIRMED


def test_it_is_idempotent_and_resets_the_demo_to_its_script():
    call_command("seed_demo", quiet=True)
    counts = _counts()
    call_command("seed_demo", quiet=True)
    assert _counts() == counts

    # Someone plays with the demo: the representative withdraws, a stranger takes the place.
    confirmed = SignUp.objects.get(person__email="rep@example.org", state=State.CONFIRMED)
    SignUp.objects.filter(pk=confirmed.pk).update(state=State.WITHDRAWN, place_number=None)
    stranger = User.objects.get(email="kwame@example.org")
    SignUp.objects.create(opportunity=confirmed.opportunity, person=stranger, state=State.CONFIRMED)
    call_command("seed_demo", quiet=True)
    confirmed.refresh_from_db()
    assert confirmed.state == State.CONFIRMED
    assert not confirmed.opportunity.signups.filter(person=stranger).exists()
    assert _counts()[:5] == counts[:5]
    assert_counters_match_sign_ups()


def test_it_moves_the_dates_with_today_without_duplicates():
    call_command("seed_demo", quiet=True)
    counts = _counts()
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        call_command("seed_demo", quiet=True)
        assert _counts() == counts
        offered = SignUp.objects.get(person__email="rep@example.org", state=State.OFFERED)
        assert offered.offer_expires_at > timezone.now()
        assert offered.opportunity.starts_at > timezone.now()
        assert_counters_match_sign_ups()


def test_it_builds_the_large_data_set_once(capsys):
    call_command("seed_demo", scale="large", opportunities=200, representatives=100, signups=2000)
    output = capsys.readouterr().out
    assert "200 opportunities, 400 sessions, 2,000 sign-ups, 100 representatives" in output
    assert "rep@example.org" in output
    scale = Opportunity.objects.filter(title__startswith=SCALE_PREFIX)
    signups = SignUp.objects.filter(opportunity__in=scale)
    assert scale.count() == 200
    assert Session.objects.filter(opportunity__in=scale).count() == 400
    assert signups.count() == 2000
    assert signups.values("opportunity", "person").distinct().count() == 2000
    reps = User.objects.filter(email__endswith="@scale.example.org", groups__name=Role.REPRESENTATIVE)
    assert reps.count() == 100
    assert Profile.objects.filter(user__in=reps).count() == 100
    assert EmailAddress.objects.filter(user__in=reps, verified=True).count() == 100
    assert reps.first().check_password(settings.DEMO_PASSWORD)
    assert scale.filter(status=Status.PUBLISHED).count() > scale.filter(status=Status.CANCELLED).count()
    assert scale.filter(starts_at__lt=timezone.now(), status=Status.PUBLISHED).count() == 0
    assert {State.CONFIRMED, State.ATTENDED, State.WAITLISTED, State.APPLIED} <= set(
        signups.values_list("state", flat=True)
    )
    assert scale.filter(search_vector=SearchQuery("interview", config="english")).count() > 10
    assert_counters_match_sign_ups(scale)

    counts = _counts()
    call_command("seed_demo", scale="large", opportunities=200, representatives=100, signups=2000)
    assert "already there" in capsys.readouterr().out
    assert _counts() == counts


def test_it_replaces_a_smaller_large_data_set():
    call_command("seed_demo", scale="large", opportunities=40, representatives=30, signups=300, quiet=True)
    call_command("seed_demo", scale="large", opportunities=60, representatives=30, signups=500, quiet=True)
    scale = Opportunity.objects.filter(title__startswith=SCALE_PREFIX)
    assert scale.count() == 60
    assert SignUp.objects.filter(opportunity__in=scale).count() == 500
    assert (
        User.objects.filter(email__endswith="@scale.example.org", groups__name=Role.REPRESENTATIVE).count()
        == 30
    )
    assert_counters_match_sign_ups(scale)
