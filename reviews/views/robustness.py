"""The coordinator's view of how sure the selection is: computing it, its progress, the lottery.

The ranking page and the ranking sheet read the stored result through
reviews/robustness.py; these views change it. Only the call's coordinators reach them.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from intake.access import coordinated_call_or_404

from .. import queries, rank_charts, robustness, services


class LotteryAnnounceForm(forms.Form):
    seed = forms.IntegerField(
        label=gettext_lazy("Lottery number"),
        min_value=0,
        max_value=10**15,
        help_text=gettext_lazy("A number nobody here chooses, such as the result of a public draw."),
    )
    seed_source = forms.CharField(
        label=gettext_lazy("Where the number comes from"),
        max_length=200,
        help_text=gettext_lazy("For example the public draw and its date."),
    )


def annotate(lines, current, places, *, ranked):
    """Add each ranking line's estimate and its inline chart (the numbers stay in the text).

    ``ranked`` (how many cities the whole ranking has) bounds the charts' axis, the same on
    every page.
    """
    estimates = [current.estimate(line["pk"]) for line in lines]
    axis_max = min(ranked + 1, rank_charts.axis_end(estimates, places)) if lines else 0
    template = rank_charts.describe_template()
    drawn = current.drawn_keys
    for line, estimate in zip(lines, estimates, strict=True):
        line["estimate"] = estimate
        line["drawn"] = bool(drawn) and line["reference"] in drawn
        line["rank_svg"] = (
            rank_charts.rank_bar(
                estimate, axis_max=axis_max, places=places, grey=estimate.in_grey_zone, template=template
            )
            if estimate
            else ""
        )
    return lines


def panel_context(call, current, *, finalised):
    return {
        "robustness": current,
        "finalised": finalised,
        "replay_command": robustness.replay_command(current.lottery) if current.lottery else "",
    }


@login_required
@require_POST
def compute(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    stored = robustness.request_estimate(call, by=request.user)
    if stored.is_done:
        messages.success(request, _("The selection probabilities are computed."))
    else:
        messages.info(
            request, _("The selection probabilities are being computed; this page follows the progress.")
        )
    return redirect("reviews:ranking", call.slug)


@login_required
def progress(request, slug):
    """The progress bar htmx polls; once the result is stored the page reloads itself."""
    call = coordinated_call_or_404(request.user, slug)
    stored = queries.stored_uncertainty(call)
    if stored is None or not stored.is_pending:
        return HttpResponseClientRefresh()
    return render(request, "reviews/ranking/_robustness_progress.html", {"call": call, "stored": stored})


@login_required
@require_POST
def lottery_announce(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    form = LotteryAnnounceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the lottery number and where it comes from."))
        return redirect("reviews:ranking", call.slug)
    try:
        robustness.announce_lottery(
            call, by=request.user, seed=form.cleaned_data["seed"], source=form.cleaned_data["seed_source"]
        )
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The lottery number is fixed and shown; the lottery can now be drawn."))
    return redirect("reviews:ranking", call.slug)


@login_required
@require_POST
def lottery_draw(request, slug):
    call = coordinated_call_or_404(request.user, slug)
    try:
        drawn = robustness.draw_lottery(call, by=request.user)
    except services.EvaluationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The lottery is drawn: %(count)s cities; the selection now includes them.")
            % {"count": len(drawn.drawn)},
        )
    return redirect("reviews:ranking", call.slug)
