"""Who evaluates what: a call's evaluators, assignments by hand and the automatic run."""

import hashlib
import heapq
import random
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Application, Status, outbox_scope
from notifications.services import queue_message
from portal import roles
from portal.audit import record, record_many
from portal.bulk import insert_rows
from portal.formatting import absolute_url
from portal.models import User

from ..conflicts import conflicts_for_call, is_conflicted
from ..models import (
    Assignment,
    AssignmentStatus,
    CallEvaluator,
    Review,
    ReviewSettings,
    ReviewStatus,
)
from ..queries import (
    language_ok,
    suggest_replacement,
)
from .common import EvaluationError


def add_call_evaluator(call, user, *, by, country="", languages=(), max_load=None):
    """Make ``user`` an evaluator of ``call``, with the evaluator role, and record it."""
    with transaction.atomic():
        call_evaluator = CallEvaluator.objects.create(
            call=call, user=user, country=country, languages=list(languages), max_load=max_load
        )
        roles.grant(user, roles.EVALUATOR)
        record(
            by,
            "evaluator.added",
            call_evaluator,
            after={
                "user": user.email,
                "country": country,
                "languages": list(languages),
                "max_load": max_load,
            },
            call_id=call.pk,
        )
    return call_evaluator


def set_evaluator_active(call_evaluator, *, active, by):
    """Take an evaluator off a call (no new assignments) or back on; their reviews stay."""
    if call_evaluator.is_active == active:
        return call_evaluator
    with transaction.atomic():
        call_evaluator.is_active = active
        call_evaluator.save(update_fields=["is_active"])
        record(
            by,
            "evaluator.activated" if active else "evaluator.deactivated",
            call_evaluator,
            before={"is_active": not active},
            after={"is_active": active},
            call_id=call_evaluator.call_id,
        )
    return call_evaluator


def assign_evaluator(application, evaluator, *, by):
    """Assign one evaluator to one application by hand, refusing a conflicted one."""
    if application.status != Status.IN_REVIEW:
        raise EvaluationError(_("Only applications in review can be assigned."))
    if not CallEvaluator.objects.active().filter(call_id=application.call_id, user=evaluator).exists():
        raise EvaluationError(_("%(name)s is not an evaluator of this call.") % {"name": evaluator})
    if is_conflicted(evaluator, application):
        raise EvaluationError(
            _("%(name)s has a conflict of interest with this application.") % {"name": evaluator}
        )
    batch = uuid.uuid4().hex
    with transaction.atomic():
        assignment, created = Assignment.objects.select_for_update().get_or_create(
            application=application,
            evaluator=evaluator,
            defaults={"assigned_by": by, "batch": batch},
        )
        if not created:
            if assignment.status != AssignmentStatus.DECLINED:
                raise EvaluationError(_("%(name)s is already assigned.") % {"name": evaluator})
            assignment.status = AssignmentStatus.ACTIVE
            assignment.declined_reason = ""
            assignment.declined_at = None
            assignment.assigned_by = by
            assignment.assigned_at = timezone.now()
            assignment.batch = batch
            assignment.save()
        record(
            by,
            "assignment.created",
            assignment,
            after=assignment_audit(assignment),
            call_id=application.call_id,
        )
        _tell_assigned(application.call, {evaluator.pk: 1}, batch)
    return assignment


def assignment_audit(assignment, *, seed=None):
    """What the audit log keeps of a new assignment, made by hand or by an automatic run."""
    after = {
        "application": assignment.application_id,
        "evaluator": assignment.evaluator_id,
        "batch": assignment.batch,
    }
    if seed is not None:
        after["seed"] = seed
    return after


def remove_assignment(assignment, *, by):
    """Take an evaluator off an application; a submitted review cannot be thrown away."""
    review = Review.objects.filter(assignment=assignment).first()
    if review and review.status != ReviewStatus.DRAFT:
        raise EvaluationError(_("This evaluator has submitted a review; reopen or keep it instead."))
    with transaction.atomic():
        record(
            by,
            "assignment.removed",
            assignment,
            before={
                "application": assignment.application_id,
                "evaluator": assignment.evaluator_id,
                "status": assignment.status,
            },
            call_id=assignment.application.call_id,
        )
        assignment.delete()


def decline_assignment(assignment, *, by, reason):
    """The evaluator gives an assignment back; returns the proposed replacement (or None)."""
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError(_("Say why you decline."), {"reason": _("Required.")})
    if assignment.status != AssignmentStatus.ACTIVE:
        raise EvaluationError(_("This assignment is no longer open."))
    with transaction.atomic():
        mark_declined(assignment, by=by, reason=reason)
    return suggest_replacement(assignment.application)


def mark_declined(assignment, *, by, reason):
    before = {"status": assignment.status}
    assignment.status = AssignmentStatus.DECLINED
    assignment.declined_reason = reason
    assignment.declined_at = timezone.now()
    assignment.save(update_fields=["status", "declined_reason", "declined_at"])
    record(
        by,
        "assignment.declined",
        assignment,
        before=before,
        after={"status": assignment.status, "reason": reason},
        call_id=assignment.application.call_id,
    )


@dataclass
class AssignmentProposal:
    """What an automatic run would assign: pairs, resulting loads, and what it could not fill."""

    seed: int
    pairs: list = field(default_factory=list)  # (application_id, evaluator_id)
    loads: dict = field(default_factory=dict)  # evaluator_id -> load after the run
    added: dict = field(default_factory=dict)  # evaluator_id -> new assignments in the run
    short: dict = field(default_factory=dict)  # application_id -> evaluators missing

    @property
    def fingerprint(self):
        digest = hashlib.sha256(repr(sorted(self.pairs)).encode()).hexdigest()
        return digest[:32]


def propose_assignments(call, *, seed):
    """Greedy least-loaded assignment with seeded tie-breaks; reads only, writes nothing.

    Applications in review are taken in a seeded order; each gets the evaluators it still
    needs among those not conflicted, speaking its language (where the evaluator set any),
    under their maximum, least loaded first. The same data and seed give the same result.
    """
    rng = random.Random(seed)
    review_settings = ReviewSettings.objects.for_call(call)
    wanted = review_settings.evaluators_per_application
    evaluators = list(
        CallEvaluator.objects.active().filter(call=call).values_list("user_id", "languages", "max_load")
    )
    evaluators.sort()
    tie = {uid: rng.random() for uid, _languages, _max in evaluators}
    languages = {uid: set(langs or []) for uid, langs, _max in evaluators}
    max_load = {uid: cap for uid, _langs, cap in evaluators}
    applications = list(
        Application.objects.filter(call=call, status=Status.IN_REVIEW)
        .order_by("pk")
        .values_list("pk", "organisation_id", "organisation__country", "created_by__language")
    )
    rng.shuffle(applications)
    existing = {}
    current = {}
    for app_id, uid, status in Assignment.objects.for_call(call).values_list(
        "application_id", "evaluator_id", "status"
    ):
        existing.setdefault(app_id, set()).add(uid)
        if status != AssignmentStatus.DECLINED:
            current[app_id] = current.get(app_id, 0) + 1
    loads = dict.fromkeys(tie, 0)
    loads.update({uid: n for uid, n in Assignment.objects.loads(call).items() if uid in loads})
    conflicts = conflicts_for_call(call)
    proposal = AssignmentProposal(seed=seed)
    for app_id, org_id, country, language in applications:
        need = wanted - current.get(app_id, 0)
        if need <= 0:
            continue
        taken = existing.get(app_id, ())
        candidates = [
            uid
            for uid in tie
            if uid not in taken
            and (max_load[uid] is None or loads[uid] < max_load[uid])
            and language_ok(languages[uid], language)
            and not (uid in conflicts and conflicts[uid].covers(app_id, org_id, country))
        ]
        chosen = heapq.nsmallest(need, candidates, key=lambda uid: (loads[uid], tie[uid]))
        for uid in chosen:
            loads[uid] += 1
            proposal.added[uid] = proposal.added.get(uid, 0) + 1
            proposal.pairs.append((app_id, uid))
        if len(chosen) < need:
            proposal.short[app_id] = need - len(chosen)
    proposal.pairs.sort()
    proposal.loads = loads
    return proposal


def apply_assignments(call, *, seed, by, fingerprint=None):
    """Apply the automatic run the coordinator previewed.

    The proposal is computed again from the seed; if the data changed since the preview
    (another fingerprint) nothing is applied and the caller shows the new preview.
    """
    with transaction.atomic():
        proposal = propose_assignments(call, seed=seed)
        if fingerprint and fingerprint != proposal.fingerprint:
            raise EvaluationError(_("Assignments changed since the preview; check the new preview."))
        if not proposal.pairs:
            return proposal
        batch = uuid.uuid4().hex
        now = timezone.now()
        actor_id = by.pk if getattr(by, "pk", None) else None
        insert_rows(
            Assignment,
            [
                "application",
                "evaluator",
                "status",
                "assigned_by",
                "assigned_at",
                "declined_reason",
                "seed",
                "batch",
            ],
            [
                (app_id, uid, AssignmentStatus.ACTIVE, actor_id, now, "", seed, batch)
                for app_id, uid in proposal.pairs
            ],
        )
        created = Assignment.objects.filter(batch=batch).select_related(
            "application__organisation", "evaluator"
        )
        record_many(
            by,
            "assignment.created",
            [(assignment, assignment_audit(assignment, seed=seed)) for assignment in created],
            call_id=call.pk,
        )
        record(
            by,
            "assignment.automatic_run",
            call,
            after={
                "seed": seed,
                "batch": batch,
                "assignments": len(proposal.pairs),
                "short": len(proposal.short),
            },
            call_id=call.pk,
        )
        _tell_assigned(call, proposal.added, batch)
    return proposal


def _tell_assigned(call, counts, batch):
    """One email per evaluator per batch, never one per application."""

    review_settings = ReviewSettings.objects.for_call(call)
    deadline = review_settings.review_deadline
    if deadline is not None:
        deadline = timezone.localtime(deadline, call.tzinfo)
    url = absolute_url("reviews:evaluator_home")
    for user in User.objects.filter(pk__in=list(counts)):
        queue_message(
            kind="assignment",
            to=user,
            template="reviews/emails/assignment",
            context={
                "call": call,
                "count": counts[user.pk],
                "deadline": deadline,
                "url": url,
            },
            idempotency_key=f"assignment:{batch}:{user.pk}",
            scope=outbox_scope(call.pk),
        )
