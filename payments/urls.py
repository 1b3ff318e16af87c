"""Payments' pages. The person's (/me/payments/) and the worker's (/worker/claims/) are
gathered into the `me` and `worker` namespaces by home/urls.py; finance's and the receipts
are in the `payments` namespace (/payments/)."""

from django.urls import path  # noqa: F401  (the pages below are added as they are built)

from payments.views import finance as finance_views
from payments.views import me as me_views
from payments.views import receipts as receipt_views
from payments.views import review as review_views

# /me/payments/...: the person's claims, their choices, expenses and earnings limit.
me_payment_patterns: list = [
    path("payments/", me_views.payments_list, name="payments"),
    path("payments/limit/", me_views.earnings_limit, name="earnings_limit"),
    path("payments/<int:claim_id>/", me_views.claim_detail, name="claim"),
]

# /worker/claims/...: claims to review, adjust, return and approve.
worker_claim_patterns: list = [
    path("claims/", review_views.claim_list, name="claims"),
    path("claims/<int:claim_id>/", review_views.claim_detail, name="claim"),
    path("claims/<int:claim_id>/fee/", review_views.claim_adjust, name="claim_adjust"),
    path("claims/<int:claim_id>/return/", review_views.claim_send_back, name="claim_return"),
    path("claims/<int:claim_id>/approve/", review_views.claim_approve_view, name="claim_approve"),
]

app_name = "payments"
# /payments/...: the finance export and payments, and receipts behind a permission check.
urlpatterns: list = [
    path("exports/", finance_views.exports, name="exports"),
    path("exports/new/", finance_views.export_create, name="export_create"),
    path("exports/paid-file/", finance_views.paid_file, name="paid_file"),
    path("exports/<int:batch_id>/", finance_views.batch_detail, name="batch"),
    path("exports/<int:batch_id>/download/", finance_views.batch_download, name="batch_download"),
    path("exports/<int:batch_id>/paid/", finance_views.batch_paid, name="batch_paid"),
    path(
        "exports/<int:batch_id>/people/<int:person_id>/reference/",
        finance_views.payroll_reference,
        name="payroll_reference",
    ),
    path("receipts/<int:line_id>/", receipt_views.receipt, name="receipt"),
]
