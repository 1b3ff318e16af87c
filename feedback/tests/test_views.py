"""The feedback loop's pages for every role: outcomes ("You said, we did"), check-ins and
follow-ups, and what the worker's and the representative's home pages show of them.

Check-ins are special-category data: only the person, their named worker and the lead
worker of the activity may read one, each staff reading is logged, and managers never see
an individual check-in (PRODUCT.md, roles)."""

import html
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessLogEntry
from accounts.permissions import Role
from accounts.tests.factories import person
from feedback.models import CheckIn, FollowUp, Outcome
from feedback.services import check_in_create, follow_up_close, outcome_publish, outcome_save
from involvement.templatetags.nhs_dates import nhs_date
from notifications.kinds import Kind
from notifications.models import Message
from opportunities.models import Opportunity
from opportunities.services import (
    attendance_record,
    opportunity_complete,
    signup_create,
    signup_withdraw,
)
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory, TeamFactory

pytestmark = pytest.mark.django_db

Status = Opportunity.Status
ROLES = ["representative", "worker", "other_worker", "manager", "administrator", "outsider"]
# What the representative wrote in the check-in behind the follow-up: it must never reach
# anyone who may not read it, nor any message.
WENT_WELL = "The chair listened to my story about the ward"
COULD_BE_BETTER = "I felt rushed at the end and it brought back bad memories"


# --- helpers -------------------------------------------------------------------------------


def finished(
    lead, *, attended=(), confirmed=(), withdrawn=(), no_show=(), days_ago=3, complete=True, **fields
):
    """An opportunity whose one session ended `days_ago` days ago, taken through the real
    services: sign-ups, withdrawals, attendance, then completed (unless told otherwise)."""
    end = timezone.now() - timedelta(days=days_ago)
    opportunity = OpportunityFactory(
        lead_worker=lead, places=20, sessions=[(end - timedelta(hours=2), end)], **fields
    )
    session = opportunity.sessions.get()
    for someone in [*attended, *confirmed, *withdrawn, *no_show]:
        signup = signup_create(opportunity=opportunity, person=someone)
        if someone in attended or someone in no_show:
            attendance_record(signup=signup, session=session, attended=someone in attended, by=lead)
        elif someone in withdrawn:
            signup_withdraw(signup=signup, person=someone)
    if complete:
        opportunity_complete(opportunity=opportunity, by=lead)
    opportunity.refresh_from_db()
    return opportunity


def publish(opportunity, *, by, you_said: str = "Said", we_did: str = "Did") -> Outcome:
    outcome = outcome_save(opportunity=opportunity, by=by, you_said=you_said, we_did=we_did)
    outcome_publish(outcome=outcome, by=by)
    outcome.refresh_from_db()
    return outcome


def rep(**profile):
    return person(roles=[Role.REPRESENTATIVE], **profile)


def error_by(page: str, field_id: str) -> str:
    """The text of the NHS.UK error message shown with one field ('' when there is none)."""
    start = page.find(f'id="{field_id}-error"')
    if start == -1:
        return ""
    end = page.find("</span>\n", start)
    return html.unescape(re.sub(r"<[^>]+>", "", page[start:end].split(">", 1)[1])).strip()


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def outcome_url(opportunity) -> str:
    return reverse("feedback:outcome_edit", args=[opportunity.pk])


def check_in_url(opportunity=None) -> str:
    address = reverse("feedback:check_in_new")
    return f"{address}?opportunity={opportunity.pk}" if opportunity is not None else address


def scores(**extra) -> dict:
    return {"how_it_went": "4", "felt_valued": "5", **extra}


def outcome_fields(**extra) -> dict:
    return {
        "you_said": "The waiting room felt unsafe at night.",
        "we_did": "We moved the night reception desk beside the door.",
        "evidence_url": "",
        "follow_up_on_day": "",
        "follow_up_on_month": "",
        "follow_up_on_year": "",
        **extra,
    }


@pytest.fixture
def world(worker, other_worker, representative, outsider):
    """`other_worker` led a finished panel the representative attended; the representative
    checked in about it and asked for a chat, so `worker` (their named worker) has a
    follow-up. `worker` also leads a draft."""
    panel = finished(other_worker, attended=[representative], title="The finished panel")
    draft = OpportunityFactory(lead_worker=worker, status=Status.DRAFT, title="The draft panel")
    check_in = check_in_create(
        person=representative,
        opportunity=panel,
        how_it_went=2,
        felt_valued=3,
        went_well=WENT_WELL,
        could_be_better=COULD_BE_BETTER,
        wants_chat=True,
    )
    return SimpleNamespace(
        panel=panel, draft=draft, check_in=check_in, follow_up=check_in.follow_up, person=representative
    )


# --- every URL for every role ----------------------------------------------------------------

PAGES = {
    "outcomes": lambda w: reverse("feedback:outcomes"),
    "outcome_edit": lambda w: outcome_url(w.panel),
    "outcome_edit_draft": lambda w: outcome_url(w.draft),
    "my_check_ins": lambda w: reverse("feedback:my_check_ins"),
    "check_in_new": lambda w: check_in_url(),
    "check_in_about": lambda w: check_in_url(w.panel),
    "follow_up": lambda w: reverse("feedback:follow_up", args=[w.follow_up.pk]),
    "person_check_ins": lambda w: reverse("feedback:person_check_ins", args=[w.person.pk]),
}

# The status each role gets on a GET. Any worker may manage any opportunity; a manager may
# read every opportunity (so a draft's outcome page is a 403 for them, not a 404) but never
# an individual check-in; a follow-up is for its assigned worker only, and what somebody
# may not see is not even confirmed to exist (404).
EXPECTED = """
page                representative  worker  other_worker  manager  administrator  outsider
outcomes            200             200     200           200      200            200
outcome_edit        403             200     200           403      403            403
outcome_edit_draft  404             200     200           403      404            404
my_check_ins        200             403     403           403      403            200
check_in_new        200             403     403           403      403            200
check_in_about      200             403     403           403      403            404
follow_up           403             200     404           403      403            403
person_check_ins    403             200     200           403      403            403
"""


def expected_statuses() -> list[tuple[str, str, int]]:
    header, *rows = [line.split() for line in EXPECTED.strip().splitlines()]
    return [
        (page, role, int(status))
        for page, *statuses in rows
        for role, status in zip(header[1:], statuses, strict=True)
    ]


def test_the_table_covers_every_url_and_role():
    from feedback.urls import urlpatterns

    table = expected_statuses()
    assert {role for _, role, _ in table} == set(ROLES)
    assert {page for page, _, _ in table} == set(PAGES)
    covered = {page.removesuffix("_draft") for page in PAGES} - {"check_in_about"}
    assert covered == {pattern.name for pattern in urlpatterns}


@pytest.mark.parametrize(
    "page,role,status",
    [pytest.param(page, role, status, marks=[]) for page, role, status in expected_statuses()],
)
def test_each_role_gets_what_it_may_see(client, request, world, page, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.get(PAGES[page](world))
    assert response.status_code == status
    if status != 200:
        # Nothing private leaks in a refusal.
        assert WENT_WELL not in text_of(response)


@pytest.mark.parametrize(
    "page,role,status", [(page, role, status) for page, role, status in expected_statuses() if status != 200]
)
def test_a_refused_post_changes_nothing(client, request, world, page, role, status):
    client.force_login(request.getfixturevalue(role))
    data = {**outcome_fields(), "publish": "1", **scores(), "action_taken": "Phoned them."}
    assert client.post(PAGES[page](world), data).status_code == status
    assert not Outcome.objects.exists()
    assert CheckIn.objects.count() == 1
    world.follow_up.refresh_from_db()
    assert world.follow_up.status == FollowUp.Status.OPEN
    assert not Message.objects.filter(kind=Kind.OUTCOME_PUBLISHED).exists()


def test_visitors_can_read_outcomes(client, world):
    assert client.get(reverse("feedback:outcomes")).status_code == 200


@pytest.mark.parametrize("page", [page for page in PAGES if page != "outcomes"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_are_sent_to_log_in_for_everything_else(client, world, page, method):
    address = PAGES[page](world)
    response = getattr(client, method)(
        address, {**outcome_fields(), "publish": "1"} if method == "post" else None
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not Outcome.objects.exists()
    assert AccessLogEntry.objects.count() == 0


def test_a_missing_follow_up_or_person_is_a_404_even_for_a_worker(client, worker, world):
    client.force_login(worker)
    assert client.get(reverse("feedback:follow_up", args=[999_999])).status_code == 404
    assert client.get(reverse("feedback:person_check_ins", args=[999_999])).status_code == 404
    assert client.get(reverse("feedback:outcome_edit", args=[999_999])).status_code == 404


# --- /outcomes/ ------------------------------------------------------------------------------


@pytest.fixture
def outcomes(worker):
    """Published outcomes for two teams and two types of activity, plus a draft."""
    wards, crisis = TeamFactory(name="Inpatient wards"), TeamFactory(name="Crisis services")
    panel, training = ActivityTypeFactory(name="Interview panel"), ActivityTypeFactory(name="Staff training")
    made = {}
    for title, team, kind in [
        ("Ward panel", wards, panel),
        ("Crisis panel", crisis, panel),
        ("Crisis training", crisis, training),
    ]:
        opportunity = finished(worker, title=title, team=team, activity_type=kind)
        made[title] = publish(
            opportunity, by=worker, you_said=f"{title}: you said", we_did=f"{title}: we did"
        )
    draft = finished(worker, title="Ward training", team=wards, activity_type=training)
    outcome_save(opportunity=draft, by=worker, you_said="Secret draft said", we_did="Secret draft did")
    return SimpleNamespace(wards=wards, crisis=crisis, panel=panel, training=training, made=made)


def titles_on(response) -> list[str]:
    return [outcome.opportunity.title for outcome in response.context["page"].object_list]


def test_outcomes_shows_only_published_ones_newest_first(client, outcomes):
    response = client.get(reverse("feedback:outcomes"))
    assert titles_on(response) == ["Crisis training", "Crisis panel", "Ward panel"]
    page = text_of(response)
    assert "Crisis panel: we did" in page and "Crisis panel: you said" in page
    assert "Secret draft" not in page and "Ward training" not in page


def test_outcomes_can_be_filtered_by_team_and_by_type_of_activity(client, outcomes):
    address = reverse("feedback:outcomes")
    assert titles_on(client.get(address, {"team": outcomes.crisis.pk})) == ["Crisis training", "Crisis panel"]
    assert titles_on(client.get(address, {"activity_type": outcomes.panel.pk})) == [
        "Crisis panel",
        "Ward panel",
    ]
    both = client.get(address, {"team": outcomes.crisis.pk, "activity_type": outcomes.panel.pk})
    assert titles_on(both) == ["Crisis panel"]
    assert f'<option value="{outcomes.crisis.pk}" selected>' in both.content.decode()
    none = client.get(address, {"team": outcomes.wards.pk, "activity_type": outcomes.training.pk})
    assert titles_on(none) == []
    assert "No outcomes have been published for this choice yet." in text_of(none)


@pytest.mark.parametrize(
    "params",
    [
        {"team": "abc"},
        {"activity_type": "abc"},
        {"team": "-1"},
        {"team": "1.5"},
        {"team": ""},
        {"team": "99999999999999999999"},
        {"activity_type": "99999999999999999999"},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
        pytest.param(
            {"team": "²"},
            id="superscript-two",
        ),
    ],
    ids=lambda params: "-".join(f"{k}={v}" for k, v in params.items()) if isinstance(params, dict) else None,
)
def test_outcomes_survive_bad_filter_values(client, outcomes, params):
    response = client.get(reverse("feedback:outcomes"), params)
    assert response.status_code == 200
    # A bad filter is ignored rather than hiding everything.
    if "team" in params and params["team"] != "99999999999999999999":
        assert len(titles_on(response)) == 3


def test_outcomes_are_paginated(client, worker):
    for number in range(23):
        opportunity = finished(worker, title=f"Panel {number}")
        publish(opportunity, by=worker)
    first = client.get(reverse("feedback:outcomes"))
    assert len(titles_on(first)) == 20
    assert 'href="?page=2"' in first.content.decode()
    second = client.get(reverse("feedback:outcomes"), {"page": 2})
    assert len(titles_on(second)) == 3
    assert set(titles_on(first)).isdisjoint(titles_on(second))


# --- /opportunities/<id>/outcome/ ------------------------------------------------------------


@pytest.fixture
def took_part(worker):
    """A completed opportunity led by `worker`: two people attended, one was confirmed but
    did not come (not recorded), one withdrew, one did not attend."""
    came, also, confirmed, withdrew, missed = (
        rep(display_name=n) for n in ["Cal", "Alf", "Con", "Wil", "Mis"]
    )
    opportunity = finished(
        worker,
        title="Redesign the crisis line",
        attended=[came, also],
        confirmed=[confirmed],
        withdrawn=[withdrew],
        no_show=[missed],
    )
    return SimpleNamespace(
        opportunity=opportunity, came=came, also=also, confirmed=confirmed, withdrew=withdrew, missed=missed
    )


@pytest.mark.parametrize("role", ["worker", "other_worker"])
def test_any_worker_can_open_the_outcome_page(client, request, took_part, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(outcome_url(took_part.opportunity))
    assert response.status_code == 200
    page = text_of(response)
    assert "Outcome: Redesign the crisis line" in page
    assert "Publish and tell participants" in page
    assert nhs_date(timezone.localtime(took_part.opportunity.ends_at).date() + timedelta(days=28)) in page


def test_saving_a_draft_keeps_it_unpublished_and_out_of_sight(client, worker, took_part):
    client.force_login(worker)
    response = client.post(outcome_url(took_part.opportunity), {**outcome_fields(), "save": "1"})
    assert response.status_code == 302
    assert response["Location"] == outcome_url(took_part.opportunity)
    outcome = Outcome.objects.get()
    assert outcome.status == Outcome.Status.DRAFT and outcome.published_at is None
    assert outcome.you_said == "The waiting room felt unsafe at night."
    assert outcome.written_by == worker
    assert "Your draft has been saved. Nobody else can see it yet." in text_of(
        client.get(response["Location"])
    )
    assert not Message.objects.filter(kind=Kind.OUTCOME_PUBLISHED).exists()
    client.logout()
    assert "moved the night reception desk" not in text_of(client.get(reverse("feedback:outcomes")))
    detail = text_of(client.get(reverse("opportunities:detail", args=[took_part.opportunity.pk])))
    assert "moved the night reception desk" not in detail


def test_publishing_tells_only_those_who_attended(client, worker, took_part):
    client.force_login(worker)
    response = client.post(
        outcome_url(took_part.opportunity),
        {**outcome_fields(evidence_url="https://www.example.nhs.uk/report"), "publish": "1"},
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.status == Outcome.Status.PUBLISHED and outcome.published_at is not None
    assert outcome.evidence_url == "https://www.example.nhs.uk/report"
    page = text_of(client.get(response["Location"]))
    assert "Published. 2 people who took part will be told." in page
    assert "Save and tell anyone not yet told" in page

    told = Message.objects.filter(kind=Kind.OUTCOME_PUBLISHED)
    assert set(told.values_list("recipient_id", flat=True)) == {took_part.came.pk, took_part.also.pk}
    assert "We moved the night reception desk beside the door." in told.first().body_text

    client.logout()
    outcomes_page = text_of(client.get(reverse("feedback:outcomes")))
    assert "We moved the night reception desk beside the door." in outcomes_page
    assert "Redesign the crisis line" in outcomes_page
    detail = text_of(client.get(reverse("opportunities:detail", args=[took_part.opportunity.pk])))
    assert "You said, we did" in detail
    assert "We moved the night reception desk beside the door." in detail


def test_publishing_again_tells_nobody_twice(client, worker, took_part):
    client.force_login(worker)
    client.post(outcome_url(took_part.opportunity), {**outcome_fields(), "publish": "1"})
    response = client.post(
        outcome_url(took_part.opportunity),
        {**outcome_fields(we_did="We moved the desk and added a call button."), "publish": "1"},
        follow=True,
    )
    assert "Published. 0 people who took part will be told." in text_of(response)
    assert Message.objects.filter(kind=Kind.OUTCOME_PUBLISHED).count() == 2
    assert Outcome.objects.get().we_did == "We moved the desk and added a call button."


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.CLOSED])
def test_publishing_before_the_opportunity_is_completed_is_explained(client, worker, status):
    someone = rep()
    opportunity = finished(worker, attended=[someone], complete=False)
    if status == Status.CLOSED:
        Opportunity.objects.filter(pk=opportunity.pk).update(status=status)
    client.force_login(worker)
    response = client.post(outcome_url(opportunity), {**outcome_fields(), "publish": "1"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Mark the opportunity as completed before publishing its outcome." in page
    assert 'role="alert"' in page
    assert "The waiting room felt unsafe at night." in page  # what was typed is kept
    assert not Outcome.objects.filter(status=Outcome.Status.PUBLISHED).exists()
    assert not Message.objects.filter(kind=Kind.OUTCOME_PUBLISHED).exists()


def test_a_cancelled_opportunity_has_no_outcome_to_write(client, worker):
    opportunity = OpportunityFactory(lead_worker=worker, status=Status.CANCELLED)
    client.force_login(worker)
    response = client.post(outcome_url(opportunity), {**outcome_fields(), "save": "1"})
    assert response.status_code == 200
    assert "A cancelled opportunity has no outcome to write." in text_of(response)
    assert not Outcome.objects.exists()


@pytest.mark.parametrize("button", ["save", "publish"])
@pytest.mark.parametrize(
    "overrides,field_id,message,kept",
    [
        pytest.param(
            {"you_said": ""},
            "id_you_said",
            "Write what representatives contributed",
            "moved the night",
            id="no-you-said",
        ),
        pytest.param(
            {"we_did": "   "},
            "id_we_did",
            "Write what changed, or will change, because of it",
            "unsafe at night",
            id="blank-we-did",
        ),
        pytest.param(
            {"evidence_url": "not a web address"},
            "id_evidence_url",
            "Enter a web address, like https://www.example.nhs.uk/report",
            'value="not a web address"',
            id="bad-url",
        ),
        pytest.param(
            {"follow_up_on_day": "31", "follow_up_on_month": "2", "follow_up_on_year": "2027"},
            "id_follow_up_on",
            "Enter a real date",
            'value="31"',
            id="31-february",
        ),
        pytest.param(
            {"follow_up_on_day": "1", "follow_up_on_month": "", "follow_up_on_year": "2027"},
            "id_follow_up_on",
            "When we will tell you more must include a month",
            'value="2027"',
            id="no-month",
        ),
    ],
)
def test_bad_outcome_input_is_explained_by_the_field_and_kept(
    client, worker, took_part, button, overrides, field_id, message, kept
):
    client.force_login(worker)
    response = client.post(outcome_url(took_part.opportunity), {**outcome_fields(**overrides), button: "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert error_by(page, field_id) == f"Error: {message}"
    assert f'href="#{field_id}' in page  # the error summary links to the field
    assert kept in page
    assert not Outcome.objects.exists()
    assert not Message.objects.filter(kind=Kind.OUTCOME_PUBLISHED).exists()


# --- /me/check-ins/new/ ----------------------------------------------------------------------


@pytest.fixture
def attended(worker, other_worker, representative):
    """A finished activity led by `other_worker` that the representative (whose named worker
    is `worker`) attended and has not checked in about."""
    return finished(other_worker, attended=[representative], title="Staff training on crisis care")


def test_the_check_in_page_names_the_activity(client, representative, attended):
    client.force_login(representative)
    response = client.get(check_in_url(attended))
    assert response.status_code == 200
    page = text_of(response)
    assert "How did it go? Staff training on crisis care" in page
    assert f'name="opportunity" value="{attended.pk}"' in page
    assert "Yes, I would like a chat with my involvement worker" in page


def test_a_check_in_about_anything_needs_no_activity(client, representative):
    client.force_login(representative)
    response = client.post(check_in_url(), scores(went_well="A good month."))
    assert response["Location"] == reverse("me:home")
    check_in = CheckIn.objects.get()
    assert check_in.opportunity is None and check_in.went_well == "A good month."


@pytest.mark.parametrize("bad", ["abc", "1.5", "-3", "999999", "99999999999999999999"])
def test_a_check_in_about_a_garbled_or_missing_activity_is_a_404(client, representative, attended, bad):
    client.force_login(representative)
    assert client.get(f"{reverse('feedback:check_in_new')}?opportunity={bad}").status_code == 404
    assert client.post(reverse("feedback:check_in_new"), {**scores(), "opportunity": bad}).status_code == 404
    assert not CheckIn.objects.exists()


def test_a_check_in_about_a_superscript_activity_is_a_404(client, representative):
    client.force_login(representative)
    assert client.get(f"{reverse('feedback:check_in_new')}?opportunity=²").status_code == 404


def test_a_check_in_about_an_activity_the_person_was_not_on_is_a_404(client, outsider, attended):
    client.force_login(outsider)
    assert client.get(check_in_url(attended)).status_code == 404
    assert client.post(check_in_url(attended), {**scores(), "opportunity": attended.pk}).status_code == 404
    assert not CheckIn.objects.exists()


def test_a_check_in_about_a_draft_is_a_404(client, representative, worker):
    draft = OpportunityFactory(lead_worker=worker, status=Status.DRAFT)
    client.force_login(representative)
    assert client.get(check_in_url(draft)).status_code == 404


def test_a_check_in_about_an_activity_the_person_withdrew_from_is_a_404(client, worker, outsider):
    opportunity = finished(worker, withdrawn=[outsider])
    client.force_login(outsider)
    assert client.get(check_in_url(opportunity)).status_code == 404


def test_a_withdrawn_person_cannot_send_a_check_in(client, worker, outsider):
    opportunity = finished(worker, withdrawn=[outsider])
    client.force_login(outsider)
    response = client.post(check_in_url(opportunity), {**scores(), "opportunity": opportunity.pk})
    assert response.status_code in {200, 404}
    assert not CheckIn.objects.exists()


def test_missing_scores_are_explained_by_the_fields_and_the_text_kept(client, representative, attended):
    client.force_login(representative)
    response = client.post(
        check_in_url(attended),
        {
            "opportunity": attended.pk,
            "went_well": "Kind people on the panel",
            "could_be_better": "More breaks",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert error_by(page, "id_how_it_went") == "Error: Choose how it went, from 1 to 5"
    assert error_by(page, "id_felt_valued") == "Error: Choose how valued you felt, from 1 to 5"
    assert "Kind people on the panel" in page and "More breaks" in page
    assert not CheckIn.objects.exists()


def test_a_score_out_of_range_is_explained(client, representative, attended):
    client.force_login(representative)
    response = client.post(check_in_url(attended), {**scores(how_it_went="9"), "opportunity": attended.pk})
    assert response.status_code == 200
    assert error_by(response.content.decode(), "id_how_it_went").startswith("Error: Select a valid choice")
    assert not CheckIn.objects.exists()


def test_a_check_in_goes_home_with_thanks(client, representative, attended):
    client.force_login(representative)
    response = client.post(
        check_in_url(attended), {**scores(went_well="Good tea"), "opportunity": attended.pk}
    )
    assert response.status_code == 302 and response["Location"] == reverse("me:home")
    check_in = CheckIn.objects.get()
    assert (check_in.person, check_in.opportunity) == (representative, attended)
    assert (check_in.how_it_went, check_in.felt_valued, check_in.wants_chat) == (4, 5, False)
    assert not FollowUp.objects.exists()
    home = text_of(client.get(response["Location"]))
    assert "Thank you for telling us. Only you and your workers can read it." in home
    assert "Check in about Staff training on crisis care" not in home


def test_asking_for_a_chat_tells_the_named_worker_without_what_was_written(
    client, representative, worker, other_worker, attended
):
    client.force_login(representative)
    response = client.post(
        check_in_url(attended),
        {
            **scores(
                went_well=WENT_WELL, could_be_better=COULD_BE_BETTER, wants_chat="on", urgency="this_week"
            ),
            "opportunity": attended.pk,
        },
        follow=True,
    )
    assert "Thank you. We have asked your involvement worker to get in touch." in text_of(response)
    follow_up = FollowUp.objects.get()
    assert (follow_up.person, follow_up.worker, follow_up.status) == (
        representative,
        worker,
        FollowUp.Status.OPEN,
    )
    assert follow_up.check_in.wants_chat
    message = Message.objects.get(kind=Kind.FOLLOW_UP_REQUESTED)
    assert message.recipient == worker  # the named worker, not the lead worker
    assert f"/worker/follow-ups/{follow_up.pk}/" in message.body_text
    for private in [WENT_WELL, COULD_BE_BETTER, "chair listened", "rushed"]:
        for part in [message.subject, message.body_text, message.body_html]:
            assert private not in html.unescape(part)


def test_a_chat_goes_to_the_lead_worker_for_someone_with_no_named_worker(client, outsider, other_worker):
    opportunity = finished(other_worker, attended=[outsider])
    client.force_login(outsider)
    client.post(
        check_in_url(opportunity),
        {**scores(wants_chat="on", urgency="this_week"), "opportunity": opportunity.pk},
    )
    assert FollowUp.objects.get().worker == other_worker
    assert Message.objects.get(kind=Kind.FOLLOW_UP_REQUESTED).recipient == other_worker


def test_a_chat_about_anything_with_no_worker_at_all_is_explained(client, outsider):
    client.force_login(outsider)
    response = client.post(
        check_in_url(), scores(wants_chat="on", urgency="no_rush", went_well="Typed and kept")
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "We could not find an involvement worker for you. Please contact the involvement team." in page
    assert "Typed and kept" in page
    assert not CheckIn.objects.exists() and not FollowUp.objects.exists()


def test_a_second_check_in_about_the_same_activity_is_explained(client, representative, attended):
    client.force_login(representative)
    client.post(check_in_url(attended), {**scores(), "opportunity": attended.pk})
    response = client.post(
        check_in_url(attended), {**scores(went_well="Second thoughts"), "opportunity": attended.pk}
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "You have already checked in about this activity. Thank you." in page
    assert "Second thoughts" in page
    assert CheckIn.objects.count() == 1


# --- /me/check-ins/ --------------------------------------------------------------------------


def test_a_person_reads_only_their_own_check_ins(client, representative, outsider, world):
    check_in_create(
        person=outsider, opportunity=None, how_it_went=1, felt_valued=1, went_well="Olive wrote this"
    )
    client.force_login(representative)
    page = text_of(client.get(reverse("feedback:my_check_ins")))
    assert "The finished panel" in page and WENT_WELL in page and COULD_BE_BETTER in page
    assert "You asked for a chat (this week). Waiting for your worker to pick it up." in page
    assert "followed it up" not in page
    assert "Olive wrote this" not in page
    # Reading your own check-ins is not an access by staff.
    assert AccessLogEntry.objects.count() == 0

    follow_up_close(follow_up=world.follow_up, by=world.follow_up.worker, action_taken="Phoned.")
    page = text_of(client.get(reverse("feedback:my_check_ins")))
    assert f"Done: Wendy Worker followed it up on {nhs_date(timezone.now())}." in page

    client.force_login(outsider)
    page = text_of(client.get(reverse("feedback:my_check_ins")))
    assert "Olive wrote this" in page and WENT_WELL not in page


def test_a_person_with_no_check_ins_is_told_so(client, outsider):
    client.force_login(outsider)
    assert "You have not checked in yet." in text_of(client.get(reverse("feedback:my_check_ins")))


# --- /worker/follow-ups/<id>/ ----------------------------------------------------------------


def follow_up_url(follow_up) -> str:
    return reverse("feedback:follow_up", args=[follow_up.pk])


def test_the_assigned_worker_reads_the_check_in_and_it_is_logged(client, worker, world):
    client.force_login(worker)
    response = client.get(follow_up_url(world.follow_up))
    assert response.status_code == 200
    page = text_of(response)
    assert "Robin would like a chat" in page
    assert WENT_WELL in page and COULD_BE_BETTER in page
    assert "Your reading of this check-in has been recorded." in page
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (worker, world.person, AccessLogEntry.What.CHECK_IN)
    assert entry.path == follow_up_url(world.follow_up)


def test_another_worker_cannot_see_the_follow_up(client, other_worker, world):
    # Even the lead worker of the activity: the follow-up is for the assigned worker.
    client.force_login(other_worker)
    assert client.get(follow_up_url(world.follow_up)).status_code == 404
    assert client.post(follow_up_url(world.follow_up), {"action_taken": "Took it over."}).status_code == 404
    world.follow_up.refresh_from_db()
    assert world.follow_up.status == FollowUp.Status.OPEN
    # Nothing read; since issue 16 the refusal itself is written down.
    assert not AccessLogEntry.objects.exclude(what=AccessLogEntry.What.DENIED).exists()


def test_a_manager_never_reads_an_individual_check_in(client, manager, world, outsider, other_worker):
    """Whatever the page and whoever the person: 403 or 404, and nothing logged or shown."""
    other = check_in_create(
        person=outsider,
        opportunity=finished(other_worker, attended=[outsider]),
        how_it_went=1,
        felt_valued=1,
        went_well="Olive wrote this",
        wants_chat=True,
    )
    client.force_login(manager)
    addresses = [follow_up_url(follow_up) for follow_up in FollowUp.objects.all()]
    addresses += [
        reverse("feedback:person_check_ins", args=[p.pk]) for p in [world.person, outsider, manager]
    ]
    addresses += [reverse("feedback:my_check_ins")]
    assert len(addresses) == 6 and other.follow_up
    for address in addresses:
        response = client.get(address)
        assert response.status_code in {403, 404}, address
        assert WENT_WELL not in text_of(response) and "Olive wrote this" not in text_of(response)
    # Nothing read; since issue 16 the refusal itself is written down.
    assert not AccessLogEntry.objects.exclude(what=AccessLogEntry.What.DENIED).exists()


def test_closing_needs_what_you_did(client, worker, world):
    client.force_login(worker)
    response = client.post(follow_up_url(world.follow_up), {"action_taken": "  "})
    assert response.status_code == 200
    assert error_by(response.content.decode(), "id_action_taken") == "Error: Write what you did"
    world.follow_up.refresh_from_db()
    assert world.follow_up.status == FollowUp.Status.OPEN and world.follow_up.closed_at is None


def test_closing_a_follow_up(client, worker, world):
    client.force_login(worker)
    response = client.post(follow_up_url(world.follow_up), {"action_taken": "Phoned on Tuesday and met."})
    assert response.status_code == 302 and response["Location"] == reverse("worker:home")
    world.follow_up.refresh_from_db()
    assert world.follow_up.status == FollowUp.Status.CLOSED
    assert world.follow_up.closed_at is not None and world.follow_up.closed_by == worker
    assert world.follow_up.action_taken == "Phoned on Tuesday and met."
    home = text_of(client.get(response["Location"]))
    assert "The follow-up is closed. Thank you." in home
    assert "Nobody is waiting for a chat." in home
    page = text_of(client.get(follow_up_url(world.follow_up)))
    assert "Phoned on Tuesday and met." in page and "Close the follow-up" not in page


def test_closing_twice_is_explained_not_a_500(client, worker, world):
    client.force_login(worker)
    client.post(follow_up_url(world.follow_up), {"action_taken": "Phoned on Tuesday."})
    world.follow_up.refresh_from_db()
    closed_at = world.follow_up.closed_at
    response = client.post(follow_up_url(world.follow_up), {"action_taken": "Phoned again."})
    assert response.status_code == 200
    assert "This follow-up is already closed." in text_of(response)
    world.follow_up.refresh_from_db()
    assert world.follow_up.action_taken == "Phoned on Tuesday." and world.follow_up.closed_at == closed_at


def test_closing_twice_shows_what_was_recorded(client, worker, world):
    client.force_login(worker)
    client.post(follow_up_url(world.follow_up), {"action_taken": "Phoned on Tuesday."})
    page = text_of(client.post(follow_up_url(world.follow_up), {"action_taken": "Phoned again."}))
    assert "Phoned on Tuesday." in page
    assert "Phoned again. (closed" not in page


# --- /worker/people/<id>/check-ins/ ----------------------------------------------------------


@pytest.fixture
def three_check_ins(world, other_worker, representative):
    """The representative's check-ins: the one in `world` (about a panel `other_worker` led),
    one about an activity somebody else led, and one about nothing in particular."""
    third = person(roles=[Role.WORKER], display_name="Thea Third")
    elsewhere = finished(third, attended=[representative], title="Quality visit")
    check_in_create(
        person=representative,
        opportunity=elsewhere,
        how_it_went=5,
        felt_valued=5,
        went_well="The visit was brilliant",
    )
    check_in_create(
        person=representative,
        opportunity=None,
        how_it_went=3,
        felt_valued=3,
        went_well="A hard month at home",
    )
    return SimpleNamespace(third=third, elsewhere=elsewhere)


def person_check_ins_url(someone) -> str:
    return reverse("feedback:person_check_ins", args=[someone.pk])


def test_the_named_worker_reads_all_of_a_persons_check_ins_and_it_is_logged(
    client, worker, representative, three_check_ins
):
    client.force_login(worker)
    page = text_of(client.get(person_check_ins_url(representative)))
    for text in [WENT_WELL, "The visit was brilliant", "A hard month at home"]:
        assert text in page
    entry = AccessLogEntry.objects.get()
    assert (entry.viewer, entry.subject, entry.what) == (worker, representative, AccessLogEntry.What.CHECK_IN)


def test_a_lead_worker_reads_only_the_check_in_about_their_activity(
    client, other_worker, representative, three_check_ins
):
    client.force_login(other_worker)
    response = client.get(person_check_ins_url(representative))
    assert response.status_code == 200
    page = text_of(response)
    assert WENT_WELL in page and "The finished panel" in page
    assert "The visit was brilliant" not in page and "A hard month at home" not in page
    assert AccessLogEntry.objects.filter(viewer=other_worker, what=AccessLogEntry.What.CHECK_IN).count() == 1


def test_each_lead_worker_reads_the_check_in_about_their_own_activity(
    client, representative, three_check_ins
):
    client.force_login(three_check_ins.third)
    page = text_of(client.get(person_check_ins_url(representative)))
    assert "The visit was brilliant" in page
    assert WENT_WELL not in page and "A hard month at home" not in page


def test_a_lead_worker_with_no_check_in_to_read_is_told_so_and_nothing_is_logged(client, other_worker):
    someone = rep(display_name="Sam")
    finished(other_worker, attended=[someone])
    check_in_create(
        person=someone, opportunity=None, how_it_went=1, felt_valued=1, went_well="Only for my worker"
    )
    client.force_login(other_worker)
    response = client.get(person_check_ins_url(someone))
    assert response.status_code == 200
    page = text_of(response)
    assert "There are no check-ins you can read." in page and "Only for my worker" not in page
    assert AccessLogEntry.objects.count() == 0


def test_a_worker_with_no_link_to_the_person_gets_a_404(client, representative, three_check_ins):
    stranger = person(roles=[Role.WORKER], display_name="Stan Stranger")
    client.force_login(stranger)
    assert client.get(person_check_ins_url(representative)).status_code == 404
    # Nothing read; since issue 16 the refusal itself is written down.
    assert not AccessLogEntry.objects.exclude(what=AccessLogEntry.What.DENIED).exists()


def test_a_manager_gets_a_403_on_a_persons_check_ins(client, manager, representative, three_check_ins):
    client.force_login(manager)
    assert client.get(person_check_ins_url(representative)).status_code == 403
