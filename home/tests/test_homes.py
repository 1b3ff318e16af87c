"""The homes: what a worker (/worker/) and a representative (/me/) find there, composed from
the opportunities and the feedback loop. Made with the feedback tests' helpers."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import FollowUp
from feedback.services import check_in_create, outcome_save
from feedback.tests.test_views import check_in_url, finished, outcome_url, publish, rep, text_of
from involvement.templatetags.nhs_dates import nhs_date
from opportunities.models import Opportunity, SignUp
from opportunities.services import signup_create, signup_withdraw
from opportunities.tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

Status = Opportunity.Status


# --- worker home -----------------------------------------------------------------------------


def waiting_for(worker, *names_and_hours) -> list:
    """Follow-ups for `worker` from new people, each asked `hours` ago."""
    follow_ups = []
    for name, hours in names_and_hours:
        someone = rep(display_name=name, named_worker=worker)
        check_in = check_in_create(
            person=someone, opportunity=None, how_it_went=2, felt_valued=2, wants_chat=True
        )
        FollowUp.objects.filter(pk=check_in.follow_up.pk).update(
            requested_at=timezone.now() - timedelta(hours=hours)
        )
        follow_ups.append(check_in.follow_up)
    return follow_ups


def section(page: str, heading: str) -> str:
    """The part of the page from an h2 to the next h2."""
    start = page.index(f"<h2>{heading}</h2>")
    end = page.find("<h2>", start + 1)
    return page[start : end if end != -1 else None]


def test_worker_home_lists_follow_ups_oldest_first(client, worker, other_worker):
    waiting_for(worker, ("Newest Nia", 1), ("Oldest Oscar", 50), ("Middle Mo", 5))
    waiting_for(other_worker, ("Not yours Nat", 80))
    client.force_login(worker)
    chats = section(text_of(client.get(reverse("worker:home"))), "People waiting for a chat")
    names = re.findall(r">([A-Z][a-z]+ [A-Z][a-z]+)<span[^>]*> would like a chat</span></a>, asked", chats)
    assert names == ["Oldest Oscar", "Middle Mo", "Newest Nia"]


def test_worker_home_shows_outcomes_due_and_overdue(client, worker):
    overdue = finished(worker, title="Long finished panel", days_ago=40)
    due = finished(worker, title="Recent panel", days_ago=3)
    done = finished(worker, title="Published panel", days_ago=5)
    publish(done, by=worker)
    drafted = finished(worker, title="Drafted panel", days_ago=6)
    outcome_save(opportunity=drafted, by=worker, you_said="Said", we_did="Did")
    client.force_login(worker)
    page = text_of(client.get(reverse("worker:home")))
    to_write = section(page, "Outcomes to write")
    items = re.findall(r"<li>.*?</li>", to_write, re.S)
    assert [re.search(r'">([^<]+)</a>', item).group(1) for item in items] == [
        "Long finished panel",
        "Drafted panel",
        "Recent panel",
    ]
    assert (
        "Overdue" in items[0]
        and nhs_date(timezone.localtime(overdue.ends_at).date() + timedelta(days=28)) in items[0]
    )
    assert (
        "Overdue" not in items[2]
        and nhs_date(timezone.localtime(due.ends_at).date() + timedelta(days=28)) in items[2]
    )
    assert f'href="{outcome_url(overdue)}"' in items[0]
    assert "Published panel" not in to_write


def test_worker_home_shows_offers_about_to_lapse(client, worker):
    first, soon, later = rep(display_name="Fay"), rep(display_name="Sol"), rep(display_name="Lou")
    opportunity = OpportunityFactory(lead_worker=worker, places=1, title="Busy panel")
    held = signup_create(opportunity=opportunity, person=first)
    signup_create(opportunity=opportunity, person=soon)
    signup_withdraw(signup=held, person=first)
    offered = SignUp.objects.get(person=soon)
    assert offered.state == SignUp.State.OFFERED
    SignUp.objects.filter(pk=offered.pk).update(offer_expires_at=timezone.now() + timedelta(hours=10))
    # Another offer, lapsing in two days, is not listed yet.
    other = OpportunityFactory(lead_worker=worker, places=1, title="Calm panel")
    held = signup_create(opportunity=other, person=first)
    signup_create(opportunity=other, person=later)
    signup_withdraw(signup=held, person=first)
    client.force_login(worker)
    lapsing = section(text_of(client.get(reverse("worker:home"))), "Offers about to lapse")
    assert "Sol" in lapsing and "Busy panel" in lapsing
    assert "Lou" not in lapsing and "Calm panel" not in lapsing


def test_worker_home_shows_the_caseload(client, worker, representative):
    panel = finished(worker, attended=[representative], days_ago=9)
    resting = rep(display_name="Resting Rae", named_worker=worker, taking_break=True)
    newcomer = rep(display_name="New Ned", named_worker=worker)
    rep(display_name="Someone Else")
    client.force_login(worker)
    caseload = section(text_of(client.get(reverse("worker:home"))), "Your caseload")
    assert "Last took part" in caseload
    rows = {
        name: row
        for row in re.findall(r'<tr class="nhsuk-table__row">.*?</tr>', caseload, re.S)
        for name in ["Robin", "Resting Rae", "New Ned"]
        if f">{name}</a>" in row
    }
    assert nhs_date(panel.ends_at) in rows["Robin"] and "Active" in rows["Robin"]
    assert "Taking a break" in rows["Resting Rae"]
    assert "Not yet" in rows["New Ned"] and "Taking a break" not in rows["New Ned"]
    assert "Someone Else" not in caseload
    assert resting.profile.named_worker == newcomer.profile.named_worker == worker


def test_worker_home_says_what_to_do_next_on_each_opportunity(client, worker):
    draft = OpportunityFactory(lead_worker=worker, status=Status.DRAFT, title="Draft panel")
    unwritten = finished(worker, title="Unwritten panel")
    drafted = finished(worker, title="Drafted panel")
    outcome_save(opportunity=drafted, by=worker, you_said="Said", we_did="Did")
    published = finished(worker, title="Published panel")
    publish(published, by=worker)
    client.force_login(worker)
    table = section(text_of(client.get(reverse("worker:home"))), "Opportunities you lead")
    rows = {
        title: row
        for row in re.findall(r'<tr class="nhsuk-table__row">.*?</tr>', table, re.S)
        for title in ["Draft panel", "Unwritten panel", "Drafted panel", "Published panel"]
        if f">{title}</a>" in row
    }
    assert "Check and publish" in rows["Draft panel"]
    assert f'href="{reverse("opportunities:detail", args=[draft.pk])}"' in rows["Draft panel"]
    assert "Write the outcome" in rows["Unwritten panel"]
    assert f'href="{outcome_url(unwritten)}"' in rows["Unwritten panel"]
    assert "Write the outcome" in rows["Drafted panel"]
    assert "Nothing" in rows["Published panel"]


# --- /me/ ------------------------------------------------------------------------------------


def test_me_shows_outcomes_of_my_activities_and_check_ins_due(client, worker, representative, outsider):
    mine = finished(worker, attended=[representative, outsider], title="Ward menu panel")
    publish(mine, by=worker, you_said="Food was cold.", we_did="We bought hot trolleys.")
    not_mine = finished(worker, attended=[outsider], title="Parking review")
    publish(not_mine, by=worker, you_said="No spaces.", we_did="We added spaces.")
    unpublished = finished(worker, attended=[representative], title="Leaflet review")
    outcome_save(opportunity=unpublished, by=worker, you_said="Too long.", we_did="Draft: we cut it.")
    checked = finished(worker, attended=[representative], title="Checked panel")
    check_in_create(person=representative, opportunity=checked, how_it_went=4, felt_valued=4)
    finished(worker, withdrawn=[representative], title="Withdrawn panel")
    finished(worker, no_show=[representative], title="Missed panel")

    client.force_login(representative)
    page = text_of(client.get(reverse("me:home")))
    said = section(page, "You said, we did")
    assert "Ward menu panel" in said and "We bought hot trolleys." in said
    assert "Parking review" not in said and "Draft: we cut it." not in page
    due = section(page, "How did it go?")
    assert f'href="{check_in_url(mine)}"' in due
    links = re.findall(r">(Check in about [^<]+)</a>", due)
    assert sorted(links) == ["Check in about Leaflet review", "Check in about Ward menu panel"]


def test_me_without_anything_to_show_says_nothing_about_outcomes(client, outsider):
    client.force_login(outsider)
    page = text_of(client.get(reverse("me:home")))
    assert "<h2>You said, we did</h2>" not in page
    assert not re.search(r"Check in about (?!how things are going)", page)
