"""Tasks take ids, load, and call one piece of work; they are safe to run twice."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_staff_invitation(user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return  # gone, or already accepted: nothing to send
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    context = {"user": user, "link": settings.SITE_URL + path}
    message = EmailMultiAlternatives(
        subject="Involvement Hub: you have been invited",
        body=render_to_string("accounts/email/staff_invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("accounts/email/staff_invitation.html", context), "text/html")
    message.send()
