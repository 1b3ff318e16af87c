"""Pages that belong to the whole service rather than to one app."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """Urgent help and how to reach the involvement team: public, because the person who needs
    it may be logged out, or may not have an account at all."""
    return render(request, "help.html")
