"""Feedback's part of other apps' pages. The opportunity page (opportunities sits below
feedback and cannot import it) shows the published outcome through this tag, so the
opportunity's view never asks for feedback's data."""

from django import template

from feedback.selectors import outcome_for
from opportunities.models import Opportunity

register = template.Library()


@register.inclusion_tag("feedback/_published_outcome.html")
def published_outcome(opportunity: Opportunity) -> dict:
    """The outcome ("You said, we did") of the opportunity once it is published; nothing before."""
    outcome = outcome_for(opportunity=opportunity)
    return {"outcome": outcome if outcome is not None and outcome.is_published else None}
