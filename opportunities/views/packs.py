"""An opportunity's preparation pack: the worker's upload page, and the download, served
only through this permission check (never a public static or media URL) to the people with
a place and the workers who manage the activity. Anyone else gets a 404, as if there were
none, as with receipts (payments/views/receipts.py)."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from involvement.errors import attempt
from opportunities.forms import PackForm
from opportunities.permissions import get_opportunity_for_manager, get_opportunity_for_viewer
from opportunities.services.packs import PACK_EXTENSIONS, opportunity_pack_remove, opportunity_pack_save


@require_http_methods(["GET", "HEAD", "POST"])
def pack(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """Upload (or replace, or remove) the pack. A refused file comes back with the message
    beside the field."""
    opportunity = get_opportunity_for_manager(request.user, opportunity_id)
    form = PackForm()
    if request.method == "POST":
        if "remove" in request.POST:
            attempt(
                request,
                lambda: opportunity_pack_remove(opportunity=opportunity, by=request.user),
                "The preparation pack has been removed.",
            )
            return redirect("opportunities:pack", opportunity.pk)
        form = PackForm(request.POST, request.FILES)
        if form.is_valid() and attempt(
            request,
            lambda: opportunity_pack_save(
                opportunity=opportunity, upload=form.cleaned_data["pack"], by=request.user
            ),
            "The preparation pack has been saved. People with a place can download it.",
            form=form,
        ):
            return redirect("opportunities:detail", opportunity.pk)
    return render(request, "opportunities/pack_form.html", {"opportunity": opportunity, "form": form})


@require_safe
def pack_download(request: HttpRequest, opportunity_id: int) -> FileResponse:
    opportunity = get_opportunity_for_viewer(request.user, opportunity_id)
    content_type = opportunity.preparation_pack_content_type
    if (
        not opportunity.preparation_pack
        or content_type not in PACK_EXTENSIONS
        or not request.user.has_perm("opportunities.view_pack", opportunity)
    ):
        raise Http404("No such pack")  # pragma: no mutate: our 404 page never shows it
    try:
        handle = opportunity.preparation_pack.open("rb")
    except FileNotFoundError:
        raise Http404("No such pack") from None  # pragma: no mutate: our 404 page never shows it
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=False,
        filename=f"preparation-pack-{opportunity.pk}.{PACK_EXTENSIONS[content_type]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response
