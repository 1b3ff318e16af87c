"""Who may read a check-in, at an edge `scripts/mutation_rules.py` found untested
(docs/testing.md): being someone's named worker opens their check-ins only while one is a
worker. A worker who leaves (their role taken away) may still be named on profiles until
someone names another, and must read nothing meanwhile."""

import pytest

from accounts.models import User
from accounts.permissions import Role
from accounts.services import user_set_roles
from feedback.models import CheckIn

pytestmark = pytest.mark.django_db


def test_a_named_worker_who_is_no_longer_a_worker_reads_none_of_the_persons_check_ins(representative, worker):
    check_in = CheckIn.objects.create(person=representative, how_it_went=4, felt_valued=4)
    assert representative.profile.named_worker == worker
    assert worker.has_perm("feedback.view_check_in", check_in)
    user_set_roles(user=worker, roles=[Role.REPRESENTATIVE])
    left = User.objects.get(pk=worker.pk)  # roles read afresh
    assert not left.has_perm("feedback.view_check_in", check_in)


def test_a_worker_who_has_left_can_neither_open_nor_pick_up_the_follow_ups_still_assigned_to_them(
    client, representative, worker
):
    # The follow-up stays assigned to them until someone reassigns it; meanwhile its page (the
    # person's name, how soon they asked) is closed to them, and so is picking it up.
    from django.urls import reverse

    from feedback.services import check_in_create

    follow_up = check_in_create(
        person=representative,
        opportunity=None,
        how_it_went=2,
        felt_valued=2,
        wants_chat=True,
        urgency="this_week",
    ).follow_up
    assert follow_up.worker == worker
    client.force_login(worker)
    assert client.get(reverse("feedback:follow_up", args=[follow_up.pk])).status_code == 200
    user_set_roles(user=worker, roles=[Role.REPRESENTATIVE])
    # The rule itself, not only the worker area's door in front of it (a 403 for non-workers):
    # any other page that asks it must refuse them too.
    assert not User.objects.get(pk=worker.pk).has_perm("feedback.handle_follow_up", follow_up)
    assert client.get(reverse("feedback:follow_up", args=[follow_up.pk])).status_code == 403
    response = client.post(reverse("feedback:follow_up", args=[follow_up.pk]), {"action": "pick_up"})
    assert response.status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.picked_up_at is None
