"""The admin site: Django's, with the places where hostile input would be a 500 closed.

Every ModelAdmin registered here (ours and allauth's) and every inline they use gets
`HardenedAdminMixin`, so an admin added later is covered without anyone remembering to.
Each fix answers what tests/test_hostile_input.py found: Django's admin assumes the browser
sends what the page offered.
"""

from django.contrib import admin, messages
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

# Longer searches are cut to this: Django splits the search into words and ORs a LIKE per
# word per search field, so 100,000 characters would make one query of thousands of terms.
SEARCH_MAX_LENGTH = 200


class _ValidChoicesOnly:
    """An autocomplete box shown again after a failed save looks up what was posted; a value
    that is not an id (`abc`) made that lookup raise. Such values are left out: the form
    has already said the choice is not valid."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        kept = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class SafeAutocompleteSelect(_ValidChoicesOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidChoicesOnly, AutocompleteSelectMultiple):
    pass


class HardenedFormfieldsMixin:
    """For ModelAdmins and inlines alike."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class HardenedAdminMixin(HardenedFormfieldsMixin):
    def get_changelist_instance(self, request):
        # Django turns a date-hierarchy year it cannot read into "?e=1" (ValueError) but lets
        # one too large for a date (OverflowError) through as a 500.
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def response_action(self, request, queryset):
        # The ticked rows' ids go straight into `pk__in`; one that is not an id (`abc`)
        # raised ValueError there.
        pk = self.model._meta.pk
        try:
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                pk.to_python(value)
        except ValidationError:
            self.message_user(
                request, "Tick the rows you want from the list, then try again.", messages.WARNING
            )
            return None
        return super().response_action(request, queryset)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term[:SEARCH_MAX_LENGTH])

    def get_inlines(self, request, obj):
        return [_hardened(inline) for inline in super().get_inlines(request, obj)]


_HARDENED: dict[type, type] = {}


def _hardened(admin_class: type) -> type:
    """The same class with the mixin in front, made once per class."""
    mixin = HardenedAdminMixin if issubclass(admin_class, admin.ModelAdmin) else HardenedFormfieldsMixin
    if issubclass(admin_class, mixin):
        return admin_class
    if admin_class not in _HARDENED:
        _HARDENED[admin_class] = type(
            admin_class.__name__, (mixin, admin_class), {"__module__": admin_class.__module__}
        )
    return _HARDENED[admin_class]


class InvolvementAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, _hardened(admin_class or admin.ModelAdmin), **options)


class InvolvementAdminConfig(AdminConfig):
    """In INSTALLED_APPS in place of django.contrib.admin: `admin.site` is this site."""

    default_site = "involvement.admin_site.InvolvementAdminSite"
