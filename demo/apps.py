from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and `seed_demo`: it sits above every other app and nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"
