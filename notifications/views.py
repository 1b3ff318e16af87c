"""The inbox: every message to the person, newest first."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.selectors import inbox_for_user, inbox_message_get
from notifications.services import inbox_mark_read

PAGE_SIZE = 20


def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = inbox_message_get(user=request.user, message_id=message_id)
    if message is None:
        raise Http404("No such message")
    if message.is_unread:
        inbox_mark_read(user=request.user, message_ids=[message.pk])
    return render(request, "notifications/message_detail.html", {"message": message})


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = inbox_mark_read(user=request.user)
    messages.success(
        request, "All your messages are marked as read." if count else "You had no unread messages."
    )
    return redirect("inbox:list")
