"""The allauth adapter in settings: accounts' (sign-up, log-in redirects, client address),
with allauth's e-mails sent through the outbox, which is this app's."""

from accounts.adapters import AccountAdapter as PeopleAdapter
from notifications.kinds import Kind
from notifications.services import RenderedMessage, message_store, unique_key


class AccountAdapter(PeopleAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (codes, verification, password reset) go through the outbox like
        every other message: written now, sent by a worker after the request commits."""
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (body for body, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        user = context.get("user") if getattr(context.get("user"), "pk", None) else None
        message_store(
            kind=Kind.ACCOUNT,
            dedupe_key=unique_key(f"account:{template_prefix.rsplit('/', 1)[-1]}"),
            rendered=RenderedMessage(subject=message.subject, body_text=message.body, body_html=html),
            recipient=user,
            to_email=email,
        )
