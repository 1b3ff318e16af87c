"""The claim form is reached from the activity on /me/."""

import pytest
from django.test import Client
from django.urls import reverse

from payments.services import claim_submit
from payments.tests.factories import attended_claim

pytestmark = pytest.mark.django_db


def test_an_activity_taken_part_in_links_to_its_claim(representative):
    claim = attended_claim(person=representative, title="Ward visit")
    client = Client()
    client.force_login(representative)
    text = client.get(reverse("me:home")).content.decode()
    assert f'href="{reverse("me:claim", args=[claim.pk])}">Claim your fee and expenses' in text
    claim_submit(claim=claim, by=representative)
    text = client.get(reverse("me:home")).content.decode()
    assert f'href="{reverse("me:claim", args=[claim.pk])}">See your claim' in text
    assert "(waiting for approval)" in text


def test_me_reads_every_claim_in_one_query(representative, django_assert_max_num_queries):
    client = Client()
    client.force_login(representative)
    attended_claim(person=representative)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("me:home"))
    for _ in range(6):
        attended_claim(person=representative)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("me:home"))
    assert response.content.decode().count("Claim your fee and expenses") == 7
