"""The header leads each person to their payments: a representative to their claims, a
finance officer to the exports; nobody else is offered either."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_links(client, user) -> dict[str, str]:
    client.force_login(user)
    response = client.get(reverse("opportunities:browse"))
    return {item["label"]: item["url"] for item in response.context["nav_items"]}


def test_a_representative_is_offered_their_payments(client, representative):
    assert nav_links(client, representative)["My payments"] == "/me/payments/"


def test_a_finance_officer_is_offered_the_exports(client, finance_officer):
    links = nav_links(client, finance_officer)
    assert links["Payments"] == "/payments/exports/"
    assert "My payments" not in links


def test_workers_and_managers_are_offered_neither(client, worker, manager):
    for user in (worker, manager):
        links = nav_links(client, user)
        assert "Payments" not in links and "My payments" not in links
