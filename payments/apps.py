from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments and expenses"

    def ready(self) -> None:
        from payments import permissions  # noqa: F401  (registers the rules)
