"""Who may read and write references, and read certificates. A certificate's own page and
PDF are the person's alone (their code is what they share); a reference is the person's and
the worker's who was asked to write it, nobody else's: not a manager's, not a new named
worker's."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from accounts.permissions import is_named_worker_of, is_worker
from records.models import Certificate, ReferenceRequest
from records.selectors import certificate_get, person_with_profile, reference_get

if TYPE_CHECKING:
    from accounts.permissions import Anyone


@rules.predicate
def owns_reference(user: Anyone, reference: ReferenceRequest | None) -> bool:
    return reference is not None and reference.person_id == user.pk


@rules.predicate
def was_asked_for_reference(user: Anyone, reference: ReferenceRequest | None) -> bool:
    return reference is not None and reference.worker_id == user.pk


rules.add_perm("records.view_reference", owns_reference | (is_worker & was_asked_for_reference))
rules.add_perm("records.write_reference", is_worker & was_asked_for_reference)


def get_certificate_for_owner(user: Anyone, certificate_id: int) -> Certificate:
    certificate = certificate_get(certificate_id=certificate_id)
    if certificate is None or certificate.person_id != user.pk:
        raise Http404("No such certificate")  # pragma: no mutate: our 404 page never shows it
    return certificate


def get_reference_for_owner(user: Anyone, reference_id: int) -> ReferenceRequest:
    reference = reference_get(reference_id=reference_id)
    if reference is None or not owns_reference(user, reference):
        raise Http404("No such reference")  # pragma: no mutate: our 404 page never shows it
    return reference


def get_reference_for_writer(user: Anyone, reference_id: int) -> ReferenceRequest:
    reference = reference_get(reference_id=reference_id)
    if reference is None or not user.has_perm("records.view_reference", reference):
        raise Http404("No such reference")  # pragma: no mutate: our 404 page never shows it
    if not user.has_perm("records.write_reference", reference):
        raise PermissionDenied
    return reference


def get_person_for_named_worker(user: Anyone, person_id: int) -> User:
    """A representative whose named worker `user` is: they may read the record and set a
    role on it for them (at their request). Anyone else's: a 404."""
    person = person_with_profile(person_id=person_id)
    if person is None or not is_named_worker_of(user, person):
        raise Http404("No such person")  # pragma: no mutate: our 404 page never shows it
    return person
