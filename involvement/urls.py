from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from accounts import views as accounts_views
from accounts.urls import staff_patterns
from home.urls import me_patterns, worker_patterns
from involvement import views as involvement_views
from involvement.healthz import healthz
from opportunities.calendar_urls import feed_patterns

# The admin's log-in goes through allauth, so its rate limits and two-factor apply there.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Involvement Hub administration"
admin.site.site_title = "Involvement Hub administration"

urlpatterns = [
    path("", accounts_views.landing, name="landing"),
    path("home/", accounts_views.home, name="home"),
    path("privacy/", accounts_views.privacy_notice, name="privacy"),
    path("accessibility/", accounts_views.accessibility_statement, name="accessibility"),
    path("help/", involvement_views.help_page, name="help"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("feedback.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("me/inbox/", include("notifications.urls")),
    # Data rights (issue 16): /me/data/ and the staff pages, before the `me` and `worker` prefixes.
    path("", include("privacy.urls")),
    path("me/", include(me_patterns)),
    path("worker/", include(worker_patterns)),
    path("staff/", include(staff_patterns)),
    path("dashboard/", include("dashboard.urls")),
    path("payments/", include("payments.urls")),
    path("charter/", include("charter.urls")),
    path("verify/", include("records.urls")),
    # Teams and activity types moved from opportunities to catalogue: old admin bookmarks follow.
    re_path(
        r"^admin/opportunities/(?P<rest>(?:team|activitytype)/.*)$",
        RedirectView.as_view(url="/admin/catalogue/%(rest)s", permanent=True, query_string=True),
    ),
    path("admin/", admin.site.urls),
    *feed_patterns,
]
