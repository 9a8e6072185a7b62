"""The coordinator's dashboard of a call: counts, progress, scores and disagreements, with charts.

A fixed number of queries whatever the number of applications: counts are grouped in
the database, scores come from one load of the call (reviews/aggregation.py).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import aggregation, charts
from .queries import country_counts, evaluator_progress, status_counts


@dataclass
class Dashboard:
    call: object
    results: object
    by_status: list = field(default_factory=list)  # (label, count)
    by_country: list = field(default_factory=list)  # (country, count)
    progress: list = field(default_factory=list)  # EvaluatorProgress
    charts: dict = field(default_factory=dict)

    @property
    def disagreements(self):
        return self.results.disagreements

    @property
    def final_scores(self):
        return [r.final_score for r in self.results.results if r.final_score is not None and r.is_complete]

    @property
    def score_bins(self):
        """The score chart's bars as (range, count), the empty ones left out: its data table."""
        return [
            (charts.score_bin_label(start, end), count)
            for start, end, count in charts.histogram_bins(self.final_scores)
            if count
        ]

    @property
    def total(self):
        return sum(n for _, n in self.by_status)


def charts_for(dashboard, cut_off=None):
    results = dashboard.results
    scores = dashboard.final_scores
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
        "scores": charts.histogram(
            scores,
            title=_("Distribution of final scores"),
            markers=[(_("threshold"), results.limits.overall_threshold), (_("cut-off"), cut_off)],
            empty=_("No complete review yet."),
        ),
    }


def build(call, *, call_results=None, cut_off=None):
    dashboard = Dashboard(
        call=call,
        results=call_results or aggregation.load_call_results(call),
        by_status=status_counts(call),
        by_country=country_counts(call),
        progress=evaluator_progress(call),
    )
    dashboard.charts = charts_for(dashboard, cut_off)
    return dashboard
