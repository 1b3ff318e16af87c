"""Changes to people: registration, roles, staff invitations, consent, the access log."""

import secrets
from collections.abc import Iterable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import messaging
from accounts.models import AccessLogEntry, PhoneConfirmation, Profile, User
from accounts.permissions import STAFF_ROLES, Role, is_staff_member
from accounts.phones import uk_mobile_e164
from involvement.errors import ServiceError


class AccountsError(ServiceError):
    """A rule about people, roles or log-ins refused the action (involvement.errors)."""


def user_set_roles(*, user: User, roles: Iterable[Role]) -> None:
    """Give a person exactly these roles. `is_staff` (entry to the Django admin) follows
    the Administrator role and nothing else, so no other role can reach the admin."""
    roles = set(roles)
    with transaction.atomic():
        groups = list(Group.objects.filter(name__in=roles))
        if len(groups) != len(roles):
            raise AccountsError("One of those roles does not exist. Run the migrations.")
        user.groups.set(groups)
        is_admin = Role.ADMINISTRATOR in roles
        if user.is_staff != is_admin:
            user.is_staff = is_admin
            user.save(update_fields=["is_staff"])
    user._role_names = frozenset(roles)


def privacy_consent_record(*, profile: Profile, version: str | None = None) -> None:
    profile.privacy_consent_version = version or settings.PRIVACY_NOTICE_VERSION
    profile.privacy_consent_at = timezone.now()
    profile.save(update_fields=["privacy_consent_version", "privacy_consent_at", "updated_at"])


def representative_register(*, user: User, privacy_consent: bool) -> Profile:
    """Called when somebody signs up: everybody who registers is a representative, and
    only a representative; staff roles are given by an administrator."""
    if not privacy_consent:
        raise AccountsError("You need to agree to the privacy notice to register.")
    with transaction.atomic():
        user_set_roles(user=user, roles=[Role.REPRESENTATIVE])
        profile, _ = Profile.objects.get_or_create(user=user)
        privacy_consent_record(profile=profile)
    return profile


def onboarding_complete(*, profile: Profile) -> None:
    with transaction.atomic():
        profile.onboarded_at = timezone.now()
        profile.save(update_fields=["onboarded_at", "updated_at"])
        welcome_message_create(recipient=profile.user)


def welcome_message_create(*, recipient: User) -> None:
    """The welcome, in the words for the person's roles: accounts knows who is staff and
    asks the outbox for the message, so that notifications need not know about roles."""
    messaging.account_message_send(
        recipient=recipient,
        kind=messaging.WELCOME,
        dedupe_key=f"welcome:{recipient.pk}",
        context={"staff": is_staff_member(recipient)},
    )


def staff_invite(*, email: str, first_name: str, last_name: str, roles: Iterable[Role]) -> User:
    """Create a member of staff and send them an invitation to set a password.

    The address is taken as verified: an administrator vouches for it, and the invitation
    itself proves it. The invitation goes through the outbox in the same transaction.
    """
    roles = set(roles)
    if not roles & STAFF_ROLES:
        raise AccountsError("Choose at least one staff role.")
    email = email.strip().lower()
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise AccountsError("Somebody already has an account with this e-mail address.")
        user = User.objects.create_user(
            email=email, password=None, first_name=first_name, last_name=last_name
        )
        user_set_roles(user=user, roles=roles)
        Profile.objects.create(user=user, display_name=first_name, onboarded_at=timezone.now())
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
        messaging.account_message_send(
            recipient=user,
            kind=messaging.STAFF_INVITATION,
            dedupe_key=f"staff_invitation:{user.pk}",
            context={"link": _set_password_link(user)},
        )
    return user


def _set_password_link(user: User) -> str:
    """allauth's password-reset link, which works once and expires (PASSWORD_RESET_TIMEOUT)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    site_url: str = settings.SITE_URL
    return site_url + path


def _new_calendar_token() -> str:
    # 32 random bytes: unguessable, and URL-safe so it sits in a path without escaping.
    return secrets.token_urlsafe(32)


def calendar_token_reset(*, profile: Profile) -> str:
    """A new secret for the person's private calendar-feed address (opportunities serves the
    feed); the old address stops working at once."""
    token = _new_calendar_token()
    with transaction.atomic():
        profile.calendar_token = token
        profile.save(update_fields=["calendar_token", "updated_at"])
    return token


def calendar_token_get_or_create(*, profile: Profile) -> str:
    """The person's calendar-feed secret, made the first time they ask for it."""
    existing = profile.calendar_token
    if existing:
        return existing
    # Set it only if still empty, so two pages opened at once agree on one address rather
    # than the second silently replacing the first.
    Profile.objects.filter(pk=profile.pk, calendar_token__isnull=True).update(
        calendar_token=_new_calendar_token()
    )
    profile.refresh_from_db(fields=["calendar_token"])
    # Ours, or the one a page opened at the same moment set first: never empty now.
    assert profile.calendar_token
    return profile.calendar_token


def access_log_record(*, viewer: User, subject: User, what: AccessLogEntry.What, path: str = "") -> None:
    """Write down that a member of staff read a person's special-category data.
    A person reading their own data is not logged: it is theirs."""
    if viewer.pk == subject.pk:
        return
    AccessLogEntry.objects.create(viewer=viewer, subject=subject, what=what, path=path[:300])


def access_log_record_many(
    *, viewer: User, subjects: list[User], what: AccessLogEntry.What, path: str = ""
) -> None:
    """The same, for a page that shows several people's data at once (a session's register):
    one entry per person, written in one statement so the page's queries stay fixed."""
    entries = [
        AccessLogEntry(viewer=viewer, subject=subject, what=what, path=path[:300])
        for subject in subjects
        if subject.pk != viewer.pk
    ]
    if entries:
        AccessLogEntry.objects.bulk_create(entries)


def two_factor_reset(*, person: User, by: User, path: str = "") -> int:
    """An administrator removes a person's two-factor authentication (their authenticator
    app and recovery codes), when the person has lost them and asked for help.

    This is the only way staff may change another person's log-in: it is written to the
    access log and the person is told who did it and when, so that a reset they did not ask
    for is noticed. Returns how many authenticators were removed.
    """
    from allauth.mfa.models import Authenticator

    from accounts.permissions import is_administrator

    if not is_administrator(by):
        raise AccountsError("Only an administrator can reset two-factor authentication.")
    if by.pk == person.pk:
        raise AccountsError(
            "You cannot reset your own two-factor authentication here. Use your account page."
        )
    now = timezone.now()
    with transaction.atomic():
        # Two administrators at once: the second DELETE waits for the first to commit, then
        # finds nothing, so one reset writes one entry and one message.
        removed: int = Authenticator.objects.filter(user=person).delete()[0]
        if not removed:
            raise AccountsError(f"{person} has no two-factor authentication to reset.")
        AccessLogEntry.objects.create(
            viewer=by,
            subject=person,
            what=AccessLogEntry.What.TWO_FACTOR_RESET,
            path=path[:300],
            created_at=now,
        )
        messaging.account_message_send(
            recipient=person,
            kind=messaging.TWO_FACTOR_RESET,
            dedupe_key=messaging.unique_key(f"two_factor_reset:{person.pk}"),
            context={"by_name": by.get_full_name() or by.email, "reset_at": now},
        )
    return removed


def _code_hash(*, confirmation_number: str, code: str) -> str:
    # Keyed with SECRET_KEY: the table alone does not give the codes away.
    return salted_hmac("accounts.phone_code", f"{confirmation_number}:{code}", algorithm="sha256").hexdigest()


def phone_confirmation_start(*, user: User, number: str) -> PhoneConfirmation:
    """Send a 6-digit code by text to this UK mobile number, to prove it is the person's.

    At most PHONE_CODES_PER_HOUR codes an hour (each text costs money and reaches a phone
    that may not be theirs); a new code ends the ones before it. The person's row is locked
    so that two requests at once cannot both pass the count."""
    if not settings.TEXT_MESSAGES_ENABLED:
        raise AccountsError("We cannot send texts at the moment. We will keep using e-mail.")
    try:
        number = uk_mobile_e164(number)
    except ValidationError as error:
        raise AccountsError(error.messages[0]) from None
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        sent = PhoneConfirmation.objects.filter(user=user, created_at__gt=now - timedelta(hours=1)).count()
        if sent >= settings.PHONE_CODES_PER_HOUR:
            raise AccountsError(
                f"We have sent you {sent} codes in the last hour. Wait an hour, then ask for a new one."
            )
        PhoneConfirmation.objects.filter(user=user, confirmed_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        code = f"{secrets.randbelow(10**6):06d}"
        minutes = settings.PHONE_CODE_MINUTES
        confirmation = PhoneConfirmation.objects.create(
            user=user,
            number=number,
            code_hash=_code_hash(confirmation_number=number, code=code),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
        messaging.account_text_send(
            recipient=user,
            to_phone=number,
            kind=messaging.PHONE_CODE,
            dedupe_key=f"phone_code:{confirmation.pk}",
            context={"code": code, "minutes": minutes},
        )
    return confirmation


def phone_confirmation_pending(*, user: User) -> PhoneConfirmation | None:
    """The newest code that is neither used, expired nor used up."""
    return (
        PhoneConfirmation.objects.filter(
            user=user,
            confirmed_at__isnull=True,
            expires_at__gt=timezone.now(),
            attempts__lt=settings.PHONE_CODE_MAX_ATTEMPTS,
        )
        .order_by("-created_at")
        .first()
    )


def phone_confirm(*, user: User, code: str) -> str:
    """Check the code typed back; if right, the number becomes the person's number for
    texts. Each wrong try counts (kept even though the call refuses), and the code ends
    after PHONE_CODE_MAX_ATTEMPTS of them, so 6 digits cannot be guessed."""
    now = timezone.now()
    refusal = ""
    with transaction.atomic():
        confirmation = (
            PhoneConfirmation.objects.select_for_update()
            .filter(user=user, confirmed_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if confirmation is None:
            refusal = "Ask for a code first."
        elif confirmation.attempts >= settings.PHONE_CODE_MAX_ATTEMPTS:
            refusal = "You have typed a wrong code too many times. Ask for a new code."
        elif confirmation.expires_at <= now:
            refusal = "That code has expired. Ask for a new code."
        else:
            confirmation.attempts += 1
            right = constant_time_compare(
                _code_hash(confirmation_number=confirmation.number, code=code.strip()), confirmation.code_hash
            )
            if not right:
                left = settings.PHONE_CODE_MAX_ATTEMPTS - confirmation.attempts
                refusal = (
                    f"That code is not right. You can try {left} more time{'s' if left != 1 else ''}."
                    if left
                    else "That code is not right, and you have typed a wrong code too many times. "
                    "Ask for a new code."
                )
                confirmation.save(update_fields=["attempts"])
            else:
                confirmation.confirmed_at = now
                confirmation.save(update_fields=["attempts", "confirmed_at"])
                profile, _ = Profile.objects.get_or_create(user=user)
                profile.mobile_number = confirmation.number
                profile.mobile_confirmed_at = now
                profile.save(update_fields=["mobile_number", "mobile_confirmed_at", "updated_at"])
    if refusal:
        raise AccountsError(refusal)
    assert confirmation is not None
    return confirmation.number
