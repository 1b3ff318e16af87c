"""An opportunity's preparation pack (issue 14): a PDF or an image, checked by what it
contains and not by its name, as receipts are (payments/receipts.py, which this app may not
import), and kept in the private media root, served only through a permission check."""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from accounts.models import User
from opportunities.models import Opportunity
from opportunities.services.states import FINISHED, OpportunityError

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
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
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            PdfReader(io.BytesIO(upload.read()), strict=False).pages[0]
            return "application/pdf"
        with Image.open(upload) as image:
            kind = image.format or ""
            image.verify()
        if kind in IMAGE_TYPES:
            return IMAGE_TYPES[kind]
    except (PyPdfError, UnidentifiedImageError, OSError, ValueError, IndexError, SyntaxError):
        pass
    finally:
        upload.seek(0)
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
