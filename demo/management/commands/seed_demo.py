"""Demo data: reference data, one account per role, a dozen varied representatives and
opportunities in every state (demo/opportunities.py), and their payment claims in every
state (demo/payments.py).

Idempotent: run it as often as you like; it brings the demo back to the same state and
prints the log-ins. Later parts of the product add their own demo data here.

`--scale large` adds the benchmark data set on top (demo/scale.py): thousands
of representatives, opportunities, sessions and sign-ups. It is written once; a second run
finds it and stops. It is committed a slice of opportunities at a time (the database's lock
table would not hold a million sign-ups' locks at once), so a run that stops part way leaves
fewer opportunities than asked for, and the next run replaces them.
"""

import random
import time

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import ContactMethod, PaymentPreference, Profile, User
from accounts.permissions import Role
from accounts.services import user_set_roles, welcome_message_create
from catalogue.models import ActivityType, InvolvementLevel, Team
from demo.charter import charter_demo_seed
from demo.feedback import feedback_demo_seed
from demo.opportunities import demo_opportunities_seed
from demo.payments import payments_demo_seed
from demo.scale import BATCH, SCALE_PREFIX, scale_seed
from opportunities.models import Opportunity

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
    ("finance@example.org", "Fran", "Ellis", [Role.FINANCE]),
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


# The large data set's people: e-mail addresses on a domain of their own, so they are easy
# to find and never clash with the demo accounts.
SCALE_DOMAIN = "scale.example.org"
SCALE_WORKERS = 19
SCALE_NAMES = "Aisha Ben Carys Darius Efe Fatima Gareth Hana Imran Jess Kofi Leah Mo Niamh Olu Priya"
SCALE_NAMES += " Rhys Saoirse Tariq Una Vik Wen Yusuf Zara Callum Deepa Eilidh Frankie Gwen Harvey"


def _account(email: str, password_hash: str, first_name: str = "", last_name: str = "") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email)
    # One hash for every demo account: hashing is slow on purpose, and these share a password.
    user.password = password_hash
    user.first_name, user.last_name, user.is_active = first_name, last_name, True
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


# Benchmark data sets: the opportunities issue's, and the dashboard issue's.
SCALES = {
    "large": {"opportunities": 10_000, "representatives": 5_000, "signups": 200_000},
    "huge": {"opportunities": 50_000, "representatives": 20_000, "signups": 1_000_000},
}


class Command(BaseCommand):
    help = "Create or refresh the demo data and print the demo log-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the log-ins.")
        parser.add_argument(
            "--scale",
            choices=["demo", "large", "huge"],
            default="demo",
            help="demo: the demo accounts and opportunities. large: those, plus the opportunities benchmark "
            "data set. huge: the dashboard benchmark's (50,000 opportunities, 20,000 representatives, "
            "1,000,000 sign-ups).",
        )
        parser.add_argument("--opportunities", type=int, default=None, help="Large scale: opportunities.")
        parser.add_argument("--representatives", type=int, default=None, help="Large scale: representatives.")
        parser.add_argument("--signups", type=int, default=None, help="Large scale: sign-ups.")

    def handle(self, *args, **options) -> None:
        sizes = SCALES.get(options["scale"], SCALES["large"])
        for name, default in sizes.items():
            if options[name] is None:
                options[name] = default
        with transaction.atomic():
            types, teams, worker = self._seed_demo()
        if options["scale"] in {"large", "huge"}:
            started = time.monotonic()
            # Not in one transaction: scale_seed commits slice by slice (demo/scale.py).
            summary = self._seed_large(options, types=types, teams=teams, worker=worker)
            # Timed to after the commit, which is part of the cost.
            if summary:
                self.stdout.write(self.style.SUCCESS(f"{summary}, in {time.monotonic() - started:.1f} s."))
        if not options["quiet"]:
            password = settings.DEMO_PASSWORD
            self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/ with:"))
            for label, email in [
                ("Representative", "rep@example.org"),
                ("Involvement worker", "worker@example.org"),
                ("Manager", "manager@example.org"),
                ("Administrator", "admin@example.org"),
                ("Finance officer", "finance@example.org"),
            ]:
                self.stdout.write(f"  {label:<20} {email:<22} password: {password}")

    def _seed_demo(self) -> tuple[dict[str, ActivityType], dict[str, Team], User]:
        password = make_password(settings.DEMO_PASSWORD)
        teams: dict[str, Team] = {}
        for name, description in TEAMS:
            teams[name], _ = Team.objects.update_or_create(name=name, defaults={"description": description})
        types: dict[str, ActivityType] = {}
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
        representatives: dict[str, User] = {}
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
            representatives[email] = user

        demo_opportunities_seed(lead_worker=worker, people=representatives, types=types, teams=teams)
        feedback_demo_seed(worker=worker, people=representatives)
        payments_demo_seed(worker=worker, finance=staff["finance@example.org"], people=representatives)
        charter_demo_seed(
            administrator=staff["admin@example.org"],
            staff=[worker, staff["manager@example.org"]],
            people=representatives,
        )

        # Something in every demo inbox from the start (one per person: the key dedupes).
        for email in ["rep@example.org", "worker@example.org", "manager@example.org", "admin@example.org"]:
            welcome_message_create(recipient=User.objects.get(email=email))

        return types, teams, worker

    def _seed_large(
        self, options, *, types: dict[str, ActivityType], teams: dict[str, Team], worker: User
    ) -> str | None:
        """Build the large data set and say what was made; None if it was there already."""
        with transaction.atomic():
            prepared = self._prepare_large(options, types=types, worker=worker)
        if prepared is None:
            return None
        people, workers = prepared
        counts = scale_seed(
            opportunities=options["opportunities"],
            signups=options["signups"],
            people=people,
            lead_workers=workers,
            types=types,
            teams=teams,
        )
        return (
            f"Large data set: {counts.opportunities:,} opportunities, {counts.sessions:,} sessions, "
            f"{counts.signups:,} sign-ups, {len(people):,} representatives, "
            f"{len(workers):,} involvement workers"
        )

    def _prepare_large(
        self, options, *, types: dict[str, ActivityType], worker: User
    ) -> tuple[list[int], list[int]] | None:
        """Clear away an earlier, smaller or unfinished data set and make the people: the ids of
        the representatives and the involvement workers. None if the data set is there already."""
        wanted = options["opportunities"]
        existing = Opportunity.objects.filter(title__startswith=SCALE_PREFIX)
        have = existing.count()
        if have >= wanted:
            self.stdout.write(f"The large data set is already there ({have:,} opportunities): nothing to do.")
            return None
        if have:
            # A smaller set from an earlier run, or one that stopped part way: replace it
            # rather than add a second one.
            self.stdout.write(f"Replacing the {have:,} opportunities of a smaller or unfinished data set.")
            existing.delete()
        rng = random.Random(2026)
        password_hash = make_password(settings.DEMO_PASSWORD)
        workers = [worker.pk] + _bulk_people(
            emails=[f"worker{n:02d}@{SCALE_DOMAIN}" for n in range(1, SCALE_WORKERS + 1)],
            role=Role.WORKER,
            password_hash=password_hash,
            rng=rng,
        )
        people = _bulk_people(
            emails=[f"rep{n:05d}@{SCALE_DOMAIN}" for n in range(1, options["representatives"] + 1)],
            role=Role.REPRESENTATIVE,
            password_hash=password_hash,
            rng=rng,
            named_workers=workers,
            interests=list(types.values()),
        )
        return people, workers


def _bulk_people(
    *,
    emails: list[str],
    role: Role,
    password_hash: str,
    rng: random.Random,
    named_workers: list[int] | None = None,
    interests: list[ActivityType] | None = None,
) -> list[int]:
    """The ids of these people, creating those missing with a role, a verified address and
    an onboarded profile, in a handful of queries whatever the number."""
    existing = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    names = SCALE_NAMES.split()
    now = timezone.now()
    new = User.objects.bulk_create(
        [
            User(email=email, password=password_hash, first_name=rng.choice(names), date_joined=now)
            for email in emails
            if email not in existing
        ],
        batch_size=BATCH,
    )
    group = Group.objects.get(name=role)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in new], batch_size=BATCH
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in new],
        batch_size=BATCH,
    )
    representative = role == Role.REPRESENTATIVE
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                display_name=user.first_name,
                # Two in three have a named worker; a few are taking a break.
                named_worker_id=rng.choice(named_workers) if named_workers and rng.random() < 0.67 else None,
                taking_break=representative and rng.random() < 0.05,
                pace_per_month=rng.choice([None, None, 1, 2, 3, 4]) if representative else None,
                privacy_consent_version=settings.PRIVACY_NOTICE_VERSION if representative else "",
                privacy_consent_at=now if representative else None,
                onboarded_at=now,
            )
            for user in new
        ],
        batch_size=BATCH,
    )
    if interests:
        through = Profile.interests.through
        Profile.interests.through.objects.bulk_create(
            [
                through(profile_id=profile.pk, activitytype_id=kind.pk)
                for profile in profiles
                for kind in rng.sample(interests, rng.randint(1, 3))
            ],
            batch_size=BATCH,
        )
    existing.update((user.email, user.pk) for user in new)
    return [existing[email] for email in emails]
