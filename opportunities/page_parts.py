"""The opportunity's page in parts: what is the same for everyone, rendered once and kept in
the cache, and the form everyone sees before typing, rendered once per process.

The public part (title, summary, status notice; then "At a glance", the sessions, the
accessibility information and the description) is drawn only from the opportunity's row, its
activity type, team and courses, its lead worker's name and address, and its sessions. Its
cache key is the digest PostgreSQL computes of exactly those rows in the same query that
loads the opportunity (`selectors.opportunity_for_page`), with whether the reader is signed
in (the addresses and contact) and the code that renders it. A change to any of those rows,
by any route (a form, the admin, a script, an erasure), changes the digest, so the next
request renders afresh: the part is never stale, and nothing needs to be invalidated.

What the digest does not cover stays out of the part and is read live on every request: the
published outcome ("you said, we did"), the person's own sign-up, and, for staff, the
history and the manage column (staff get the whole page live). So does a fee read from the
rate card in force today (before publishing), which changes with the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.core.cache import cache as shared_cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from involvement.fragments import code_version
from opportunities.forms import SignUpForm
from opportunities.models import Opportunity

HEAD, BODY = "opportunities/_detail_head.html", "opportunities/_detail_body.html"
# Long enough to serve a busy page from the cache, short enough that an opportunity nobody
# reads leaves Redis; a change never waits for it (the key changes instead).
TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class PublicPart:
    head: SafeString
    body: SafeString


def cacheable(opportunity: Opportunity) -> bool:
    """Whether the part can be kept: not when its fee is the rate card's rate in force
    today (before publishing), which changes with the date and with the card."""
    return not (opportunity.is_paid and opportunity.fee_amount is None and opportunity.rate_card_id)


def public_part(*, opportunity: Opportunity, version: str, show_private: bool, load, page) -> PublicPart:
    """The public part for the opportunity read with `version` (its `page_version`). On a
    miss `load()` returns the opportunity with everything the part shows (`opportunity_get`)."""
    key = f"opportunity-page:{opportunity.pk}:{version}:{int(show_private)}:{code_version()}"
    # Kept as Django's SafeString (pickled as such): our own rendering, escaped when made.
    part = shared_cache.get(key)
    if part is None:
        part = render_public_part(opportunity=load(), show_private=show_private, page=page)
        shared_cache.set(key, part, TIMEOUT)
    return part


def render_public_part(*, opportunity: Opportunity, show_private: bool, page) -> PublicPart:
    context = {
        "opportunity": opportunity,
        "page": page,
        "sessions": opportunity.sessions.all(),
        "show_private": show_private,
    }
    return PublicPart(render_to_string(HEAD, context), render_to_string(BODY, context))


@cache
def _blank_signup_fields(hybrid: bool) -> SafeString:
    return render_to_string("opportunities/_signup_fields.html", {"form": SignUpForm(hybrid=hybrid)})


def signup_fields(form: SignUpForm | None, *, hybrid: bool) -> SafeString:
    """The sign-up form's fields through the NHS.UK form pack. Before anything is typed they
    are the same for everyone, so they are rendered once per process; a form sent back with
    errors is rendered as it is."""
    if form is None:
        return _blank_signup_fields(hybrid)
    return render_to_string("opportunities/_signup_fields.html", {"form": form})
