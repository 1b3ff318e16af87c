"""The `me` (/me/) and `worker` (/worker/) namespaces: the homes and the profile page from
here, and the pages of the apps below under the same prefixes and names as ever."""

from django.urls import path

from accounts.urls import me_account_patterns, worker_person_patterns
from charter.urls import me_charter_patterns, worker_charter_patterns
from home import assisted_views, equality, people_views, views
from notifications.views import MessagePreferencesView
from opportunities.calendar_urls import me_calendar_patterns
from payments.urls import me_payment_patterns, worker_claim_patterns
from records.urls import me_record_patterns, worker_reference_patterns

me_patterns = (
    [
        path("", views.me_home, name="home"),
        *me_account_patterns,
        path("profile/", views.ProfileView.as_view(), name="profile"),
        path("profile/equality-monitoring/", equality.equality_monitoring, name="equality_monitoring"),
        path("preferences/", MessagePreferencesView.as_view(), name="preferences"),
        *me_calendar_patterns,
        *me_payment_patterns,
        *me_charter_patterns,
        *me_record_patterns,
    ],
    "me",
)

worker_patterns = (
    [
        path("", views.worker_home, name="home"),
        path("people/", people_views.people_list, name="people"),
        # Assisted digital (issue 13, item 4): a person with no e-mail address, and acting for them.
        path("people/register/", assisted_views.person_register, name="person_register"),
        path("people/<int:person_id>/sign-up/", assisted_views.person_signup, name="person_signup"),
        path(
            "people/<int:person_id>/sign-ups/<int:signup_id>/withdraw/",
            assisted_views.person_signup_withdraw,
            name="person_signup_withdraw",
        ),
        path(
            "people/<int:person_id>/sign-ups/<int:signup_id>/accept/",
            assisted_views.person_signup_accept,
            name="person_signup_accept",
        ),
        path("people/<int:person_id>/mobile/", assisted_views.person_mobile, name="person_mobile"),
        # Calls and letters as tasks (issue 13, item 7).
        path("calls/<int:task_id>/", assisted_views.contact_task, name="contact_task"),
        path("people/<int:person_id>/", people_views.person_detail, name="person"),
        path(
            "people/<int:person_id>/contact-log/",
            people_views.person_contact_log_add,
            name="person_contact_log",
        ),
        path("people/<int:person_id>/training/", people_views.person_training_add, name="person_training"),
        path(
            "people/<int:person_id>/named-worker/",
            people_views.person_named_worker,
            name="person_named_worker",
        ),
        *worker_person_patterns,
        *worker_claim_patterns,
        *worker_charter_patterns,
        *worker_reference_patterns,
    ],
    "worker",
)
