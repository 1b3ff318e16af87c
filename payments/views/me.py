"""The person's payment pages (/me/payments/): their claims, one claim with its choice and
expenses, and their own earnings limit. Someone else's claim is a 404; a claim the person
may see but no longer change (sent, approved, paid) refuses changes with a 403."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from catalogue.models import tax_year_start
from catalogue.selectors import policy_in_force
from involvement.errors import attempt
from payments.forms import ClaimChoiceForm, EarningsLimitForm, ExpenseForm
from payments.models import Claim, ExpenseKind, FeeChoice, LimitPeriod
from payments.permissions import get_claim_for_owner
from payments.presenters import claim_history, claim_summary, limit_warning, mileage_rates, promised_rate
from payments.selectors import car_miles_before, claims_of, payment_details_of
from payments.services import (
    ChoiceData,
    ClaimError,
    ExpenseData,
    claim_choose,
    claim_submit,
    earnings_limit_check,
    earnings_limit_set,
    expense_add,
    expense_remove,
)

PAGE_SIZE = 20


@permission_required("accounts.use_representative_area", raise_exception=True)
@require_safe
def payments_list(request: HttpRequest) -> HttpResponse:
    """Each of the person's claims, its state in words and what happens next."""
    page = Paginator(claims_of(person=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/me_payments.html",
        {
            "page": page,
            "rows": [{"claim": claim, "summary": claim_summary(claim)} for claim in page.object_list],
            "details": payment_details_of(person=request.user),
        },
    )


def _choice_initial(claim: Claim) -> dict[str, Any]:
    return {
        "choice": claim.choice,
        "reduced_amount": claim.reduced_amount,
        "charity_name": claim.charity_name,
        "past_limit_confirmed": claim.past_limit_confirmed,
    }


@permission_required("accounts.use_representative_area", raise_exception=True)
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The claim: the promised rate and hours, the fee, the person's choice, expenses,
    receipts, the history; while it is a draft or returned, the forms to change it and send it."""
    claim = get_claim_for_owner(request.user, claim_id)
    check = earnings_limit_check(person=request.user, day=claim.activity_date, excluding_claim_id=claim.pk)
    warning = limit_warning(claim, check)
    limit_relevant = warning is not None and not warning.fee_fits
    action = request.POST.get("action") if request.method == "POST" else None
    choice_form = ClaimChoiceForm(
        request.POST if action == "choose" else None,
        initial=_choice_initial(claim),
        limit_relevant=limit_relevant or claim.past_limit_confirmed,
    )
    expense_form = ExpenseForm(
        request.POST if action == "add_expense" else None,
        request.FILES if action == "add_expense" else None,
    )
    page_has_errors = False
    if request.method == "POST":
        if not request.user.has_perm("payments.change_claim", claim):
            raise PermissionDenied
        done = _act(request, claim, action, choice_form, expense_form)
        if done:
            return redirect("me:claim", claim.pk)
        page_has_errors = True
        # A refusal may have been about the limit: read the claim again for the page.
        claim = get_claim_for_owner(request.user, claim_id)
    policy = policy_in_force(day=claim.activity_date)
    return render(
        request,
        "payments/me_claim.html",
        {
            "claim": claim,
            "summary": claim_summary(claim),
            "warning": warning,
            "choice_form": choice_form,
            "expense_form": expense_form,
            "page_has_errors": page_has_errors,
            "policy": policy,
            "mileage_rates": mileage_rates(policy) if policy else "",
            "history": claim_history(claim),
            "rate": promised_rate(claim),
            "car_miles_so_far": car_miles_before(person_id=claim.person_id, day=claim.activity_date),
            "tax_year_from": tax_year_start(claim.activity_date),
            "benefits_advice_url": settings.BENEFITS_ADVICE_URL,
            "receipt_max_mb": settings.RECEIPT_MAX_BYTES // (1024 * 1024),
            "fee_choices": FeeChoice,
            "mileage": ExpenseKind.MILEAGE,
        },
    )


def _act(
    request: HttpRequest,
    claim: Claim,
    action: str | None,
    choice_form: ClaimChoiceForm,
    expense_form: ExpenseForm,
) -> bool:
    """Run the one service the button asks for. True when it is done."""
    user = request.user
    if action == "choose":
        if not choice_form.is_valid():
            return False
        data = choice_form.cleaned_data
        choice = ChoiceData(
            choice=data["choice"],
            reduced_amount=data["reduced_amount"],
            charity_name=data["charity_name"],
            past_limit_confirmed=bool(data.get("past_limit_confirmed")),
        )
        return attempt(
            request,
            lambda: claim_choose(claim=claim, by=user, data=choice),
            "Your choice has been saved. Send the claim when it is ready.",
            form=choice_form,
        )
    if action == "add_expense":
        if not expense_form.is_valid():
            return False
        data = expense_form.cleaned_data
        expense = ExpenseData(
            kind=data["kind"],
            amount=data["amount"],
            description=data["description"],
            miles=data["miles"],
            vehicle=data["vehicle"] or "",
            passengers=data["passengers"] or 0,
            receipt=data["receipt"],
        )
        return attempt(
            request,
            lambda: expense_add(claim=claim, by=user, data=expense),
            lambda line: f"{line.get_kind_display()} added: £{line.amount:,.2f}.",
            form=expense_form,
        )
    if action == "remove_expense":
        line = next((line for line in claim.expenses.all() if str(line.pk) == request.POST.get("line")), None)
        if line is None:
            return attempt(request, _no_such_expense)
        return attempt(request, lambda: expense_remove(line=line, by=user), "The expense has been removed.")
    if action == "submit":
        return attempt(
            request,
            lambda: claim_submit(claim=claim, by=user),
            "Your claim has been sent. We will tell you when it is approved.",
        )
    return attempt(request, _no_such_action)


def _no_such_expense() -> None:
    raise ClaimError("That expense is no longer on this claim.")


def _no_such_action() -> None:
    raise ClaimError("Choose one of the buttons on the page.")


@permission_required("payments.set_earnings_limit", raise_exception=True)
def earnings_limit(request: HttpRequest) -> HttpResponse:
    """Set, change or remove the person's own earnings limit. Only they see the figure."""
    details = payment_details_of(person=request.user)
    initial = (
        {"earnings_limit": details.earnings_limit, "limit_period": details.limit_period} if details else {}
    )
    removing = request.method == "POST" and "remove" in request.POST
    form = EarningsLimitForm(None if removing else (request.POST or None), initial=initial)
    if removing:
        period = details.limit_period if details else LimitPeriod.WEEK
        if attempt(
            request,
            lambda: earnings_limit_set(person=request.user, limit=None, period=period),
            "Your earnings limit has been removed.",
        ):
            return redirect("me:payments")
    elif request.method == "POST" and form.is_valid():
        limit = form.cleaned_data["earnings_limit"]

        def said(saved) -> str:
            if saved.earnings_limit is None:
                return "You have no earnings limit now."
            every = "a week" if saved.limit_period == LimitPeriod.WEEK else "a month"
            return f"Your earnings limit is saved: £{saved.earnings_limit:,.2f} {every}."

        if attempt(
            request,
            lambda: earnings_limit_set(
                person=request.user, limit=limit, period=form.cleaned_data["limit_period"]
            ),
            said,
            form=form,
        ):
            return redirect("me:payments")
    return render(
        request,
        "payments/me_earnings_limit.html",
        {"form": form, "details": details, "benefits_advice_url": settings.BENEFITS_ADVICE_URL},
    )
