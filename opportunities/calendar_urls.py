"""Calendar URLs, as plain lists for the site's URLconf to include under its own prefixes:

opportunity_calendar_patterns  under /opportunities/, namespace "opportunities"
me_calendar_patterns           under /me/, namespace "me"
feed_patterns                  at the site root, no namespace
"""

from django.urls import path

from opportunities import calendar_views

opportunity_calendar_patterns = [
    path("<int:opportunity_id>/calendar.ics", calendar_views.opportunity_ics, name="opportunity_ics"),
]

me_calendar_patterns = [
    path("calendar.ics", calendar_views.my_calendar_ics, name="calendar_ics"),
    path("calendar/", calendar_views.calendar_settings, name="calendar"),
]

feed_patterns = [
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
]
