"""Receipt files for tests, made here rather than kept as binaries: a real PNG and PDF, and
things that only pretend to be receipts."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), color=(0, 94, 184)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def receipt_png(name: str = "receipt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def receipt_pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def program_named_pdf() -> SimpleUploadedFile:
    """A Windows program (its MZ header) renamed to look like a PDF."""
    return SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00" + b"\x00" * 2000, content_type="application/pdf")


def too_big_pdf(megabytes: int = 11) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "big.pdf", pdf_bytes() + b"\n%" + b"0" * (megabytes * 1024 * 1024), content_type="application/pdf"
    )
