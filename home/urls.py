"""The `me` (/me/) and `worker` (/worker/) namespaces: the homes and the profile page from
here, and the pages of the apps below under the same prefixes and names as ever."""

from django.urls import path

from accounts.urls import me_account_patterns, worker_person_patterns
from home import views
from notifications.views import MessagePreferencesView
from opportunities.calendar_urls import me_calendar_patterns
from payments.urls import me_payment_patterns, worker_claim_patterns

me_patterns = (
    [
        path("", views.me_home, name="home"),
        *me_account_patterns,
        path("profile/", views.ProfileView.as_view(), name="profile"),
        path("preferences/", MessagePreferencesView.as_view(), name="preferences"),
        *me_calendar_patterns,
        *me_payment_patterns,
    ],
    "me",
)

worker_patterns = (
    [
        path("", views.worker_home, name="home"),
        *worker_person_patterns,
        *worker_claim_patterns,
    ],
    "worker",
)
