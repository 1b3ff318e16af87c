"""Hostile input that reached a 500 before any of our forms could answer it (issue 9, item 11):
null characters in the address, and the places where Django's admin trusts what it posted."""

import pytest
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters

from catalogue.models import Team
from catalogue.tests.factories import TeamFactory
from involvement.admin_site import HardenedAdminMixin, InvolvementAdminSite
from notifications.models import Message

pytestmark = pytest.mark.django_db


# --- null characters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/calendar/%00.ics",  # a calendar-feed token: PostgreSQL refused the NUL (a 500)
        "/opportunities/?q=%00",
        "/opportunities/?page=1%00",
        "/outcomes/?team%00=1",
    ],
)
def test_a_null_character_in_the_address_is_a_400(client, url):
    assert client.get(url).status_code == 400


def test_a_null_character_in_an_admin_search_is_a_400(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/catalogue/team/", {"q": "a\x00b"}).status_code == 400


def test_a_null_character_in_a_form_is_explained_by_the_field(client, representative):
    client.force_login(representative)
    response = client.post("/me/profile/", {"display_name": "Ro\x00bin"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()


def test_addresses_without_null_characters_are_untouched(client):
    assert client.get("/opportunities/", {"q": "panel"}).status_code == 200


# --- the admin ---------------------------------------------------------------------------------


def test_every_registered_admin_is_hardened():
    """ModelAdmins registered later (ours or a library's) are covered without being listed."""
    assert isinstance(
        admin.site._wrapped if hasattr(admin.site, "_wrapped") else admin.site, InvolvementAdminSite
    )
    assert admin.site._registry
    assert all(isinstance(model_admin, HardenedAdminMixin) for model_admin in admin.site._registry.values())


def test_an_action_on_rows_that_are_not_ids_is_explained_not_a_500(client, administrator):
    team = TeamFactory()
    client.force_login(administrator)
    response = client.post(
        "/admin/catalogue/team/",
        {"action": "delete_selected", "_selected_action": ["abc"], "index": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Tick the rows you want from the list" in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()


def test_an_action_on_real_rows_still_runs(client, administrator):
    team = TeamFactory()
    client.force_login(administrator)
    response = client.post(
        "/admin/catalogue/team/", {"action": "delete_selected", "_selected_action": [str(team.pk)]}
    )
    assert response.status_code == 200
    assert "Are you sure" in response.content.decode()


@pytest.mark.parametrize("year", ["9" * 20, "99999"])
def test_a_date_hierarchy_year_too_large_for_a_date_is_not_a_500(client, administrator, year):
    assert admin.site._registry[Message].date_hierarchy == "created_at"
    client.force_login(administrator)
    response = client.get("/admin/notifications/message/", {"created_at__year": year})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_changelist_turns_an_overflow_into_incorrect_lookup_parameters(rf, administrator):
    class Broken:
        def get_changelist_instance(self, request):
            raise OverflowError("date value out of range")

    class Hardened(HardenedAdminMixin, Broken):
        pass

    with pytest.raises(IncorrectLookupParameters):
        Hardened().get_changelist_instance(rf.get("/"))


def test_an_autocomplete_shown_again_with_a_value_that_is_not_an_id_is_not_a_500(
    client, administrator, representative
):
    """The person's named worker is an autocomplete box: a failed save shows it again, and
    Django looked the posted 'abc' up as an id (ValueError, a 500)."""
    from tests.test_hostile_input import PageParser, baseline

    url = f"/admin/accounts/user/{representative.pk}/change/"
    client.force_login(administrator)
    parser = PageParser()
    parser.feed(client.get(url).content.decode())
    form = next(form for form in parser.forms if any(f.name == "profile-0-named_worker" for f in form.fields))
    data = {**baseline(form), "profile-0-named_worker": ["abc"]}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_search_of_100000_characters_is_cut_short(rf, administrator):
    """Django ORs a LIKE per word per search field: a pasted book would be one vast query."""
    request = rf.get("/admin/catalogue/team/")
    request.user = administrator
    queryset, _ = admin.site._registry[Team].get_search_results(request, Team.objects.all(), "x" * 100_000)
    assert len(str(queryset.query)) < 2000
