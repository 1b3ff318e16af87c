"""/me/data/ for the person; the review of requests beside the other staff pages under
/worker/. (/privacy/ stays the privacy notice.)"""

from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/data/", views.my_data, name="my_data"),
    path("me/data/copy/", views.my_export, name="my_export"),
    path("me/data/erase/", views.my_erasure, name="my_erasure"),
    path("me/data/copies/<int:request_id>/", views.export_download, name="export_download"),
    path("worker/data-requests/", views.requests_list, name="requests"),
    path("worker/data-requests/retention/", views.retention, name="retention"),
    path("worker/data-requests/<int:request_id>/", views.request_review, name="request_review"),
    path("worker/people/<int:person_id>/data-request/", views.person_request, name="person_request"),
]
