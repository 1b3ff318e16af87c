import pytest
from django.core.management import call_command

from accounts.models import Profile, User
from accounts.permissions import Role, role_names

pytestmark = pytest.mark.django_db


def test_it_creates_every_role_and_is_idempotent(capsys, settings):
    settings.DEMO_PASSWORD = "demo-pass-for-tests"
    call_command("seed_demo")
    counts = (User.objects.count(), Profile.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Profile.objects.count()) == counts
    assert counts[0] >= 16
    output = capsys.readouterr().out
    for email in ["rep@example.org", "worker@example.org", "manager@example.org", "admin@example.org"]:
        assert email in output
    assert "demo-pass-for-tests" in output
    assert role_names(User.objects.get(email="worker@example.org")) == {Role.WORKER}
    assert role_names(User.objects.get(email="admin@example.org")) == {Role.ADMINISTRATOR}
    assert User.objects.get(email="rep@example.org").check_password("demo-pass-for-tests")
    reps = Profile.objects.filter(user__groups__name=Role.REPRESENTATIVE)
    assert reps.count() >= 12
    assert reps.filter(taking_break=True).exists() and reps.filter(named_worker__isnull=True).exists()
