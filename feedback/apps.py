from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        # Registers the check-in and follow-up permission rules with django-rules.
        from feedback import permissions  # noqa: F401
