"""What the coordinator's pages read of the stored ranking (reviews/snapshot.py).

The ranking, the selection, a ranking sheet, the dashboard and the sensitivity page read
the rows and the summary stored once per change, a page of rows at a time, so each
costs the same few queries at any size of call. Words are put in as the page is read,
in the reader's language; the numbers are those the stored ranking was computed with.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.formatting import country_name, points

from . import aggregation, dashboard, queries, snapshot
from .models import Criterion, Decision, Outcome, RankingEntry, ReviewSettings, SelectionOverride
from .plan import Reason, SelectionPlan, selection_rules, unranked_reason
from .templatetags.ranking_tags import tie_rule

EMPTY_SUMMARY = {"ranked": 0, "selected": 0, "reserve": 0, "unranked": 0, "disagreements": 0}


@dataclass
class StoredRanking:
    """The stored summary of a call as its pages read it."""

    call: object
    snapshot: object  # RankingSnapshot
    settings: ReviewSettings
    criteria: list

    @property
    def summary(self):
        # A ranking never computed yet counts nothing.
        return {**EMPTY_SUMMARY, **self.snapshot.summary}

    @property
    def is_current(self):
        return self.snapshot.is_current

    @property
    def rules(self):
        return selection_rules(self.call, self.settings)

    @property
    def feasible(self):
        return self.summary.get("feasible", True)

    @property
    def cut_off(self):
        cut_off = self.summary.get("cut_off")
        return Decimal(cut_off) if cut_off is not None else None

    @property
    def places_unfilled(self):
        return self.summary.get("places_unfilled", 0)

    @property
    def problem_text(self):
        plan = SelectionPlan(call=self.call, results=None, rules=self.rules, proposal=_Problem(self.summary))
        return plan.problem_text

    @property
    def limits(self):
        return aggregation.limits_for(self.settings)

    @property
    def moments(self):
        """The evaluators' moments the z-scores were computed with."""
        return {int(pk): tuple(moment) for pk, moment in self.summary.get("moments", {}).items()}

    @property
    def countries(self):
        """{code: name in the reader's language} of the ranked cities' countries."""
        return {code: country_name(code) for code in self.summary.get("countries", {}) if code}

    def count(self, *, outcome="", country=""):
        """How many ranked cities the filters keep, from the stored counts."""
        summary = self.summary
        if country:
            if outcome:
                return summary.get("by_country", {}).get(f"{country}:{outcome}", 0)
            return summary.get("countries", {}).get(country, 0)
        if outcome == Outcome.SELECTED:
            return summary.get("selected", 0)
        if outcome == Outcome.RESERVE:
            return summary.get("reserve", 0)
        if outcome == Outcome.NOT_SELECTED:
            return summary.get("ranked", 0) - summary.get("selected", 0) - summary.get("reserve", 0)
        return summary.get("ranked", 0)

    def entries(self):
        return RankingEntry.objects.filter(snapshot=self.snapshot).select_related("application__organisation")

    def results_of(self, application_ids):
        """The numbers of some of the call's applications, z-scores as in the stored ranking."""
        return aggregation.load_results_of(
            self.call, application_ids, settings=self.settings, criteria=self.criteria, moments=self.moments
        )


@dataclass
class _Problem:
    summary: dict

    @property
    def problem(self):
        return self.summary.get("problem", "")


def read(call):
    """The current stored ranking of ``call`` with its settings and criteria."""
    return StoredRanking(
        call=call,
        snapshot=snapshot.current(call),
        settings=ReviewSettings.objects.for_call(call),
        criteria=list(Criterion.objects.filter(call=call).order_by("order", "pk")),
    )


# --------------------------------------------------------------------------------------
# The ranking
# --------------------------------------------------------------------------------------


def ranked_entries(stored, *, outcome="", country=""):
    """The ranked entries, filtered, with their applications (keyset order: position)."""
    entries = stored.entries().filter(position__isnull=False)
    if outcome:
        entries = entries.filter(outcome=outcome)
    if country:
        entries = entries.filter(application__organisation__country=country)
    return entries


def unranked_entries(stored):
    """The applications outside the ranking (keyset order: application id)."""
    return stored.entries().filter(position__isnull=True)


def lines(call, entries, criteria):
    """What each row of the ranking table prints, in the reader's language."""
    sheet_url = reverse("reviews:ranking_sheet", args=[call.slug, 0]).removesuffix("0/")
    reasons = {code: str(label) for code, label in Reason.choices}
    by_pk = {criterion.pk: criterion for criterion in criteria}
    decisions = {
        d.application_id: d
        for d in Decision.objects.filter(application_id__in=[e.application_id for e in entries])
    }
    below = _("Below the city above: %(rule)s.")
    rows = []
    for entry in entries:
        line = entry.line
        application = entry.application
        rule = _tie_rule(line.get("tie"), by_pk)
        rows.append(
            {
                "pk": entry.application_id,
                "rank": entry.position,
                "url": f"{sheet_url}{entry.application_id}/",
                "name": application.organisation.name,
                "reference": application.reference,
                "country": application.organisation.country,
                "cells": [[points(value), failed, agreed] for value, failed, agreed in line.get("cells", [])],
                "final": points(line.get("final")),
                "normalised": "—" if line.get("normalised") is None else floatformat(line["normalised"], 2),
                "passes": line.get("passes"),
                "decision": decisions.get(entry.application_id),
                "outcome": entry.outcome,
                "reserve_position": entry.reserve_position,
                "overridden": entry.overridden,
                "reason": reasons.get(entry.reason, ""),
                "tie_note": below % {"rule": tie_rule(rule)}
                if rule and rule[0] != aggregation.TIE_BREAK_SCORE
                else "",
                "disagreement": entry.disagreement,
            }
        )
    return rows, bool(decisions)


def _tie_rule(stored_rule, criteria_by_pk):
    """A stored tie-break rule as the ranking tags read it: (kind, criterion or None)."""
    if not stored_rule:
        return None
    kind, criterion = stored_rule
    return (kind, criteria_by_pk.get(criterion))


# --------------------------------------------------------------------------------------
# The selection
# --------------------------------------------------------------------------------------


@dataclass
class SelectionEntry:
    """A city as the selection page lists it."""

    entry: RankingEntry
    failed: list = field(default_factory=list)  # (criterion, final value shown)
    taken_by: list = field(default_factory=list)  # Applications
    could_replace: list = field(default_factory=list)  # Applications
    override: object = None  # SelectionOverride

    @property
    def application(self):
        return self.entry.application

    @property
    def line(self):
        return self.entry.line


@dataclass
class StoredSelection:
    selected: list
    reserve: list
    left_out: list  # better ranked than the last proposed city, and why they are not
    overrides: list  # SelectionOverride, with their applications


def selection(stored):
    """The proposed selection, the reserve list and the cities left out, from the stored rows."""
    overrides = {
        o.application_id: o
        for o in SelectionOverride.objects.filter(call=stored.call).select_related(
            "created_by", "application__organisation"
        )
    }
    criteria = {criterion.pk: criterion for criterion in stored.criteria}
    entries = stored.entries()
    selected = list(entries.filter(outcome=Outcome.SELECTED).order_by("position"))
    reserve = list(entries.filter(outcome=Outcome.RESERVE).order_by("reserve_position"))
    left_out = [
        entry
        for entry in entries.filter(position__lte=stored.summary.get("last_selected_rank", 0))
        .exclude(outcome=Outcome.SELECTED)
        .order_by("position")
        if entry.line.get("left_out")
    ]
    # The cities a reserve city could replace, or that took a place, are all selected.
    by_pk = {entry.application_id: entry.application for entry in selected}

    def listed(entry):
        line = entry.line
        return SelectionEntry(
            entry=entry,
            failed=[(criteria[pk], shown) for pk, shown in line.get("failed", []) if pk in criteria],
            taken_by=[by_pk[pk] for pk in line.get("taken_by", []) if pk in by_pk],
            could_replace=[by_pk[pk] for pk in line.get("could_replace", []) if pk in by_pk],
            override=overrides.get(entry.application_id),
        )

    return StoredSelection(
        selected=[listed(entry) for entry in selected],
        reserve=[listed(entry) for entry in reserve],
        left_out=[listed(entry) for entry in left_out],
        overrides=list(overrides.values()),
    )


# --------------------------------------------------------------------------------------
# A ranking sheet
# --------------------------------------------------------------------------------------


@dataclass
class ReservePlace:
    position: int
    could_replace: list  # application ids

    @property
    def can_take_any_place(self):
        return bool(self.could_replace)


@dataclass
class CityRef:
    """Another city a sheet names: its application."""

    application: object

    @property
    def pk(self):
        return self.application.pk


@dataclass
class SheetRow:
    """The stored proposal for the sheet's city (as ``plan.SelectionRow`` has it)."""

    outcome: str
    reason: str
    taken_by: list  # CityRef
    reserve: ReservePlace | None
    override: object
    distance: Decimal | None


@dataclass
class Sheet:
    result: object  # aggregation.ApplicationResult, with its stored rank
    row: SheetRow | None
    neighbours: dict  # "above" / "below": CityRef or None
    unranked_reason: str | None
    by_key: dict  # application id -> CityRef, of the cities the row names


def sheet(stored, application):
    """Everything the ranking sheet of ``application`` shows: its numbers and its stored place."""
    (result,) = stored.results_of([application.pk])
    entries = stored.entries()
    entry = entries.filter(application=application).first()
    if entry is None or entry.position is None:
        reason = entry.reason if entry is not None and entry.reason else unranked_reason(result)
        return Sheet(result=result, row=None, neighbours={}, unranked_reason=reason, by_key={})
    result.rank = entry.position
    criteria = {criterion.pk: criterion for criterion in stored.criteria}
    around = {e.position: e for e in entries.filter(position__in=[entry.position - 1, entry.position + 1])}
    above, below = around.get(entry.position - 1), around.get(entry.position + 1)
    result.tie_above = _tie_rule(entry.line.get("tie"), criteria)
    result.tie_below = _tie_rule(below.line.get("tie"), criteria) if below else None
    line = entry.line
    named = set(line.get("taken_by", [])) | set(line.get("could_replace", []))
    by_key = {e.application_id: CityRef(e.application) for e in entries.filter(application_id__in=named)}
    cut_off = stored.cut_off
    row = SheetRow(
        outcome=entry.outcome,
        reason=entry.reason,
        taken_by=[by_key[pk] for pk in line.get("taken_by", []) if pk in by_key],
        reserve=ReservePlace(entry.reserve_position, line.get("could_replace", []))
        if entry.outcome == Outcome.RESERVE
        else None,
        override=SelectionOverride.objects.filter(call=stored.call, application=application).first()
        if entry.overridden
        else None,
        distance=None if cut_off is None or result.final_score is None else result.final_score - cut_off,
    )
    return Sheet(
        result=result,
        row=row,
        neighbours={
            "above": CityRef(above.application) if above else None,
            "below": CityRef(below.application) if below else None,
        },
        unranked_reason=None,
        by_key=by_key,
    )


# --------------------------------------------------------------------------------------
# The dashboard and the sensitivity
# --------------------------------------------------------------------------------------


def disagreement_entries(stored):
    """The applications whose evaluators disagree (keyset order: application id)."""
    return stored.entries().filter(disagreement=True)


def dashboard_of(stored, disagreements):
    """The dashboard, with the results of one page of ``disagreements`` (RankingEntry)."""
    results = {r.pk: r for r in stored.results_of([entry.application_id for entry in disagreements])}
    return dashboard.build(
        stored.call,
        limits=stored.limits,
        score_counts=stored.summary.get("score_counts") or dashboard.score_counts([]),
        disagreements=[results[e.application_id] for e in disagreements if e.application_id in results],
        progress=queries.evaluator_progress(stored.call, stored.summary.get("progress")),
        cut_off=stored.cut_off,
    )


@dataclass
class WeightChange:
    """A city whose selection changes when the weights move (reviews/sensitivity.py)."""

    application: object
    rank: int
    in_proposal: bool
    changed: int
    example: list  # Decimal weights


@dataclass
class StoredSensitivity:
    samples: int
    infeasible: int
    changes: list  # WeightChange

    @property
    def is_stable(self):
        return not self.changes


def sensitivity(stored):
    """The stored sensitivity to the weights, computed first if the ranking moved since.

    None while a worker computes it: a large call's comes with its ranking (a minute at
    50,000 applications, too long for a page).
    """
    stored_snapshot = stored.snapshot
    record = stored_snapshot.sensitivity
    if stored_snapshot.sensitivity_version != stored_snapshot.built_version:
        record = None
    if record is None:
        if not stored_snapshot.built_version:
            return None  # the first ranking is on its way, the sensitivity with it
        if stored_snapshot.size > snapshot.SYNC_LIMIT:
            snapshot.queue_sensitivity(stored_snapshot)
            return None
        record = snapshot.store_sensitivity(stored_snapshot)
    changes = record.get("changes", [])
    # One query for the cities named, even when none is (an empty list would skip it), so
    # the page costs the same few queries whatever the report holds.
    named = [pk for pk, *_rest in changes] or [0]
    by_pk = {e.application_id: e.application for e in stored.entries().filter(application_id__in=named)}
    return StoredSensitivity(
        samples=record.get("samples", 0),
        infeasible=record.get("infeasible", 0),
        changes=[
            WeightChange(by_pk[pk], rank, in_proposal, changed, [Decimal(w) for w in example])
            for pk, rank, in_proposal, changed, example in changes
            if pk in by_pk
        ],
    )
