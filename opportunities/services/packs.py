"""An opportunity's preparation pack (issue 14): a PDF or an image, checked by what it
contains and not by its name, as receipts are (involvement/uploads.py), and kept in the
private media root, served only through a permission check."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from involvement.uploads import document_content_type
from opportunities.models import Opportunity
from opportunities.services.states import FINISHED, OpportunityError

# What a pack may be served as, and the extension our own file name gives it.
PACK_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
NOT_A_PACK = "The preparation pack must be a PDF or an image (JPEG, PNG or WebP)."


def pack_check(upload: UploadedFile) -> str:
    """The pack's content type, from its content; an OpportunityError on the `pack` field
    if it is too big or neither a PDF nor an image we accept."""
    most = settings.PACK_MAX_BYTES
    if upload.size is None or upload.size > most:
        raise OpportunityError(
            f"The preparation pack must be {most // (1024 * 1024)} MB or smaller.", field="pack"
        )
    content_type = document_content_type(upload)
    if content_type is not None:
        return content_type
    raise OpportunityError(NOT_A_PACK, field="pack")


def opportunity_pack_save(*, opportunity: Opportunity, upload: UploadedFile, by: User) -> Opportunity:
    """Keep the uploaded pack for the opportunity, in place of any earlier one."""
    content_type = pack_check(upload)
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.status in FINISHED:
            raise OpportunityError("A completed or cancelled opportunity cannot be changed.")
        # Our own name, never the uploaded one (it may hold a person's name or a header trick).
        locked.preparation_pack.save(f"pack-{locked.pk}.{PACK_EXTENSIONS[content_type]}", upload, save=False)
        locked.preparation_pack_content_type = content_type
        locked.save(update_fields=["preparation_pack", "preparation_pack_content_type", "updated_at"])
    return locked


def opportunity_pack_remove(*, opportunity: Opportunity, by: User) -> Opportunity:
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.status in FINISHED:
            raise OpportunityError("A completed or cancelled opportunity cannot be changed.")
        locked.preparation_pack = ""
        locked.preparation_pack_content_type = ""
        locked.save(update_fields=["preparation_pack", "preparation_pack_content_type", "updated_at"])
    return locked
