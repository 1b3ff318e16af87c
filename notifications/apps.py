from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Messages"

    def ready(self) -> None:
        # accounts sits below this app and cannot import it: it asks for its messages
        # (welcome, staff invitation, two-factor reset) through the outbox given here, and the
        # code that confirms a mobile number through the text outbox.
        from accounts.messaging import outbox_connect
        from notifications import (
            checks,  # noqa: F401  (registers the text messages' check)
            permissions,  # noqa: F401  (registers the contact tasks' rule)
        )
        from notifications.services import message_create, text_code_create

        outbox_connect(message_create, text_outbox=text_code_create)
