"""Rendering a kind's templates for a person: the subject and bodies of an e-mail, and the
words of a text (cut to the longest a text may be). Kept apart from writing to the outbox so
that a page can show what a message will say without storing anything."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.template import Context
from django.template.backends.django import Template as DjangoBackendTemplate
from django.template.loader import get_template, render_to_string

from notifications.kinds import RULES, TEMPLATE_CHOICES, TEXT_MAX_CHARS, Kind
from notifications.services.errors import NotificationsError

logger = logging.getLogger(__name__)


@dataclass
class RenderedMessage:
    subject: str
    body_text: str
    body_html: str = ""
    # The text message's words, for kinds that may come by text (empty for the others).
    body_sms: str = ""


def _check_kind(kind: str) -> None:
    if kind not in RULES:
        raise NotificationsError(f"Unknown kind of message: {kind}")


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a plain-text template with autoescaping off: a subject or text body is not HTML,
    so a title like "Tea & talk" must arrive as "&", not "&amp;". The HTML body is still
    rendered with autoescaping on, and the inbox escapes the text body once when it shows it."""
    wrapper = get_template(template_name)
    # Our one engine is Django's: its wrapper holds the Template that takes a Context.
    assert isinstance(wrapper, DjangoBackendTemplate)
    return wrapper.template.render(Context(context, autoescape=False))


def render_text(*, kind: Kind | str, context: dict) -> str:
    """Renders `templates/notifications/text/<kind>.txt`: blank lines kept, spaces at the ends
    of lines dropped, and never over TEXT_MAX_CHARS (the templates are written well under it;
    a very long title is cut rather than the text refused)."""
    _check_kind(kind)
    context = {"site_url": settings.SITE_URL, **TEMPLATE_CHOICES, **context}
    words = render_plain_text(f"notifications/text/{kind}.txt", context)
    body = "\n".join(line.strip() for line in words.strip().splitlines())
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    if len(body) > TEXT_MAX_CHARS:
        logger.warning("A %s text was %s characters long; cut to %s.", kind, len(body), TEXT_MAX_CHARS)
        body = body[: TEXT_MAX_CHARS - 1].rstrip() + "…"
    return body


def render_message(*, kind: Kind | str, context: dict) -> RenderedMessage:
    """Renders `templates/notifications/email/<kind>.{subject.txt,txt,html}`, and the text
    (`templates/notifications/text/<kind>.txt`) for kinds that may come by text."""
    _check_kind(kind)
    context = {"site_url": settings.SITE_URL, **TEMPLATE_CHOICES, **context}
    base = f"notifications/email/{kind}"
    subject = " ".join(render_plain_text(f"{base}.subject.txt", context).split())
    return RenderedMessage(
        subject=subject[:200],
        body_text=render_plain_text(f"{base}.txt", context).strip() + "\n",
        body_html=render_to_string(f"{base}.html", {**context, "subject": subject}),
        body_sms=render_text(kind=kind, context=context) if RULES[kind].text else "",
    )
