"""The builder's calls: the list, a new call, a copy, the overview, the check and publishing."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviews.models import ReviewSettings

from .. import checks, queries
from ..forms import CopyCallForm, NewCallForm, apply_refusal
from ..services import (
    BuildRefused,
    copy_call,
    create_call,
    create_project,
    may_create_calls,
    may_create_projects,
    publish_call,
    suggested_slug,
    unpublish_call,
    weights_total,
)
from .common import NAV, call_or_404, page


@login_required
def home(request):
    """Every call the person coordinates, to build or copy; and a new one."""
    return render(
        request,
        "builder/home.html",
        {"calls": list(queries.builder_calls(request.user)), "may_create": may_create_calls(request.user)},
    )


def _default_dates(zone):
    """Opens tomorrow at 9:00 and closes six weeks later at 17:00, on the call's wall clock."""
    today = timezone.localtime(timezone.now(), zone).date()
    opens = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(9, 0))
    closes = dt.datetime.combine(today + dt.timedelta(days=43), dt.time(17, 0))
    return opens.replace(tzinfo=zone), closes.replace(tzinfo=zone)


@login_required
def call_create(request):
    if not may_create_calls(request.user):
        raise Http404
    projects = queries.new_call_projects(request.user)
    may_create_project = may_create_projects(request.user)
    opens, closes = _default_dates(timezone.get_current_timezone())
    form = NewCallForm(
        request.POST or None,
        projects=projects,
        may_create_project=may_create_project,
        initial={"opens_at": opens, "closes_at": closes, "timezone": "Europe/Brussels"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                project = data["project"] or create_project(
                    by=request.user,
                    acronym=data["project_acronym"],
                    title_en=data["project_title_en"],
                    title_fr=data.get("project_title_fr", ""),
                )
                call = create_call(
                    by=request.user,
                    project=project,
                    title_en=data["title_en"],
                    title_fr=data["title_fr"],
                    slug=data["slug"] or suggested_slug(data["title_en"]),
                    reference_prefix=data["reference_prefix"],
                    timezone=data["timezone"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                )
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(request, _("The call is created, unpublished. Build it step by step."))
            return redirect("builder:overview", slug=call.slug)
    return render(
        request, "builder/call_create.html", {"form": form, "may_create_project": may_create_project}
    )


@login_required
def call_copy(request, slug):
    source = call_or_404(request, slug)
    opens, closes = _default_dates(source.tzinfo)
    form = CopyCallForm(
        request.POST or None, zone=source.tzinfo, initial={"opens_at": opens, "closes_at": closes}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = copy_call(
                source,
                by=request.user,
                slug=data["slug"],
                reference_prefix=data["reference_prefix"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                title_en=data["title_en"],
                title_fr=data["title_fr"],
                evaluators=data["evaluators"],
            )
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("The copy is made, unpublished, without any application. Check its texts and dates."),
            )
            return redirect("builder:overview", slug=call.slug)
    return render(
        request, "builder/call_copy.html", {"source": source, "form": form, "size": queries.call_size(source)}
    )


def _problem_groups(call, problems):
    """The check's problems by page of the builder, in the builder's order:
    ``[(page's label, page's URL, [problem])]``."""
    by_area = {}
    for problem in problems:
        by_area.setdefault(problem.area, []).append(problem)
    return [
        (label, reverse(name, args=[call.slug]), by_area[key]) for key, label, name in NAV if key in by_area
    ]


@login_required
def overview(request, slug):
    call = call_or_404(request, slug)
    problems = checks.publish_problems(call)
    context = {
        "size": queries.call_size(call),
        "weights_total": weights_total(call),
        "review_settings": ReviewSettings.objects.for_call(call),
        "problems": problems,
        "problem_groups": _problem_groups(call, problems),
    }
    return page(request, "builder/overview.html", call, "overview", context)


@login_required
def publish(request, slug):
    """The check before publishing: every problem with a link to where it is fixed."""
    call = call_or_404(request, slug)
    if request.method == "POST":
        try:
            publish_call(call, by=request.user)
        except BuildRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The call is published: its public page is open."))
            return redirect("builder:publish", slug=call.slug)
    problems = checks.publish_problems(call)
    return page(
        request,
        "builder/publish.html",
        call,
        "publish",
        {"problems": problems, "problem_groups": _problem_groups(call, problems)},
    )


@login_required
@require_POST
def unpublish(request, slug):
    call = call_or_404(request, slug)
    try:
        unpublish_call(call, by=request.user)
    except BuildRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The call is no longer published."))
    return redirect("builder:publish", slug=call.slug)
