"""Who may do what with data requests. Anyone logged in asks about their own data; workers
who may see a person and administrators record a request made by phone or letter
(`privacy.views.person_request`); only administrators review and decide on erasures."""

import rules

from accounts.permissions import is_administrator

rules.add_perm("privacy.review_requests", is_administrator)
