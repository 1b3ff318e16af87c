"""The one error type for refused actions, and the one helper that shows it on a page.

Every app's services refuse what their rules forbid by raising a `ServiceError` (or the
app's subclass of it) with a sentence fit to show the person. Views never catch it
themselves: they run the service call through `attempt`, which turns a refusal into a
message beside the form field it is about, at the top of the form, or at the top of the
next page, and never into an error page.
"""

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest

T = TypeVar("T")


class ServiceError(Exception):
    """A rule refused the action; the message is fit to show the person. `field` names the
    form field it is about, when there is one, so that a page can show it beside that field."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def attempt(
    request: HttpRequest,
    call: Callable[[], T],
    success: str | Callable[[T], str] = "",
    *,
    form: BaseForm | None = None,
) -> bool:
    """Run one service call and say how it went. A refusal becomes a message: on `form`
    beside its field (or above the form) when a form is given, so what was typed is shown
    again with it; otherwise at the top of the page the person sees next. On success,
    `success` (a sentence, or a function of the call's result that gives one) is shown.
    Returns whether the call succeeded."""
    try:
        result = call()
    except ServiceError as error:
        if form is not None:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.error(request, str(error))
        return False
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    return True
