"""Reads of the charter: versions with their sections, proposals, and who has agreed."""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import User
from charter.models import (
    Agreement,
    AgreementQuestion,
    CharterVersion,
    Comment,
    CoSignature,
    Proposal,
    Section,
)
from charter.sections import AGREEMENT_SECTIONS


def _with_signers(versions: QuerySet[CharterVersion]) -> QuerySet[CharterVersion]:
    return versions.select_related("published_by__profile").prefetch_related(
        Prefetch(
            "co_signers",
            # Their roles too (one query): the page names staff and counts representatives.
            queryset=User.objects.select_related("profile")
            .prefetch_related("groups")
            .order_by("profile__display_name", "pk"),
        )
    )


def current_version() -> CharterVersion | None:
    """The newest version, with its sections and co-signers (three queries)."""
    return _with_signers(CharterVersion.objects.prefetch_related("sections")).order_by("-number").first()


def version_get(*, number: int) -> CharterVersion | None:
    return _with_signers(CharterVersion.objects.prefetch_related("sections")).filter(number=number).first()


def versions_all() -> QuerySet[CharterVersion]:
    """Every version, newest first, with who published it and how many co-signed."""
    return (
        CharterVersion.objects.select_related("published_by__profile")
        .annotate(signer_count=Count("co_signers"))
        .order_by("-number")
    )


def current_number() -> int | None:
    number: int | None = CharterVersion.objects.aggregate(number=Max("number"))["number"]
    return number


def section_current(*, key: str) -> Section | None:
    """The section as the newest version has it."""
    return Section.objects.filter(key=key).select_related("version").order_by("-version__number").first()


def proposals_list(*, status: str | None = None) -> QuerySet[Proposal]:
    proposals = Proposal.objects.select_related("proposed_by__profile", "published_as").annotate(
        representative_signers=Count("co_signatures", filter=Q(co_signatures__signed_as="representative")),
        staff_signers=Count("co_signatures", filter=Q(co_signatures__signed_as="staff")),
        comment_count=Count("comments", distinct=True),
    )
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-created_at", "-pk")


def proposal_get(*, proposal_id: int) -> Proposal | None:
    return (
        Proposal.objects.select_related("proposed_by__profile", "published_as")
        .prefetch_related(
            Prefetch("co_signatures", queryset=CoSignature.objects.select_related("person__profile")),
            Prefetch("comments", queryset=Comment.objects.select_related("author__profile")),
        )
        .filter(pk=proposal_id)
        .first()
    )


def _baseline_subquery() -> Subquery:
    """The first version a representative's agreement must be no older than: the newest
    version that changed a section agreements are built from (NULL with no charter). A
    subquery, so that asking about a person or a page of people stays one query."""
    newest = CharterVersion.objects.order_by("-number").values("pk")[:1]
    return Subquery(
        Section.objects.filter(key__in=AGREEMENT_SECTIONS, version=Subquery(newest))
        .order_by("-revision")
        .values("revision")[:1]
    )


def agreement_status(*, person: User) -> tuple[int | None, bool]:
    """(the baseline, whether this person agreed to an agreement at least as new): one query."""
    row = (
        User.objects.filter(pk=person.pk)
        .annotate(
            baseline=_baseline_subquery(),
            agreed=Exists(
                Agreement.objects.filter(person=OuterRef("pk"), version__number__gte=_baseline_subquery())
            ),
        )
        .values_list("baseline", "agreed")
        .first()
    )
    return (row[0], row[1]) if row else (None, False)


def agreement_latest(*, person: User) -> Agreement | None:
    return (
        Agreement.objects.filter(person=person).select_related("version").order_by("-version__number").first()
    )


def people_not_agreed(people: QuerySet[User]) -> QuerySet[User]:
    """Of these people, those who have not agreed to the current agreement (everyone, while
    there is no charter: nobody has agreed to anything)."""
    agreed = Agreement.objects.filter(person=OuterRef("pk"), version__number__gte=_baseline_subquery())
    return people.exclude(Exists(agreed))


def agreed_among(*, person_ids: list[int]) -> set[int] | None:
    """Which of these people agreed to the current agreement, or None while there is no
    charter to agree to: one query for a page of them."""
    if not person_ids:
        return set()
    rows = list(
        User.objects.filter(pk__in=person_ids)
        .annotate(
            baseline=_baseline_subquery(),
            agreed=Exists(
                Agreement.objects.filter(person=OuterRef("pk"), version__number__gte=_baseline_subquery())
            ),
        )
        .values_list("pk", "baseline", "agreed")
    )
    if not rows or rows[0][1] is None:
        return None
    return {pk for pk, _, agreed in rows if agreed}


def agreement_question_get(*, question_id: int) -> AgreementQuestion | None:
    return (
        AgreementQuestion.objects.select_related("person__profile", "worker", "version")
        .filter(pk=question_id)
        .first()
    )


def agreement_questions_of(*, person: User) -> QuerySet[AgreementQuestion]:
    return AgreementQuestion.objects.filter(person=person).select_related("worker__profile", "version")


def agreement_questions_waiting(*, worker: User) -> QuerySet[AgreementQuestion]:
    """Open questions for this worker, oldest first, for their home."""
    return (
        AgreementQuestion.objects.filter(worker=worker, status=AgreementQuestion.Status.OPEN)
        .select_related("person__profile")
        .order_by("asked_at", "pk")
    )
