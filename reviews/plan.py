"""The selection read model: the proposal of a call with its rows, reasons and reason codes.

The optimiser (``selection.py``) picks; this module says, for every application, what it
was proposed and why, in the words a coordinator and an applicant read. It writes nothing.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake.models import Status

from . import aggregation, selection
from .models import (
    Outcome,
    ReviewSettings,
    SelectionOverride,
)
from .reasons import reasons_in


def selection_rules(call, review_settings=None):
    """The call's selection rules as the optimiser reads them."""
    review_settings = review_settings or ReviewSettings.objects.for_call(call)
    return selection.Rules(
        places=call.places,
        max_per_country=call.max_per_country,
        min_distinct_countries=review_settings.min_distinct_countries or 0,
        reserve_size=call.reserve_size,
    )


class Reason(models.TextChoices):
    """Why an application is not proposed, with the words the pages and exports show.

    The optimiser's own reasons (``selection.py``) have the same codes.
    """

    # Outside the ranking.
    NOT_SCREENED = "not_screened", gettext_lazy("Eligibility not yet decided")
    NOT_ELIGIBLE = "not_eligible", gettext_lazy("Not eligible")
    REVIEWS_INCOMPLETE = "reviews_incomplete", gettext_lazy("Reviews incomplete")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")
    DECLINED_PLACE = "declined", gettext_lazy("Declined the place")
    # Ranked, not proposed.
    BELOW_CUT_OFF = "below_cut_off", gettext_lazy("Below the cut-off")
    THRESHOLDS = selection.THRESHOLDS, gettext_lazy("Threshold not met")
    COUNTRY_LIMIT = selection.COUNTRY_LIMIT, gettext_lazy("Country limit")
    DISTINCT_COUNTRIES = (
        selection.DISTINCT_COUNTRIES,
        gettext_lazy("Displaced to meet the minimum of countries"),
    )
    OVERRIDE_EXCLUDED = selection.OVERRIDE_EXCLUDED, gettext_lazy("Left out by the coordinators")
    OVERRIDE_PLACES = (
        selection.OVERRIDE_PLACES,
        gettext_lazy("Place taken by a city included by the coordinators"),
    )


def reason_label(code):
    """The reason in the reader's language ("" for no reason or an unknown code)."""
    return Reason(code).label if code in Reason.values else ""


NOT_SCREENED = Reason.NOT_SCREENED
NOT_ELIGIBLE = Reason.NOT_ELIGIBLE
REVIEWS_INCOMPLETE = Reason.REVIEWS_INCOMPLETE
WITHDRAWN = Reason.WITHDRAWN
DECLINED_PLACE = Reason.DECLINED_PLACE
BELOW_CUT_OFF = Reason.BELOW_CUT_OFF


def unranked_reason(result):
    """Why an application is outside the ranking, or None when it is in it."""
    status = result.application.status
    if status == Status.SUBMITTED:
        return NOT_SCREENED
    if status == Status.INELIGIBLE:
        return NOT_ELIGIBLE
    if status == Status.WITHDRAWN:
        return WITHDRAWN
    if status == Status.DECLINED:
        return DECLINED_PLACE
    if not result.is_ranked:
        return REVIEWS_INCOMPLETE
    return None


@dataclass
class SelectionPlan:
    """The proposal for a call with what the pages, exports and finalisation need around it."""

    call: object
    results: object  # aggregation.CallResults
    rules: object  # selection.Rules
    proposal: object  # selection.Proposal
    overrides: dict = field(default_factory=dict)  # application id -> SelectionOverride

    @property
    def feasible(self):
        return self.proposal.feasible

    @property
    def problem_text(self):
        return {
            "distinct_countries_unreachable": _(
                "The rules cannot be met: at least %(count)s different countries are required, and the "
                "cities that pass the thresholds do not come from that many countries within the places."
            )
            % {"count": self.rules.min_distinct_countries},
            "overrides_exceed_places": _("More cities are included by hand than there are places."),
        }.get(self.proposal.problem, "")

    @property
    def cut_off(self):
        cut_off = self.proposal.cut_off
        return Decimal(cut_off) / 100 if cut_off is not None else None

    def outcome_for(self, application_id):
        if application_id in {c.key for c in self.proposal.selected}:
            return Outcome.SELECTED
        if application_id in {entry.candidate.key for entry in self.proposal.reserve}:
            return Outcome.RESERVE
        return Outcome.NOT_SELECTED

    def reserve_entry(self, application_id):
        for entry in self.proposal.reserve:
            if entry.candidate.key == application_id:
                return entry
        return None

    def distance_to_cut_off(self, result):
        """Points above (positive) or below (negative) the last selected city."""
        if self.cut_off is None or result.final_score is None:
            return None
        return result.final_score - self.cut_off

    def unranked_reason(self, result):
        return unranked_reason(result)

    def reason_code(self, result):
        """Why an application is not proposed: a rule of selection.py or of this module."""
        unranked = self.unranked_reason(result)
        if unranked:
            return unranked
        entry = self.proposal.reason_for(result.pk)
        if entry is not None:
            return entry.reason
        if not result.passes_thresholds:
            return selection.THRESHOLDS
        if self.outcome_for(result.pk) == Outcome.SELECTED:
            return None
        return BELOW_CUT_OFF

    def rows(self):
        """Every ranked application in rank order with its proposed outcome and the reason."""
        by_key = self.results.by_application()
        taken_by = {entry.candidate.key: entry.taken_by for entry in self.proposal.left_out}
        for result in self.results.ranked:
            outcome = self.outcome_for(result.pk)
            yield SelectionRow(
                result=result,
                outcome=outcome,
                reason=None if outcome == Outcome.SELECTED else self.reason_code(result),
                taken_by=[by_key[c.key] for c in taken_by.get(result.pk, ())],
                reserve=self.reserve_entry(result.pk),
                override=self.overrides.get(result.pk),
                distance=self.distance_to_cut_off(result),
            )

    def unranked(self):
        return [
            (r, self.unranked_reason(r)) for r in self.results.results if not r.is_ranked or r.rank is None
        ]


@dataclass
class SelectionRow:
    result: object
    outcome: str
    reason: str | None
    taken_by: list
    reserve: object
    override: object
    distance: Decimal | None


def candidates_of(call_results):
    """The ranked applications that may be proposed, as the optimiser's candidates."""
    return [
        selection.Candidate(
            key=result.pk,
            rank=result.rank,
            country=result.application.organisation.country,
            score=aggregation.score_in_hundredths(result),
            passes=result.passes_thresholds,
        )
        for result in call_results.ranked
        if result.application.status in Status.proposable()
    ]


def propose_selection(call, *, call_results=None):
    """The optimal selection and reserve list of ``call`` under its rules and overrides."""
    review_settings = call_results.settings if call_results else ReviewSettings.objects.for_call(call)
    call_results = call_results or aggregation.load_call_results(call, settings=review_settings)
    rules = selection_rules(call, review_settings)
    overrides = {
        o.application_id: o for o in SelectionOverride.objects.filter(call=call).select_related("created_by")
    }
    include = {pk for pk, o in overrides.items() if o.action == SelectionOverride.Action.INCLUDE}
    exclude = {pk for pk, o in overrides.items() if o.action == SelectionOverride.Action.EXCLUDE}
    proposal = selection.propose(candidates_of(call_results), rules, include=include, exclude=exclude)
    return SelectionPlan(call=call, results=call_results, rules=rules, proposal=proposal, overrides=overrides)


def reason_facts(plan, row, note=""):
    """Why a city got its decision, as facts (codes and values, no words): the words come in
    the reader's language when an email or a letter is written (``reasons_in``). Never
    names other cities."""
    result = row.result
    facts = []
    excluded = row.override is not None and row.override.action == SelectionOverride.Action.EXCLUDE
    if row.outcome == Outcome.RESERVE:
        facts.append({"fact": "reserve", "position": row.reserve.position})
    elif excluded or row.reason in (selection.OVERRIDE_EXCLUDED, selection.OVERRIDE_PLACES):
        # The coordinators' choice decided, whatever the scores say.
        facts.append({"fact": "override"})
    elif row.reason == selection.THRESHOLDS:
        for criterion_row in result.failed_criteria:
            facts.append(
                {
                    "fact": "criterion_threshold",
                    "criterion": criterion_row.criterion.pk,
                    "score": str(criterion_row.final_display),
                    "threshold": str(criterion_row.criterion.threshold),
                }
            )
        if not result.passes_overall:
            facts.append(
                {
                    "fact": "overall_threshold",
                    "score": str(result.final_score),
                    "threshold": str(plan.results.limits.overall_threshold),
                }
            )
    elif row.reason == selection.COUNTRY_LIMIT:
        facts.append({"fact": "country_limit", "count": plan.rules.max_per_country})
    elif row.reason == selection.DISTINCT_COUNTRIES:
        facts.append({"fact": "distinct_countries", "count": plan.rules.min_distinct_countries})
    elif row.reason == BELOW_CUT_OFF and plan.cut_off is not None:
        fact = "tied_at_cut_off" if result.final_score == plan.cut_off else "below_cut_off"
        facts.append({"fact": fact, "score": str(result.final_score), "cut_off": str(plan.cut_off)})
    if note:
        facts.append({"fact": "note", "text": note})
    return facts


def reasons_for_applicant(plan, row, note="", language=None):
    """The reasons as a city reads them, in ``language`` (the active one by default)."""
    criteria = {criterion.pk: criterion for criterion in plan.results.criteria}
    return reasons_in(reason_facts(plan, row, note), language or translation.get_language(), criteria)
