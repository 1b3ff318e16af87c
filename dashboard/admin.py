from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from dashboard.models import PopulationShare, Targets


@admin.register(Targets)
class TargetsAdmin(admin.ModelAdmin):
    """One row, made with the defaults when first asked for: it can be changed, never added
    or deleted. The list goes straight to it. (No query in has_add_permission: the admin
    asks it of every model on every page, for its menu.)"""

    readonly_fields = ["updated_at"]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        return redirect("admin:dashboard_targets_change", Targets.current().pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Targets | None = None) -> bool:
        return False


@admin.register(PopulationShare)
class PopulationShareAdmin(admin.ModelAdmin):
    list_display = ["characteristic", "category_label", "share", "source"]
    list_filter = ["characteristic"]
