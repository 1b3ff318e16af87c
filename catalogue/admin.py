from django.contrib import admin

from catalogue.models import ActivityType, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "default_involvement_level", "is_active"]
    list_filter = ["default_involvement_level", "is_active"]
    search_fields = ["name", "description"]
