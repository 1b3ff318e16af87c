from django.urls import path

from accounts import views
from opportunities.calendar_urls import me_calendar_patterns

me_patterns = (
    [
        path("", views.me_home, name="home"),
        path("welcome/", views.OnboardingView.as_view(), name="welcome"),
        path("profile/", views.ProfileView.as_view(), name="profile"),
        path("preferences/", views.MessagePreferencesView.as_view(), name="preferences"),
        *me_calendar_patterns,
    ],
    "me",
)

worker_patterns = (
    [
        path("", views.worker_home, name="home"),
        path("people/<int:person_id>/", views.worker_person, name="person"),
        path("people/<int:person_id>/support-note/", views.worker_person_support_note, name="support_note"),
    ],
    "worker",
)
