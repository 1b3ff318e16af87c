from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        # Registers the opportunity permission rules with django-rules at start-up, not
        # whenever a view module happens to be imported first.
        from catalogue.models import ActivityType, Team
        from opportunities import permissions  # noqa: F401
        from opportunities.fragments import catalogue_changed

        # The browse filter's selects are kept rendered (opportunities.fragments): any change
        # to a team or an activity type retires them at once.
        for model in (Team, ActivityType):
            uid = f"browse-filter-{model.__name__}"
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid)
