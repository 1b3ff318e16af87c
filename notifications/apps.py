from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Messages"

    def ready(self) -> None:
        # accounts sits below this app and cannot import it: it asks for its messages
        # (welcome, staff invitation, two-factor reset) through the outbox given here.
        from accounts.messaging import outbox_connect
        from notifications.services import message_create

        outbox_connect(message_create)
