"""The urgent-help numbers and the involvement team's contact details, as template tags.

Tags rather than a context processor: they read only settings, so they work on pages Django
renders without a request (400 and 500), and in any template that loads them.
"""

from django import template

from involvement.help import EMERGENCY, NHS_111, SAMARITANS, help_contacts

register = template.Library()


@register.inclusion_tag("includes/urgent_help.html")
def urgent_help(heading_level: int = 2) -> dict:
    """The NHS.UK urgent care card: 999, NHS 111 option 2, Samaritans and the Trust's crisis line."""
    return {
        "help": help_contacts(),
        "emergency": EMERGENCY,
        "nhs_111": NHS_111,
        "samaritans": SAMARITANS,
        "level": heading_level,
    }


@register.inclusion_tag("includes/footer_help.html")
def footer_help() -> dict:
    """The same numbers, short enough for every page's footer."""
    return {"help": help_contacts(), "emergency": EMERGENCY, "nhs_111": NHS_111, "samaritans": SAMARITANS}


@register.inclusion_tag("includes/involvement_team_contact.html")
def involvement_team_contact(heading_level: int = 2) -> dict:
    """Phone, e-mail, opening hours and postal address of the involvement team."""
    return {"help": help_contacts(), "level": heading_level}


@register.simple_tag(name="help_contacts")
def help_contacts_tag():
    """The contacts themselves, for plain-text e-mails: `{% help_contacts as help %}`."""
    return help_contacts()
