"""Administrators keep the reference data in the admin, at catalogue's addresses."""

import pytest

from catalogue.tests.factories import ActivityTypeFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_manages_teams_and_activity_types(client, administrator):
    team, panel = TeamFactory(name="Crisis services"), ActivityTypeFactory(name="Interview panel")
    client.force_login(administrator)
    assert "Crisis services" in client.get("/admin/catalogue/team/").content.decode()
    assert "Interview panel" in client.get("/admin/catalogue/activitytype/").content.decode()
    assert client.get(f"/admin/catalogue/team/{team.pk}/change/").status_code == 200
    assert client.get(f"/admin/catalogue/activitytype/{panel.pk}/change/").status_code == 200


def test_it_sends_old_admin_bookmarks_to_the_new_addresses(client, administrator):
    team = TeamFactory()
    client.force_login(administrator)
    response = client.get("/admin/opportunities/team/", {"q": "Crisis"})
    assert response.status_code == 301 and response["Location"] == "/admin/catalogue/team/?q=Crisis"
    response = client.get(f"/admin/opportunities/team/{team.pk}/change/")
    assert response["Location"] == f"/admin/catalogue/team/{team.pk}/change/"


@pytest.mark.parametrize("role", ["representative", "worker", "manager"])
def test_other_roles_cannot_change_reference_data(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get("/admin/catalogue/team/").status_code == 302
