"""allauth customised through its adapter: sign-up makes a representative, and each
person lands on their own role's home. allauth's e-mails go through the outbox: that part
is notifications' (notifications/adapters.py, the adapter in settings)."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse

from accounts.permissions import home_url_name
from accounts.services import representative_register

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            representative_register(
                user=user, privacy_consent=form.cleaned_data.get("privacy_consent", False)
            )
        return user

    def get_client_ip(self, request) -> str:
        """The client's address for rate limits (settings.ALLAUTH_TRUSTED_PROXY_COUNT).
        allauth stops with ImproperlyConfigured, a 500, when X-Forwarded-For has fewer
        entries than trusted proxies: the request skipped a proxy, so the header cannot be
        trusted and the address that reached us counts instead."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning("X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT; using REMOTE_ADDR")
            address = request.META.get("REMOTE_ADDR", "")
            if not address:
                raise PermissionDenied("Unable to determine client IP address") from None
            return address

    def get_login_redirect_url(self, request) -> str:
        return reverse(home_url_name(request.user))
