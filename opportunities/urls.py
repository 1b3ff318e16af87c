from django.urls import path

from opportunities import views
from opportunities.calendar_urls import opportunity_calendar_patterns

app_name = "opportunities"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("new/", views.create, name="create"),
    path("<int:opportunity_id>/", views.detail, name="detail"),
    path("<int:opportunity_id>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:opportunity_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:opportunity_id>/accept/", views.accept, name="accept"),
    path("<int:opportunity_id>/decline/", views.decline, name="decline"),
    path("<int:opportunity_id>/edit/", views.edit, name="edit"),
    path("<int:opportunity_id>/publish/", views.publish, name="publish"),
    path("<int:opportunity_id>/close/", views.close, name="close"),
    path("<int:opportunity_id>/complete/", views.complete, name="complete"),
    path("<int:opportunity_id>/cancel/", views.cancel, name="cancel"),
    path("<int:opportunity_id>/duplicate/", views.duplicate, name="duplicate"),
    path("<int:opportunity_id>/lead/", views.change_lead, name="change_lead"),
    path("<int:opportunity_id>/participants/", views.participants_page, name="participants"),
    path("<int:opportunity_id>/participants/attendance/", views.record_attendance, name="attendance"),
    path("<int:opportunity_id>/participants/selection/", views.selection_start, name="selection_start"),
    path("<int:opportunity_id>/participants/selection/<int:draw_id>/", views.selection, name="selection"),
    path(
        "<int:opportunity_id>/participants/<int:signup_id>/note/",
        views.participant_note,
        name="participant_note",
    ),
    path("<int:opportunity_id>/participants/<int:signup_id>/offer/", views.offer_place, name="offer_place"),
    path(
        "<int:opportunity_id>/participants/<int:signup_id>/cancel/", views.cancel_signup, name="cancel_signup"
    ),
    *opportunity_calendar_patterns,
]
