"""The inbox (every message to the person, newest first) and which messages also come by e-mail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import UpdateView

from accounts.forms import MessagePreferencesForm
from accounts.models import Profile
from accounts.phones import national_format
from accounts.selectors import profile_for_user
from notifications.selectors import email_kind_choices, inbox_for_user, inbox_message_get, text_kind_choices
from notifications.services import inbox_mark_read

PAGE_SIZE = 20


@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox_for_user(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_safe
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


class MessagePreferencesView(UpdateView):
    """Which messages reach this person by e-mail, by text or both; for every role (staff
    get messages too). The profile keeps the answer (accounts' form); the kinds offered are
    ours: texts only for the kinds that suit one, and only while texts are switched on."""

    form_class = MessagePreferencesForm
    template_name = "notifications/message_preferences.html"
    success_url = reverse_lazy("me:preferences")

    def get_object(self, queryset=None) -> Profile:
        return profile_for_user(user=self.request.user)

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "user": user,
            "email_kinds": email_kind_choices(user=user),
            "text_kinds": text_kind_choices(user=user),
        }

    def get_context_data(self, **kwargs):
        profile = self.object
        return {
            **super().get_context_data(**kwargs),
            "texts_on": bool(text_kind_choices(user=self.request.user)),
            "mobile_number": national_format(profile.mobile_number) if profile.mobile_number else "",
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your message preferences have been saved.")
        return response
