from django.urls import path

from notifications import views

app_name = "inbox"

urlpatterns = [
    path("", views.inbox, name="list"),
    path("<int:message_id>/", views.message_detail, name="detail"),
    path("mark-all-read/", views.mark_all_read, name="mark_all_read"),
]
