"""Receipts are checked by what they contain, not by their name: a PDF must parse as a PDF
and an image must open as a JPEG, PNG or WebP. Anything else (a program renamed .pdf, a
web page, an archive) is refused with a message, as is anything over RECEIPT_MAX_BYTES."""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from payments.services.errors import ClaimError

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
NOT_A_RECEIPT = "The receipt must be a photo (JPEG, PNG or WebP) or a PDF."


def receipt_check(upload: UploadedFile) -> str:
    """The receipt's content type, from its content; a ClaimError on the receipt field if it
    is too big or not a receipt we accept."""
    most = settings.RECEIPT_MAX_BYTES
    if upload.size is None or upload.size > most:
        raise ClaimError(f"The receipt must be {most // (1024 * 1024)} MB or smaller.", field="receipt")
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
    raise ClaimError(NOT_A_RECEIPT, field="receipt")
