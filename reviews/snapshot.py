"""The stored ranking: the selection plan of a call computed once per change, read by the pages.

Computing a call's plan reads every review and runs the optimiser: a second at 5,000
applications, ten at 50,000. The services that change what it is computed from mark the
stored ranking out of date (``RankingSnapshot.objects.invalidate``); the next page that
reads it (or the worker task queued for a large call) computes it again and stores one
row per application with its rank, proposed outcome, reason and the cells the page
prints. A page then reads its 50 rows by rank: the same few queries at any size.

Every service that changes what the ranking is computed from records the change in the
audit log, in the same transaction; the audit actions below are the ones that move the
ranking, and the receiver of the audit log (reviews/receivers.py) marks the stored ranking
out of date when one of them is recorded: one place for every kind of change, from this
app or another (a submission or a withdrawal in intake, a call's places in the builder).

The exports and the finalisation still compute the plan from the data itself.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import publish
from portal.formatting import country_name, points

from . import aggregation, robustness
from .models import Criterion, Decision, Outcome, RankingEntry, RankingSnapshot, ReviewSettings
from .plan import Reason, SelectionPlan, propose_selection, selection_rules
from .templatetags.ranking_tags import tie_rule

BATCH = 2000
# Calls with at most this many applications are ranked again within the request (well
# under a second); larger ones by a worker, the page showing the rows as they were meanwhile.
SYNC_LIMIT = 2000
REQUEUE_AFTER = dt.timedelta(minutes=10)
# The task that ranks a large call again, by the name it declares (reviews/tasks.py).
REBUILD_TASK = "reviews.tasks.rebuild_ranking"

# The audited changes that move a ranking (one per service call: ``decision.made``, written
# once per city by the finalisation, is covered by ``selection.finalised``).
MOVES_THE_RANKING = frozenset(
    {
        "application.submitted",
        "application.withdrawn",
        "call.changed",
        "organisation.updated",
        "eligibility.decided",
        "assignment.created",
        "assignment.removed",
        "assignment.declined",
        "assignment.automatic_run",
        "review.submitted",
        "review.reopened",
        "review_settings.changed",
        "criterion.added",
        "criterion.changed",
        "criterion.moved",
        "criterion.removed",
        "consensus.set",
        "consensus.cleared",
        "selection.override",
        "selection.override_cleared",
        "selection.finalised",
        "decision.declined",
        "decision.promoted",
    }
)


def changed(event):
    """Mark out of date the stored rankings an audited change moves (one update, or none)."""
    if event.action not in MOVES_THE_RANKING:
        return
    if event.call_id:
        RankingSnapshot.objects.invalidate(event.call_id)
    elif event.object_type == "intake.organisation":
        # A city's country counts in every call it applied to.
        RankingSnapshot.objects.filter(call__applications__organisation_id=event.object_id).update(
            version=F("version") + 1
        )


def _tie(rule):
    """A tie-break rule as stored: its kind and the criterion's id."""
    if not rule:
        return None
    kind, criterion = rule
    return [kind, criterion.pk if criterion is not None else None]


def _entry(snapshot, row, plan):
    result = row.result
    return RankingEntry(
        snapshot=snapshot,
        application_id=result.pk,
        position=result.rank,
        outcome=row.outcome,
        reason=row.reason or "",
        reserve_position=row.reserve.position if row.reserve else None,
        overridden=row.override is not None,
        line={
            "cells": [
                [points(c.final_display), c.threshold_met is False, c.consensus is not None]
                for c in result.criteria
            ],
            "final": points(result.final_score),
            "normalised": None if result.normalised_mean is None else float(result.normalised_mean),
            "passes": result.passes_thresholds,
            "tie": _tie(result.tie_above),
            "disagreement": result.has_disagreement,
        },
    )


def _unranked_entry(snapshot, result, code):
    return RankingEntry(
        snapshot=snapshot,
        application_id=result.pk,
        position=None,
        reason=code or "",
        line={"done": len(result.reviews), "total": result.assignments},
    )


def build(call):
    """Compute the plan of ``call`` and store it; returns the stored snapshot."""
    snapshot, _created = RankingSnapshot.objects.get_or_create(call=call)
    version = RankingSnapshot.objects.filter(pk=snapshot.pk).values_list("version", flat=True).get()
    plan = propose_selection(call)
    rows = list(plan.rows())
    entries = [_entry(snapshot, row, plan) for row in rows]
    entries += [_unranked_entry(snapshot, result, code) for result, code in plan.unranked()]
    summary = {
        "ranked": len(rows),
        "selected": sum(1 for r in rows if r.outcome == Outcome.SELECTED),
        "reserve": sum(1 for r in rows if r.outcome == Outcome.RESERVE),
        "unranked": len(entries) - len(rows),
        "cut_off": None if plan.cut_off is None else str(plan.cut_off),
        "feasible": plan.feasible,
        "problem": plan.proposal.problem or "",
        "fingerprint": robustness.model_inputs(plan.results, plan.rules).fingerprint(),
        # Ranked cities per country and per country and proposed outcome: the filters' counts.
        "countries": dict(Counter(row.result.application.organisation.country for row in rows)),
        "by_country": dict(
            Counter(f"{row.result.application.organisation.country}:{row.outcome}" for row in rows)
        ),
    }
    with transaction.atomic():
        # One rebuild at a time per call: a second one waits here, then replaces the rows.
        RankingSnapshot.objects.select_for_update().filter(pk=snapshot.pk).get()
        RankingEntry.objects.filter(snapshot=snapshot).delete()
        RankingEntry.objects.bulk_create(entries, batch_size=BATCH)
        RankingSnapshot.objects.filter(pk=snapshot.pk).update(
            built_version=version, built_at=timezone.now(), summary=summary
        )
    snapshot.refresh_from_db()
    return snapshot


def current(call):
    """The stored ranking of ``call``, computed again first if a change made it out of date.

    A large call's ranking is computed again by a worker: until it is done the page shows
    the rows as they were, and says so (``is_current`` is false).
    """
    snapshot = RankingSnapshot.objects.filter(call=call).first()
    if snapshot is None or (not snapshot.is_current and snapshot.size <= SYNC_LIMIT):
        return build(call)
    if not snapshot.is_current:
        queue_rebuild(snapshot)
    return snapshot


def queue_rebuild(snapshot):
    """Hand the rebuild to a worker once per version (again if the last request looks lost)."""
    now = timezone.now()
    claimed = (
        RankingSnapshot.objects.filter(pk=snapshot.pk)
        .filter(Q(queued_version__lt=F("version")) | Q(queued_at__lt=now - REQUEUE_AFTER))
        .update(queued_version=F("version"), queued_at=now)
    )
    if claimed:
        transaction.on_commit(lambda: publish(REBUILD_TASK, call_id=snapshot.pk), robust=True)


def rebuild(call_id):
    """The worker's part: compute the stored ranking again unless it is current already."""
    snapshot = RankingSnapshot.objects.select_related("call").filter(pk=call_id).first()
    if snapshot is None or snapshot.is_current:
        return None
    return build(snapshot.call).pk


# --------------------------------------------------------------------------------------
# Reading it
# --------------------------------------------------------------------------------------


@dataclass
class StoredRanking:
    """The stored summary as the ranking page reads it (the words in the reader's language)."""

    call: object
    snapshot: RankingSnapshot
    settings: ReviewSettings
    criteria: list

    @property
    def summary(self):
        return self.snapshot.summary

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
    def problem_text(self):
        plan = SelectionPlan(call=self.call, results=None, rules=self.rules, proposal=_Problem(self.summary))
        return plan.problem_text

    @property
    def limits(self):
        return aggregation.limits_for(self.settings)

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


@dataclass
class _Problem:
    summary: dict

    @property
    def problem(self):
        return self.summary.get("problem", "")


def read(call):
    """The current stored ranking of ``call`` with its settings and criteria."""
    review_settings = ReviewSettings.objects.for_call(call)
    return StoredRanking(
        call=call,
        snapshot=current(call),
        settings=review_settings,
        criteria=list(Criterion.objects.filter(call=call).order_by("order", "pk")),
    )


def ranked_entries(snapshot, *, outcome="", country=""):
    """The ranked entries of a snapshot, filtered, with their applications (keyset order: position)."""
    entries = RankingEntry.objects.filter(snapshot=snapshot, position__isnull=False).select_related(
        "application__organisation"
    )
    if outcome:
        entries = entries.filter(outcome=outcome)
    if country:
        entries = entries.filter(application__organisation__country=country)
    return entries


def unranked_entries(snapshot):
    return RankingEntry.objects.filter(snapshot=snapshot, position__isnull=True).select_related(
        "application__organisation"
    )


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
        tie = line.get("tie")
        rule = (tie[0], by_pk.get(tie[1])) if tie else None
        rows.append(
            {
                "pk": entry.application_id,
                "rank": entry.position,
                "url": f"{sheet_url}{entry.application_id}/",
                "name": application.organisation.name,
                "reference": application.reference,
                "country": application.organisation.country,
                "cells": line.get("cells", []),
                "final": line.get("final"),
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
                "disagreement": line.get("disagreement"),
            }
        )
    return rows, bool(decisions)
