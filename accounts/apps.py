from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self) -> None:
        # Registers the permission rules with django-rules.
        from accounts import (
            permissions,  # noqa: F401
            signals,  # noqa: F401
        )
