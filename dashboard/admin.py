from django.contrib import admin
from django.http import HttpRequest

from dashboard.models import PopulationShare, Targets


@admin.register(Targets)
class TargetsAdmin(admin.ModelAdmin):
    """One row: it can be changed, never added twice or deleted."""

    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Targets.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Targets | None = None) -> bool:
        return False


@admin.register(PopulationShare)
class PopulationShareAdmin(admin.ModelAdmin):
    list_display = ["characteristic", "category_label", "share", "source"]
    list_filter = ["characteristic"]
