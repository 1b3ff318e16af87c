from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"

    def ready(self) -> None:
        # Registers the opportunity permission rules with django-rules at start-up, not
        # whenever a view module happens to be imported first.
        from opportunities import permissions  # noqa: F401
