from django.contrib import admin, messages

from accounts.admin import FilterOnlyListedFieldsMixin
from notifications.kinds import RULES, SECRET_KINDS
from notifications.models import Message
from notifications.services import NotificationsError, message_resend

HIDDEN_BODY = (
    "Hidden: this message holds a log-in code or a link that only the person it was for may use. "
    "It is removed once sent or expired."
)


@admin.register(Message)
class MessageAdmin(FilterOnlyListedFieldsMixin, admin.ModelAdmin):
    """The outbox, read-only: nobody adds, changes or deletes a message here.

    Account messages (log-in and verification codes, password links, staff invitations)
    are for their recipient alone: their bodies are never shown, cannot be filtered on,
    and they are never sent again from here (the person asks for a new one). Failed
    messages of other kinds can be sent again.
    """

    list_display = [
        "created_at",
        "channel",
        "to_email",
        "to_phone",
        "kind",
        "shown_subject",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind", "created_at"]
    # Never the bodies: a search would tell whoever guesses a code that they guessed right.
    search_fields = ["to_email", "to_phone", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "recipient",
        "channel",
        "to_email",
        "to_phone",
        "kind",
        "dedupe_key",
        "shown_subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "read_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Subject", ordering="subject")
    def shown_subject(self, obj: Message) -> str:
        # A message not delivered yet may still be a snapshot: rendered for the page.
        return obj.content.subject

    @admin.display(description="Body")
    def body(self, obj: Message) -> str:
        if RULES[obj.kind].holds_secret:
            return HIDDEN_BODY
        return obj.content.body_text

    @admin.action(description="Send the selected failed messages again (never account messages)")
    def send_again(self, request, queryset):
        resent = 0
        for message in queryset.filter(status=Message.Status.FAILED).exclude(kind__in=SECRET_KINDS):
            try:
                message_resend(message=message)
            except NotificationsError:
                continue
            resent += 1
        skipped = queryset.count() - resent
        self.message_user(request, f"{resent} message(s) will be sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} message(s) were left alone: only failed messages are sent again, and never "
                "account messages (log-in codes, password links, invitations): the person asks for "
                "a new one.",
                messages.WARNING,
            )
