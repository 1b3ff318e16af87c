"""Payments' pages. The person's (/me/payments/) and the worker's (/worker/claims/) are
gathered into the `me` and `worker` namespaces by home/urls.py; finance's and the receipts
are in the `payments` namespace (/payments/)."""

from django.urls import path  # noqa: F401  (the pages below are added as they are built)

from payments.views import me as me_views
from payments.views import receipts as receipt_views

# /me/payments/...: the person's claims, their choices, expenses and earnings limit.
me_payment_patterns: list = [
    path("payments/", me_views.payments_list, name="payments"),
    path("payments/limit/", me_views.earnings_limit, name="earnings_limit"),
    path("payments/<int:claim_id>/", me_views.claim_detail, name="claim"),
]

# /worker/claims/...: claims to review, adjust, return and approve.
worker_claim_patterns: list = []

app_name = "payments"
# /payments/...: the finance export and payments, and receipts behind a permission check.
urlpatterns: list = [
    path("receipts/<int:line_id>/", receipt_views.receipt, name="receipt"),
]
