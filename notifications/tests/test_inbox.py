"""The inbox and message preferences: every role, other people's messages, bad input."""

import pytest
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import person
from notifications.kinds import DigestFrequency, Kind
from notifications.models import Message
from notifications.services import RenderedMessage, message_create, message_store

pytestmark = pytest.mark.django_db

ROLES = ["representative", "worker", "manager", "administrator"]


def welcome(user) -> Message:
    return message_create(recipient=user, kind=Kind.WELCOME, dedupe_key=f"welcome:{user.pk}")


@pytest.mark.parametrize("url", ["/me/inbox/", "/me/preferences/"])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_has_an_inbox_with_its_own_messages(client, request, role, outsider):
    user = request.getfixturevalue(role)
    welcome(user)
    welcome(outsider)
    client.force_login(user)
    page = client.get("/me/inbox/").content.decode()
    assert "Welcome to Involvement Hub" in page
    assert page.count("/me/inbox/") >= 1
    assert len(client.get("/me/inbox/").context["page"].object_list) == 1


def test_nobody_can_open_someone_elses_message(client, representative, outsider):
    theirs = welcome(outsider)
    client.force_login(representative)
    assert client.get(reverse("inbox:detail", args=[theirs.pk])).status_code == 404
    assert Message.objects.get(pk=theirs.pk).read_at is None


def test_log_in_codes_are_not_listed_in_the_inbox(client, representative):
    code = message_store(
        kind=Kind.ACCOUNT,
        dedupe_key="account:1",
        rendered=RenderedMessage("Your code", "ABCD-EFGH"),
        recipient=representative,
    )
    client.force_login(representative)
    assert "Your code" not in client.get("/me/inbox/").content.decode()
    assert client.get(reverse("inbox:detail", args=[code.pk])).status_code == 404


def test_opening_a_message_marks_it_read_and_the_header_counts_unread(client, representative):
    message = welcome(representative)
    client.force_login(representative)
    assert "Inbox (1 unread)" in client.get("/me/").content.decode()
    page = client.get(reverse("inbox:detail", args=[message.pk])).content.decode()
    assert "Thank you for joining Involvement Hub." in page
    assert Message.objects.get(pk=message.pk).read_at is not None
    assert "Inbox (1 unread)" not in client.get("/me/").content.decode()


def test_mark_all_as_read_is_post_only_and_touches_only_my_messages(client, representative, outsider):
    welcome(representative)
    theirs = welcome(outsider)
    client.force_login(representative)
    assert client.get(reverse("inbox:mark_all_read")).status_code == 405
    response = client.post(reverse("inbox:mark_all_read"), follow=True)
    assert "All your messages are marked as read." in response.content.decode()
    assert not Message.objects.filter(recipient=representative, read_at__isnull=True).exists()
    assert Message.objects.get(pk=theirs.pk).read_at is None


def test_the_inbox_is_newest_first_paginated_and_its_queries_do_not_grow(
    client, representative, django_assert_max_num_queries
):
    for index in range(45):
        message_create(recipient=representative, kind=Kind.WELCOME, dedupe_key=f"w:{index}")
    client.force_login(representative)
    client.get("/me/inbox/")
    with django_assert_max_num_queries(10):
        response = client.get("/me/inbox/")
    page = response.context["page"]
    assert len(page.object_list) == 20 and page.paginator.num_pages == 3
    dates = [message.created_at for message in page.object_list]
    assert dates == sorted(dates, reverse=True)
    assert "Page 2 of 3" in response.content.decode()
    assert len(client.get("/me/inbox/?page=3").context["page"].object_list) == 5
    assert client.get("/me/inbox/?page=banana").status_code == 200  # not a 500


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_choose_which_messages_are_emailed(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    form = client.get("/me/preferences/").context["form"]
    offered = {value for value, _ in form.fields["email_kinds"].choices}
    if role == "representative":
        assert Kind.REMINDER in offered and Kind.FOLLOW_UP_REQUESTED not in offered
        assert "digest_frequency" in form.fields
    elif role == "worker":
        assert Kind.FOLLOW_UP_REQUESTED in offered and Kind.REMINDER not in offered
        assert "digest_frequency" not in form.fields
    assert Kind.ACCOUNT not in offered  # security mail cannot be switched off


def test_switching_a_kind_off_stops_its_emails_but_not_the_inbox(client, representative):
    client.force_login(representative)
    keep = [Kind.SIGNUP_UPDATE, Kind.PLACE_OFFERED, Kind.REMINDER]
    response = client.post(
        "/me/preferences/", {"email_kinds": keep, "digest_frequency": DigestFrequency.MONTHLY}
    )
    assert response.status_code == 302
    profile = representative.profile
    profile.refresh_from_db()
    assert Kind.WELCOME in profile.email_muted_kinds and Kind.REMINDER not in profile.email_muted_kinds
    assert profile.digest_frequency == DigestFrequency.MONTHLY
    assert welcome(representative).status == Message.Status.INBOX_ONLY


def test_preferences_explain_bad_input_and_keep_it(client, representative):
    client.force_login(representative)
    response = client.post(
        "/me/preferences/", {"email_kinds": [Kind.REMINDER, "carrier_pigeon"], "digest_frequency": "hourly"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice. carrier_pigeon is not one of the available choices." in page
    assert "Select a valid choice. hourly is not one of the available choices." in page
    assert "There is a problem" in page
    representative.profile.refresh_from_db()
    assert representative.profile.email_muted_kinds == []


def test_saving_keeps_choices_about_kinds_the_form_did_not_offer(client):
    # A former representative, now a worker, muted reminders back then.
    worker = person(roles=[Role.WORKER], email_muted_kinds=[Kind.REMINDER])
    client.force_login(worker)
    client.post("/me/preferences/", {"email_kinds": [Kind.FOLLOW_UP_REQUESTED]})
    worker.profile.refresh_from_db()
    assert Kind.REMINDER in worker.profile.email_muted_kinds
    assert Kind.WORKER_SUMMARY in worker.profile.email_muted_kinds
    assert Kind.FOLLOW_UP_REQUESTED not in worker.profile.email_muted_kinds
