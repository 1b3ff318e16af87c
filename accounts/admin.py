"""The Django admin for administrators: accounts, roles and the access log.

Support notes are special-category data and are deliberately absent from every admin
form and list here: administrators manage accounts, not care.
"""

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from accounts.models import AccessLogEntry, Profile, User
from accounts.permissions import Role
from accounts.selectors import two_factor_methods_for_person
from accounts.services import staff_invite, two_factor_reset, user_set_roles
from involvement.errors import attempt


def _admin_has_permission(request) -> bool:
    return request.user.is_active and request.user.has_perm("accounts.use_admin")


# Entry to the admin is the Administrator role, checked through the one permissions module.
admin.site.has_permission = _admin_has_permission


class FilterOnlyListedFieldsMixin:
    """Django's admin lets whoever may see a list filter it through the address on any of
    the model's own fields, offered as a filter or not (`?body_text__startswith=4`). On a
    log-in code, a two-factor secret or a password hash that is a guessing game the number
    of rows answers. Here only the fields offered as filters, and the date hierarchy, may be
    used; anything else is refused (400)."""

    def lookup_allowed(self, lookup, value, request=None):
        name = lookup.split(LOOKUP_SEP, 1)[0]
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            # A custom filter's parameter, or nothing: Django's own check applies.
            return super().lookup_allowed(lookup, value, request)
        listed = {self.date_hierarchy}
        for item in self.get_list_filter(request) if request is not None else self.list_filter:
            if isinstance(item, (tuple, list)):
                item = item[0]
            if isinstance(item, str):
                listed.add(item.split(LOOKUP_SEP, 1)[0])
        return name in listed and super().lookup_allowed(lookup, value, request)


class ReadOnlyAdmin(FilterOnlyListedFieldsMixin, admin.ModelAdmin):
    """Seen in the admin, never added, changed or deleted there, by anybody."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# allauth's names for the kinds of authenticator, in plain English.
TWO_FACTOR_LABELS = {
    Authenticator.Type.TOTP: "Authenticator app",
    Authenticator.Type.RECOVERY_CODES: "Recovery codes",
    Authenticator.Type.WEBAUTHN: "Security key",
}


def two_factor_label(method: Authenticator) -> str:
    return TWO_FACTOR_LABELS.get(method.type, method.get_type_display())


class TwoFactorResetForm(forms.Form):
    confirm = forms.BooleanField(
        label=(
            "I have checked who this person is, and they asked for their two-factor authentication "
            "to be reset"
        ),
        error_messages={
            "required": "Confirm that you have checked who this person is and that they asked for this"
        },
    )


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, **kwargs)


class StaffInviteForm(forms.ModelForm):
    """Staff are created here and invited by e-mail to set their own password."""

    roles = RolesField(help_text="Choose at least one staff role. A person may hold several.")

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model allows no address (people registered by a worker, ADR 13); staff log in
        # with theirs, so the invitation needs one.
        self.fields["email"].required = True

    def clean_roles(self):
        roles = set(self.cleaned_data["roles"])
        if not roles - {Role.REPRESENTATIVE}:
            raise forms.ValidationError("Choose at least one staff role.")
        return roles

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Somebody already has an account with this e-mail address.")
        return email


class UserChangeForm(forms.ModelForm):
    roles = RolesField(required=False)

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.groups.values_list("name", flat=True))


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fk_name = "user"
    fields = [
        "display_name",
        "pronouns",
        "contact_method",
        "named_worker",
        "taking_break",
        "break_until",
        "pace_per_month",
        "privacy_consent_version",
        "privacy_consent_at",
        "registered_by",
        "onboarded_at",
    ]
    readonly_fields = ["privacy_consent_version", "privacy_consent_at", "registered_by", "onboarded_at"]
    autocomplete_fields = ["named_worker"]


@admin.register(User)
class UserAdmin(FilterOnlyListedFieldsMixin, DjangoUserAdmin):
    """People. An administrator sees and changes a person's name, roles and whether they
    may log in, but never their log-in itself: not their e-mail address (a changed address
    is a password reset away from their account), not their password, not their two-factor
    authentication, except through the audited reset below."""

    add_form = StaffInviteForm
    form = UserChangeForm
    add_fieldsets = ((None, {"fields": ["email", "first_name", "last_name", "roles"]}),)
    fieldsets = (
        (None, {"fields": ["email", "first_name", "last_name", "is_active", "roles"]}),
        ("Logging in", {"fields": ["two_factor"]}),
    )
    list_display = ["email", "first_name", "last_name", "role_list", "is_active", "last_login"]
    list_filter = ["groups", "is_active"]
    search_fields = ["email", "first_name", "last_name", "profile__display_name"]
    ordering = ["email"]
    inlines = [ProfileInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Roles")
    def role_list(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all())) or "none"

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def get_readonly_fields(self, request, obj=None):
        return ["email", "two_factor"] if obj else []

    @admin.display(description="Two-factor authentication")
    def two_factor(self, obj: User) -> str:
        methods = list(two_factor_methods_for_person(person=obj))
        if not methods:
            return "Not set up."
        kinds = ", ".join(two_factor_label(method) for method in methods)
        url = reverse("admin:accounts_user_two_factor_reset", args=[obj.pk])
        return format_html('{}. <a href="{}">Reset this person\'s two-factor authentication</a>', kinds, url)

    def get_urls(self):
        reset = reauthentication_required(self.two_factor_reset_view)
        return [
            path(
                "<id>/two-factor/reset/",
                self.admin_site.admin_view(reset),
                name="accounts_user_two_factor_reset",
            ),
            *super().get_urls(),
        ]

    def user_change_password(self, request, id, form_url=""):
        # Setting someone's password is logging in as them: they reset their own.
        raise PermissionDenied

    def two_factor_reset_view(self, request, id):
        """Asks the administrator to log in again (allauth's reauthentication, on the way
        in), then to confirm; the service removes the authenticators, writes the access log
        and tells the person."""
        person = self.get_object(request, unquote(id))
        if person is None:
            raise Http404("No such person")
        if not request.user.has_perm("accounts.reset_two_factor", person):
            raise PermissionDenied
        form = TwoFactorResetForm(request.POST if request.method == "POST" else None)
        if form.is_valid() and attempt(
            request,
            lambda: two_factor_reset(person=person, by=request.user, path=request.path),
            f"{person}'s two-factor authentication has been reset. We have told them by e-mail, "
            "and the reset is in the access log.",
            form=form,
        ):
            # Also in the person's history here, beside the access log entry.
            self.log_change(request, person, "Reset their two-factor authentication.")
            return redirect("admin:accounts_user_change", person.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Reset this person's two-factor authentication",
            "opts": self.opts,
            "original": person,
            "form": form,
            "methods": [
                {
                    "label": two_factor_label(method),
                    "created_at": method.created_at,
                    "last_used_at": method.last_used_at,
                }
                for method in two_factor_methods_for_person(person=person)
            ],
        }
        return TemplateResponse(request, "admin/accounts/user/two_factor_reset.html", context)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            user_set_roles(user=obj, roles=form.cleaned_data["roles"])
            return
        invited = staff_invite(
            email=form.cleaned_data["email"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            roles=form.cleaned_data["roles"],
        )
        # The admin goes on to save inlines and log the change against this object.
        obj.pk = invited.pk
        obj.__dict__.update(invited.__dict__)
        messages.success(request, f"An invitation has been sent to {invited.email}.")

    def save_related(self, request, form, formsets, change):
        if change:
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(FilterOnlyListedFieldsMixin, admin.ModelAdmin):
    """Read-only: the access log is evidence, and the database refuses changes anyway."""

    list_display = ["created_at", "viewer", "subject", "what", "path"]
    list_filter = ["what", "created_at"]
    search_fields = ["viewer__email", "subject__email"]
    list_select_related = ["viewer", "subject"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(Group)

# allauth's own admins let an administrator change or delete anybody's e-mail addresses and
# two-factor authenticators (and see the authenticators' secrets). Ours are read-only.
for _model in (EmailAddress, EmailConfirmation, Authenticator):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(EmailAddress)
class EmailAddressAdmin(ReadOnlyAdmin):
    list_display = ["email", "user", "primary", "verified"]
    list_filter = ["primary", "verified"]
    search_fields = ["email", "user__email"]
    list_select_related = ["user"]
    fields = ["email", "user", "primary", "verified"]
    readonly_fields = fields


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    """Who has two-factor authentication, and of what type; never the secrets it holds."""

    list_display = ["user", "kind", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = ["user", "kind", "created_at", "last_used_at", "reset"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    @admin.display(description="Kind", ordering="type")
    def kind(self, obj: Authenticator) -> str:
        return two_factor_label(obj)

    @admin.display(description="Reset")
    def reset(self, obj: Authenticator) -> str:
        url = reverse("admin:accounts_user_two_factor_reset", args=[obj.user_id])
        return format_html('<a href="{}">Reset this person\'s two-factor authentication</a>', url)
