"""Hostile input on every page and every form, as every role: never a 5xx (issue 9, item 13).

The walk is generic, so that a page added tomorrow is walked without anyone remembering to
add it here:

1. every named URL in Django's resolver, its path parameters filled from a small data set
   (an opportunity with sessions and sign-ups, a finished one with attendance, an outcome, a
   check-in and its follow-up, a fair-share draw, an inbox message, a calendar token), and
   again with hostile path parameters (ids beyond bigint, null bytes, markup);
2. a GET of each with hostile query parameters: the real names (the fields of the page's GET
   forms and the parameters of its own links, such as the admin's filters) and junk ones;
3. a POST of every form found on the pages, with each field in turn (and then all of them at
   once) replaced by a hostile value: huge numbers, far dates, null bytes, 100,000
   characters, markup; and a POST with junk to every URL that answers GET with 405;
4. a GET of every page again, to prove that nothing stored by step 3 broke a page for later.

Any 5xx fails the test, with the exception that caused it.
"""

import contextlib
import logging
import os
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HUGE = "9" * 20  # beyond bigint (9,223,372,036,854,775,807)
FAR = "1" + "0" * 30  # places=10**30
NUL = "a\x00b"
MARKUP = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
LONG = (MARKUP * (100_000 // len(MARKUP) + 1))[:100_000]

# For one text box at a time, and for one choice (select, radio, checkbox, hidden) at a time.
TEXT_VALUES = [LONG, FAR]
CHOICE_VALUES = [HUGE, NUL]
# Every parameter of the page's GET forms and links, and these junk ones, at once.
# (A null character anywhere in a query string is refused before any view: RAW_HOSTILE_PATHS.)
QUERY_VALUES = [HUGE, LONG, "9999-12-31"]
JUNK_QUERY_NAMES = ["page", "q", "next", "o", "p", "e", "id", "sort", "format", "junk"]
# Day, month and year boxes (the NHS.UK date input): far, impossible and overflowing dates.
DATE_VALUES = [
    ("31", "12", "9999"),
    ("1", "1", "0000"),
    (HUGE, "1", "2027"),
    ("1", HUGE, "2027"),
]
DATE_PARTS = ("_day", "_month", "_year")
FORMSET_INDEX = re.compile(r"-[0-9]+-")
# Path parameters: ids beyond bigint, null bytes, markup (only what fits the converter is tried).
HOSTILE_PATH_VALUES = [HUGE, "\x00", MARKUP]
RAW_HOSTILE_PATHS = ["/%00", "/opportunities/%00/", "/me/%00/", "/opportunities/?q=%FF%FE%00"]

# Not worth a request each: the test client does not check CSRF tokens, and Django ignores the
# formset's MIN_NUM_FORMS and MAX_NUM_FORMS as posted.
UNMUTATED_SUFFIXES = ("csrfmiddlewaretoken", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")

# A POST to these would end the walk's own session or destroy the data set it walks on;
# the GET of each is still walked.
SKIP_POST_NAMES = ("logout", "_delete")

PROFILE = os.environ.get("HOSTILE_WALK_PROFILE") == "1"

ROLES = ["visitor", "representative", "worker", "manager", "administrator"]


# --- the data set -------------------------------------------------------------------------------


@dataclass
class World:
    people: dict
    contexts: list[dict] = field(default_factory=list)  # path parameter values, one dict per opportunity


def _world(representative, worker, manager, administrator, outsider) -> World:
    from accounts.services import calendar_token_get_or_create
    from feedback.models import FollowUp
    from feedback.services import check_in_create, outcome_publish, outcome_save
    from notifications.models import Message
    from opportunities.models import SelectionDraw
    from opportunities.services import (
        OpportunityError,
        attendance_record,
        opportunity_complete,
        selection_preview,
        signup_create,
    )
    from opportunities.tests.factories import OpportunityFactory

    now = timezone.now()
    upcoming = OpportunityFactory(
        lead_worker=worker,
        places=2,
        sessions=[
            (now + timedelta(days=10), now + timedelta(days=10, hours=2)),
            (now + timedelta(days=17), now + timedelta(days=17, hours=2)),
        ],
    )
    signup_create(opportunity=upcoming, person=representative, note="A seat near the door")
    signup_create(opportunity=upcoming, person=outsider)

    end = now - timedelta(days=3)
    finished = OpportunityFactory(lead_worker=worker, places=5, sessions=[(end - timedelta(hours=2), end)])
    session = finished.sessions.get()
    for someone in (representative, outsider):
        signup = signup_create(opportunity=finished, person=someone)
        attendance_record(signup=signup, session=session, attended=True, by=worker)
    opportunity_complete(opportunity=finished, by=worker)
    outcome_publish(
        outcome=outcome_save(opportunity=finished, by=worker, you_said="Said", we_did="Did"), by=worker
    )
    check_in_create(
        person=representative,
        opportunity=finished,
        how_it_went=4,
        felt_valued=5,
        went_well="Good",
        wants_chat=True,
    )

    fair = OpportunityFactory(lead_worker=worker, places=1, selection_method="fair_share")
    signup_create(opportunity=fair, person=representative)
    signup_create(opportunity=fair, person=outsider)
    with contextlib.suppress(OpportunityError):  # the walk still runs if the rules refuse one here
        selection_preview(opportunity=fair, by=worker)

    calendar_token_get_or_create(profile=representative.profile)
    shared = {
        "person_id": representative.pk,
        "follow_up_id": FollowUp.objects.values_list("pk", flat=True).first(),
        "message_id": Message.objects.filter(recipient=representative).values_list("pk", flat=True).first(),
        "token": representative.profile.calendar_token,
        "table": "reach",
    }
    contexts = []
    for opportunity in (upcoming, finished, fair):
        signup = opportunity.signups.filter(person=representative).first()
        draw = SelectionDraw.objects.filter(opportunity=opportunity).first() or SelectionDraw.objects.first()
        contexts.append(
            {
                **shared,
                "opportunity_id": opportunity.pk,
                "signup_id": signup.pk if signup else None,
                "draw_id": draw.pk if draw else None,
            }
        )
    people = {
        "visitor": None,
        "representative": representative,
        "worker": worker,
        "manager": manager,
        "administrator": administrator,
    }
    return World(people=people, contexts=contexts)


# --- the pages ----------------------------------------------------------------------------------


def named_patterns(patterns=None, namespace: str = ""):
    """(name, parameter names) of every named URL, namespaces included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = pattern.pattern
            params = list(getattr(route, "converters", {}) or route.regex.groupindex)
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), params


def _admin_object_id(name: str) -> str | None:
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return str(pk) if pk is not None else None
    return None


def _candidates(name: str, param: str, context: dict) -> list[str]:
    """Real values first, then generic ones that fit common converters."""
    values = []
    if context.get(param) is not None:
        values.append(str(context[param]))
    if param in {"object_id", "id"}:
        values.append(_admin_object_id(name) or "1")
    if param == "app_label":
        values.extend(model._meta.app_label for model in admin.site._registry)
    if param == "content_type_id":
        from django.contrib.contenttypes.models import ContentType

        values.extend(str(pk) for pk in ContentType.objects.values_list("pk", flat=True)[:1])
    return [*values, "1", "abc", "reach"]


def pages(world: World) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(name, path) with real parameters, and (name, path) with hostile ones."""
    real, hostile, seen = [], [], set()
    for name, params in named_patterns():
        for context in world.contexts if params else world.contexts[:1]:
            kwargs = {}
            for param in params:
                for value in _candidates(name, param, context):
                    try:
                        reverse(
                            name,
                            kwargs={**kwargs, param: value, **dict.fromkeys(params[len(kwargs) + 1 :], "1")},
                        )
                    except NoReverseMatch:
                        continue
                    kwargs[param] = value
                    break
            try:
                path = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            if path not in seen:
                seen.add(path)
                real.append((name, path))
            if context is world.contexts[0]:
                for param in params:
                    for value in HOSTILE_PATH_VALUES:
                        try:
                            hostile.append((name, reverse(name, kwargs={**kwargs, param: value})))
                        except NoReverseMatch:
                            continue
    hostile.extend(("raw", path) for path in RAW_HOSTILE_PATHS)
    return real, hostile


# --- forms and links in a page ------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, hidden, select, radio, checkbox, submit, ...
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._text: Field | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"radio", "checkbox"}:
                existing = next(
                    (f for f in self._form.fields if f.name == a["name"] and f.kind == kind), None
                )
                if existing is None:
                    existing = Field(a["name"], kind)
                    self._form.fields.append(existing)
                existing.options.append(a.get("value", "on"))
                if "checked" in a:
                    existing.checked = True
                    existing.value = existing.value or a.get("value", "on")
            elif kind not in {"file", "image", "reset"}:
                self._form.fields.append(Field(a["name"], kind, a.get("value", "")))
        elif tag == "button" and a.get("name") and (a.get("type") or "submit") == "submit":
            self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._text = Field(a["name"], "textarea")
            self._form.fields.append(self._text)
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")

    def handle_data(self, data):
        if self._text is not None:
            self._text.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._text = None
        elif tag == "select":
            self._select = None


def _plausible(item: Field) -> str:
    """A value a person might type into an empty box, so that a form can pass and the hostile
    value in one field reaches the code behind it."""
    name, year = item.name.lower(), timezone.localdate().year + 1
    if item.kind in {"select", "radio"}:
        return next((option for option in item.options if option), "")
    if name.endswith("_day"):
        return "1"
    if name.endswith("_month"):
        return "3" if "deadline" in name else "6"
    if name.endswith("_year"):
        return str(year)
    if "time" in name:
        return "12:00" if "end" in name else "10:00"
    if item.kind == "email" or "email" in name or name == "login":
        return "walker@example.org"
    if "password" in name:
        return PASSWORD
    if item.kind == "number" or name in {"places", "pace_per_month"}:
        return "2"
    if item.kind == "url" or "link" in name or "url" in name:
        return "https://www.example.org/"
    if "phone" in name:
        return "01632 960 001"
    return "Hostile walk"


def baseline(form: Form) -> dict[str, list[str]]:
    """What a browser would send, with empty boxes filled in."""
    data: dict[str, list[str]] = {}
    for item in form.fields:
        if item.kind == "submit":
            continue
        if item.kind == "checkbox":
            if item.checked:
                data.setdefault(item.name, []).append(item.value)
            continue
        value = item.value or ("" if item.kind == "hidden" else _plausible(item))
        data.setdefault(item.name, []).append(value)
    return data


def _date_prefixes(names) -> list[str]:
    return sorted({name[: -len(suffix)] for name in names for suffix in DATE_PARTS if name.endswith(suffix)})


def _shape(name: str) -> str:
    """sessions-2-date and sessions-0-date are the same field of a formset."""
    return FORMSET_INDEX.sub("-N-", name)


def mutations(form: Form, *, every_field: bool = True):
    """(what, data): the baseline, then (with `every_field`) the baseline with one field (a
    date's three boxes together) hostile, then every field hostile at once."""
    base = baseline(form)
    yield "as a browser would send it", base
    if every_field:
        dates = _date_prefixes(item.name for item in form.fields)
        # A formset's forms are alike: its first form, and its management form, stand for all.
        seen: set[str] = set()
        for prefix in dates:
            if _shape(prefix) in seen:
                continue
            seen.add(_shape(prefix))
            for values in DATE_VALUES:
                hostile = {prefix + suffix: [value] for suffix, value in zip(DATE_PARTS, values, strict=True)}
                yield f"{prefix} = {'/'.join(values)}", {**base, **hostile}
        for item in form.fields:
            if any(item.name == prefix + suffix for prefix in dates for suffix in DATE_PARTS):
                continue
            if _shape(item.name) in seen or item.name.endswith(UNMUTATED_SUFFIXES):
                continue
            seen.add(_shape(item.name))
            if item.kind == "submit":
                values = [item.value]
            elif item.kind in {"select", "radio", "checkbox", "hidden"}:
                values = CHOICE_VALUES
            else:
                values = TEXT_VALUES
            for value in values:
                yield f"{item.name} = {value[:30]!r}", {**base, item.name: [value]}
    names = {*base, *(item.name for item in form.fields)}
    for value in (LONG, HUGE):
        yield f"every field = {value[:30]!r}", dict.fromkeys(names, [value])


# --- the walk -----------------------------------------------------------------------------------


class Walker:
    def __init__(self, user):
        self.client = Client(raise_request_exception=False)
        self.user = user
        self.failures: list[str] = []
        self.requests = 0
        self.seconds: Counter = Counter()  # by method and view, for HOSTILE_WALK_PROFILE=1
        self.counts: Counter = Counter()
        self.phases: Counter = Counter()
        self.phase = ""
        self._exception = ""
        got_request_exception.connect(self._record, dispatch_uid="hostile-walk")

    def close(self):
        got_request_exception.disconnect(dispatch_uid="hostile-walk")

    def _record(self, sender, request=None, **kwargs):
        kind, error, trace = sys.exc_info()
        ours = [frame for frame in traceback.extract_tb(trace) if "site-packages" not in frame.filename]
        self._exception = "".join(traceback.format_list(ours[-3:])) + f"{kind.__name__}: {error}"

    def log_in(self):
        if self.user is not None and "_auth_user_id" not in self.client.session:
            self.client.force_login(self.user)

    def request(self, method: str, path: str, data=None, what: str = ""):
        self._exception = ""
        self.requests += 1
        started = time.perf_counter()
        response = (
            getattr(self.client, method)(path, data)
            if data is not None
            else getattr(self.client, method)(path)
        )
        if PROFILE:
            key = f"{method.upper()} {_view_name(path.split('?')[0]) or path[:60]}"
            self.seconds[key] += time.perf_counter() - started
            self.counts[key] += 1
            self.phases[self.phase] += 1
        if response.status_code >= 500:
            self.failures.append(
                f"{method.upper()} {path[:200]!r} {what[:120]} -> {response.status_code}\n{self._exception}"
            )
        return response


def _same_page_query_names(path: str, parser: PageParser) -> set[str]:
    """The names a page itself puts in its query strings: its GET forms' fields and its
    links' parameters (the admin's filters, pagination)."""
    names = set()
    for href in parser.links:
        parts = urlsplit(href)
        if parts.query and (not parts.path or parts.path == path):
            names.update(name for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    for form in parser.forms:
        if form.method == "get" and (not form.action or urlsplit(form.action).path == path):
            names.update(item.name for item in form.fields)
    return names


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


def _skip_post(name: str) -> bool:
    return any(skip in name for skip in SKIP_POST_NAMES)


# What has had the thorough treatment in this run: (view, parameter names) and (form action's
# view, field names). Every role gets every page and posts every form it is shown, as sent and
# with every field hostile at once; the hostile query parameters, and each form field on its
# own, are tried once per run, by the first role shown that page or form. That keeps the walk
# near a minute; a role run on its own gets the thorough treatment everywhere.
THOROUGHLY_WALKED: set[tuple] = set()


def _first_time(key: tuple) -> bool:
    if key in THOROUGHLY_WALKED:
        return False
    THOROUGHLY_WALKED.add(key)
    return True


def walk(walker: Walker, world: World) -> None:
    real, hostile = pages(world)
    forms: dict[tuple, tuple[str, Form, bool]] = {}
    post_only: dict[str, str] = {}
    visited: list[str] = []  # our own pages, to read again at the end
    log_in_first: set[str] = set()  # sent to log in before any view ran: so would any path be

    walker.log_in()
    walker.phase = "pages"
    for name, path in real:
        response = walker.request("get", path)
        if response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL)):
            log_in_first.add(name)
            continue
        if response.status_code == 405:
            post_only.setdefault(name, path)
            continue
        if not name.startswith(("admin:", "account_", "mfa_")):
            visited.append(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = PageParser()
        parser.feed(response.content.decode("utf-8", "replace"))
        names = _same_page_query_names(path, parser)
        if _first_time((name, *sorted(names))):
            for value in QUERY_VALUES:
                everything = dict.fromkeys(names | set(JUNK_QUERY_NAMES), value)
                walker.request("get", path, everything, "every parameter")
            for query_name in sorted(names):
                for value in (HUGE, LONG):
                    walker.request("get", path, {query_name: value}, query_name)
            for prefix in _date_prefixes(names):
                for values in DATE_VALUES:
                    data = {prefix + suffix: value for suffix, value in zip(DATE_PARTS, values, strict=True)}
                    walker.request("get", path, {**data, "period": "custom"}, prefix)
        for form in parser.forms:
            action = urlsplit(form.action).path or path
            action_name = _view_name(action)
            if form.method != "post" or _skip_post(action_name):
                continue
            shape = (action_name, *sorted({_shape(item.name) for item in form.fields}))
            if (action, shape) not in forms:
                forms[(action, shape)] = (action, form, _first_time(shape))

    walker.phase = "hostile paths"
    for name, path in hostile:
        if name in log_in_first:
            continue
        walker.request("get", path, what=f"hostile path parameter of {name}")
        if name in post_only:
            walker.request(
                "post", path, {"confirm": "yes", "note": MARKUP}, f"hostile path parameter of {name}"
            )

    walker.phase = "post-only"
    for name, path in post_only.items():
        if _skip_post(name):
            continue
        walker.log_in()
        walker.request("post", path, {}, "nothing")
        for value in (HUGE, NUL, LONG):
            junk = dict.fromkeys(["confirm", "note", "next", "reason", "session", "junk"], value)
            walker.request("post", path, junk, "junk")

    walker.phase = "forms"
    for action, form, every_field in forms.values():
        walker.log_in()
        for what, data in mutations(form, every_field=every_field):
            walker.request("post", action, data, what)
            walker.log_in()

    # Nothing stored above may break a page later.
    walker.phase = "again"
    walker.log_in()
    for path in visited:
        walker.request("get", path, what="again, after the hostile posts")


@pytest.mark.parametrize("role", ROLES)
def test_it_never_answers_hostile_input_with_a_5xx(
    role, representative, worker, manager, administrator, outsider
):
    world = _world(representative, worker, manager, administrator, outsider)
    walker = Walker(world.people[role])
    # Every 404 and 405 of the walk would be logged; the failures below say what matters.
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.CRITICAL
    try:
        walk(walker, world)
    finally:
        walker.close()
        request_log.setLevel(level)
    if PROFILE:
        print(f"\n{role}: {walker.requests} requests {dict(walker.phases)}")
        for what, seconds in walker.seconds.most_common(15):
            print(f"{seconds:7.2f}s {walker.counts[what]:5d}  {what}")
    assert walker.requests > 100, "the walk found too few pages to be a walk"
    assert not walker.failures, (
        f"{len(walker.failures)} of {walker.requests} requests failed:\n\n"
        + "\n\n".join(walker.failures[:15])
    )


def test_the_walk_finds_every_kind_of_page(representative, worker, manager, administrator, outsider):
    """A guard for the walk itself: if filling path parameters stopped working, the walk
    would pass by walking nothing."""
    real, hostile = pages(_world(representative, worker, manager, administrator, outsider))
    names = {name for name, _ in real}
    for expected in [
        "opportunities:detail",
        "opportunities:selection",
        "feedback:follow_up",
        "inbox:detail",
        "calendar_feed",
        "admin:accounts_user_change",
    ]:
        assert expected in names
    assert any("99999999999999999999" in path for _, path in hostile)
