from django.contrib import admin, messages

from notifications.models import Message
from notifications.services import NotificationsError, message_resend


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """The outbox. Failed messages are visible here and can be sent again."""

    list_display = ["created_at", "to_email", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to_email", "subject", "dedupe_key"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [
        "recipient",
        "to_email",
        "kind",
        "dedupe_key",
        "subject",
        "body_text",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "read_at",
    ]
    exclude = ["body_html"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Send the selected failed messages again")
    def send_again(self, request, queryset):
        resent = 0
        for message in queryset.filter(status=Message.Status.FAILED):
            try:
                message_resend(message=message)
            except NotificationsError:
                continue
            resent += 1
        skipped = queryset.count() - resent
        self.message_user(request, f"{resent} message(s) will be sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} message(s) were not failed and were left alone.", messages.WARNING
            )
