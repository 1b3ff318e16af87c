"""Pages with lists run a fixed number of queries, however much data there is."""

import pytest
from django.urls import reverse

from accounts.permissions import Role
from accounts.tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_worker_home_does_not_grow_with_the_caseload(client, worker, django_assert_max_num_queries):
    for _ in range(30):
        person(roles=[Role.REPRESENTATIVE], named_worker=worker)
    client.force_login(worker)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("worker:home"))
    assert response.content.decode().count("/worker/people/") == 30


def test_the_representative_home_runs_few_queries(client, representative, django_assert_max_num_queries):
    client.force_login(representative)
    client.get(reverse("me:home"))
    with django_assert_max_num_queries(13):
        assert client.get(reverse("me:home")).status_code == 200
