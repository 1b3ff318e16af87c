from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"

    def ready(self) -> None:
        # Registers the check-in and follow-up permission rules with django-rules.
        from feedback import permissions  # noqa: F401
        from feedback.services import invitations_queue
        from opportunities.publishing import publish_listener_register

        # opportunities cannot import feedback: it tells the listeners registered here once a
        # publish commits, and feedback queues the invitations (feedback/services/invitations.py).
        publish_listener_register("feedback.invitations", invitations_queue)
