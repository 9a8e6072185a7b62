"""The applicant's journey: start, fill in step by step, upload, check, submit, withdraw.

Every object is looked up first and then checked against ``intake/rules.py``; a refused
object answers 404 so that ids reveal nothing.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from portal.responses import private_file

from .. import queries, services, uploads
from ..forms import (
    ApplicationStepForm,
    StartApplicationForm,
    SubmitForm,
    WithdrawForm,
    base_name,
    base_token,
    display_value,
    field_name,
    new_form_instance,
    override_name,
)
from ..models import Application, Call, QuestionKind, Status, earlier_wordings
from ..uploads import UploadRefused
from . import documents

VIEW = "intake.view_application"
CHANGE = "intake.change_application"


def get_application(request, pk, permission=VIEW):
    application = get_object_or_404(Application.objects.with_call_and_organisation(), pk=pk)
    if not request.user.has_perm(permission, application):
        raise Http404
    return application


def step_url(application, number):
    return reverse("intake:application_step", args=[application.pk, number])


# --- Starting -------------------------------------------------------------------------------


@login_required
def apply(request, slug):
    """Start the organisation's application to the call, or go back to the one it has."""
    call = get_object_or_404(Call.objects.published(), slug=slug)
    organisations = queries.member_organisations_by_name(request.user)
    if not queries.belongs_to_an_organisation(request.user) and call.is_open():
        query = urlencode({"call": call.slug, "next": request.get_full_path()})
        return redirect(reverse("intake:organisation_create") + "?" + query)
    existing = queries.applications_of(call, organisations)
    if len(organisations) == 1 and existing:  # one city: straight back to its application
        return redirect(_resume_url(existing[0]))
    if not call.is_open():
        messages.error(request, _("This call is not open for applications."))
        return redirect("intake:call_detail", slug=call.slug)
    form = StartApplicationForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            application, created = services.start_application(
                call, form.cleaned_data["organisation"], by=request.user
            )
        except services.ApplicationRefused as refused:
            messages.error(request, refused.message)
            return redirect("intake:call_detail", slug=call.slug)
        if created:
            messages.success(request, _("Your application is started. It is saved as a draft as you go."))
        return redirect(_resume_url(application))
    started = {application.organisation_id: application for application in existing}
    return render(
        request,
        "intake/applications/apply.html",
        {"call": call, "form": form, "organisations": organisations, "started": started},
    )


def _resume_url(application):
    if application.is_draft and services.is_editable(application):
        steps = services.application_steps(application)
        first_missing = next((step.number for step in steps if not step.is_complete), 1)
        return step_url(application, first_missing)
    return reverse("intake:application_detail", args=[application.pk])


# --- Lists and read-only pages ------------------------------------------------------------


@login_required
def dashboard(request):
    applications = list(Application.objects.for_dashboard(request.user))
    now = timezone.now()
    rows = [
        {"application": application, "next_step": next_step(application, now)} for application in applications
    ]
    return render(request, "intake/applications/dashboard.html", {"rows": rows, "now": now})


def next_step(application, now):
    call = application.call
    if application.status == Status.DRAFT:
        if call.has_closed(now):
            return _("The call has closed; this draft was not submitted.")
        return _("Complete the form and submit it before the deadline.")
    if application.status == Status.SUBMITTED:
        return _("Submitted. The coordinators will check eligibility, then the review starts.")
    if application.status == Status.IN_REVIEW:
        return _("Under review. You will receive the decision by email.")
    if application.status == Status.INELIGIBLE:
        return _("Found ineligible. The coordinators have written to you.")
    if application.status in (Status.SELECTED, Status.RESERVE, Status.NOT_SELECTED):
        return _("The decision has been sent. Its letter is on the application page.")
    return ""


def answer_rows(application, steps):
    """Every question of every step with its answer in words and its files."""
    questions = {question.pk: question for step in steps for question in step.questions}
    answers = queries.answers_by_question(application)
    for answer in answers.values():
        answer.question = questions.get(answer.question_id, answer.question)
    # An answer given before the question's wording changed shows the wording it answered.
    earlier = earlier_wordings(answers.values())
    documents = {}
    for document in application.documents.all():
        documents.setdefault(document.question_id, []).append(document)
    sections = []
    missing_ids = {item.question.pk for step in steps for item in step.missing}
    for step in steps:
        rows = []
        for question in step.questions:
            answer = answers.get(question.pk)
            answered_as = earlier.get(answer.pk) if answer else None
            rows.append(
                {
                    "question": question,
                    "answered_as": answered_as,
                    "is_file": question.kind == QuestionKind.FILE,
                    "text": display_value(answered_as or question, answer.value) if answer else "",
                    "answer": answer,
                    "documents": documents.get(question.pk, []),
                    "missing": question.pk in missing_ids,
                }
            )
        sections.append({"step": step, "rows": rows})
    return sections


def _issued_documents(user, application):
    """The receipt and letters, for the city and the coordinators only (None: not shown)."""
    if not user.has_perm(documents.VIEW_ISSUED, application):
        return None
    return queries.issued_documents(application)


@login_required
def application_detail(request, pk):
    application = get_application(request, pk)
    steps = services.application_steps(application)
    can_change = request.user.has_perm(CHANGE, application)
    context = {
        "application": application,
        "call": application.call,
        "sections": answer_rows(application, steps),
        "transitions": queries.transitions_of(application),
        "can_change": can_change,
        "is_editable": can_change and services.is_editable(application),
        "can_withdraw": can_change and application.status in Status.withdrawable(),
        "call_closed": application.call.has_closed(),
        "issued_documents": _issued_documents(request.user, application),
    }
    return render(request, "intake/applications/detail.html", context)


@login_required
def application_summary(request, pk):
    application = get_application(request, pk, CHANGE)
    steps = services.application_steps(application)
    context = {
        "application": application,
        "call": application.call,
        "steps": steps,
        "sections": answer_rows(application, steps),
        "missing": [item for step in steps for item in step.missing],
        "is_editable": services.is_editable(application),
    }
    return render(request, "intake/applications/summary.html", context)


# --- Filling in a step ----------------------------------------------------------------------


@csrf_exempt
@login_required
def application_step(request, pk, step):
    # Files over the cap are dropped while they stream in; the handler must come first,
    # before anything reads the request body, so the CSRF check runs afterwards.
    request.upload_handlers.insert(0, uploads.SizeLimitUploadHandler(request))
    return _application_step(request, pk, step)


@csrf_protect
@never_cache
def _application_step(request, pk, step):
    application = get_application(request, pk, CHANGE)
    if not application.is_draft:
        return redirect("intake:application_detail", pk=application.pk)
    steps = services.application_steps(application)
    if not 1 <= step <= len(steps):
        raise Http404
    current = steps[step - 1]
    answers = queries.answers_by_question(application)
    editable = services.is_editable(application)
    if request.method != "POST":
        form = ApplicationStepForm(questions=current.questions, answers=answers, read_only=not editable)
        return _render_step(request, application, steps, current, form, answers)

    form = ApplicationStepForm(
        request.POST,
        request.FILES,
        questions=current.questions,
        answers=answers,
        refused_uploads=getattr(request, "refused_uploads", None),
    )
    form.is_valid()
    if not editable:
        messages.error(request, _("The call has closed: your changes were not saved."))
        return _render_step(request, application, steps, current, form, answers, status=409)

    try:
        result = services.save_answers(
            application,
            form.answer_changes(honour_overrides=True),
            by=request.user,
            form_instance=form.form_instance,
        )
        _store_uploads(request, application, form)
        _remove_document(request, application)
    except services.ApplicationRefused as refused:
        messages.error(request, refused.message)
        return _render_step(request, application, steps, current, form, answers, status=409)

    if form.errors or result.conflicts:
        # The page lists what was not saved at its top (see the step template).
        steps = services.application_steps(application)
        fresh = queries.answers_by_question(application)
        return _render_step(
            request, application, steps, steps[step - 1], form, fresh, result=result, status=200
        )
    messages.success(request, _("Saved."))
    if request.POST.get("action") == "continue":
        if step < len(steps):
            return redirect(step_url(application, step + 1))
        return redirect("intake:application_summary", pk=application.pk)
    return redirect(step_url(application, step))


def _store_uploads(request, application, form):
    for question, files in form.uploaded_files():
        for uploaded in files:
            try:
                document = services.add_document(application, question, uploaded, by=request.user)
            except UploadRefused as refused:
                form.refuse_upload(question, uploads.named_refusal(uploaded.name, refused.message))
            else:
                messages.info(request, _("%(name)s is uploaded.") % {"name": document.original_name})


def _remove_document(request, application):
    document_id = request.POST.get("remove_document")
    if not document_id or not document_id.isdigit():
        return
    document = queries.application_document(application, document_id)
    if document is not None:
        services.remove_document(document, by=request.user)
        messages.info(request, _("%(name)s is removed.") % {"name": document.original_name})


def _render_step(request, application, steps, current, form, answers, *, result=None, status=200):
    """The step page; after a save with problems the typed values stay in the form."""
    conflicts = {conflict.question.pk: conflict for conflict in (result.conflicts if result else [])}
    saved = result.answers if result else {}
    documents = {}
    for document in application.documents.all():
        documents.setdefault(document.question_id, []).append(document)
    fields = []
    for question in current.questions:
        if form.is_bound and question.pk not in saved:
            token = form.data.get(base_name(question)) or base_token(answers.get(question.pk))
        else:
            token = base_token(answers.get(question.pk))
        fields.append(
            {
                "question": question,
                "field": form[field_name(question)],
                "base_name": base_name(question),
                "base_token": token,
                "conflict": conflict_context(conflicts.get(question.pk)),
                "documents": documents.get(question.pk, []),
                "is_file": question.kind == QuestionKind.FILE,
                "allowed_types": uploads.allowed_types_text(uploads.kinds_for(question.file_types)),
            }
        )
    # What a save left unsaved, for the summary the page opens with (a link to each field).
    problems = [item for item in fields if item["field"].errors or item["conflict"]]
    editable = services.is_editable(application)
    last = max(answers.values(), key=lambda answer: answer.updated_at, default=None)
    context = {
        # A page shown again after a save keeps its id; a page loaded afresh gets a new one.
        "form_instance": (form.form_instance if form.is_bound else "") or new_form_instance(),
        "application": application,
        "call": application.call,
        "steps": steps,
        "step": current,
        "previous_step": current.number - 1 if current.number > 1 else None,
        "next_step": current.number + 1 if current.number < len(steps) else None,
        "form": form,
        "fields": fields,
        "problems": problems,
        "is_editable": editable,
        "last_saved": last,
        "upload_max_bytes": settings.UPLOAD_MAX_BYTES,
        "upload_max_files": settings.UPLOAD_MAX_FILES,
        "allowed_types": uploads.allowed_types_text(),
        "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
    }
    return render(request, "intake/applications/step.html", context, status=status)


def conflict_context(conflict):
    if conflict is None:
        return None
    answer = conflict.answer
    return {
        "by": answer.updated_by,
        "mine": conflict.mine,
        "at": answer.updated_at,
        "text": display_value(conflict.question, answer.value),
        "override_name": override_name(conflict.question),
        "revision": answer.revision,
    }


@require_POST
@never_cache
def application_autosave(request, pk, step):
    """Save the step's typed values in the background; files wait for the Save button."""
    if not request.user.is_authenticated:
        # The browser keeps the text; autosave.js asks the person to log in again.
        return HttpResponse(_("Your session has expired."), status=401)
    application = get_application(request, pk, CHANGE)
    steps = services.application_steps(application)
    if not 1 <= step <= len(steps):
        raise Http404
    current = steps[step - 1]
    questions = [question for question in current.questions if question.kind != QuestionKind.FILE]
    answers = queries.answers_by_question(application)
    form = ApplicationStepForm(request.POST, questions=questions, answers=answers)
    form.is_valid()
    context = {"application": application, "call": application.call, "fields": [], "error": ""}
    try:
        result = services.save_answers(
            application,
            form.answer_changes(honour_overrides=False),
            by=request.user,
            form_instance=form.form_instance,
        )
    except services.ApplicationRefused as refused:
        context["error"] = refused.message
        return render(request, "intake/applications/_autosave.html", context)
    conflicts = {conflict.question.pk: conflict for conflict in result.conflicts}
    saved = result.answers
    for question in questions:
        name = field_name(question)
        context["fields"].append(
            {
                "name": name,
                "base_name": base_name(question),
                "base_token": base_token(saved[question.pk]) if question.pk in saved else None,
                "errors": form.errors.get(name, []),
                "conflict": conflict_context(conflicts.get(question.pk)),
            }
        )
    now = timezone.localtime(timezone.now(), application.call.tzinfo)
    context["saved_at"] = now
    # A refused field is named, and nothing says it was saved.
    context["refused"] = [
        question.label
        for question in questions
        if question.pk in conflicts or field_name(question) in form.errors
    ]
    context["others_saved"] = bool(result.saved)
    response = render(request, "intake/applications/_autosave.html", context)
    kept = [field_name(question) for question in questions if question.pk not in conflicts]
    kept = [name for name in kept if name not in form.errors]
    return trigger_client_event(response, "autosaved", {"saved": kept, "at": time_format(now, "H:i")})


# --- Files ----------------------------------------------------------------------------------


@login_required
@never_cache
def document_download(request, pk):
    document = get_object_or_404(queries.documents_with_application(), pk=pk)
    if not request.user.has_perm("intake.view_document", document):
        raise Http404
    response = private_file(
        document.file, filename=document.original_name, content_type=document.content_type
    )
    services.record_document_download(document, by=request.user)
    return response


# --- Submitting and withdrawing -----------------------------------------------------------


@login_required
@never_cache
def application_submit(request, pk):
    application = get_application(request, pk, CHANGE)
    if not application.is_draft:
        return redirect("intake:application_detail", pk=application.pk)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_application(
                application,
                request.user,
                declaration=True,
                privacy_accepted=True,
                arrived_at=getattr(request, "arrived_at", None),
            )
        except services.ApplicationRefused as refused:
            problems = refused.problems or [refused.message]
        else:
            application.refresh_from_db()
            messages.success(
                request,
                _(
                    "Your application is submitted. Its reference is %(reference)s; "
                    "a confirmation email is on its way."
                )
                % {"reference": application.reference},
            )
            return redirect("intake:application_detail", pk=application.pk)
    steps = services.application_steps(application)
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "problems": problems,
        "missing": [item for step in steps for item in step.missing],
        "email_verified": services.has_verified_email(request.user),
        "is_editable": services.is_editable(application),
        "privacy_notice_version": settings.PRIVACY_NOTICE_VERSION,
    }
    return render(request, "intake/applications/submit.html", context, status=422 if problems else 200)


@login_required
def application_withdraw(request, pk):
    application = get_application(request, pk, CHANGE)
    if application.status not in Status.withdrawable():
        messages.error(request, _("This application can no longer be withdrawn: its review has started."))
        return redirect("intake:application_detail", pk=application.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(application, request.user, note=form.cleaned_data["note"])
        except services.ApplicationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your application is withdrawn."))
        return redirect("intake:application_detail", pk=application.pk)
    return render(
        request,
        "intake/applications/withdraw.html",
        {"application": application, "call": application.call, "form": form},
    )
