from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Home pages"

    def ready(self) -> None:
        # feedback's daily summary cannot import payments (they sit side by side): home, above
        # both, gives it the section about claims not paid in time.
        from feedback.summary_sections import summary_section_register
        from home.summaries import overdue_claims_section

        summary_section_register("overdue_claims", overdue_claims_section)
