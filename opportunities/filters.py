"""The browse filters: a GET form that works without JavaScript and keeps its values."""

from typing import ClassVar

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F

from catalogue.models import ActivityType, InvolvementLevel, Team
from involvement.forms import DateField
from opportunities.models import Format


class NHSDateFilter(django_filters.DateFilter):
    field_class = DateField


class OpportunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        help_text="For example, interview, training or crisis line.",
        max_length=200,
        error_messages={"max_length": "Search must be 200 characters or fewer"},
    )
    mine = django_filters.BooleanFilter(
        label="Only show what matches my interests",
        method="matches_interests",
        widget=forms.CheckboxInput,
    )
    activity_type = django_filters.ModelChoiceFilter(
        label="Type of activity", queryset=ActivityType.objects.filter(is_active=True), empty_label="Any type"
    )
    involvement_level = django_filters.ChoiceFilter(
        label="How much say you have", choices=InvolvementLevel.choices, empty_label="Any level"
    )
    format = django_filters.ChoiceFilter(label="Where", choices=Format.choices, empty_label="Anywhere")
    team = django_filters.ModelChoiceFilter(
        label="Team", queryset=Team.objects.filter(is_active=True), empty_label="Any team"
    )
    starts_from = NHSDateFilter(
        label="Starting on or after (optional)",
        field_name="starts_at",
        lookup_expr="date__gte",
        help_text="For example, 15 3 2027",
    )
    starts_to = NHSDateFilter(
        label="Starting on or before (optional)",
        field_name="starts_at",
        lookup_expr="date__lte",
        help_text="For example, 30 4 2027",
    )
    paid = django_filters.ChoiceFilter(
        label="Payment",
        choices=[("yes", "Paid"), ("no", "Unpaid")],
        empty_label="Paid or unpaid",
        method="filter_paid",
    )
    places_left = django_filters.BooleanFilter(
        label="Only show opportunities with places left",
        method="filter_places_left",
        widget=forms.CheckboxInput,
    )

    # django-filter builds a new form class, with a new field for every filter, for each
    # request; the class depends only on which filters there are (visitors have no "mine"), so
    # it is built once per process. Each form still deep-copies its fields (and the selects'
    # querysets) as any Django form does.
    _form_classes: ClassVar[dict[tuple[str, ...], type[forms.Form]]] = {}

    def get_form_class(self) -> type[forms.Form]:
        names = tuple(self.filters)
        form_class = self._form_classes.get(names)
        if form_class is None:
            form_class = self._form_classes[names] = super().get_form_class()
        return form_class

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None or not user.is_authenticated:
            del self.filters["mine"]
            self.form.fields.pop("mine", None)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = SearchQuery(value, search_type="websearch", config="english")
        # Best match first, then soonest.
        return (
            queryset.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "starts_at", "pk")
        )

    def matches_interests(self, queryset, name, value):
        if not value or self.user is None:
            return queryset
        from accounts.selectors import profile_for_user

        return queryset.filter(activity_type__in=profile_for_user(user=self.user).interests.all())

    def filter_paid(self, queryset, name, value):
        return queryset.filter(is_paid=value == "yes")

    def filter_places_left(self, queryset, name, value):
        return queryset.filter(places_taken__lt=F("places")) if value else queryset
