from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Data rights"

    def ready(self) -> None:
        from privacy import permissions  # noqa: F401  (registers the rules)
