"""accounts' pages, as plain lists for `home.urls` to put in the `me` and `worker`
namespaces beside the pages that compose several apps."""

from django.urls import path

from accounts import access_log_views, views

me_account_patterns = [
    path("welcome/", views.OnboardingView.as_view(), name="welcome"),
    path("phone/", views.phone_number, name="phone"),
    path("phone/confirm/", views.phone_confirm_code, name="phone_confirm"),
]

worker_person_patterns = [
    path("people/<int:person_id>/support-note/", views.worker_person_support_note, name="support_note"),
]

# /staff/...: pages for the administrators outside the Django admin.
staff_patterns = (
    [
        path("access-log/", access_log_views.access_log_review, name="access_log"),
        path("access-log/export.csv", access_log_views.access_log_csv, name="access_log_csv"),
    ],
    "staff",
)
