"""Who we reach, worked by hand: the people involved in the period beside everyone
registered and the population served, with the small-number rule."""

import csv
import io

import pytest

from accounts.equality import EqualityMonitoring
from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import person
from dashboard.equality_metrics import who_we_reach
from dashboard.models import PopulationShare
from dashboard.scope import Scope
from dashboard.tests.test_metrics import PERIOD, at, opportunity
from dashboard.tests.test_views import PERIOD as PERIOD_FORM
from opportunities.models import SignUp
from opportunities.tests.factories import ActivityTypeFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Thirteen active representatives: six aged 25 to 34 (five took part in the period, on
    team t1), two who prefer not to say (one took part, on team t2), one who answered another
    question only, and four who answered nothing (one of them took part only before the
    period). Not counted: an inactive representative and a worker, both 25 to 34."""
    t1, t2, kind = TeamFactory(name="T1"), TeamFactory(name="T2"), ActivityTypeFactory(name="X")
    inside = opportunity(start=at(3, 2), places=9, status="completed", team=t1, activity_type=kind)
    other = opportunity(start=at(4, 2), places=9, status="completed", team=t2, activity_type=kind)
    before = opportunity(
        start=at(11, 2, year=2025), places=9, status="completed", team=t1, activity_type=kind
    )

    def rep(age_band: str | None, took_part=None, **answers):
        someone = person(roles=[Role.REPRESENTATIVE])
        if age_band is not None:
            EqualityMonitoring.objects.create(person=someone, age_band=age_band, **answers)
        if took_part:
            SignUp.objects.create(opportunity=took_part, person=someone, state="attended")
        return someone

    for number in range(6):
        rep("25-34", inside if number < 5 else None, ethnic_category="A")
    rep("Z", other)
    rep("Z")
    rep("", sex="F")
    for _ in range(3):
        rep(None)
    rep(None, before)  # registered, but took part only before the period
    gone = rep("25-34", inside)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    worker = person(roles=[Role.WORKER])
    EqualityMonitoring.objects.create(person=worker, age_band="25-34")
    User.objects.all().update(date_joined=at(1, 1, year=2025))
    PopulationShare.objects.create(characteristic="age_band", category="25-34", share="14.2")
    return {"t1": t1, "t2": t2}


def rows(scope: Scope, field: str) -> dict[str, dict]:
    group = next(group for group in who_we_reach(scope) if group["field"] == field)
    return {row["category"]: row for row in group["rows"]}


def test_each_category_beside_everyone_registered_and_the_population(people):
    age = rows(PERIOD, "age_band")
    assert age["25 to 34"] == {
        "category": "25 to 34",
        "involved": 5,
        "involved_share": 83.3,  # 5 of the 6 involved
        "registered": 6,
        "registered_share": 46.2,  # 6 of 13
        "population": 14.2,
    }
    # One and two people: hidden, count and share alike.
    assert (age["Prefer not to say"]["involved"], age["Prefer not to say"]["involved_share"]) == (
        "fewer than 5",
        "fewer than 5",
    )
    assert age["Prefer not to say"]["registered"] == "fewer than 5"
    # Not answered: the one who left this question and the four with no answers at all.
    assert (age["Not answered"]["registered"], age["Not answered"]["registered_share"]) == (5, 38.5)
    assert (age["Not answered"]["involved"], age["Not answered"]["involved_share"]) == (0, 0.0)
    # Every category is listed, with nothing in it as 0, and no population figure entered.
    assert age["75 or over"] == {
        "category": "75 or over",
        "involved": 0,
        "involved_share": 0.0,
        "registered": 0,
        "registered_share": 0.0,
        "population": None,
    }
    assert list(age)[-2:] == ["Prefer not to say", "Not answered"]


def test_the_team_filter_applies_to_who_took_part(people):
    age = rows(Scope(PERIOD.start, PERIOD.end, team_id=people["t2"].pk), "age_band")
    assert age["25 to 34"]["involved"] == 0 and age["25 to 34"]["registered"] == 6
    assert age["Prefer not to say"]["involved"] == "fewer than 5"


def test_other_characteristics_count_the_same_people(people):
    ethnic = rows(PERIOD, "ethnic_category")
    assert ethnic["White: British"]["registered"] == 6 and ethnic["White: British"]["involved"] == 5
    assert ethnic["Not answered"]["registered"] == 7
    sex = rows(PERIOD, "sex")
    assert sex["Female"]["registered"] == "fewer than 5" and sex["Not answered"]["registered"] == 12


def test_the_dashboard_shows_and_exports_who_we_reach(client, manager, people):
    client.force_login(manager)
    page = client.get("/dashboard/", PERIOD_FORM).content.decode()
    assert ">Who we reach</h2>" in page and "Sexual orientation" in page
    response = client.get("/dashboard/export/who_we_reach_age_band.csv", PERIOD_FORM)
    assert response.status_code == 200
    exported = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["25 to 34", "5", "83.3", "6", "46.2", "14.2"] in exported
    assert [
        "Prefer not to say",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "fewer than 5",
        "No figure entered",
    ] in exported


URL = "/admin/dashboard/populationshare/add/"


def test_an_administrator_enters_a_population_share(client, administrator):
    client.force_login(administrator)
    response = client.post(
        URL, {"characteristic": "ethnic_category", "category": "N", "share": "3.5", "source": "Census 2021"}
    )
    assert response.status_code == 302
    assert str(PopulationShare.objects.get()) == "Ethnic group: Black or Black British: African"


@pytest.mark.parametrize(
    "data,field,message",
    [
        (
            {"characteristic": "sex", "category": "Q", "share": "50"},
            "category",
            "Enter one of this characteristic",
        ),
        ({"characteristic": "sex", "category": "F", "share": "150"}, "share", "less than or equal to 100"),
        ({"characteristic": "sex", "category": "F", "share": "half"}, "share", "Enter a number"),
    ],
)
def test_a_bad_population_share_is_explained_and_kept(client, administrator, data, field, message):
    client.force_login(administrator)
    response = client.post(URL, data)
    assert response.status_code == 200 and message in response.content.decode()
    form = response.context["adminform"].form
    assert form.errors[field] and form[field].value() == data[field]
    assert not PopulationShare.objects.exists()
