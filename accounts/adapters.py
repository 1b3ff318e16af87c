"""allauth customised through its adapter: sign-up makes a representative, and each
person lands on their own role's home."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts.permissions import home_url_name
from accounts.services import representative_register


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            representative_register(
                user=user, privacy_consent=form.cleaned_data.get("privacy_consent", False)
            )
        return user

    def get_login_redirect_url(self, request) -> str:
        return reverse(home_url_name(request.user))
