"""Assisted digital (issue 13, item 4; docs/adr/0013-assisted-digital.md): a worker
registers a person who has no e-mail address, by phone or by post.

Such a person is a representative like any other, with no e-mail address (`User.email` is
NULL) and no password, so they cannot log in; a worker acts for them (opportunities records
each action as the worker's, on their behalf), and their messages become texts or tasks for
their named worker (notifications). The worker who registers them becomes their named
worker, so that somebody always holds their messages.
"""

import re

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.db.models import Func, Value
from django.utils import timezone
from phonenumbers import NumberParseException

from accounts.models import ContactMethod, NamedWorkerChange, Profile, User
from accounts.permissions import Role, is_worker
from accounts.services import AccountsError, privacy_consent_record, user_set_roles

NAME_MAX = 150
ADDRESS_MAX = 300
NOTES_MAX = 200
REGISTERED_REASON = "Registered them without an e-mail address (assisted digital)."


def phone_normalise(raw: str) -> str:
    """A UK phone number (mobile or landline) as people write it here, "01632 960 001", or
    an AccountsError that says what is wrong."""
    text = (raw or "").strip()
    if not text:
        return ""
    if re.search(r"[A-Za-z]", text):
        raise AccountsError("Enter a phone number, like 01632 960 001 or 07700 900 982", field="phone")
    try:
        number = phonenumbers.parse(text, "GB")
    except NumberParseException:
        raise AccountsError(
            "Enter a phone number, like 01632 960 001 or 07700 900 982", field="phone"
        ) from None
    if not phonenumbers.is_possible_number(number):
        raise AccountsError("Enter a phone number, like 01632 960 001 or 07700 900 982", field="phone")
    if number.country_code == 44:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def profile_with_phone(*, phone: str) -> Profile | None:
    """Somebody who already gave this number, however it was typed (spaces, +44 or 0)."""
    national = _digits(phone)
    forms = {national}
    if national.startswith("0"):
        forms.add("44" + national[1:])
    stripped = Func("phone", Value(r"\D"), Value(""), Value("g"), function="regexp_replace")
    return (
        Profile.objects.annotate(phone_digits=stripped)
        .filter(phone_digits__in=forms, user__is_active=True)
        .select_related("user")
        .first()
    )


def person_register_assisted(
    *,
    by: User,
    first_name: str,
    last_name: str,
    display_name: str = "",
    phone: str = "",
    postal_address: str = "",
    contact_notes: str = "",
    privacy_notice_read: bool,
    consent: bool,
) -> User:
    """Register a person who has no e-mail address. The worker has read them the privacy
    notice (the current version, `settings.PRIVACY_NOTICE_VERSION`, which is recorded) and
    heard them agree. They are reached by phone, or by letter when they have no phone."""
    if not by.is_active or not is_worker(by):
        raise AccountsError("Only involvement workers can register a person.")
    first_name, last_name = first_name.strip(), last_name.strip()
    display_name = display_name.strip()
    postal_address = postal_address.strip()
    if not first_name:
        raise AccountsError("Enter their first name", field="first_name")
    if not last_name:
        raise AccountsError("Enter their last name", field="last_name")
    if max(len(first_name), len(last_name)) > NAME_MAX:
        raise AccountsError(f"Names must be {NAME_MAX} characters or fewer.", field="first_name")
    phone = phone_normalise(phone)
    if not phone and not postal_address:
        raise AccountsError(
            "Enter a phone number or a postal address: we need one way to reach them", field="phone"
        )
    if len(postal_address) > ADDRESS_MAX:
        raise AccountsError(f"The address must be {ADDRESS_MAX} characters or fewer.", field="postal_address")
    contact_notes = contact_notes.strip()
    if len(contact_notes) > NOTES_MAX:
        raise AccountsError(f"This must be {NOTES_MAX} characters or fewer.", field="contact_notes")
    if not privacy_notice_read:
        raise AccountsError(
            "Read them the privacy notice before registering them", field="privacy_notice_read"
        )
    if not consent:
        raise AccountsError("They need to agree to the privacy notice to be registered", field="consent")
    with transaction.atomic():
        if phone and profile_with_phone(phone=phone) is not None:
            raise AccountsError(
                "Somebody already gave this phone number. Search for them under People before "
                "registering them again.",
                field="phone",
            )
        person = User(email=None, first_name=first_name, last_name=last_name)
        person.set_unusable_password()
        person.save()
        user_set_roles(user=person, roles=[Role.REPRESENTATIVE])
        now = timezone.now()
        profile = Profile.objects.create(
            user=person,
            display_name=display_name or first_name,
            phone=phone,
            postal_address=postal_address,
            contact_notes=contact_notes,
            contact_method=ContactMethod.PHONE,
            named_worker=by,
            registered_by=by,
            # They never log in, so they never see onboarding: the worker went through it.
            onboarded_at=now,
        )
        privacy_consent_record(profile=profile, version=settings.PRIVACY_NOTICE_VERSION)
        NamedWorkerChange.objects.create(
            person=person, previous_worker=None, new_worker=by, by=by, reason=REGISTERED_REASON
        )
    return person
