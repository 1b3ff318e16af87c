"""Receipts, served only through this permission-checked view (never a public static or
media URL): to the person, their named worker, the activity's lead worker, managers and
finance officers (`payments.view_receipt`). Anyone else gets a 404, as if there were none."""

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from payments.selectors import expense_line_get

# What a receipt may be served as: the types receipt_check accepts, nothing else.
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def _safe_filename(line_id: int, content_type: str) -> str:
    # Our own name, never the uploaded one (it may hold a person's name or a header trick).
    return f"receipt-{line_id}.{EXTENSIONS[content_type]}"


@require_safe
def receipt(request: HttpRequest, line_id: int) -> FileResponse:
    line = expense_line_get(line_id=line_id)
    if (
        line is None
        or not line.receipt
        or line.receipt_content_type not in EXTENSIONS
        or not request.user.has_perm("payments.view_receipt", line.claim)
    ):
        raise Http404("No such receipt")  # pragma: no mutate: our 404 page never shows it
    try:
        handle = line.receipt.open("rb")
    except FileNotFoundError:
        raise Http404("No such receipt") from None  # pragma: no mutate: our 404 page never shows it
    response = FileResponse(
        handle,
        content_type=line.receipt_content_type,
        as_attachment=False,
        filename=_safe_filename(line.pk, line.receipt_content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
