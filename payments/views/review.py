"""The worker's pages for claims (/worker/claims/): the claims to review, and one claim with
its expenses, receipts and history, where the lead worker (or a manager) adjusts the fee,
returns the claim with a reason the person reads, or approves it.

Who may see a claim is payments.view_claim (anyone else gets a 404); who may change it is
payments.approve_claim (a named worker sees the claim, and gets a 403 on every change)."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from rules.contrib.views import permission_required

from accounts.permissions import is_manager
from involvement.errors import attempt
from payments.forms_staff import AdjustFeeForm, ClaimFilterForm, ReturnForm
from payments.models import Claim, ClaimEvent, ExpenseLine
from payments.permissions import get_claim_for_approver, get_claim_for_viewer
from payments.selectors import claims_to_review
from payments.services import claim_adjust_fee, claim_approve, claim_return, is_overdue

PAGE_SIZE = 25
State = Claim.State
# A worker may change the fee until the claim is approved (payments.services.approval).
FEE_CHANGEABLE = frozenset({State.DRAFT, State.SUBMITTED, State.RETURNED})


def person_name(claim: Claim) -> str:
    profile = getattr(claim.person, "profile", None)
    return getattr(profile, "display_name", "") or claim.person.get_full_name() or claim.person.email


@dataclass(frozen=True)
class ClaimRow:
    """A claim as a reviewer reads it: the money worked out once, for the template."""

    claim: Claim
    name: str
    fee: Decimal
    expenses: Decimal
    overdue: bool

    @property
    def total(self) -> Decimal:
        return self.fee + self.expenses


def claim_row(claim: Claim, today=None) -> ClaimRow:
    # `expenses_total` is annotated by the selectors: no query per claim.
    expenses = getattr(claim, "expenses_total", None)
    if expenses is None:
        expenses = sum((line.amount for line in claim.expenses.all()), Decimal("0.00"))
    return ClaimRow(
        claim=claim,
        name=person_name(claim),
        fee=claim.fee_payable,
        expenses=expenses,
        overdue=is_overdue(claim, today),
    )


@permission_required("payments.review_claims", raise_exception=True)
@require_safe
def claim_list(request: HttpRequest) -> HttpResponse:
    """Claims to review: for a worker those of the opportunities they lead; for a manager all.
    Waiting for approval unless another state is chosen; oldest activity first."""
    form = ClaimFilterForm(request.GET or None)
    state = form.state_or_default()
    claims = claims_to_review(user=request.user, state=state, lead_only=not is_manager(request.user))
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "payments/review_list.html",
        {
            "filter_form": form,
            "state": state or ClaimFilterForm.ALL,
            "state_label": dict(form.fields["state"].choices).get(state or ClaimFilterForm.ALL),
            "page": page,
            "rows": [claim_row(claim, today) for claim in page.object_list],
            "query_string": query.urlencode(),
            "target_days": settings.PAYMENT_TARGET_DAYS,
        },
    )


def receipt_url(line: ExpenseLine) -> str:
    """The permission-checked address of the line's receipt ("" when it has none)."""
    if not line.receipt:
        return ""
    try:
        return reverse("payments:receipt", args=[line.pk])
    except NoReverseMatch:  # the receipt view is not in place yet
        return ""


@dataclass(frozen=True)
class EventRow:
    event: ClaimEvent
    label: str
    actor: str


def _event_rows(claim: Claim) -> list[EventRow]:
    labels = dict(State.choices)
    rows = []
    for event in claim.events.all():
        actor = ""
        if event.actor is not None:
            profile = getattr(event.actor, "profile", None)
            actor = getattr(profile, "display_name", "") or event.actor.get_full_name() or event.actor.email
        label = labels.get(event.to_state, event.to_state)
        if event.from_state == event.to_state:
            label = "Fee changed"
        rows.append(EventRow(event=event, label=label, actor=actor))
    return rows


def _detail(
    request: HttpRequest,
    claim: Claim,
    *,
    adjust_form: AdjustFeeForm | None = None,
    return_form: ReturnForm | None = None,
) -> HttpResponse:
    can_change = request.user.has_perm("payments.approve_claim", claim)
    row = claim_row(claim)
    return render(
        request,
        "payments/review_claim.html",
        {
            "claim": claim,
            "row": row,
            "expenses": [(line, receipt_url(line)) for line in claim.expenses.all()],
            "events": _event_rows(claim),
            "can_change": can_change,
            "can_adjust": can_change and claim.state in FEE_CHANGEABLE,
            "can_decide": can_change and claim.state == State.SUBMITTED,
            "adjust_form": adjust_form
            or AdjustFeeForm(prefix="adjust", initial={"fee": claim.fee.quantize(Decimal("0.01"))}),
            "return_form": return_form or ReturnForm(prefix="return"),
            "page_has_errors": bool(
                (adjust_form is not None and adjust_form.errors)
                or (return_form is not None and return_form.errors)
            ),
        },
    )


@permission_required("payments.review_claims", raise_exception=True)
@require_safe
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _detail(request, get_claim_for_viewer(request.user, claim_id))


@permission_required("payments.review_claims", raise_exception=True)
@require_POST
def claim_adjust(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_approver(request.user, claim_id)
    form = AdjustFeeForm(request.POST, prefix="adjust")
    if form.is_valid() and attempt(
        request,
        lambda: claim_adjust_fee(
            claim=claim, by=request.user, fee=form.cleaned_data["fee"], reason=form.cleaned_data["reason"]
        ),
        lambda changed: f"The fee is now £{changed.fee:,.2f}. The reason is kept with the claim.",
        form=form,
    ):
        return redirect("worker:claim", claim.pk)
    return _detail(request, claim, adjust_form=form)


@permission_required("payments.review_claims", raise_exception=True)
@require_POST
def claim_send_back(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_approver(request.user, claim_id)
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid() and attempt(
        request,
        lambda: claim_return(claim=claim, by=request.user, reason=form.cleaned_data["reason"]),
        f"The claim has been returned to {person_name(claim)}, with your reason.",
        form=form,
    ):
        return redirect("worker:claims")
    return _detail(request, claim, return_form=form)


@permission_required("payments.review_claims", raise_exception=True)
@require_POST
def claim_approve_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_approver(request.user, claim_id)
    if attempt(
        request,
        lambda: claim_approve(claim=claim, by=request.user),
        f"The claim is approved. {person_name(claim)} has been told, and finance can now pay it.",
    ):
        return redirect("worker:claims")
    return redirect("worker:claim", claim.pk)
