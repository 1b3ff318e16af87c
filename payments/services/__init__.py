"""Payments' services: every write to claims, expenses, limits and batches."""

from payments.services.approval import claim_adjust_fee, claim_approve, claim_return, days_to_pay, is_overdue
from payments.services.claims import (
    ChoiceData,
    ExpenseData,
    claim_choose,
    claim_submit,
    expense_add,
    expense_remove,
)
from payments.services.errors import ClaimError
from payments.services.exports import (
    PaidFileResult,
    batch_mark_paid,
    export_batch_create,
    export_csv,
    paid_file_record,
)
from payments.services.fees import Mileage, fee_for, mileage_for
from payments.services.limits import (
    LimitCheck,
    earnings_limit_check,
    earnings_limit_set,
    limit_period,
    payroll_reference_set,
)
from payments.services.opening import attended_hours, claim_open, claims_open

__all__ = [
    "ChoiceData",
    "ClaimError",
    "ExpenseData",
    "LimitCheck",
    "Mileage",
    "PaidFileResult",
    "attended_hours",
    "batch_mark_paid",
    "claim_adjust_fee",
    "claim_approve",
    "claim_choose",
    "claim_open",
    "claim_return",
    "claim_submit",
    "claims_open",
    "days_to_pay",
    "earnings_limit_check",
    "earnings_limit_set",
    "expense_add",
    "expense_remove",
    "export_batch_create",
    "export_csv",
    "fee_for",
    "is_overdue",
    "limit_period",
    "mileage_for",
    "paid_file_record",
    "payroll_reference_set",
]
