"""Uploads checked by what they contain, not by their name (receipts, preparation packs): a
PDF must parse as a PDF and an image must open as a JPEG, PNG or WebP. Anything else (a
program renamed .pdf, a web page, an archive) is not a document we accept. Shared by
payments and opportunities, so it imports no app."""

import io

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def document_content_type(upload: UploadedFile) -> str | None:
    """ "application/pdf" or the image's type, read from the content; None for anything else.
    The upload is left at its start, ready to be saved."""
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
        return IMAGE_TYPES.get(kind)
    except (PyPdfError, UnidentifiedImageError, OSError, ValueError, IndexError, SyntaxError):
        return None
    finally:
        upload.seek(0)
