"""Access needs for the day (issue 13, item 6): what a person chooses to share with the lead
worker of the activities they join, on the profile page, apart from the private support note,
with what sharing means written beside it."""

import pytest
from django.urls import reverse

from accounts.models import AccessLogEntry
from accounts.services import access_log_record_many
from accounts.tests.test_profile import profile_data

pytestmark = pytest.mark.django_db


def test_the_profile_page_offers_it_apart_from_the_support_note_with_the_consent_beside_it(
    client, representative
):
    client.force_login(representative)
    page = client.get(reverse("me:profile")).content.decode()
    shared = page.index('name="access_needs_shared"')
    consent = page.index("shared with the worker leading each activity you join")
    support = page.index('name="support_needs"')
    # The consent sits just before the box, and both come before the private note.
    assert consent < shared < support
    assert "It is not your private support note below." in page
    assert "It is not on the register." in page


def test_it_saves_what_the_person_shares_and_keeps_the_support_note_apart(client, representative):
    client.force_login(representative)
    response = client.post(
        reverse("me:profile"), profile_data(access_needs_shared="Step-free access, please.")
    )
    assert response.status_code == 302
    representative.profile.refresh_from_db()
    assert representative.profile.access_needs_shared == "Step-free access, please."
    assert representative.profile.support_needs == "A seat near the door."
    # Emptied, nothing is shared any more.
    client.post(reverse("me:profile"), profile_data(access_needs_shared=""))
    representative.profile.refresh_from_db()
    assert representative.profile.access_needs_shared == ""


def test_too_long_is_explained_by_the_field_and_kept(client, representative):
    client.force_login(representative)
    typed = "A seat near the door and a break. " * 40  # over 1,000 characters
    response = client.post(reverse("me:profile"), profile_data(access_needs_shared=typed))
    assert response.status_code == 200
    (error,) = response.context["form"].errors["access_needs_shared"]
    assert error.endswith("must be 1,000 characters or fewer")
    assert typed.strip() in response.content.decode()
    representative.profile.refresh_from_db()
    assert representative.profile.access_needs_shared == ""


def test_many_readings_are_logged_in_one_statement_and_never_ones_own(
    representative, outsider, worker, django_assert_num_queries
):
    with django_assert_num_queries(1):
        access_log_record_many(
            viewer=worker,
            subjects=[representative, outsider, worker],
            what=AccessLogEntry.What.ACCESS_NEEDS,
            path="/x/",
        )
    entries = AccessLogEntry.objects.filter(what=AccessLogEntry.What.ACCESS_NEEDS)
    assert {entry.subject for entry in entries} == {representative, outsider}
    assert {entry.viewer for entry in entries} == {worker}
    with django_assert_num_queries(0):
        access_log_record_many(viewer=worker, subjects=[], what=AccessLogEntry.What.ACCESS_NEEDS)
