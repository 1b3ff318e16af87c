"""Rendering a kind's templates for a person: the subject and bodies of an e-mail, and the
words of a text (cut to the longest a text may be). Kept apart from writing to the outbox so
that a page can show what a message will say without storing anything.

A message may also be written unrendered (a `Draft`: its kind and a snapshot of the facts its
templates read, `snapshots.py`) and rendered from the snapshot later, with the same templates:
at delivery, or wherever a page shows it first."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.template import Context
from django.template.backends.django import Template as DjangoBackendTemplate
from django.template.loader import get_template, render_to_string

from notifications.kinds import RULES, TEMPLATE_CHOICES, TEXT_MAX_CHARS, Channel, Kind
from notifications.services.errors import NotificationsError
from notifications.services.snapshots import thaw

logger = logging.getLogger(__name__)


@dataclass
class RenderedMessage:
    subject: str
    body_text: str
    body_html: str = ""
    # The text message's words, for kinds that may come by text (empty for the others).
    body_sms: str = ""


@dataclass
class Draft:
    """A message not rendered yet: its kind and the snapshot (`snapshots.freeze`) of what it
    will say. `render()` renders it once, when something needs its words before delivery
    (a call or a letter for a worker to make, in the same transaction)."""

    kind: str
    snapshot: dict
    _rendered: RenderedMessage | None = None

    def render(self) -> RenderedMessage:
        if self._rendered is None:
            self._rendered = render_snapshot(kind=self.kind, snapshot=self.snapshot)
        return self._rendered


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


def render_snapshot(*, kind: Kind | str, snapshot: dict) -> RenderedMessage:
    """What a message written unrendered says: its kind's templates over its snapshot, as
    `render_message` renders them over live objects."""
    return render_message(kind=kind, context=thaw(snapshot))


def stored_columns(rendered: RenderedMessage, *, channel: str) -> dict[str, str]:
    """The columns an outbox row keeps of what it says: a text's body is its words."""
    if channel == Channel.TEXT:
        return {"subject": rendered.subject, "body_text": rendered.body_sms, "body_html": ""}
    return {"subject": rendered.subject, "body_text": rendered.body_text, "body_html": rendered.body_html}
