"""A person with a row in every table that can hold something about them (issue 16), for the
erasure and export tests and the benchmark."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from allauth.mfa.models import Authenticator
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from accounts.caseload import contact_log_add, named_worker_assign
from accounts.equality import EqualityMonitoring
from accounts.models import AccessLogEntry, PhoneConfirmation, User
from accounts.permissions import Role
from accounts.services import access_log_record, welcome_message_create
from accounts.tests.factories import person
from catalogue.models import Course
from charter.sections import SectionKey
from charter.services import agreement_agree, agreement_question_ask, comment_add, proposal_create
from charter.tests.factories import first_charter
from feedback.models import Invitation
from feedback.services import check_in_create, follow_up_close
from notifications.models import ContactTask
from opportunities.services import attendance_record, opportunity_complete, signup_create, signup_withdraw
from opportunities.tests.factories import OpportunityFactory
from opportunities.training import TrainingCompletion
from payments.models import PaymentDetails
from payments.services import ExpenseData, claim_open, expense_add
from payments.services.approval import claim_return
from payments.tests.receipts import receipt_png
from records.services import (
    CertificateChoice,
    ReferenceAsk,
    certificate_issue,
    reference_request_create,
    statement_save,
)

FIRST, LAST = "Zebedee", "Quarrington"
EMAIL = "zebedee.quarrington@example.org"
PHONE = "07700 900456"
PHONE_DIGITS = "7700900456"
MARKER = "MARKERZX9"
# What must not be found anywhere in the database once the person is erased.
SEARCHED = [FIRST, LAST, EMAIL, PHONE_DIGITS, MARKER]


def everything(*, worker: User, lead_worker: User | None = None) -> SimpleNamespace:
    """A representative with data in every table: profile, contacts, sign-ups past and to
    come, attendance, training, a check-in with a follow-up, a claim with a receipt, messages,
    calls, an access-log entry, an admin history entry and a session."""
    lead = lead_worker or person(roles=[Role.WORKER], display_name="Lee Lead")
    rep = person(
        roles=[Role.REPRESENTATIVE],
        display_name=f"{FIRST} {LAST}",
        phone=PHONE,
        pronouns="they/them",
        contact_notes=f"Evenings {MARKER}",
        support_needs=f"Quiet room {MARKER}",
        what_helps_me=f"Short breaks {MARKER}",
        access_needs_shared=f"Step-free {MARKER}",
        postal_address=f"1 {MARKER} Street, Leeds",
        mobile_number="+44" + PHONE_DIGITS,
    )
    User.objects.filter(pk=rep.pk).update(first_name=FIRST, last_name=LAST, email=EMAIL)
    rep.refresh_from_db()
    rep.emailaddress_set.update(email=EMAIL)
    Authenticator.objects.create(user=rep, type=Authenticator.Type.TOTP, data={"secret": "SECRET"})
    PhoneConfirmation.objects.create(
        user=rep, number="+44" + PHONE_DIGITS, code_hash="x", expires_at=timezone.now() + timedelta(hours=1)
    )
    named_worker_assign(person=rep, worker=worker, by=worker, reason=f"Asked for {MARKER}")
    welcome_message_create(recipient=rep)
    contact_log_add(
        person=rep, by=worker, contacted_on=date.today(), channel="phone", summary=f"Called {MARKER}"
    )
    access_log_record(viewer=worker, subject=rep, what=AccessLogEntry.What.SUPPORT_NOTE, path="/worker/")
    ContactTask.objects.create(
        person=rep,
        worker=worker,
        method="phone",
        kind="signup_update",
        dedupe_key="t:1",
        subject=f"Call {FIRST}",
        body_text=f"Tell {FIRST} {MARKER}",
    )
    LogEntry.objects.create(
        user=worker,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(rep.pk),
        object_repr=str(rep),
        action_flag=CHANGE,
        change_message=f"Changed {EMAIL}",
    )

    now = timezone.now()
    end = now - timedelta(days=3)
    finished = OpportunityFactory(
        lead_worker=lead, places=5, title="Finished panel", sessions=[(end - timedelta(hours=2), end)]
    )
    attended = signup_create(opportunity=finished, person=rep, note=f"Note {MARKER}")
    attendance_record(signup=attended, session=finished.sessions.get(), attended=True, by=lead)
    opportunity_complete(opportunity=finished, by=lead)
    TrainingCompletion.objects.create(
        person=rep,
        course=Course.objects.create(name="Safeguarding basics"),
        completed_on=date.today(),
        recorded_by=lead,
    )
    check_in = check_in_create(
        person=rep,
        opportunity=finished,
        how_it_went=3,
        felt_valued=4,
        went_well=f"Tea {MARKER}",
        could_be_better=f"Room {MARKER}",
        wants_chat=True,
    )
    follow_up_close(follow_up=check_in.follow_up, by=worker, action_taken=f"Rang {FIRST} {MARKER}")
    claim = claim_open(signup=attended)
    expense_add(
        claim=claim,
        by=rep,
        data=ExpenseData(
            kind="parking", amount=Decimal("4.50"), description=f"Parking {MARKER}", receipt=receipt_png()
        ),
    )
    from payments.services import claim_submit

    claim_submit(claim=claim, by=rep)
    claim_return(claim=claim, by=lead, reason=f"Ticket for {FIRST} {MARKER}")
    PaymentDetails.objects.update_or_create(
        person=rep, defaults={"earnings_limit": Decimal("100"), "payroll_reference": "P-1"}
    )

    upcoming = OpportunityFactory(lead_worker=lead, places=1, title="Upcoming panel")
    confirmed = signup_create(opportunity=upcoming, person=rep, note=f"Coming {MARKER}")
    other = person(roles=[Role.REPRESENTATIVE], display_name="Olive Other")
    waiting = signup_create(opportunity=upcoming, person=other)
    withdrawn = OpportunityFactory(lead_worker=lead, places=3, title="Left panel")
    signup_withdraw(signup=signup_create(opportunity=withdrawn, person=rep), person=rep)
    Invitation.objects.create(person=rep, opportunity=upcoming)

    # Equality monitoring answers, and the charter: an agreement, a question, a proposal, a comment.
    EqualityMonitoring.objects.create(person=rep, age_band="25-34", disability="Y")
    version = first_charter()
    agreement_agree(person=rep, version_number=version.number)
    agreement_question_ask(person=rep, version_number=version.number, question=f"What about {MARKER}?")
    proposal = proposal_create(
        by=rep, section_key=SectionKey.FROM_YOU, body=f"New words {MARKER}", reason=f"Because {MARKER}"
    )
    comment_add(proposal=proposal, by=rep, body=f"Comment by {FIRST} {MARKER}")

    # The record: a statement, a certificate naming them, a reference asked of their worker.
    statement_save(person=rep, skills=f"Chairing {MARKER}", statement=f"I am {FIRST} {MARKER}")
    certificate_issue(
        person=rep,
        choice=CertificateChoice(name=f"{FIRST} {LAST}", include_statement=True),
    )
    reference_request_create(
        person=rep,
        ask=ReferenceAsk(
            purpose="job", role_title=f"Clerk {MARKER}", organisation="Leeds Trust", note=f"Asap {MARKER}"
        ),
    )

    client = Client()
    client.force_login(rep)
    return SimpleNamespace(
        rep=rep,
        lead=lead,
        other=other,
        claim=claim,
        finished=finished,
        upcoming=upcoming,
        confirmed=confirmed,
        waiting=waiting,
        check_in=check_in,
        client=client,
    )
