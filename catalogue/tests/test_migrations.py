"""Teams and activity types moved from opportunities to catalogue without losing a row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _migrate(targets):
    """Migrate the test database to `targets`; the models as they are there."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.mark.django_db(transaction=True)
def test_it_keeps_teams_activity_types_and_interests_through_the_move():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate([("catalogue", None)])
        team = old.get_model("opportunities", "Team").objects.create(name="Crisis services")
        panel = old.get_model("opportunities", "ActivityType").objects.create(name="Interview panel")
        user = old.get_model("accounts", "User").objects.create(email="robin@example.org")
        profile = old.get_model("accounts", "Profile").objects.create(user=user)
        profile.interests.add(panel)

        new = _migrate(leaves)
        assert new.get_model("catalogue", "Team").objects.get(pk=team.pk).name == "Crisis services"
        assert new.get_model("catalogue", "ActivityType").objects.get(pk=panel.pk).name == "Interview panel"
        moved = new.get_model("accounts", "Profile").objects.get(pk=profile.pk)
        assert list(moved.interests.values_list("name", flat=True)) == ["Interview panel"]
        # New rows are numbered on from the old ones: the identity column came with the table.
        assert new.get_model("catalogue", "Team").objects.create(name="Wards").pk > team.pk
    finally:
        _migrate(leaves)
