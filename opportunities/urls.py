from django.urls import path

from opportunities.calendar_urls import opportunity_calendar_patterns
from opportunities.views import browse, manage, packs, participants, training

app_name = "opportunities"

urlpatterns = [
    path("", browse.browse, name="browse"),
    path("new/", manage.create, name="create"),
    path("<int:opportunity_id>/", browse.detail, name="detail"),
    path("<int:opportunity_id>/sign-up/", browse.sign_up, name="sign_up"),
    path("<int:opportunity_id>/withdraw/", browse.withdraw, name="withdraw"),
    path("<int:opportunity_id>/accept/", browse.accept, name="accept"),
    path("<int:opportunity_id>/decline/", browse.decline, name="decline"),
    path("<int:opportunity_id>/edit/", manage.edit, name="edit"),
    path("<int:opportunity_id>/publish/", manage.publish, name="publish"),
    path("<int:opportunity_id>/close/", manage.close, name="close"),
    path("<int:opportunity_id>/complete/", manage.complete, name="complete"),
    path("<int:opportunity_id>/cancel/", manage.cancel, name="cancel"),
    path("<int:opportunity_id>/duplicate/", manage.duplicate, name="duplicate"),
    path("<int:opportunity_id>/lead/", manage.change_lead, name="change_lead"),
    path("<int:opportunity_id>/participants/", participants.participants_page, name="participants"),
    path("<int:opportunity_id>/participants/attendance/", participants.record_attendance, name="attendance"),
    path("<int:opportunity_id>/participants/training/", training.record_training, name="record_training"),
    path("<int:opportunity_id>/pack/", packs.pack, name="pack"),
    path("<int:opportunity_id>/pack/download/", packs.pack_download, name="pack_download"),
    path(
        "<int:opportunity_id>/participants/selection/", participants.selection_start, name="selection_start"
    ),
    path(
        "<int:opportunity_id>/participants/selection/<int:draw_id>/", participants.selection, name="selection"
    ),
    path(
        "<int:opportunity_id>/participants/message/",
        participants.message_participants,
        name="message_participants",
    ),
    path(
        "<int:opportunity_id>/participants/<int:signup_id>/note/",
        participants.participant_note,
        name="participant_note",
    ),
    path(
        "<int:opportunity_id>/participants/<int:signup_id>/offer/",
        participants.offer_place,
        name="offer_place",
    ),
    path(
        "<int:opportunity_id>/participants/<int:signup_id>/cancel/",
        participants.cancel_signup,
        name="cancel_signup",
    ),
    path(
        "<int:opportunity_id>/sessions/<int:session_id>/register/",
        participants.session_register,
        name="register",
    ),
    *opportunity_calendar_patterns,
]
