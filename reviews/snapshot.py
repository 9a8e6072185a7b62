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

The pages read it through reviews/stored.py; the exports and the finalisation compute the
plan from the data itself.
"""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from intake.models import Application
from notifications.services import publish

from . import aggregation, dashboard, queries, robustness, sensitivity
from .models import Outcome, RankingEntry, RankingSnapshot
from .plan import propose_selection

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


def _number(value):
    return None if value is None else str(value)


def _entry(snapshot, row, left_out):
    result = row.result
    return RankingEntry(
        snapshot=snapshot,
        application_id=result.pk,
        position=result.rank,
        outcome=row.outcome,
        reason=row.reason or "",
        reserve_position=row.reserve.position if row.reserve else None,
        overridden=row.override is not None,
        disagreement=result.has_disagreement,
        line={
            # Numbers as plain text ("72.50"): each page writes them as its reader does.
            "cells": [
                [_number(c.final_display), c.threshold_met is False, c.consensus is not None]
                for c in result.criteria
            ],
            "final": _number(result.final_score),
            "normalised": None if result.normalised_mean is None else float(result.normalised_mean),
            "passes": result.passes_thresholds,
            "passes_overall": result.passes_overall,
            "failed": [[c.criterion.pk, _number(c.final_display)] for c in result.failed_criteria],
            "tie": _tie(result.tie_above),
            # Better ranked than the last proposed city and left out (the selection page's table).
            "left_out": result.pk in left_out,
            "taken_by": [other.pk for other in row.taken_by],
            "could_replace": list(row.reserve.could_replace) if row.reserve else [],
        },
    )


def _unranked_entry(snapshot, result, code):
    return RankingEntry(
        snapshot=snapshot,
        application_id=result.pk,
        position=None,
        reason=code or "",
        disagreement=result.has_disagreement,
        line={
            "done": len(result.reviews),
            "total": result.assignments,
            "final": _number(result.final_score),
        },
    )


def _summary(plan, rows, unranked):
    """The call-wide facts the pages print without reading every row."""
    selected = [row for row in rows if row.outcome == Outcome.SELECTED]
    return {
        "ranked": len(rows),
        "selected": len(selected),
        "reserve": sum(1 for r in rows if r.outcome == Outcome.RESERVE),
        "unranked": unranked,
        "cut_off": None if plan.cut_off is None else str(plan.cut_off),
        "last_selected_rank": max((row.result.rank for row in selected), default=0),
        "places_unfilled": plan.proposal.places_unfilled,
        "feasible": plan.feasible,
        "problem": plan.proposal.problem or "",
        "fingerprint": robustness.model_inputs(plan.results, plan.rules).fingerprint(),
        # Ranked cities per country and per country and proposed outcome: the filters' counts.
        "countries": dict(Counter(row.result.application.organisation.country for row in rows)),
        "by_country": dict(
            Counter(f"{row.result.application.organisation.country}:{row.outcome}" for row in rows)
        ),
        # The evaluators' mean and spread of totals, so one city's z-scores read as in the call.
        "moments": {
            str(pk): list(moment)
            for pk, moment in aggregation.evaluator_moments(plan.results.results).items()
        },
        # The dashboard's chart of final scores (complete reviews), by bins of 5 points.
        "score_counts": dashboard.score_counts(plan.results.results),
        "disagreements": sum(1 for r in plan.results.results if r.has_disagreement),
        # Each evaluator's assignments and submitted reviews: a count over every assignment.
        "progress": queries.evaluator_progress_counts(plan.call),
    }


def sensitivity_record(plan):
    """The sensitivity to the weights of ``plan``, as stored (the keys and numbers, no words)."""
    report = sensitivity.analyse(
        plan.results, plan.rules, include=plan.proposal.forced, exclude=plan.proposal.excluded
    )
    return {
        "samples": report.samples,
        "infeasible": report.infeasible,
        "changes": [
            [
                change.result.pk,
                change.result.rank,
                change.in_proposal,
                change.changed,
                [str(w) for w in change.example],
            ]
            for change in report.changes
        ],
    }


def build(call):
    """Compute the plan of ``call`` and store it; returns the stored snapshot.

    A large call's (a worker builds those) comes with its sensitivity to the weights; a
    small call's is computed when its page is first read.
    """
    snapshot, _created = RankingSnapshot.objects.get_or_create(call=call)
    version = RankingSnapshot.objects.filter(pk=snapshot.pk).values_list("version", flat=True).get()
    plan = propose_selection(call)
    rows = list(plan.rows())
    left_out = {entry.candidate.key for entry in plan.proposal.left_out}
    entries = [_entry(snapshot, row, left_out) for row in rows]
    entries += [_unranked_entry(snapshot, result, code) for result, code in plan.unranked()]
    summary = _summary(plan, rows, unranked=len(entries) - len(rows))
    stored_sensitivity = {}
    if len(entries) > SYNC_LIMIT:
        stored_sensitivity = {"sensitivity": sensitivity_record(plan), "sensitivity_version": version}
    with transaction.atomic():
        # One rebuild at a time per call: a second one waits here, then replaces the rows.
        RankingSnapshot.objects.select_for_update().filter(pk=snapshot.pk).get()
        RankingEntry.objects.filter(snapshot=snapshot).delete()
        RankingEntry.objects.bulk_create(entries, batch_size=BATCH)
        RankingSnapshot.objects.filter(pk=snapshot.pk).update(
            built_version=version, built_at=timezone.now(), summary=summary, **stored_sensitivity
        )
    snapshot.refresh_from_db()
    return snapshot


def queue_sensitivity(snapshot):
    """A large call's ranking stored without its sensitivity: the worker computes both again."""
    RankingSnapshot.objects.invalidate(snapshot.call_id)
    snapshot.refresh_from_db()
    queue_rebuild(snapshot)


def store_sensitivity(snapshot):
    """Compute the sensitivity of a current stored ranking and keep it with it."""
    version = snapshot.built_version
    record = sensitivity_record(propose_selection(snapshot.call))
    RankingSnapshot.objects.filter(pk=snapshot.pk, built_version=version).update(
        sensitivity=record, sensitivity_version=version
    )
    snapshot.sensitivity, snapshot.sensitivity_version = record, version
    return record


def current(call):
    """The stored ranking of ``call``, computed again first if a change made it out of date.

    A large call's ranking is computed again by a worker: until it is done the page shows
    the rows as they were, or none the first time, and says so (``is_current`` is false).
    """
    snapshot = RankingSnapshot.objects.filter(call=call).first()
    if snapshot is not None and snapshot.is_current:
        return snapshot
    if snapshot is not None and snapshot.built_version:
        size = snapshot.size
    else:
        # Never computed: a large call's first ranking is a worker's job too (the page
        # would wait for minutes), and says so.
        size = Application.objects.submitted_to(call).count()
    if size <= SYNC_LIMIT:
        return build(call)
    if snapshot is None:
        snapshot, _created = RankingSnapshot.objects.get_or_create(call=call)
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
