"""Training from the participants page: everyone who attended an activity that trains for
a course is recorded as having completed it, in one step (safe to press twice)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from involvement.errors import attempt
from opportunities.permissions import get_opportunity_for_manager
from opportunities.services import TrainingRecorded, training_record_attended


def _recorded(result: TrainingRecorded) -> str:
    def people(count: int) -> str:
        return f"{count} {'person' if count == 1 else 'people'}"

    said = f"Training recorded for {people(result.recorded)}."
    if result.already:
        said += f" {people(result.already)} had it recorded already."
    return said


@require_POST
def record_training(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
    attempt(request, lambda: training_record_attended(opportunity=opportunity, by=request.user), _recorded)
    return redirect("opportunities:participants", opportunity.pk)
