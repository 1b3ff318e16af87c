"""The people list's search and filters: a GET form that works without JavaScript and keeps
its values. Every filter is a condition on the one query the list runs."""

import re
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Profile
from accounts.selectors import NEW_REGISTRANT_DAYS
from catalogue.models import ActivityType
from charter.selectors import people_not_agreed
from opportunities.people_selectors import people_never_involved, people_not_involved_since

NOT_INVOLVED_MONTHS = 6
NOT_INVOLVED_DAYS = 183  # six months, near enough
SEARCH_MAX = 100
PHONE_LIKE = re.compile(r"[+\d][\d\s()-]*")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name, e-mail or phone",
        method="search",
        max_length=SEARCH_MAX,
        help_text="Part of a name, e-mail address or phone number is enough.",
        error_messages={"max_length": f"Search must be {SEARCH_MAX} characters or fewer"},
    )
    named_worker = django_filters.ChoiceFilter(
        label="Named worker",
        choices=[("me", "Me"), ("any", "Somebody"), ("none", "Nobody yet")],
        empty_label="Anyone or nobody",
        method="filter_named_worker",
        error_messages={"invalid_choice": "Choose a named worker from the list"},
    )
    interests = django_filters.ModelMultipleChoiceFilter(
        label="Interested in",
        queryset=ActivityType.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        method="filter_interests",
        error_messages={
            "invalid_choice": "Choose activities from the list",
            "invalid_pk_value": "Choose activities from the list",
        },
    )
    on_break = django_filters.BooleanFilter(
        label="Taking a break", method="filter_on_break", widget=forms.CheckboxInput
    )
    never_involved = django_filters.BooleanFilter(
        label="Never taken part", method="filter_never_involved", widget=forms.CheckboxInput
    )
    new_without_worker = django_filters.BooleanFilter(
        label=f"Joined in the last {NEW_REGISTRANT_DAYS} days, with no named worker",
        method="filter_new_without_worker",
        widget=forms.CheckboxInput,
    )
    not_recently = django_filters.BooleanFilter(
        label=f"Taken part before, but not in the last {NOT_INVOLVED_MONTHS} months",
        method="filter_not_recently",
        widget=forms.CheckboxInput,
    )
    not_agreed = django_filters.BooleanFilter(
        label="Not agreed to the current charter",
        method="filter_not_agreed",
        widget=forms.CheckboxInput,
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Each word must match somewhere, so "sam jones" finds Sam Jones. The profile's
        # search_text holds the names, e-mail and phone numbers in lower case (kept by the
        # database, accounts migration 0014): one trigram-indexed LIKE a word.
        words = value.lower().split()
        if not words:
            return queryset
        by_words = Q()
        for word in words:
            by_words &= Q(profile__search_text__contains=word)
        digits = re.sub(r"\D", "", value)
        if len(digits) < 4 or not PHONE_LIKE.fullmatch(value.strip()):
            return queryset.filter(by_words)
        # A phone number, however it was typed or stored: "07700 900123", "07700900123" and
        # "+44 7700 900123" all hold the digits after the 0 or the 44, which search_text
        # keeps for the phone and the mobile for texts alike.
        national = re.sub(r"^(44|0)", "", digits)
        return queryset.filter(by_words | Q(profile__search_text__contains=national))

    def filter_named_worker(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "me":
            return queryset.filter(profile__named_worker=self.viewer)
        if value == "any":
            return queryset.filter(profile__named_worker__isnull=False)
        if value == "none":
            return queryset.filter(profile__named_worker__isnull=True)
        return queryset

    def filter_interests(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        # Exists, not a join: a person with two of the interests is listed once.
        through = Profile.interests.through
        chosen = through.objects.filter(profile_id=OuterRef("profile__pk"), activitytype__in=value)
        return queryset.filter(Exists(chosen))

    def filter_on_break(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        # As Profile.is_on_break: a break with no return date, or one not yet passed.
        today = timezone.localdate()
        return queryset.filter(profile__taking_break=True).filter(
            Q(profile__break_until__isnull=True) | Q(profile__break_until__gte=today)
        )

    def filter_never_involved(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return people_never_involved(queryset) if value else queryset

    def filter_new_without_worker(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        since = timezone.now() - timedelta(days=NEW_REGISTRANT_DAYS)
        return queryset.filter(profile__named_worker__isnull=True, date_joined__gte=since)

    def filter_not_recently(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        since = timezone.now() - timedelta(days=NOT_INVOLVED_DAYS)
        return people_not_involved_since(queryset, since=since)

    def filter_not_agreed(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        # Their agreement is older than the last change to what agreements are built from.
        return people_not_agreed(queryset) if value else queryset
