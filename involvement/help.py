"""Where to get help now, and how to reach the involvement team (F5: involvement can bring on
mental-health difficulties, so the numbers are never more than a glance away).

Everything here comes from settings, never from the database or the request, so that the same
blocks render on the 500 page, which Django draws with no context at all.
"""

import re
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class PhoneNumber:
    number: str

    def __str__(self) -> str:
        return self.number

    @property
    def href(self) -> str:
        """A tel: link dials only digits and a leading +."""
        return "tel:" + re.sub(r"[^0-9+]", "", self.number)


@dataclass(frozen=True)
class HelpContacts:
    trust_name: str
    crisis_line: PhoneNumber
    crisis_line_hours: str
    team_phone: PhoneNumber
    team_email: str
    team_hours: str
    team_address: tuple[str, ...]


NHS_111 = PhoneNumber("111")
SAMARITANS = PhoneNumber("116 123")
EMERGENCY = PhoneNumber("999")


def help_contacts() -> HelpContacts:
    return HelpContacts(
        trust_name=settings.TRUST_NAME,
        crisis_line=PhoneNumber(settings.TRUST_CRISIS_LINE_PHONE),
        crisis_line_hours=settings.TRUST_CRISIS_LINE_HOURS,
        team_phone=PhoneNumber(settings.INVOLVEMENT_TEAM_PHONE),
        team_email=settings.INVOLVEMENT_TEAM_EMAIL,
        team_hours=settings.INVOLVEMENT_TEAM_HOURS,
        team_address=tuple(line.strip() for line in settings.INVOLVEMENT_TEAM_ADDRESS if line.strip()),
    )
