"""A representative's own involvement agreement (/me/agreement/), and the page where their
named worker reads a question about it and says what they did."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from rules.contrib.views import permission_required

from charter.forms import AgreementQuestionForm, QuestionCloseForm
from charter.permissions import get_question_for_worker
from charter.selectors import agreement_latest, agreement_questions_of, current_version
from charter.services import (
    agreement_agree,
    agreement_build,
    agreement_due,
    agreement_question_ask,
    agreement_question_close,
)
from involvement.errors import attempt


def _version_number(request: HttpRequest) -> int:
    """The version the person read, from the form: agreeing to an older one is refused."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 9 else 0


@permission_required("charter.agree", raise_exception=True)
def agreement(request: HttpRequest) -> HttpResponse:
    """Read it, then agree (`action=agree`) or ask a question (`action=question`)."""
    version = current_version()
    asking = request.method == "POST" and request.POST.get("action") == "question"
    form = AgreementQuestionForm(request.POST if asking else None)
    if request.method == "POST" and version is not None:
        if asking:
            if form.is_valid() and attempt(
                request,
                lambda: agreement_question_ask(
                    person=request.user, version_number=_version_number(request), **form.cleaned_data
                ),
                "Thank you. We have sent your question to your involvement worker. They will get in touch.",
                form=form,
            ):
                return redirect("me:agreement")
        elif attempt(
            request,
            lambda: agreement_agree(person=request.user, version_number=_version_number(request)),
            "Thank you. We have kept a copy of your agreement.",
        ):
            return redirect("me:home")
        else:
            return redirect("me:agreement")
    return render(
        request,
        "charter/agreement.html",
        {
            "version": version,
            "parts": agreement_build(person=request.user, version=version) if version else [],
            "due": agreement_due(person=request.user),
            "latest": agreement_latest(person=request.user),
            "questions": agreement_questions_of(person=request.user)[:10],
            "form": form,
        },
    )


@permission_required("accounts.use_worker_area", raise_exception=True)
def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_question_for_worker(request.user, question_id)
    form = QuestionCloseForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: agreement_question_close(
                question=question, by=request.user, action_taken=form.cleaned_data["action_taken"]
            ),
            "Done. The question is marked as answered.",
            form=form,
        ):
            return redirect("worker:charter_question", question.pk)
    elif request.method == "POST" and not question.is_open:
        messages.error(request, "This question has already been answered.")
    return render(request, "charter/question_detail.html", {"question": question, "form": form})
