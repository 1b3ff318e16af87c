"""Demo data: reference data, one account per role and a dozen varied representatives.

Idempotent: run it as often as you like; it brings the demo back to the same state and
prints the log-ins. Later parts of the product add their own demo data here.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import ContactMethod, PaymentPreference, Profile, User
from accounts.permissions import Role
from accounts.services import user_set_roles
from notifications.services import welcome_message_create
from opportunities.models import ActivityType, InvolvementLevel, Team

TEAMS = [
    ("Adult community mental health", "Community mental health teams for adults of working age."),
    ("Inpatient services", "Wards and crisis houses."),
    ("Children and young people's services", "CAMHS and early intervention."),
    ("Older people's mental health", "Memory services and older adult wards."),
    ("Recruitment and workforce", "Staff recruitment, training and development."),
    ("Research and development", "Research studies and advisory groups."),
]

ACTIVITY_TYPES = [
    (
        "Interview panel",
        "Help choose new staff by sitting on an interview panel.",
        InvolvementLevel.CONSULTING,
    ),
    ("Staff training", "Share your experience to help train staff.", InvolvementLevel.ENGAGING),
    (
        "Co-production group",
        "Design a service or change with staff, as equals.",
        InvolvementLevel.CO_PRODUCING,
    ),
    (
        "Research advisory group",
        "Advise researchers on studies, from questions to results.",
        InvolvementLevel.CO_DESIGNING,
    ),
    ("Quality visit", "Visit a ward or service and say what it is like.", InvolvementLevel.CONSULTING),
    (
        "Consultation event",
        "Give your views on plans before decisions are made.",
        InvolvementLevel.CONSULTING,
    ),
    ("Information session", "Hear about changes and ask questions.", InvolvementLevel.INFORMING),
]

STAFF = [
    ("worker@example.org", "Priya", "Shah", [Role.WORKER]),
    ("manager@example.org", "Tom", "Okafor", [Role.MANAGER]),
    ("admin@example.org", "Alex", "Morgan", [Role.ADMINISTRATOR]),
]

# (e-mail, display name, pronouns, contact, named worker?, on a break?, pace, support note?)
REPRESENTATIVES = [
    ("rep@example.org", "Sam", "they/them", ContactMethod.EMAIL, True, False, 3, True),
    ("amira@example.org", "Amira", "she/her", ContactMethod.TEXT, True, False, 2, True),
    ("ben@example.org", "Ben", "he/him", ContactMethod.EMAIL, True, True, None, False),
    ("chloe@example.org", "Chloe", "", ContactMethod.PHONE, False, False, 4, True),
    ("dev@example.org", "Dev", "he/him", ContactMethod.EMAIL, True, False, None, False),
    ("ellie@example.org", "Ellie", "she/her", ContactMethod.EMAIL, False, False, 1, False),
    ("femi@example.org", "Femi", "", ContactMethod.TEXT, True, False, 2, False),
    ("grace@example.org", "Grace", "she/her", ContactMethod.EMAIL, False, True, None, True),
    ("hassan@example.org", "Hassan", "he/him", ContactMethod.PHONE, True, False, 3, False),
    ("isla@example.org", "Isla", "", ContactMethod.EMAIL, False, False, None, False),
    ("jo@example.org", "Jo", "they/them", ContactMethod.EMAIL, True, False, 2, True),
    ("kwame@example.org", "Kwame", "he/him", ContactMethod.EMAIL, False, False, None, False),
    ("lena@example.org", "Lena", "she/her", ContactMethod.TEXT, False, False, 5, False),
]


def _account(email: str, password: str, first_name: str = "", last_name: str = "") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password)
    else:
        user.set_password(password)
    user.first_name, user.last_name, user.is_active = first_name, last_name, True
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


class Command(BaseCommand):
    help = "Create or refresh the demo data and print the demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the log-ins.")

    @transaction.atomic
    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD
        for name, description in TEAMS:
            Team.objects.update_or_create(name=name, defaults={"description": description})
        types = {}
        for name, description, level in ACTIVITY_TYPES:
            types[name], _ = ActivityType.objects.update_or_create(
                name=name, defaults={"description": description, "default_involvement_level": level}
            )

        staff = {}
        for email, first, last, roles in STAFF:
            user = _account(email, password, first, last)
            user_set_roles(user=user, roles=roles)
            Profile.objects.update_or_create(
                user=user, defaults={"display_name": first, "onboarded_at": timezone.now()}
            )
            staff[email] = user
        worker = staff["worker@example.org"]

        type_list = list(types.values())
        for index, (email, name, pronouns, contact, has_worker, on_break, pace, note) in enumerate(
            REPRESENTATIVES
        ):
            user = _account(email, password)
            user_set_roles(user=user, roles=[Role.REPRESENTATIVE])
            profile, _ = Profile.objects.update_or_create(
                user=user,
                defaults={
                    "display_name": name,
                    "pronouns": pronouns,
                    "contact_method": contact,
                    "phone": f"07700 900 {index:03d}" if contact != ContactMethod.EMAIL else "",
                    "named_worker": worker if has_worker else None,
                    "taking_break": on_break,
                    "break_until": None,
                    "pace_per_month": pace,
                    "payment_preference": PaymentPreference.VOUCHER
                    if index % 5 == 4
                    else PaymentPreference.FULL_FEE,
                    "support_needs": "I find large groups hard. A seat near the door helps." if note else "",
                    "what_helps_me": "If I go quiet, a short break and a glass of water." if note else "",
                    "privacy_consent_version": settings.PRIVACY_NOTICE_VERSION,
                    "privacy_consent_at": timezone.now(),
                    "onboarded_at": timezone.now(),
                },
            )
            profile.interests.set(type_list[index % len(type_list) :][:3] or type_list[:2])

        # Something in every demo inbox from the start (one per person: the key dedupes).
        for email in ["rep@example.org", "worker@example.org", "manager@example.org", "admin@example.org"]:
            welcome_message_create(recipient=User.objects.get(email=email))

        if not options["quiet"]:
            self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ with:"))
            for label, email in [
                ("Representative", "rep@example.org"),
                ("Involvement worker", "worker@example.org"),
                ("Manager", "manager@example.org"),
                ("Administrator", "admin@example.org"),
            ]:
                self.stdout.write(f"  {label:<20} {email:<22} password: {password}")
