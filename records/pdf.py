"""PDFs of our own HTML templates, by WeasyPrint, with no network: the stylesheet is in the
template and the fonts are the machine's (fontconfig); any URL the HTML names that is not a
data: URL is refused rather than fetched, so neither a template change nor anything a person
typed can make the server call out."""

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string

# The only scheme a PDF may read: data: URLs carry their content in themselves.
ALLOWED_SCHEMES = ("data",)


def local_only_fetcher() -> Any:
    """WeasyPrint's fetcher, allowed data: URLs only (http, https, ftp and file refused)."""
    # Imported here: WeasyPrint loads Pango at import, which only the PDF pages need.
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=ALLOWED_SCHEMES, allow_redirects=False, timeout=1)


def pdf_bytes(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    document = HTML(string=html, base_url="about:blank", url_fetcher=local_only_fetcher())
    result: bytes = document.write_pdf()
    return result


def pdf_response(template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(template, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
