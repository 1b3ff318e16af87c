"""Who may take part in changing the charter, publish it, and agree to an agreement.

Everyone may read the charter (PRODUCT.md: a visitor reads it). Representatives and staff
propose, comment and co-sign; an administrator publishes; a representative agrees to their
own agreement; a question about an agreement is for the person's named worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.http import Http404

from accounts.permissions import (
    is_administrator,
    is_named_worker_of,
    is_representative,
    is_staff_member,
    is_worker,
)
from charter.models import AgreementQuestion, Proposal
from charter.selectors import agreement_question_get

if TYPE_CHECKING:
    from accounts.permissions import Anyone


@rules.predicate
def is_staff(user: Anyone) -> bool:
    return is_staff_member(user)


@rules.predicate
def wrote_proposal(user: Anyone, proposal: Proposal | None) -> bool:
    return proposal is not None and proposal.proposed_by_id == user.pk


rules.add_perm("charter.take_part", is_representative | is_staff)
rules.add_perm("charter.edit_proposal", wrote_proposal)
rules.add_perm("charter.publish", is_administrator)
rules.add_perm("charter.agree", is_representative)


@rules.predicate
def answers_question(user: Anyone, question: AgreementQuestion | None) -> bool:
    """The worker it was sent to, or the person's named worker now (who may have changed)."""
    return question is not None and (
        question.worker_id == user.pk or is_named_worker_of(user, question.person)
    )


def get_question_for_worker(user: Anyone, question_id: int) -> AgreementQuestion:
    """The question, for the worker who should answer it; a 404 for anybody else."""
    question = agreement_question_get(question_id=question_id)
    if question is None or not (is_worker(user) and answers_question(user, question)):
        raise Http404("No such question")  # pragma: no mutate: templates/404.html never shows the text
    return question
