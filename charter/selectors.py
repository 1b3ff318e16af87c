"""Reads of the charter: versions with their sections, proposals, and who has agreed."""

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User
from charter.models import Agreement, AgreementQuestion, CharterVersion, Proposal, Section
from charter.sections import AGREEMENT_SECTIONS


def _with_signers(versions: QuerySet[CharterVersion]) -> QuerySet[CharterVersion]:
    return versions.select_related("published_by__profile").prefetch_related(
        Prefetch("co_signers", queryset=User.objects.select_related("profile").order_by("pk"))
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
    return CharterVersion.objects.aggregate(number=Max("number"))["number"]


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
        .prefetch_related("co_signatures__person__profile", "comments__author__profile")
        .filter(pk=proposal_id)
        .first()
    )


def agreement_baseline() -> int | None:
    """The first version a representative's agreement must be no older than: the newest
    version that changed a section agreements are built from. None with no charter."""
    return Section.objects.filter(
        key__in=AGREEMENT_SECTIONS, version__number=current_number() or 0
    ).aggregate(number=Max("revision"))["number"]


def agreement_latest(*, person: User) -> Agreement | None:
    return Agreement.objects.filter(person=person).select_related("version").order_by("-version__number").first()


def agreed_to_current_q(*, baseline: int | None) -> Q:
    """People (User rows) who agreed to an agreement at least as new as `baseline`."""
    if baseline is None:
        return Q(pk__in=[])
    agreed = Agreement.objects.filter(person=OuterRef("pk"), version__number__gte=baseline)
    return Q(Exists(agreed))


def people_not_agreed(people: QuerySet[User]) -> QuerySet[User]:
    """Of these people, those who have not agreed to the current agreement (everyone, while
    there is no charter: nobody has agreed to anything)."""
    return people.exclude(agreed_to_current_q(baseline=agreement_baseline()))


def agreed_among(*, person_ids: list[int]) -> set[int]:
    """Which of these people agreed to the current agreement: one query for a page of them."""
    baseline = agreement_baseline()
    if baseline is None or not person_ids:
        return set()
    return set(
        Agreement.objects.filter(person_id__in=person_ids, version__number__gte=baseline).values_list(
            "person_id", flat=True
        )
    )


def agreement_question_get(*, question_id: int) -> AgreementQuestion | None:
    return (
        AgreementQuestion.objects.select_related("person__profile", "worker", "version")
        .filter(pk=question_id)
        .first()
    )


def agreement_questions_of(*, person: User) -> QuerySet[AgreementQuestion]:
    return AgreementQuestion.objects.filter(person=person).select_related("worker__profile", "version")
