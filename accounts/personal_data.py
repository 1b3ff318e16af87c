"""What accounts holds about a person, and how it is exported and erased (ADR 9, ADR 17).

Erasure runs last of every app's: the user row is what the others' rows point at. The
access log is append-only (ADR 3): it is exported, never changed; its rows point at the
anonymised person. Django's own session rows are ended here, and allauth's e-mail
addresses and authenticators deleted, so the person is logged out everywhere."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.equality import EqualityMonitoring
from accounts.models import (
    AccessLogEntry,
    ContactLogEntry,
    NamedWorkerChange,
    PhoneConfirmation,
    Profile,
    User,
)
from accounts.permissions import Role
from involvement.personal_data import PersonalDataProvider, RetentionRule, Section, rows

ERASED_REPRESENTATIVE = "Former participant"
ERASED_STAFF = "Former member of staff"

PROFILE_FIELDS = [
    "display_name",
    "pronouns",
    "phone",
    "contact_method",
    "contact_notes",
    "support_needs",
    "what_helps_me",
    "access_needs_shared",
    "payment_preference",
    "taking_break",
    "break_until",
    "pace_per_month",
    "email_muted_kinds",
    "digest_frequency",
    "mobile_number",
    "mobile_confirmed_at",
    "text_kinds",
    "privacy_consent_version",
    "privacy_consent_at",
    "postal_address",
    "onboarded_at",
    "created_at",
]

# Everything on the profile that erasure puts back to its default; the consent version and
# time stay (the basis on which the kept history was processed, ADR 9).
PROFILE_RESET = [
    "pronouns",
    "phone",
    "contact_method",
    "contact_notes",
    "support_needs",
    "what_helps_me",
    "access_needs_shared",
    "payment_preference",
    "taking_break",
    "break_until",
    "pace_per_month",
    "email_muted_kinds",
    "digest_frequency",
    "mobile_number",
    "mobile_confirmed_at",
    "text_kinds",
    "calendar_token",
    "postal_address",
]


def export(person: User) -> list[Section]:
    profile = Profile.objects.filter(user=person)
    return [
        (
            "Your account",
            rows(
                User.objects.filter(pk=person.pk),
                ["email", "first_name", "last_name", "date_joined", "last_login"],
            ),
        ),
        ("Your profile", rows(profile, PROFILE_FIELDS)),
        ("Your interests", rows(profile.exclude(interests=None), ["interests__name"])),
        (
            "Your e-mail addresses",
            rows(EmailAddress.objects.filter(user=person), ["email", "verified", "primary"]),
        ),
        (
            "Mobile numbers you confirmed",
            rows(PhoneConfirmation.objects.filter(user=person), ["number", "created_at"]),
        ),
        (
            "Your equality monitoring answers",
            rows(
                EqualityMonitoring.objects.filter(person=person),
                [
                    "age_band",
                    "ethnic_category",
                    "sex",
                    "gender_same_as_at_birth",
                    "disability",
                    "sexual_orientation",
                ],
            ),
        ),
        (
            "Contacts with you that staff logged",
            rows(
                ContactLogEntry.objects.filter(person=person).order_by("contacted_on"),
                ["contacted_on", "channel", "summary", "written_by__profile__display_name"],
            ),
        ),
        (
            "Your named worker over time",
            rows(
                NamedWorkerChange.objects.filter(person=person).order_by("created_at"),
                [
                    "created_at",
                    "previous_worker__profile__display_name",
                    "new_worker__profile__display_name",
                    "reason",
                ],
            ),
        ),
        (
            "Who read your notes (access log)",
            rows(
                AccessLogEntry.objects.filter(subject=person).order_by("created_at"),
                ["created_at", "what", "viewer__profile__display_name"],
            ),
        ),
    ]


def _end_sessions(person: User) -> None:
    """allauth's list of signed-in devices ends each; Django's database sessions carry the
    user's id only inside their encoded data, so any it did not list are found by decoding."""
    for user_session in UserSession.objects.filter(user=person):
        user_session.end()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()


def erase(person: User) -> None:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=person.pk)
        staff = user.groups.exclude(name=Role.REPRESENTATIVE).exists()
        user.groups.clear()
        user.email = None
        user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.last_login = None
        user.save()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        PhoneConfirmation.objects.filter(user=user).delete()
        # Special-category answers; the dashboard counts only active representatives' anyway.
        EqualityMonitoring.objects.filter(person=user).delete()
        _end_sessions(user)
        profile = Profile.objects.filter(user=user).first()
        if profile is not None:
            defaults = {name: Profile._meta.get_field(name).get_default() for name in PROFILE_RESET}
            defaults["display_name"] = ERASED_STAFF if staff else ERASED_REPRESENTATIVE
            Profile.objects.filter(pk=profile.pk).update(**defaults, updated_at=timezone.now())
            profile.interests.clear()
        # People whose named worker this was: no one now (a manager assigns another).
        Profile.objects.filter(named_worker=user).update(named_worker=None)
        # What staff logged about them, and why their named worker changed: free text.
        ContactLogEntry.objects.filter(person=user).update(summary="")
        NamedWorkerChange.objects.filter(person=user).update(reason="")
        # The admin's history names the row it changed (`object_repr` is str(user)).
        for model in (User, Profile):
            kind = ContentType.objects.get_for_model(model)
            ids = (
                [str(user.pk)]
                if model is User
                else [str(pk) for pk in Profile.objects.filter(user=user).values_list("pk", flat=True)]
            )
            LogEntry.objects.filter(content_type=kind, object_id__in=ids).update(
                object_repr="", change_message=""
            )


def _contact_log_days() -> int:
    return settings.RETENTION_CONTACT_LOG_DAYS


def _contact_log_due(now) -> QuerySet[ContactLogEntry]:
    days = _contact_log_days()
    if not days:
        return ContactLogEntry.objects.none()
    return ContactLogEntry.objects.filter(created_at__lt=now - timedelta(days=days)).exclude(summary="")


def _contact_log_wipe(pk: int, now) -> int:
    return _contact_log_due(now).filter(pk=pk).update(summary="")


PROVIDER = PersonalDataProvider(
    order=100,
    models=(
        "accounts.User",
        "accounts.Profile",
        "accounts.PhoneConfirmation",
        "accounts.AccessLogEntry",
        "accounts.ContactLogEntry",
        "accounts.NamedWorkerChange",
        "accounts.EqualityMonitoring",
        "account.EmailAddress",
        "account.EmailConfirmation",
        "mfa.Authenticator",
        "sessions.Session",
        "usersessions.UserSession",
        "admin.LogEntry",
    ),
    export=export,
    erase=erase,
    retention=(
        RetentionRule(
            name="Staff's notes of contacts (when and how stay)",
            setting="RETENTION_CONTACT_LOG_DAYS",
            days=_contact_log_days,
            due=_contact_log_due,
            apply=_contact_log_wipe,
        ),
    ),
)
