"""The targets the answers compare with: defaults, kept by an administrator in the admin."""

from decimal import Decimal

import pytest

from dashboard.models import Targets

pytestmark = pytest.mark.django_db
URL = "/admin/dashboard/targets/1/change/"


def form(**changes) -> dict:
    data = {
        "top_decile_share_max": "30",
        "first_timers_min": "",
        "outcome_on_time_min": "90",
        "felt_valued_min": "4.0",
        "follow_up_on_time_min": "90",
        "paid_on_time_min": "90",
    }
    return data | changes


def test_the_targets_start_with_their_defaults():
    targets = Targets.current()
    assert (targets.pk, targets.top_decile_share_max, targets.first_timers_min) == (1, 30, None)
    assert targets.felt_valued_min == Decimal("4.0") and targets.paid_on_time_min == 90
    assert Targets.current().pk == 1 and Targets.objects.count() == 1


def test_an_administrator_changes_a_target(client, administrator):
    Targets.current()
    client.force_login(administrator)
    assert client.get(URL).status_code == 200
    response = client.post(URL, form(top_decile_share_max="25", first_timers_min="12"))
    assert response.status_code == 302
    targets = Targets.current()
    assert (targets.top_decile_share_max, targets.first_timers_min) == (25, 12)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("top_decile_share_max", "150", "less than or equal to 100"),
        ("felt_valued_min", "7", "less than or equal to 5"),
        ("paid_on_time_min", "lots", "Enter a whole number"),
    ],
)
def test_a_bad_target_is_explained_and_kept(client, administrator, field, value, message):
    Targets.current()
    client.force_login(administrator)
    response = client.post(URL, form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["adminform"].form[field].value() == value
    assert response.context["adminform"].form.errors[field]
    assert Targets.current().paid_on_time_min == 90


def test_there_is_one_row_never_deleted(client, administrator):
    Targets.current()
    client.force_login(administrator)
    assert client.get("/admin/dashboard/targets/add/").status_code == 403
    assert client.get("/admin/dashboard/targets/1/delete/").status_code == 403


@pytest.mark.parametrize("role", ["manager", "worker", "representative"])
def test_only_administrators_reach_the_targets(client, request, role):
    Targets.current()
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_one_row_is_there_from_the_start(client, administrator):
    """Made by the migration: an administrator can set targets before anyone opens the
    dashboard."""
    client.force_login(administrator)
    response = client.get("/admin/dashboard/targets/")
    assert response.status_code == 200 and URL in response.content.decode()
    assert Targets.objects.count() == 1
