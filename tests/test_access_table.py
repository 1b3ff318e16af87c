"""Every page of the product, for every kind of person, by GET and by POST.

The table below is the product's access rules written out (PRODUCT.md, "People and what each
may do"): a visitor is sent to log in (302) except on public pages; a representative reaches
only their own things (someone else's sign-up or message is a 404, staff pages a 403); any
worker manages opportunities, but only the lead worker and a person's named worker see that
person's details and notes; a manager reads opportunities and the dashboard, never a person's
check-ins or notes; an administrator uses the admin.

A new URL with no row fails the suite (`test_every_page_has_a_row`): whoever adds a page
decides, here, who may use it.

Columns: visitor, rep (the representative at the centre: signed up, offered a place, checked
in), other_rep (another representative), worker (a worker with no link to anyone here), lead
(leads every opportunity here), named (the representative's named worker), manager, admin.
A POST sends an empty form: 200 means the form came back with its messages, 302 that the
action was refused or done with a message and a redirect, 405 that the page takes no POST.
"""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.permissions import Role
from accounts.services import calendar_token_get_or_create
from accounts.tests.factories import person
from charter.services import agreement_question_ask, proposal_create
from charter.tests.factories import first_charter
from feedback.services import check_in_create, outcome_save
from notifications.models import ContactTask, Message
from opportunities.models import Opportunity
from opportunities.services import (
    attendance_record,
    opportunity_complete,
    selection_preview,
    signup_create,
    signup_withdraw,
)
from opportunities.services.packs import opportunity_pack_save
from opportunities.tests.factories import OpportunityFactory
from payments.services import ExpenseData, claim_open, expense_add
from payments.tests.receipts import receipt_pdf, receipt_png
from privacy.models import DataRequest
from records.services import (
    CertificateChoice,
    ReferenceAsk,
    certificate_issue,
    reference_finish,
    reference_request_create,
)

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "rep", "other_rep", "worker", "lead", "named", "manager", "admin"]

# The modules whose views are ours; allauth's pages and Django's own admin pages are tested
# by their projects (our changes to them have tests of their own).
OUR_MODULES = (
    "catalogue.",
    "accounts.",
    "notifications.",
    "opportunities.",
    "feedback.",
    "payments.",
    "records.",
    "charter.",
    "home.",
    "dashboard.",
    "privacy.",
    "involvement.",
)


def our_url_names() -> set[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                yield from walk(
                    pattern.url_patterns,
                    f"{namespace}:{inner}" if namespace and inner else inner or namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                module = getattr(pattern.callback, "__module__", "")
                if module.startswith(OUR_MODULES):
                    yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


@pytest.fixture
def world(representative, outsider, worker, other_worker, manager, administrator):
    """`lead` leads: a published opportunity the representative is confirmed on; one with a
    place offered to them; a finished one they attended and checked in about (asking for a
    chat, so `worker`, their named worker, has a follow-up); a fair-share one after its
    deadline with a provisional ranking; and a draft."""
    lead = person(roles=[Role.WORKER], display_name="Lee Lead")
    now = timezone.now()

    published = OpportunityFactory(lead_worker=lead, places=5, title="Published panel")
    signup_create(opportunity=published, person=representative)
    # Its preparation pack: for the people with a place and workers, a 404 to anyone else.
    opportunity_pack_save(opportunity=published, upload=receipt_pdf("pack.pdf"), by=lead)

    offered = OpportunityFactory(lead_worker=lead, places=1, title="One place")
    taken = signup_create(opportunity=offered, person=outsider)
    signup_create(opportunity=offered, person=representative)
    signup_withdraw(signup=taken, person=outsider)
    offered_signup = offered.signups.get(person=representative)
    assert offered_signup.state == "offered"

    end = now - timedelta(days=3)
    finished = OpportunityFactory(
        lead_worker=lead, places=5, title="Finished panel", sessions=[(end - timedelta(hours=2), end)]
    )
    attended = signup_create(opportunity=finished, person=representative)
    attendance_record(signup=attended, session=finished.sessions.get(), attended=True, by=lead)
    opportunity_complete(opportunity=finished, by=lead)
    outcome_save(opportunity=finished, by=lead, you_said="Said", we_did="Did")
    # The representative's claim for the finished panel (payments' pages), with a receipt.
    claim = claim_open(signup=attended)
    receipt_line = expense_add(
        claim=claim,
        by=representative,
        data=ExpenseData(kind="parking", amount=Decimal("4.50"), receipt=receipt_png()),
    )
    check_in = check_in_create(
        person=representative,
        opportunity=finished,
        how_it_went=3,
        felt_valued=4,
        went_well="Private words",
        could_be_better="",
        wants_chat=True,
    )

    fair = OpportunityFactory(
        lead_worker=lead, selection_method="fair_share", title="Fair share panel", places=2
    )
    signup_create(opportunity=fair, person=representative)
    Opportunity.objects.filter(pk=fair.pk).update(signup_deadline=now - timedelta(hours=1))
    fair.refresh_from_db()
    draw = selection_preview(opportunity=fair, by=lead)

    draft = OpportunityFactory(lead_worker=lead, status=Opportunity.Status.DRAFT, title="Draft panel")
    # The charter: its first version, the representative's proposal (co-signed by them only),
    # and their question about their agreement for their named worker.
    first_charter(by=administrator, co_signers=[representative, worker])
    proposal = proposal_create(by=representative, section_key="meaning", body="New words.", reason="Clearer.")
    question = agreement_question_ask(person=representative, version_number=1, question="What if I move?")
    # The record (issue 14): a certificate of the finished panel, a reference still to write
    # and one written, both asked of the representative's named worker.
    certificate = certificate_issue(
        person=representative, choice=CertificateChoice(name="Robin", activity_ids={attended.pk})
    )
    ask = ReferenceAsk(purpose="job", role_title="Peer support worker", organisation="The Trust")
    reference = reference_request_create(person=representative, ask=ask)
    written = reference_finish(
        reference=reference_request_create(person=representative, ask=ask), by=worker, body="Reliable."
    )
    message = Message.objects.filter(recipient=representative).latest("pk")
    calendar_token = calendar_token_get_or_create(profile=representative.profile)
    return SimpleNamespace(
        people={
            "visitor": None,
            "rep": representative,
            "other_rep": outsider,
            "worker": other_worker,
            "lead": lead,
            "named": worker,
            "manager": manager,
            "admin": administrator,
        },
        rep=representative,
        published=published,
        offered=offered,
        offered_signup=offered_signup,
        finished=finished,
        check_in=check_in,
        follow_up=check_in.follow_up,
        fair=fair,
        draw=draw,
        draft=draft,
        message=message,
        calendar_token=calendar_token,
        claim=claim,
        receipt_line=receipt_line,
        proposal=proposal,
        question=question,
        signup=published.signups.get(person=representative),
        attended=attended,
        certificate=certificate,
        reference=reference,
        written_reference=written,
    )


def call_task(w) -> ContactTask:
    """A call the representative's named worker owes them (made in the cell's savepoint)."""
    task, _ = ContactTask.objects.get_or_create(
        dedupe_key="access-table-call",
        defaults={
            "person": w.rep,
            "worker": w.people["named"],
            "method": ContactTask.Method.PHONE,
            "kind": "signup_update",
            "subject": "Place confirmed",
        },
    )
    return task


def data_request(w, kind: str) -> DataRequest:
    """The representative's copy of their data (ready) or erasure request (made in the cell's
    savepoint)."""
    request, _ = DataRequest.objects.get_or_create(
        person=w.rep,
        kind=kind,
        defaults={"requested_by": w.rep, "status": "ready" if kind == "export" else "pending"},
    )
    return request


# Where each page is, for the people and things in `world`.
ADDRESSES = {
    "landing": lambda w: reverse("landing"),
    "home": lambda w: reverse("home"),
    "privacy": lambda w: reverse("privacy"),
    "accessibility": lambda w: reverse("accessibility"),
    "help": lambda w: reverse("help"),
    "healthz": lambda w: reverse("healthz"),
    "calendar_feed": lambda w: reverse("calendar_feed", args=[w.calendar_token]),
    "feedback:outcomes": lambda w: reverse("feedback:outcomes"),
    "feedback:outcome_edit": lambda w: reverse("feedback:outcome_edit", args=[w.finished.pk]),
    "feedback:my_check_ins": lambda w: reverse("feedback:my_check_ins"),
    "feedback:check_in_new": lambda w: reverse("feedback:check_in_new"),
    "feedback:follow_up": lambda w: reverse("feedback:follow_up", args=[w.follow_up.pk]),
    "feedback:person_check_ins": lambda w: reverse("feedback:person_check_ins", args=[w.rep.pk]),
    "opportunities:browse": lambda w: reverse("opportunities:browse"),
    "opportunities:create": lambda w: reverse("opportunities:create"),
    "opportunities:detail": lambda w: reverse("opportunities:detail", args=[w.published.pk]),
    "opportunities:sign_up": lambda w: reverse("opportunities:sign_up", args=[w.published.pk]),
    "opportunities:withdraw": lambda w: reverse("opportunities:withdraw", args=[w.published.pk]),
    "opportunities:accept": lambda w: reverse("opportunities:accept", args=[w.offered.pk]),
    "opportunities:decline": lambda w: reverse("opportunities:decline", args=[w.offered.pk]),
    "opportunities:edit": lambda w: reverse("opportunities:edit", args=[w.published.pk]),
    "opportunities:publish": lambda w: reverse("opportunities:publish", args=[w.draft.pk]),
    "opportunities:close": lambda w: reverse("opportunities:close", args=[w.published.pk]),
    "opportunities:complete": lambda w: reverse("opportunities:complete", args=[w.published.pk]),
    "opportunities:cancel": lambda w: reverse("opportunities:cancel", args=[w.published.pk]),
    "opportunities:duplicate": lambda w: reverse("opportunities:duplicate", args=[w.published.pk]),
    "opportunities:change_lead": lambda w: reverse("opportunities:change_lead", args=[w.published.pk]),
    "opportunities:participants": lambda w: reverse("opportunities:participants", args=[w.published.pk]),
    "opportunities:attendance": lambda w: reverse("opportunities:attendance", args=[w.finished.pk]),
    "opportunities:record_training": lambda w: reverse("opportunities:record_training", args=[w.finished.pk]),
    "opportunities:pack": lambda w: reverse("opportunities:pack", args=[w.published.pk]),
    "opportunities:pack_download": lambda w: reverse("opportunities:pack_download", args=[w.published.pk]),
    "opportunities:selection_start": lambda w: reverse("opportunities:selection_start", args=[w.fair.pk]),
    "opportunities:selection": lambda w: reverse("opportunities:selection", args=[w.fair.pk, w.draw.pk]),
    "opportunities:message_participants": lambda w: reverse(
        "opportunities:message_participants", args=[w.published.pk]
    ),
    "opportunities:register": lambda w: reverse(
        "opportunities:register", args=[w.published.pk, w.published.sessions.first().pk]
    ),
    "opportunities:participant_note": lambda w: reverse(
        "opportunities:participant_note", args=[w.published.pk, w.signup.pk]
    ),
    "opportunities:offer_place": lambda w: reverse(
        "opportunities:offer_place", args=[w.published.pk, w.signup.pk]
    ),
    "opportunities:cancel_signup": lambda w: reverse(
        "opportunities:cancel_signup", args=[w.published.pk, w.signup.pk]
    ),
    "opportunities:opportunity_ics": lambda w: reverse(
        "opportunities:opportunity_ics", args=[w.published.pk]
    ),
    "inbox:list": lambda w: reverse("inbox:list"),
    "inbox:detail": lambda w: reverse("inbox:detail", args=[w.message.pk]),
    "inbox:mark_all_read": lambda w: reverse("inbox:mark_all_read"),
    "me:home": lambda w: reverse("me:home"),
    "me:welcome": lambda w: reverse("me:welcome"),
    "me:profile": lambda w: reverse("me:profile"),
    "me:equality_monitoring": lambda w: reverse("me:equality_monitoring"),
    "me:preferences": lambda w: reverse("me:preferences"),
    "me:phone": lambda w: reverse("me:phone"),
    "me:phone_confirm": lambda w: reverse("me:phone_confirm"),
    "me:calendar_ics": lambda w: reverse("me:calendar_ics"),
    "me:calendar": lambda w: reverse("me:calendar"),
    "me:payments": lambda w: reverse("me:payments"),
    "me:claim": lambda w: reverse("me:claim", args=[w.claim.pk]),
    "me:earnings_limit": lambda w: reverse("me:earnings_limit"),
    "payments:receipt": lambda w: reverse("payments:receipt", args=[w.receipt_line.pk]),
    "me:record": lambda w: reverse("me:record"),
    "me:record_statement": lambda w: reverse("me:record_statement"),
    "me:record_role": lambda w: reverse("me:record_role", args=[w.attended.pk]),
    "me:certificates": lambda w: reverse("me:certificates"),
    "me:certificate_new": lambda w: reverse("me:certificate_new"),
    "me:certificate": lambda w: reverse("me:certificate", args=[w.certificate.pk]),
    "me:certificate_pdf": lambda w: reverse("me:certificate_pdf", args=[w.certificate.pk]),
    "me:certificate_withdraw": lambda w: reverse("me:certificate_withdraw", args=[w.certificate.pk]),
    "me:reference_new": lambda w: reverse("me:reference_new"),
    "me:reference": lambda w: reverse("me:reference", args=[w.reference.pk]),
    "me:reference_pdf": lambda w: reverse("me:reference_pdf", args=[w.written_reference.pk]),
    "worker:references": lambda w: reverse("worker:references"),
    "worker:reference": lambda w: reverse("worker:reference", args=[w.reference.pk]),
    "worker:person_record": lambda w: reverse("worker:person_record", args=[w.rep.pk]),
    "worker:person_record_role": lambda w: reverse(
        "worker:person_record_role", args=[w.rep.pk, w.attended.pk]
    ),
    "records:verify": lambda w: reverse("records:verify", args=[w.certificate.code]),
    "worker:claims": lambda w: reverse("worker:claims"),
    "worker:claim": lambda w: reverse("worker:claim", args=[w.claim.pk]),
    "worker:claim_adjust": lambda w: reverse("worker:claim_adjust", args=[w.claim.pk]),
    "worker:claim_return": lambda w: reverse("worker:claim_return", args=[w.claim.pk]),
    "worker:claim_approve": lambda w: reverse("worker:claim_approve", args=[w.claim.pk]),
    # Finance's pages: only finance officers (payments/tests/test_finance_pages.py), so everyone
    # here is refused before any batch is looked up, and batch 1 need not exist.
    "payments:exports": lambda w: reverse("payments:exports"),
    "payments:export_create": lambda w: reverse("payments:export_create"),
    "payments:paid_file": lambda w: reverse("payments:paid_file"),
    "payments:batch": lambda w: reverse("payments:batch", args=[1]),
    "payments:batch_download": lambda w: reverse("payments:batch_download", args=[1]),
    "payments:batch_paid": lambda w: reverse("payments:batch_paid", args=[1]),
    "payments:payroll_reference": lambda w: reverse("payments:payroll_reference", args=[1, w.rep.pk]),
    "worker:home": lambda w: reverse("worker:home"),
    "worker:people": lambda w: reverse("worker:people"),
    "worker:person": lambda w: reverse("worker:person", args=[w.rep.pk]),
    "worker:person_contact_log": lambda w: reverse("worker:person_contact_log", args=[w.rep.pk]),
    "worker:person_named_worker": lambda w: reverse("worker:person_named_worker", args=[w.rep.pk]),
    "worker:person_training": lambda w: reverse("worker:person_training", args=[w.rep.pk]),
    "worker:support_note": lambda w: reverse("worker:support_note", args=[w.rep.pk]),
    "worker:person_register": lambda w: reverse("worker:person_register"),
    "worker:person_mobile": lambda w: reverse("worker:person_mobile", args=[w.rep.pk]),
    "worker:person_signup": lambda w: reverse("worker:person_signup", args=[w.rep.pk]),
    "worker:person_signup_withdraw": lambda w: reverse(
        "worker:person_signup_withdraw", args=[w.rep.pk, w.signup.pk]
    ),
    "worker:person_signup_accept": lambda w: reverse(
        "worker:person_signup_accept", args=[w.rep.pk, w.offered_signup.pk]
    ),
    "worker:contact_task": lambda w: reverse("worker:contact_task", args=[call_task(w).pk]),
    "charter:current": lambda w: reverse("charter:current"),
    "charter:history": lambda w: reverse("charter:history"),
    "charter:version": lambda w: reverse("charter:version", args=[1]),
    "charter:compare": lambda w: reverse("charter:compare") + "?older=1&newer=1",
    "charter:proposals": lambda w: reverse("charter:proposals"),
    "charter:proposal_new": lambda w: reverse("charter:proposal_new"),
    "charter:proposal": lambda w: reverse("charter:proposal", args=[w.proposal.pk]),
    "charter:proposal_edit": lambda w: reverse("charter:proposal_edit", args=[w.proposal.pk]),
    "charter:co_sign": lambda w: reverse("charter:co_sign", args=[w.proposal.pk]),
    "charter:publish": lambda w: reverse("charter:publish", args=[w.proposal.pk]),
    "me:agreement": lambda w: reverse("me:agreement"),
    "worker:charter_question": lambda w: reverse("worker:charter_question", args=[w.question.pk]),
    "dashboard:home": lambda w: reverse("dashboard:home"),
    "dashboard:export": lambda w: reverse("dashboard:export", args=["reach"]),
    "dashboard:definitions": lambda w: reverse("dashboard:definitions"),
    "staff:access_log": lambda w: reverse("staff:access_log"),
    "staff:access_log_csv": lambda w: reverse("staff:access_log_csv"),
    "privacy:my_data": lambda w: reverse("privacy:my_data"),
    "privacy:my_export": lambda w: reverse("privacy:my_export"),
    "privacy:my_erasure": lambda w: reverse("privacy:my_erasure"),
    "privacy:export_download": lambda w: reverse(
        "privacy:export_download", args=[data_request(w, "export").pk]
    ),
    "privacy:requests": lambda w: reverse("privacy:requests"),
    "privacy:retention": lambda w: reverse("privacy:retention"),
    "privacy:request_review": lambda w: reverse(
        "privacy:request_review", args=[data_request(w, "erasure").pk]
    ),
    "privacy:person_request": lambda w: reverse("privacy:person_request", args=[w.rep.pk]),
    "admin:auth_user_password_change": lambda w: reverse("admin:auth_user_password_change", args=[w.rep.pk]),
    "admin:accounts_user_two_factor_reset": lambda w: reverse(
        "admin:accounts_user_two_factor_reset", args=[w.rep.pk]
    ),
}

# What each person gets. `login`: a redirect to the log-in page. vis: visitor, o_rep: another
# representative, wrkr: a worker with no link to anyone here, mgr: manager.
# Pages that only show something answer a POST with 405 (after the log-in and role checks).
EXPECTED = """
page                                   how    vis    rep  o_rep   wrkr   lead  named    mgr  admin
landing                                GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
home                                   GET  login    302    302    302    302    302    302    302
                                       POST login    405    405    405    405    405    405    405
privacy                                GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
accessibility                          GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
help                                   GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
healthz                                GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
calendar_feed                          GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
feedback:outcomes                      GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
feedback:outcome_edit                  GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    200    200    200    403    403
feedback:my_check_ins                  GET  login    200    200    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
feedback:check_in_new                  GET  login    200    200    403    403    403    403    403
                                       POST login    200    200    403    403    403    403    403
feedback:follow_up                     GET  login    403    403    404    404    200    403    403
                                       POST login    403    403    404    404    200    403    403
feedback:person_check_ins              GET  login    403    403    404    200    200    403    403
                                       POST login    403    403    405    405    405    403    403
opportunities:browse                   GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
opportunities:create                   GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    200    200    200    403    403
opportunities:detail                   GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
opportunities:sign_up                  GET  login    405    405    405    405    405    405    405
                                       POST login    302    302    403    403    403    403    403
opportunities:withdraw                 GET  login    200    404    403    403    403    403    403
                                       POST login    200    404    403    403    403    403    403
opportunities:accept                   GET  login    200    302    403    403    403    403    403
                                       POST login    200    302    403    403    403    403    403
opportunities:decline                  GET  login    200    302    403    403    403    403    403
                                       POST login    200    302    403    403    403    403    403
opportunities:edit                     GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    200    200    200    403    403
opportunities:publish                  GET  login    405    405    405    405    405    405    405
                                       POST login    404    404    302    302    302    403    404
opportunities:close                    GET  login    405    405    405    405    405    405    405
                                       POST login    403    403    302    302    302    403    403
opportunities:complete                 GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    302    302    302    403    403
opportunities:cancel                   GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    200    200    200    403    403
opportunities:duplicate                GET  login    405    405    405    405    405    405    405
                                       POST login    403    403    302    302    302    403    403
opportunities:change_lead              GET  login    403    403    403    200    403    200    403
                                       POST login    403    403    403    200    403    200    403
opportunities:participants             GET  login    403    403    200    200    200    403    403
                                       POST login    405    405    405    405    405    405    405
opportunities:attendance               GET  login    405    405    405    405    405    405    405
                                       POST login    403    403    302    302    302    403    403
opportunities:record_training          GET  login    405    405    405    405    405    405    405
                                       POST login    403    403    302    302    302    403    403
opportunities:pack                     GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    200    200    200    403    403
opportunities:pack_download            GET  login    200    404    200    200    200    404    404
                                       POST login    405    405    405    405    405    405    405
opportunities:selection_start          GET  login    405    405    405    405    405    405    405
                                       POST login    403    403    302    302    302    403    403
opportunities:selection                GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    302    302    302    403    403
opportunities:message_participants     GET  login    403    403    403    200    403    403    403
                                       POST login    403    403    403    200    403    403    403
opportunities:register                 GET  login    403    403    403    200    403    403    403
                                       POST login    405    405    405    405    405    405    405
opportunities:participant_note         GET  login    403    403    404    200    200    403    403
                                       POST login    405    405    405    405    405    405    405
opportunities:offer_place              GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    200    200    200    403    403
opportunities:cancel_signup            GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    200    200    200    403    403
opportunities:opportunity_ics          GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
inbox:list                             GET  login    200    200    200    200    200    200    200
                                       POST login    405    405    405    405    405    405    405
inbox:detail                           GET  login    200    404    404    404    404    404    404
                                       POST login    405    405    405    405    405    405    405
inbox:mark_all_read                    GET  login    405    405    405    405    405    405    405
                                       POST login    302    302    302    302    302    302    302
me:home                                GET  login    200    200    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
me:welcome                             GET  login    200    200    403    403    403    403    403
                                       POST login    200    200    403    403    403    403    403
me:profile                             GET  login    200    200    403    403    403    403    403
                                       POST login    200    200    403    403    403    403    403
me:equality_monitoring                 GET  login    200    200    403    403    403    403    403
                                       POST login    302    302    403    403    403    403    403
me:preferences                         GET  login    200    200    200    200    200    200    200
                                       POST login    200    200    302    302    302    302    302
me:phone                               GET  login    200    200    403    403    403    403    403
                                       POST login    302    302    403    403    403    403    403
me:phone_confirm                       GET  login    200    200    403    403    403    403    403
                                       POST login    302    302    403    403    403    403    403
me:calendar_ics                        GET  login    200    200    200    200    200    200    200
                                       POST login    405    405    405    405    405    405    405
me:calendar                            GET  login    200    200    200    200    200    200    200
                                       POST login    302    302    302    302    302    302    302
me:payments                            GET  login    200    200    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
me:claim                               GET  login    200    404    403    403    403    403    403
                                       POST login    200    404    403    403    403    403    403
me:earnings_limit                      GET  login    200    200    403    403    403    403    403
                                       POST login    200    200    403    403    403    403    403
payments:receipt                       GET  login    200    404    404    200    200    200    404
                                       POST login    405    405    405    405    405    405    405
me:record                              GET  login    200    200    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
me:record_statement                    GET  login    200    200    403    403    403    403    403
                                       POST login    302    302    403    403    403    403    403
me:record_role                         GET  login    200    404    403    403    403    403    403
                                       POST login    200    404    403    403    403    403    403
me:certificates                        GET  login    200    200    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
me:certificate_new                     GET  login    200    200    403    403    403    403    403
                                       POST login    200    200    403    403    403    403    403
me:certificate                         GET  login    200    404    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
me:certificate_pdf                     GET  login    200    404    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
me:certificate_withdraw                GET  login    200    404    403    403    403    403    403
                                       POST login    302    404    403    403    403    403    403
me:reference_new                       GET  login    200    200    403    403    403    403    403
                                       POST login    200    200    403    403    403    403    403
me:reference                           GET  login    200    404    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
me:reference_pdf                       GET  login    200    404    403    403    403    403    403
                                       POST login    405    405    403    403    403    403    403
worker:references                      GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    405    405    405    403    403
worker:reference                       GET  login    403    403    404    404    200    403    403
                                       POST login    403    403    404    404    200    403    403
worker:person_record                   GET  login    403    403    404    404    200    403    403
                                       POST login    403    403    405    405    405    403    403
worker:person_record_role              GET  login    403    403    404    404    200    403    403
                                       POST login    403    403    404    404    200    403    403
records:verify                         GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
worker:claims                          GET  login    403    403    200    200    200    200    403
                                       POST login    403    403    405    405    405    405    403
worker:claim                           GET  login    403    403    404    200    200    200    403
                                       POST login    403    403    405    405    405    405    403
worker:claim_adjust                    GET  login    403    403    405    405    405    405    403
                                       POST login    403    403    404    200    403    200    403
worker:claim_return                    GET  login    403    403    405    405    405    405    403
                                       POST login    403    403    404    200    403    200    403
worker:claim_approve                   GET  login    403    403    405    405    405    405    403
                                       POST login    403    403    404    302    403    302    403
payments:exports                       GET  login    403    403    403    403    403    403    403
                                       POST login    403    403    403    403    403    403    403
payments:export_create                 GET  login    403    403    403    403    403    403    403
                                       POST login    403    403    403    403    403    403    403
payments:paid_file                     GET  login    403    403    403    403    403    403    403
                                       POST login    403    403    403    403    403    403    403
payments:batch                         GET  login    403    403    403    403    403    403    403
                                       POST login    403    403    403    403    403    403    403
payments:batch_download                GET  login    403    403    403    403    403    403    403
                                       POST login    403    403    403    403    403    403    403
payments:batch_paid                    GET  login    403    403    403    403    403    403    403
                                       POST login    403    403    403    403    403    403    403
payments:payroll_reference             GET  login    403    403    403    403    403    403    403
                                       POST login    403    403    403    403    403    403    403
worker:home                            GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    405    405    405    403    403
worker:people                          GET  login    403    403    200    200    200    200    403
                                       POST login    403    403    405    405    405    405    403
worker:person                          GET  login    403    403    404    200    200    403    403
                                       POST login    403    403    405    405    405    403    403
worker:person_contact_log              GET  login    403    403    405    405    405    403    403
                                       POST login    403    403    404    200    200    403    403
worker:person_training                 GET  login    403    403    405    405    405    403    403
                                       POST login    403    403    404    200    200    403    403
worker:person_named_worker             GET  login    403    403    200    200    200    200    403
                                       POST login    403    403    200    200    200    200    403
worker:support_note                    GET  login    403    403    404    200    200    403    403
                                       POST login    403    403    405    405    405    403    403
worker:person_register                 GET  login    403    403    200    200    200    403    403
                                       POST login    403    403    200    200    200    403    403
worker:person_mobile                   GET  login    403    403    404    200    200    403    403
                                       POST login    403    403    404    200    200    403    403
worker:person_signup                   GET  login    403    403    405    405    405    403    403
                                       POST login    403    403    404    200    200    403    403
worker:person_signup_withdraw          GET  login    403    403    405    405    405    403    403
                                       POST login    403    403    404    302    302    403    403
worker:person_signup_accept            GET  login    403    403    405    405    405    403    403
                                       POST login    403    403    404    302    302    403    403
worker:contact_task                    GET  login    403    403    404    200    200    403    403
                                       POST login    403    403    404    200    200    403    403
charter:current                        GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
charter:history                        GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
charter:version                        GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
charter:compare                        GET    200    200    200    200    200    200    200    200
                                       POST   405    405    405    405    405    405    405    405
charter:proposals                      GET  login    200    200    200    200    200    200    200
                                       POST login    405    405    405    405    405    405    405
charter:proposal_new                   GET  login    200    200    200    200    200    200    200
                                       POST login    200    200    200    200    200    200    200
charter:proposal                       GET  login    200    200    200    200    200    200    200
                                       POST login    200    200    200    200    200    200    200
charter:proposal_edit                  GET  login    200    403    403    403    403    403    403
                                       POST login    200    403    403    403    403    403    403
charter:co_sign                        GET  login    405    405    405    405    405    405    405
                                       POST login    302    302    302    302    302    302    302
charter:publish                        GET  login    403    403    403    403    403    403    405
                                       POST login    403    403    403    403    403    403    302
me:agreement                           GET  login    200    200    403    403    403    403    403
                                       POST login    302    302    403    403    403    403    403
worker:charter_question                GET  login    403    403    404    404    200    403    403
                                       POST login    403    403    404    404    200    403    403
dashboard:home                         GET  login    403    403    403    403    403    200    200
                                       POST login    403    403    403    403    403    405    405
dashboard:export                       GET  login    403    403    403    403    403    200    200
                                       POST login    403    403    403    403    403    405    405
dashboard:definitions                  GET  login    403    403    403    403    403    200    200
                                       POST login    403    403    403    403    403    405    405
staff:access_log                       GET  login    403    403    403    403    403    403    200
                                       POST login    403    403    403    403    403    403    405
staff:access_log_csv                   GET  login    403    403    403    403    403    403    200
                                       POST login    403    403    403    403    403    403    405
privacy:my_data                        GET  login    200    200    200    200    200    200    200
                                       POST login    405    405    405    405    405    405    405
privacy:my_export                      GET  login    405    405    405    405    405    405    405
                                       POST login    302    302    302    302    302    302    302
privacy:my_erasure                     GET  login    405    405    405    405    405    405    405
                                       POST login    200    200    200    200    200    200    200
privacy:export_download                GET  login    302    404    404    404    404    404    404
                                       POST login    405    405    405    405    405    405    405
privacy:requests                       GET  login    403    403    403    403    403    403    200
                                       POST login    403    403    403    403    403    403    405
privacy:retention                      GET  login    403    403    403    403    403    403    200
                                       POST login    403    403    403    403    403    403    405
privacy:request_review                 GET  login    403    403    403    403    403    403    302
                                       POST login    403    403    403    403    403    403    302
privacy:person_request                 GET  login    403    403    404    200    200    403    200
                                       POST login    403    403    404    200    200    403    200
admin:auth_user_password_change        GET  login    302    302    302    302    302    302    403
                                       POST login    302    302    302    302    302    302    403
admin:accounts_user_two_factor_reset   GET  login    302    302    302    302    302    302    302
                                       POST login    302    302    302    302    302    302    302
"""


def expected() -> list[tuple[str, str, str, str]]:
    """(page, method, role, status) for every cell of EXPECTED."""
    cells = []
    page = None
    for line in EXPECTED.strip().splitlines()[1:]:
        words = line.split()
        if words[0] in ("GET", "POST"):
            method, codes = words[0], words[1:]
        else:
            page, method, codes = words[0], words[1], words[2:]
        assert len(codes) == len(ROLES), f"{page} {method}: one status for each of {ROLES}"
        cells += [(page, method.lower(), role, code) for role, code in zip(ROLES, codes, strict=True)]
    return cells


def test_every_page_has_a_row():
    pages = {page for page, *_ in expected()}
    assert set(ADDRESSES) == pages
    assert our_url_names() - pages == set(), "Add the new page to ADDRESSES and EXPECTED"
    assert pages - our_url_names() == set(), "EXPECTED names a page that no longer exists"
    assert {(page, method) for page, method, *_ in expected()} == {
        (page, method) for page in pages for method in ("get", "post")
    }


@pytest.mark.parametrize("role", ROLES)
def test_each_person_gets_what_the_rules_say(world, role):
    """One test per person, each page and method tried in a savepoint that is rolled back,
    so that a POST that did something (a sign-up, a publish) never changes the next cell,
    and the world is built eight times rather than once per cell."""
    wrong = []
    for page, method, cell_role, status in expected():
        if cell_role != role:
            continue
        with transaction.atomic():
            client = Client()
            if world.people[role] is not None:
                client.force_login(world.people[role])
            response = getattr(client, method)(ADDRESSES[page](world))
            transaction.set_rollback(True)
        got = str(response.status_code)
        if got == "302" and response["Location"].startswith(reverse("account_login")):
            got = "login"
        if got != status:
            wrong.append(f"{method.upper()} {page}: expected {status}, got {got}")
    assert wrong == []
