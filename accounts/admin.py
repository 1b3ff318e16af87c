"""The Django admin for administrators: accounts, roles and the access log.

Support notes are special-category data and are deliberately absent from every admin
form and list here: administrators manage accounts, not care.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from accounts.models import AccessLogEntry, Profile, User
from accounts.permissions import Role
from accounts.services import staff_invite, user_set_roles


def _admin_has_permission(request) -> bool:
    return request.user.is_active and request.user.has_perm("accounts.use_admin")


# Entry to the admin is the Administrator role, checked through the one permissions module.
admin.site.has_permission = _admin_has_permission


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
        "onboarded_at",
    ]
    readonly_fields = ["privacy_consent_version", "privacy_consent_at", "onboarded_at"]
    autocomplete_fields = ["named_worker"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = StaffInviteForm
    form = UserChangeForm
    add_fieldsets = ((None, {"fields": ["email", "first_name", "last_name", "roles"]}),)
    fieldsets = ((None, {"fields": ["email", "first_name", "last_name", "is_active", "roles"]}),)
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
class AccessLogEntryAdmin(admin.ModelAdmin):
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
