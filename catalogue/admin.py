from django.contrib import admin

from catalogue.models import ActivityType, Course, PaymentPolicy, Rate, RateCard, Team


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


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_for_months", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]


class RateInline(admin.TabularInline):
    model = Rate
    extra = 1
    fields = ["effective_from", "unit", "amount", "block_hours", "preparation_hours"]


@admin.register(RateCard)
class RateCardAdmin(admin.ModelAdmin):
    """Opportunities copy the rate in force when they are published: to change what a card
    pays, add a rate with a later date rather than editing one that has been promised."""

    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    inlines = [RateInline]


@admin.register(PaymentPolicy)
class PaymentPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "car_rate",
        "car_rate_after_step",
        "meal_limit",
        "monthly_paid_hours_cap",
    ]
