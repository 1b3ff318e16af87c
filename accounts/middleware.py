"""Two gates every request passes after log-in."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect

from accounts.permissions import is_representative, is_staff_member
from accounts.selectors import profile_for_user

# Help stays reachable for staff who have not set up two-factor yet: someone may need it now.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/help/")
SESSION_MFA_OK = "staff_mfa_ok"
SESSION_ONBOARDED = "onboarded"


class StaffMFARequiredMiddleware:
    """With STAFF_MFA_REQUIRED on, staff must set up two-factor authentication before they
    reach any page: staff can see other people's personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.STAFF_MFA_REQUIRED
            and user.is_authenticated
            and not request.session.get(SESSION_MFA_OK)
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and is_staff_member(user)
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session[SESSION_MFA_OK] = True
            else:
                messages.warning(
                    request, "Staff accounts need two-factor authentication. Set it up to continue."
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class OnboardingMiddleware:
    """A new representative is asked the few things we need before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.method == "GET"
            and not request.session.get(SESSION_ONBOARDED)
            and not request.path.startswith(settings.ONBOARDING_EXEMPT_PREFIXES)
            and request.path != "/"
        ):
            if is_representative(user) and profile_for_user(user=user).onboarded_at is None:
                return redirect("me:welcome")
            request.session[SESSION_ONBOARDED] = True
        return self.get_response(request)
