"""Receipts are checked by what they contain, not by their name: a PDF must parse as a PDF
and an image must open as a JPEG, PNG or WebP. Anything else (a program renamed .pdf, a
web page, an archive) is refused with a message, as is anything over RECEIPT_MAX_BYTES."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from involvement.uploads import document_content_type
from payments.services.errors import ClaimError

NOT_A_RECEIPT = "The receipt must be a photo (JPEG, PNG or WebP) or a PDF."


def receipt_check(upload: UploadedFile) -> str:
    """The receipt's content type, from its content; a ClaimError on the receipt field if it
    is too big or not a receipt we accept."""
    most = settings.RECEIPT_MAX_BYTES
    if upload.size is None or upload.size > most:
        raise ClaimError(f"The receipt must be {most // (1024 * 1024)} MB or smaller.", field="receipt")
    content_type = document_content_type(upload)
    if content_type is not None:
        return content_type
    raise ClaimError(NOT_A_RECEIPT, field="receipt")
