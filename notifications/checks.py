"""Texts switched on in production need GOV.UK Notify: without a key the service would stop
sending them in silence (or write them to a file nobody reads). `manage.py check --deploy`,
`migrate` and `runserver` refuse to go on, and say what to set."""

import uuid

from django.conf import settings
from django.core.checks import Error, register


def notify_key_parts(api_key: str) -> tuple[str, str] | None:
    """(service id, secret) from a Notify API key, `<name>-<service id>-<secret>`, as the
    client reads it: the last 73 characters are two UUIDs joined by a hyphen."""
    service_id, secret = api_key[-73:-37], api_key[-36:]
    try:
        uuid.UUID(service_id)
        uuid.UUID(secret)
    except ValueError:
        return None
    if api_key[-37] != "-":
        return None
    return service_id, secret


@register()
def text_messages_configured(app_configs, **kwargs) -> list[Error]:
    if not (getattr(settings, "PRODUCTION", False) and settings.TEXT_MESSAGES_ENABLED):
        return []
    errors = []
    hint = "Set it in the environment (see .env.example and the README), or set TEXT_MESSAGES_ENABLED=false."
    if not settings.NOTIFY_API_KEY:
        errors.append(
            Error(
                "Text messages are switched on but NOTIFY_API_KEY is not set.",
                hint=hint,
                id="notifications.E001",
            )
        )
    elif notify_key_parts(settings.NOTIFY_API_KEY) is None:
        errors.append(
            Error(
                "NOTIFY_API_KEY is not a GOV.UK Notify API key (a name, then the service id and the secret).",
                hint="Copy the whole key from Notify's API integration page.",
                id="notifications.E002",
            )
        )
    if not settings.NOTIFY_SMS_TEMPLATE_ID:
        errors.append(
            Error(
                "Text messages are switched on but NOTIFY_SMS_TEMPLATE_ID is not set.",
                hint="The id of a Notify text message template whose whole content is ((body)). " + hint,
                id="notifications.E003",
            )
        )
    if settings.NOTIFY_API_KEY and settings.TEXT_BACKEND != "notify":
        errors.append(
            Error(
                f"Text messages are switched on but TEXT_BACKEND is {settings.TEXT_BACKEND!r}: in production "
                "texts must go through GOV.UK Notify.",
                hint="Remove TEXT_BACKEND from the environment: with a key it is Notify.",
                id="notifications.E004",
            )
        )
    return errors
