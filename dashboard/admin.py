from django.contrib import admin
from django.http import HttpRequest

from dashboard.models import PopulationShare, Targets


@admin.register(Targets)
class TargetsAdmin(admin.ModelAdmin):
    """One row, made with the defaults by migration 0003 (and by Targets.current() should it
    go missing): it can be changed, never added or deleted. No query in has_add_permission:
    the admin asks it of every model on every page, for its menu."""

    list_display = ["__str__", "top_decile_share_max", "first_timers_min", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Targets | None = None) -> bool:
        return False


@admin.register(PopulationShare)
class PopulationShareAdmin(admin.ModelAdmin):
    list_display = ["characteristic", "category_label", "share", "source"]
    list_filter = ["characteristic"]
