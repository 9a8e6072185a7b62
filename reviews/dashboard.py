"""The coordinator's dashboard of a call: counts, progress, scores and disagreements, with charts.

A fixed number of queries whatever the number of applications: counts are grouped in
the database; the scores' chart and the disagreements come from the stored ranking
(reviews/stored.py) on the page, from one load of the call (reviews/aggregation.py) in
the selection report.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import charts
from .queries import country_counts, evaluator_progress, status_counts


@dataclass
class Dashboard:
    call: object
    limits: object  # aggregation.Limits
    score_counts: list  # complete applications by final score, in bins of SCORE_STEP points
    disagreements: list  # ApplicationResult with a disagreement (on the page, those of one page)
    by_status: list = field(default_factory=list)  # (label, count)
    by_country: list = field(default_factory=list)  # (country, count)
    progress: list = field(default_factory=list)  # EvaluatorProgress
    charts: dict = field(default_factory=dict)

    @property
    def score_bins(self):
        """The score chart's bars as (range, count), the empty ones left out: its data table."""
        return [
            (charts.score_bin_label(start * SCORE_STEP, (start + 1) * SCORE_STEP), count)
            for start, count in enumerate(self.score_counts)
            if count
        ]

    @property
    def total(self):
        return sum(n for _, n in self.by_status)


SCORE_STEP = 5


def score_counts(results):
    """Complete applications by final score, in bins of SCORE_STEP points from 0 to 100."""
    scores = [r.final_score for r in results if r.final_score is not None and r.is_complete]
    return [count for _start, _end, count in charts.histogram_bins(scores, step=SCORE_STEP)]


def charts_for(dashboard, cut_off=None):
    return {
        "status": charts.bar_chart(
            dashboard.by_status, title=_("Applications by status"), empty=_("No application yet.")
        ),
        "country": charts.bar_chart(
            dashboard.by_country, title=_("Applications by country"), empty=_("No application yet.")
        ),
        "progress": charts.stacked_bar_chart(
            [(p.name, p.submitted, p.assigned) for p in dashboard.progress],
            title=_("Review progress per evaluator"),
            legend=(_("Submitted"), _("Assigned")),
            empty=_("No assignment yet."),
        ),
        "scores": charts.histogram_of_counts(
            dashboard.score_counts,
            step=SCORE_STEP,
            title=_("Distribution of final scores"),
            markers=[(_("threshold"), dashboard.limits.overall_threshold), (_("cut-off"), cut_off)],
            empty=_("No complete review yet."),
        ),
    }


def build(call, *, limits, score_counts, disagreements, progress, cut_off=None):
    dashboard = Dashboard(
        call=call,
        limits=limits,
        score_counts=score_counts,
        disagreements=disagreements,
        by_status=status_counts(call),
        by_country=country_counts(call),
        progress=progress,
    )
    dashboard.charts = charts_for(dashboard, cut_off)
    return dashboard


def from_results(call, call_results, *, cut_off=None):
    """The dashboard of a whole load of the call (the selection report prints it)."""
    return build(
        call,
        limits=call_results.limits,
        score_counts=score_counts(call_results.results),
        disagreements=call_results.disagreements,
        progress=evaluator_progress(call),
        cut_off=cut_off,
    )
