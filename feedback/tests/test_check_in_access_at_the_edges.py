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
