"""The browse page keeps its filter form and cards rendered (opportunities.fragments, issue 18):
the page must be the same, byte for byte, as rendering everything afresh, and must never show
what was true before a change."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.conf import settings
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.tests.factories import person
from catalogue.models import ActivityType, Course, InvolvementLevel, Rate, RateCard, RateUnit, Team
from involvement.templatetags.nhs_dates import nhs_datetime
from opportunities.filters import OpportunityFilter
from opportunities.fragments import card_html, cards, filter_fields, filter_form_html
from opportunities.models import Format, Opportunity
from opportunities.selectors import opportunities_for_browse
from opportunities.services import SessionData, opportunity_save, signup_create, signup_withdraw
from opportunities.tests.factories import ActivityTypeFactory, OpportunityFactory, TeamFactory

pytestmark = pytest.mark.django_db

BROWSE = reverse("opportunities:browse")

# templates/opportunities/opportunity_list.html as it would be without the fragments: the filter
# form through crispy-forms and each card through its include, rendered in full every time.
LIST_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "opportunities" / "opportunity_list.html"
UNCACHED = {
    '{% extends "base.html" %}': '{% extends "base.html" %}{% load crispy_forms_tags %}',
    "{{ filter_form }}": "{{ form|crispy }}",
    "{% for card in cards %}{{ card }}{% endfor %}": (
        '{% for opportunity in page.object_list %}{% include "opportunities/_card.html" %}{% endfor %}'
    ),
}


def uncached_list_template() -> str:
    source = LIST_TEMPLATE.read_text()
    for fragment, uncached in UNCACHED.items():
        assert source.count(fragment) == 1, fragment
        source = source.replace(fragment, uncached)
    return source


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def uncached_page(response) -> str:
    """The page the old template renders from the same view context and request."""
    context = {name: response.context[name] for name in ("filter", "form", "page", "query_string")}
    page = (
        engines["django"].from_string(uncached_list_template()).render(context, request=response.wsgi_request)
    )
    return CSRF.sub("csrf", page)


@pytest.fixture
def listed(worker, outsider):
    """Opportunities that show every part of a card: paid and unpaid, full with a waiting
    list, a course needed, a rate card's rate, a payment note."""
    soon = timezone.now() + timedelta(days=10)
    card = RateCard.objects.create(name="Test card")
    Rate.objects.create(
        card=card,
        effective_from=timezone.localdate() - timedelta(days=10),
        unit=RateUnit.HOUR,
        amount=Decimal("11.50"),
    )
    course = Course.objects.create(name="Recruitment panel training")
    made = [
        OpportunityFactory(title="Alpha", lead_worker=worker, required_course=course, rate_card=card),
        OpportunityFactory(
            title="Beta",
            lead_worker=worker,
            is_paid=False,
            payment="",
            places=1,
            format=Format.ONLINE,
            involvement_level=InvolvementLevel.CO_PRODUCING,
            sessions=[(soon + timedelta(days=3), soon + timedelta(days=3, hours=2))],
        ),
    ]
    signup_create(opportunity=made[1], person=outsider)
    signup_create(opportunity=made[1], person=person(roles=[Role.REPRESENTATIVE]))  # waiting
    for number in range(22):  # a second page
        OpportunityFactory(title=f"Crisis panel {number}", lead_worker=worker)
    return made


QUERIES = [
    {},
    {"page": "2"},
    {"q": "crisis"},
    {"q": "crisis", "format": "online", "paid": "yes", "places_left": "on"},
    {"q": "panel", "involvement_level": "consulting", "starts_from_day": "1"},
    {"starts_from_day": "40", "starts_from_month": "1", "starts_from_year": "2027"},
    {"activity_type": "999999", "team": "x", "format": "by pigeon"},
    {"mine": "on", "q": "<script>alert(1)</script>"},
]


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "representative"])
@pytest.mark.parametrize("params", QUERIES)
def test_the_page_is_what_rendering_afresh_gives(client, listed, representative, signed_in, params):
    if signed_in:
        client.force_login(representative)
    for attempt in ("cold", "warm"):
        if attempt == "cold":
            filter_fields.clear()
            cards.clear()
        response = client.get(BROWSE, params)
        assert response.status_code == 200
        assert CSRF.sub("csrf", response.content.decode()) == uncached_page(response), attempt


def test_the_filter_form_is_what_crispy_renders(listed, representative):
    type_ = ActivityType.objects.first()
    for data in [None, *QUERIES, {"activity_type": str(type_.pk), "team": str(Team.objects.first().pk)}]:
        for user in (None, representative):
            form = OpportunityFilter(data, queryset=opportunities_for_browse(), user=user).form
            form.is_valid()
            expected = as_crispy_form(form)
            assert filter_form_html(form) == expected  # rendered, or kept
            assert filter_form_html(form) == expected  # kept


def select_options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, name
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


@pytest.mark.parametrize(
    "model,factory,name", [(Team, TeamFactory, "team"), (ActivityType, ActivityTypeFactory, "activity_type")]
)
def test_the_filter_shows_a_change_to_teams_and_activity_types_at_once(client, listed, model, factory, name):
    before = select_options(client.get(BROWSE).content.decode(), name)
    assert "Newly made" not in before

    made = factory(name="Newly made")
    assert "Newly made" in select_options(client.get(BROWSE).content.decode(), name)
    # ...and with a search, whose field markup is kept separately.
    assert "Newly made" in select_options(client.get(BROWSE, {"q": "crisis"}).content.decode(), name)

    made.name = "Renamed"
    made.save()
    options = select_options(client.get(BROWSE).content.decode(), name)
    assert "Renamed" in options and "Newly made" not in options

    made.is_active = False
    made.save()
    assert "Renamed" not in select_options(client.get(BROWSE).content.decode(), name)

    made.is_active = True
    made.save()
    assert "Renamed" in select_options(client.get(BROWSE).content.decode(), name)
    made.delete()
    assert "Renamed" not in select_options(client.get(BROWSE).content.decode(), name)
    assert select_options(client.get(BROWSE).content.decode(), name) == before


def test_a_kept_filter_form_asks_the_database_for_no_teams_or_activity_types(client, listed):
    client.get(BROWSE)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BROWSE)
    assert response.status_code == 200
    assert select_options(response.content.decode(), "team")
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "catalogue_team"' not in sql
    assert 'FROM "catalogue_activitytype"' not in sql


def card_of(page: str, title: str) -> str:
    match = re.search(
        rf'<li class="nhsuk-card[^"]*">(?:(?!</li>).)*>{re.escape(title)}</a>.*?</li>', page, re.S
    )
    assert match, title
    return match.group(0)


def card(client, title: str, **params: str) -> str:
    return card_of(client.get(BROWSE, params).content.decode(), title)


def test_a_card_shows_places_and_the_waiting_list_as_they_change(client, listed, worker, outsider):
    soonest = timezone.now() + timedelta(days=6)
    alpha = OpportunityFactory(
        title="Delta", lead_worker=worker, sessions=[(soonest, soonest + timedelta(hours=2))]
    )
    assert "3 of 3 left" in card(client, "Delta")

    signup = signup_create(opportunity=alpha, person=outsider)
    assert "2 of 3 left" in card(client, "Delta")

    signup_withdraw(signup=signup, person=outsider)
    assert "3 of 3 left" in card(client, "Delta")

    # Written without touching updated_at, as a bulk update would: still shown at once.
    stamp = Opportunity.objects.get(pk=alpha.pk).updated_at
    Opportunity.objects.filter(pk=alpha.pk).update(places_taken=3, waitlist_length=2, updated_at=stamp)
    assert "Full: 2 on the waiting list" in card(client, "Delta")
    Opportunity.objects.filter(pk=alpha.pk).update(waitlist_length=0, updated_at=stamp)
    assert "Full: join the waiting list" in card(client, "Delta")


def test_a_card_shows_new_dates_title_and_fee(client, listed, worker):
    alpha = Opportunity.objects.get(pk=listed[0].pk)
    session = alpha.sessions.get()
    later = (timezone.now() + timedelta(days=60)).replace(hour=14, minute=0, second=0, microsecond=0)
    opportunity_save(
        opportunity=alpha,
        sessions=[
            SessionData(id=session.pk, starts_at=later, ends_at=later + timedelta(hours=2), area="Leeds")
        ],
        by=worker,
    )
    assert nhs_datetime(later) in card(client, "Alpha", q="alpha")

    Opportunity.objects.filter(pk=alpha.pk).update(title="Alpha renamed", summary="A new summary.")
    shown = card(client, "Alpha renamed", q="alpha")
    assert "A new summary." in shown

    Opportunity.objects.filter(pk=alpha.pk).update(fee_amount=Decimal("30"), fee_unit=RateUnit.FIXED)
    assert "£30.00" in card(client, "Alpha renamed", q="alpha")


def test_a_card_shows_a_renamed_course_and_a_new_rate(client, worker):
    course = Course.objects.create(name="Panel training")
    card_ = RateCard.objects.create(name="Test card")
    Rate.objects.create(
        card=card_,
        effective_from=timezone.localdate() - timedelta(days=5),
        unit=RateUnit.HOUR,
        amount=Decimal("10"),
    )
    # Published before it had a fee of its own: the card's rate in force today is shown.
    OpportunityFactory(title="Gamma", lead_worker=worker, required_course=course, rate_card=card_)
    shown = card(client, "Gamma")
    assert "Panel training" in shown and "£10.00" in shown

    Course.objects.filter(pk=course.pk).update(name="Interview panel training")
    assert "Interview panel training" in card(client, "Gamma")

    Rate.objects.create(
        card=card_, effective_from=timezone.localdate(), unit=RateUnit.HOUR, amount=Decimal("12")
    )
    assert "£12.00" in card(client, "Gamma")


def test_a_card_that_read_more_than_its_key_holds_is_not_kept(listed):
    """Were the card to show a column the browse selector defers, or a related row it does
    not read, the key would not hold it: such a card is rendered every time instead."""
    cards.clear()
    card_html(Opportunity.objects.only("id").get(pk=listed[1].pk))
    assert len(cards) == 0
    card_html(opportunities_for_browse().get(pk=listed[1].pk))
    assert len(cards) == 1


def test_cards_show_each_rate_cards_rate_in_force_today_in_one_query(
    client, worker, django_assert_max_num_queries
):
    """Published before they had a fee of their own: each card shows its rate card's rate in
    force today, or its payment note if the card has none yet; one query for all of them."""
    today = timezone.localdate()
    made = {}
    for name, amount, since in [("Card A", "10", -3), ("Card B", "14", -30), ("Card C", "99", 10)]:
        rate_card = RateCard.objects.create(name=name)
        Rate.objects.create(
            card=rate_card, effective_from=today + timedelta(days=since), unit=RateUnit.HOUR, amount=amount
        )
        made[name] = OpportunityFactory(title=f"Paid by {name}", lead_worker=worker, rate_card=rate_card)
    Rate.objects.create(
        card=made["Card B"].rate_card, effective_from=today + timedelta(days=1), unit=RateUnit.HOUR, amount=20
    )
    client.get(BROWSE)
    with django_assert_max_num_queries(4):  # the count, the page, the rates in force; no catalogue
        page = client.get(BROWSE).content.decode()
    assert "£10.00 an hour" in card_of(page, "Paid by Card A")
    assert "£14.00 an hour" in card_of(page, "Paid by Card B")
    assert "£25 an hour" in card_of(page, "Paid by Card C")  # its payment note
    assert "£99" not in page and "£20" not in page
