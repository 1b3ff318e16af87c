"""Who may do what with data requests. Anyone logged in asks about their own data; workers
who may see a person (`accounts.view_person`) and administrators record a request made by
phone or letter; only administrators review and decide on erasures."""

import rules

from accounts.permissions import is_administrator, is_worker


@rules.predicate
def may_record_for(user, person) -> bool:
    if is_administrator(user):
        return True
    return is_worker(user) and user.has_perm("accounts.view_person", person)


rules.add_perm("privacy.review_requests", is_administrator)
rules.add_perm("privacy.record_request", may_record_for)
