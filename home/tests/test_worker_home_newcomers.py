"""New registrants do not fall through the gap (issue 13, F7): the worker's home lists people
who joined in the last 30 days with no named worker, each with a link to choose one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Role
from accounts.tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_worker_home_lists_new_people_waiting_for_a_named_worker(client, worker, other_worker):
    waiting = person(roles=[Role.REPRESENTATIVE], display_name="Nia New")
    person(roles=[Role.REPRESENTATIVE], display_name="Cai Covered", named_worker=other_worker)
    long_ago = person(roles=[Role.REPRESENTATIVE], display_name="Ola Older")
    User.objects.filter(pk=long_ago.pk).update(date_joined=timezone.now() - timedelta(days=31))

    client.force_login(worker)
    page = client.get(reverse("worker:home")).content.decode()

    link = reverse("worker:person_named_worker", args=[waiting.pk])
    assert f'<a href="{link}">Choose a named worker for Nia New</a>' in page
    assert "Cai Covered" not in page and "Ola Older" not in page
    assert 'href="/worker/people/">People</a>' in page


def test_past_ten_newcomers_the_home_links_to_the_full_list(client, worker):
    for number in range(11):
        person(roles=[Role.REPRESENTATIVE], display_name=f"Newcomer {number}")
    client.force_login(worker)
    page = client.get(reverse("worker:home")).content.decode()
    assert page.count("Choose a named worker for Newcomer") == 10
    assert "/worker/people/?new_without_worker=on" in page


def test_when_nobody_is_waiting_the_home_says_so(client, worker):
    client.force_login(worker)
    page = client.get(reverse("worker:home")).content.decode()
    assert "Nobody who joined in the last 30 days is waiting for a named worker." in page
