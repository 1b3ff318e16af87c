from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("outcomes/", views.outcome_list, name="outcomes"),
    path("opportunities/<int:opportunity_id>/outcome/", views.outcome_edit, name="outcome_edit"),
    path("me/check-ins/", views.my_check_ins, name="my_check_ins"),
    path("me/check-ins/new/", views.check_in_new, name="check_in_new"),
    path("worker/follow-ups/<int:follow_up_id>/", views.follow_up_detail, name="follow_up"),
    path("worker/people/<int:person_id>/check-ins/", views.person_check_ins, name="person_check_ins"),
]
