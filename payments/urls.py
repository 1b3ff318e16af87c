"""Payments' pages. The person's (/me/payments/) and the worker's (/worker/claims/) are
gathered into the `me` and `worker` namespaces by home/urls.py; finance's and the receipts
are in the `payments` namespace (/payments/)."""

from django.urls import path  # noqa: F401  (the pages below are added as they are built)

# /me/payments/...: the person's claims, their choices, expenses and earnings limit.
me_payment_patterns: list = []

# /worker/claims/...: claims to review, adjust, return and approve.
worker_claim_patterns: list = []

app_name = "payments"
# /payments/...: the finance export and payments, and receipts behind a permission check.
urlpatterns: list = []
