"""Every change of state of the evaluation, one function each.

Each function checks what it is asked, saves inside ``transaction.atomic``, writes the
audit event and queues the emails it causes. Views, admin actions and commands call
these; none repeats their logic.
"""

import hashlib
import heapq
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Application, IllegalTransition, Question, QuestionKind, Status, outbox_scope
from notifications.services import queue_message
from portal import roles
from portal.audit import record
from portal.models import AuditEvent

from . import aggregation, letters, selection
from .conflicts import conflicts_for_call, is_conflicted
from .models import (
    REVIEWABLE_STATUSES,
    Assignment,
    AssignmentStatus,
    CallEvaluator,
    ConflictDeclaration,
    ConflictScope,
    ConsensusScore,
    Criterion,
    Decision,
    EligibilityScreening,
    NoConflictConfirmation,
    Outcome,
    Response,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
    SelectionOverride,
    Visibility,
)
from .scoring import weighted_total


class EvaluationError(Exception):
    """A request the rules of the evaluation refuse; the message is shown to the person."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.errors = errors or {}


def _snapshot(obj, fields):
    return {name: _plain(getattr(obj, name)) for name in fields}


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _absolute(path):
    return f"{django_settings.SITE_URL}{path}"


# ======================================================================================
# Settings of a call's evaluation
# ======================================================================================

SETTINGS_FIELDS = (
    "evaluators_per_application",
    "review_visibility",
    "conflict_with_own_country",
    "review_deadline",
    "overall_threshold",
    "disagreement_limit",
    "criterion_disagreement",
    "min_distinct_countries",
    "consortium_members",
    "grey_zone_low",
    "grey_zone_high",
)


def change_review_settings(call, *, by, changes):
    """Change the call's evaluation settings (refused once the selection is final)."""
    with transaction.atomic():
        review_settings = ReviewSettings.objects.select_for_update().filter(call=call).first()
        review_settings = review_settings or ReviewSettings.objects.ensure(call)
        if review_settings.is_finalised:
            raise EvaluationError(_("The selection is final; its settings can no longer change."))
        before = _snapshot(review_settings, SETTINGS_FIELDS)
        for name, value in changes.items():
            if name in SETTINGS_FIELDS:
                setattr(review_settings, name, value)
        review_settings.full_clean()
        review_settings.save()
        after = _snapshot(review_settings, SETTINGS_FIELDS)
        changed = {k for k in after if after[k] != before[k]}
        if changed:
            record(
                by,
                "review_settings.changed",
                review_settings,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
                call_id=call.pk,
            )
    return review_settings


# ======================================================================================
# Eligibility
# ======================================================================================

# The signed letter of commitment is held by the call's file question whose key mentions
# "commitment" or "letter" (``commitment_letter`` in the PACTESUR 2 call).
LETTER_KEY_MARKS = ("commitment", "letter")


def screening_prefill(application):
    """What the application's data answers of the checklist (None where it cannot tell)."""
    call = application.call
    organisation = application.organisation
    review_settings = ReviewSettings.objects.for_call(call)
    letter_questions = Question.objects.filter(section__call=call, kind=QuestionKind.FILE).filter(
        Q(key__icontains=LETTER_KEY_MARKS[0]) | Q(key__icontains=LETTER_KEY_MARKS[1])
    )
    letter = None
    if letter_questions.exists():
        letter = application.documents.filter(question__in=letter_questions).exists()
    on_time = None if application.submitted_at is None else application.submitted_at <= call.closes_at
    countries = {code.upper() for code in call.eligible_countries or []}
    return {
        "eligible_country": organisation.country.upper() in countries,
        "eligible_organisation_type": organisation.kind in (call.eligible_kinds or []),
        "letter_of_commitment": letter,
        "submitted_on_time": on_time,
        "not_consortium_member": not review_settings.is_consortium_member(organisation),
    }


def screening_for(application):
    """The application's screening, or a new one (unsaved) filled in from the data."""
    try:
        return application.screening
    except EligibilityScreening.DoesNotExist:
        prefill = screening_prefill(application)
        return EligibilityScreening(application=application, prefilled=prefill, **prefill)


def decide_eligibility(application, *, by, decision, reason="", checks=None):
    """Record the screening and move the application to in review or ineligible.

    An ineligible applicant's members are told why by email.
    """
    Decision = EligibilityScreening.Decision
    if decision not in (Decision.ELIGIBLE, Decision.INELIGIBLE):
        raise EvaluationError(_("Choose eligible or ineligible."))
    reason = (reason or "").strip()
    if decision == Decision.INELIGIBLE and not reason:
        raise EvaluationError(
            _("Give the reason: the applicant receives it."), {"reason": _("Required when ineligible.")}
        )
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("call", "organisation")
            .get(pk=application.pk)
        )
        screening = screening_for(application)
        fields = [*EligibilityScreening.CHECKS, "decision", "reason"]
        before = _snapshot(screening, fields) if screening.pk else None
        for name, value in (checks or {}).items():
            if name in EligibilityScreening.CHECKS:
                setattr(screening, name, value)
        screening.decision = decision
        screening.reason = reason
        screening.decided_by = by
        screening.decided_at = timezone.now()
        target = Status.IN_REVIEW if decision == Decision.ELIGIBLE else Status.INELIGIBLE
        if application.status != target:
            try:
                application.transition_to(target, by=by, note=reason)
            except IllegalTransition as error:
                raise EvaluationError(str(error)) from error
        screening.save()
        record(
            by,
            "eligibility.decided",
            application,
            before=before,
            after=_snapshot(screening, fields),
            call_id=application.call_id,
        )
        if target == Status.INELIGIBLE:
            _tell_ineligible(application, reason)
    return screening


def _tell_ineligible(application, reason):
    context = {"application": application, "call": application.call, "reason": reason}
    for member in application.organisation.members.all():
        queue_message(
            kind="eligibility",
            to=member,
            template="reviews/emails/ineligible",
            context={**context, "organisation": application.organisation},
            idempotency_key=f"application:{application.pk}:ineligible:{member.pk}",
            scope=outbox_scope(application.call_id),
        )


# ======================================================================================
# Conflicts of interest
# ======================================================================================


def declare_conflict(evaluator, call, *, scope, application=None, organisation=None, country="", note=""):
    """Record a conflict; the evaluator's assignments it covers are declined at once."""
    if scope == ConflictScope.APPLICATION and (application is None or application.call_id != call.pk):
        raise EvaluationError(_("Choose an application of this call."))
    if scope == ConflictScope.ORGANISATION and organisation is None:
        raise EvaluationError(_("Choose an organisation."))
    if scope == ConflictScope.COUNTRY and not country:
        raise EvaluationError(_("Choose a country."))
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            evaluator=evaluator,
            call=call,
            scope=scope,
            application=application if scope == ConflictScope.APPLICATION else None,
            organisation=organisation if scope == ConflictScope.ORGANISATION else None,
            country=country.upper() if scope == ConflictScope.COUNTRY else "",
            note=note,
        )
        record(
            evaluator,
            "conflict.declared",
            declaration,
            after={"scope": scope, "target": str(declaration.target), "note": note},
            call_id=call.pk,
        )
        covered = Assignment.objects.filter(
            evaluator=evaluator, application__call=call, status=AssignmentStatus.ACTIVE
        ).select_related("application__organisation")
        index = conflicts_for_call(call, evaluator_ids=[evaluator.pk]).get(evaluator.pk)
        for assignment in covered:
            app = assignment.application
            if index and index.covers(app.pk, app.organisation_id, app.organisation.country):
                _decline(assignment, by=evaluator, reason=_("Conflict of interest declared."))
    return declaration


def confirm_no_conflict(evaluator, application):
    """The evaluator states they have no conflict with an application assigned to them."""
    if not Assignment.objects.current().filter(application=application, evaluator=evaluator).exists():
        raise EvaluationError(_("This application is not assigned to you."))
    if is_conflicted(evaluator, application):
        raise EvaluationError(_("You declared a conflict of interest with this application."))
    with transaction.atomic():
        confirmation, created = NoConflictConfirmation.objects.get_or_create(
            evaluator=evaluator, application=application
        )
        if created:
            record(evaluator, "conflict.none_confirmed", application, call_id=application.call_id)
    return confirmation


# ======================================================================================
# Assignment
# ======================================================================================


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


def _language_ok(evaluator_languages, application_language):
    return not evaluator_languages or not application_language or application_language in evaluator_languages


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
            after={"application": application.pk, "evaluator": evaluator.pk},
            call_id=application.call_id,
        )
        _tell_assigned(application.call, {evaluator.pk: 1}, batch)
    return assignment


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
        _decline(assignment, by=by, reason=reason)
    return suggest_replacement(assignment.application)


def _decline(assignment, *, by, reason):
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


def suggest_replacement(application):
    """The least-loaded active evaluator who may take the application, or None."""
    call = application.call
    taken = set(Assignment.objects.filter(application=application).values_list("evaluator_id", flat=True))
    loads = Assignment.objects.loads(call)
    conflicts = conflicts_for_call(call)
    language = _application_language(application)
    country = application.organisation.country
    best = None
    for evaluator in CallEvaluator.objects.active().filter(call=call).select_related("user"):
        uid = evaluator.user_id
        load = loads.get(uid, 0)
        if uid in taken or (evaluator.max_load is not None and load >= evaluator.max_load):
            continue
        if uid in conflicts and conflicts[uid].covers(application.pk, application.organisation_id, country):
            continue
        if not _language_ok(evaluator.languages, language):
            continue
        if best is None or (load, uid) < best[0]:
            best = ((load, uid), evaluator.user)
    return best[1] if best else None


def _application_language(application):
    creator = getattr(application, "created_by", None)
    return getattr(creator, "language", "") or ""


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
            and _language_ok(languages[uid], language)
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
        _insert_rows(
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
        created = Assignment.objects.filter(batch=batch).values_list("pk", "application_id", "evaluator_id")
        label = Assignment._meta.label_lower
        _insert_rows(
            AuditEvent,
            ["at", "actor", "action", "object_type", "object_id", "object_repr", "call_id", "after", "note"],
            [
                (
                    now,
                    actor_id,
                    "assignment.created",
                    label,
                    str(pk),
                    f"{app_id}/{uid}",
                    call.pk,
                    {"application": app_id, "evaluator": uid, "seed": seed, "batch": batch},
                    "",
                )
                for pk, app_id, uid in created
            ],
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


def _insert_rows(model, field_names, rows):
    """Insert many rows with as few multi-row INSERT statements as the database allows.

    ``bulk_create`` spends most of its time compiling SQL value by value (about 6 s for
    15,000 assignments and their audit events); an automatic run must take well under
    5 s for 5,000 applications. Values go through each field's own database preparation,
    so dates and JSON are stored exactly as the ORM stores them.
    """
    fields = [model._meta.get_field(name) for name in field_names]
    needs_prep = [
        index
        for index, f in enumerate(fields)
        if f.get_internal_type() in ("DateTimeField", "JSONField", "DecimalField")
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    prepared = []
    for row in rows:
        row = list(row)
        for index in needs_prep:
            row[index] = fields[index].get_db_prep_save(row[index], connection)
        prepared.append(row)
    # As few statements as the backend's parameter limit allows (SQLite's is usually
    # 250,000; PostgreSQL has none with client-side binding), so the number of queries
    # of an automatic run does not grow with the number of applications.
    limit = connection.features.max_query_params
    chunk = max(1, limit // len(fields)) if limit else max(1, len(prepared))
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), chunk):
            part = prepared[start : start + chunk]
            values = ", ".join([f"({placeholders})"] * len(part))
            params = [value for row in part for value in row]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608


def _tell_assigned(call, counts, batch):
    """One email per evaluator per batch, never one per application."""
    from portal.models import User

    review_settings = ReviewSettings.objects.for_call(call)
    deadline = review_settings.review_deadline
    if deadline is not None:
        deadline = timezone.localtime(deadline, call.tzinfo)
    url = _absolute(reverse("reviews:evaluator_home"))
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


# ======================================================================================
# Reviews
# ======================================================================================


def criteria_of(call):
    return list(Criterion.objects.filter(call=call).order_by("order", "pk"))


def parse_score(raw, review_settings):
    """A typed score as a Decimal on the call's scale, None when empty; raises on anything else."""
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise EvaluationError(_("Not a number.")) from None
    if value < 0 or value > review_settings.scale_max or value % review_settings.scale_step:
        raise EvaluationError(
            _("Choose a score from 0 to %(max)s in steps of %(step)s.")
            % {"max": review_settings.scale_max.normalize(), "step": review_settings.scale_step.normalize()}
        )
    return value


def review_problems(criteria, values, comments, recommendation):
    """What stops a review from being submitted, by form field name."""
    problems = {}
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            problems[f"score_{criterion.pk}"] = _("Give a score.")
        elif (
            criterion.threshold is not None
            and value < criterion.threshold
            and not (comments.get(criterion.pk) or "").strip()
        ):
            problems[f"comment_{criterion.pk}"] = _(
                "Explain a score under the threshold (%(threshold)s)."
            ) % {"threshold": criterion.threshold.normalize()}
    if not recommendation:
        problems["recommendation"] = _("Choose a recommendation.")
    return problems


def save_review(assignment, *, by, values, comments, overall_comment="", recommendation="", submit=False):
    """Save the evaluator's review as a draft, or submit (and lock) it.

    ``values`` and ``comments`` map criterion ids to a score (Decimal or None) and a text.
    Each changed score is recorded in the audit log with its value before and after.
    """
    application = assignment.application
    call = application.call
    review_settings = ReviewSettings.objects.for_call(call)
    if review_settings.is_finalised:
        raise EvaluationError(_("The selection is final; scores are locked."))
    if assignment.status == AssignmentStatus.DECLINED:
        raise EvaluationError(_("This assignment is no longer open."))
    criteria = criteria_of(call)
    if submit:
        problems = review_problems(criteria, values, comments, recommendation)
        if problems:
            raise EvaluationError(_("The review is not complete."), problems)
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(
            assignment=assignment,
            defaults={"application": application, "evaluator": assignment.evaluator},
        )
        if review.is_submitted:
            raise EvaluationError(_("This review is submitted and locked."))
        current = {score.criterion_id: score for score in review.scores.all()}
        before, after = {}, {}
        for criterion in criteria:
            value = values.get(criterion.pk)
            comment = (comments.get(criterion.pk) or "").strip()
            score = current.get(criterion.pk)
            if score is None:
                if value is None and not comment:
                    continue
                score = Score(review=review, criterion=criterion)
            elif score.value == value and score.comment == comment:
                continue
            key = str(criterion.pk)
            before[key] = {"value": _plain(score.value), "comment": score.comment} if score.pk else None
            score.value, score.comment = value, comment
            score.save()
            after[key] = {"value": _plain(value), "comment": comment}
        review_before = _snapshot(review, ["overall_comment", "recommendation", "status"])
        review.overall_comment = overall_comment.strip()
        review.recommendation = recommendation or ""
        if submit:
            review.status = ReviewStatus.SUBMITTED
            review.submitted_at = timezone.now()
            assignment.status = AssignmentStatus.DONE
            assignment.save(update_fields=["status"])
        review.save()
        if after:
            record(by, "review.scores_changed", review, before=before, after=after, call_id=call.pk)
        review_after = _snapshot(review, ["overall_comment", "recommendation", "status"])
        if any(review_after[name] != review_before[name] for name in ("overall_comment", "recommendation")):
            record(by, "review.changed", review, before=review_before, after=review_after, call_id=call.pk)
        if submit:
            total = weighted_total(values, criteria, review_settings.scale_max)
            record(by, "review.submitted", review, after={"total": _plain(total)}, call_id=call.pk)
    return review


def reopen_review(review, *, by, note=""):
    """A coordinator unlocks a submitted review so its evaluator can change it."""
    if review.status != ReviewStatus.SUBMITTED:
        raise EvaluationError(_("Only a submitted review can be reopened."))
    if ReviewSettings.objects.for_call(review.application.call_id).is_finalised:
        raise EvaluationError(_("The selection is final; scores are locked."))
    with transaction.atomic():
        review.status = ReviewStatus.REOPENED
        review.reopened_by = by
        review.reopened_at = timezone.now()
        review.save(update_fields=["status", "reopened_by", "reopened_at", "updated_at"])
        Assignment.objects.filter(pk=review.assignment_id).update(status=AssignmentStatus.ACTIVE)
        record(
            by,
            "review.reopened",
            review,
            before={"status": ReviewStatus.SUBMITTED},
            after={"status": ReviewStatus.REOPENED},
            note=note,
            call_id=review.application.call_id,
        )
        application = review.application
        queue_message(
            kind="review_reopened",
            to=review.evaluator,
            template="reviews/emails/review_reopened",
            context={
                "call": application.call,
                "application": application,
                "organisation": application.organisation,
                "note": note,
                "url": _absolute(reverse("reviews:evaluator_application", args=[application.pk])),
            },
            idempotency_key=f"review:{review.pk}:reopened:{review.reopened_at.isoformat()}",
            scope=outbox_scope(application.call_id),
        )
    return review


def visible_other_reviews(application, evaluator, *, review_settings=None, own_review=None):
    """Other evaluators' submitted reviews this evaluator may read, per the call's setting.

    ``review_settings`` and ``own_review`` spare a query each when the caller has them.
    """
    review_settings = review_settings or ReviewSettings.objects.for_call(application.call_id)
    others = (
        Review.objects.submitted()
        .filter(application=application)
        .exclude(evaluator=evaluator)
        .prefetch_related("scores")
        .order_by("submitted_at", "pk")
    )
    if review_settings.review_visibility == Visibility.ALWAYS:
        return others
    if review_settings.review_visibility == Visibility.AFTER_OWN:
        if own_review is not None:
            own_submitted = own_review.is_submitted
        else:
            own_submitted = (
                Review.objects.submitted().filter(application=application, evaluator=evaluator).exists()
            )
        return others if own_submitted else Review.objects.none()
    return Review.objects.none()


def assignment_for_evaluator(user, application_id):
    """The evaluator's current assignment to an application they may see; None otherwise.

    Not assigned, declined, conflicted, or an application no longer under review: None,
    and the views answer 404.
    """
    assignment = (
        Assignment.objects.current()
        .filter(evaluator=user, application_id=application_id, application__status__in=REVIEWABLE_STATUSES)
        .select_related("application__call", "application__organisation", "application__created_by")
        .first()
    )
    if assignment is None or is_conflicted(user, assignment.application):
        return None
    return assignment


# ======================================================================================
# Selection and decisions (below)
# ======================================================================================

# The selection is computed by reviews/selection.py (pure, optimal) from the ranking of
# reviews/aggregation.py; the functions below turn it into decisions and keep the record.


def selection_rules(call, review_settings=None):
    """The call's selection rules as the optimiser reads them."""
    review_settings = review_settings or ReviewSettings.objects.for_call(call)
    return selection.Rules(
        places=call.places,
        max_per_country=call.max_per_country,
        min_distinct_countries=review_settings.min_distinct_countries or 0,
        reserve_size=call.reserve_size,
    )


# Applications outside the ranking, and why.
NOT_SCREENED = "not_screened"
NOT_ELIGIBLE = "not_eligible"
REVIEWS_INCOMPLETE = "reviews_incomplete"
WITHDRAWN = "withdrawn"
DECLINED_PLACE = "declined"
BELOW_CUT_OFF = "below_cut_off"

# Ranked statuses that may still be proposed: a city that declined or withdrew is not.
PROPOSABLE_STATUSES = (Status.IN_REVIEW, Status.SELECTED, Status.RESERVE, Status.NOT_SELECTED)


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
        if result.application.status in PROPOSABLE_STATUSES
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


def _refuse_when_final(call):
    if ReviewSettings.objects.for_call(call).is_finalised:
        raise EvaluationError(_("The selection is final; it can no longer be changed."))


def set_consensus_score(application, criterion, *, by, value, justification):
    """A coordinator's agreed score for one criterion; it replaces the mean of the reviews."""
    review_settings = ReviewSettings.objects.for_call(application.call_id)
    _refuse_when_final(application.call)
    if criterion.call_id != application.call_id:
        raise EvaluationError(_("Choose a criterion of the application's call."))
    justification = (justification or "").strip()
    if not justification:
        raise EvaluationError(
            _("Explain the consensus score."), {"justification": _("A written justification is required.")}
        )
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        raise EvaluationError(_("Enter a score."), {"value": _("Enter a score.")}) from None
    if value not in review_settings.score_choices():
        raise EvaluationError(
            _("Scores run from 0 to %(top)s in steps of %(step)s.")
            % {"top": review_settings.scale_max, "step": review_settings.scale_step},
            {"value": _("Not a score of the scale.")},
        )
    with transaction.atomic():
        existing = ConsensusScore.objects.filter(application=application, criterion=criterion).first()
        before = _snapshot(existing, ["value", "justification"]) if existing else None
        consensus, _created = ConsensusScore.objects.update_or_create(
            application=application,
            criterion=criterion,
            defaults={"value": value, "justification": justification, "set_by": by, "set_at": timezone.now()},
        )
        record(
            by,
            "consensus.set",
            consensus,
            before=before,
            after=_snapshot(consensus, ["value", "justification"]),
            call_id=application.call_id,
        )
    return consensus


def clear_consensus_score(consensus, *, by):
    """Remove a consensus score; the criterion's mean counts again."""
    _refuse_when_final(consensus.application.call)
    with transaction.atomic():
        record(
            by,
            "consensus.cleared",
            consensus,
            before=_snapshot(consensus, ["value", "justification"]),
            call_id=consensus.application.call_id,
        )
        consensus.delete()


def override_decision(call, application, *, by, action, justification):
    """Include a city the proposal leaves out, or leave out one it includes, with the reason.

    ``action`` is "include", "exclude" or "clear" (back to the proposal). Recorded and
    audited; the proposal is recomputed around it.
    """
    if application.call_id != call.pk:
        raise EvaluationError(_("Choose an application of this call."))
    _refuse_when_final(call)
    existing = SelectionOverride.objects.filter(call=call, application=application).first()
    before = _snapshot(existing, ["action", "justification"]) if existing else None
    if action == "clear":
        if existing:
            with transaction.atomic():
                record(by, "selection.override_cleared", existing, before=before, call_id=call.pk)
                existing.delete()
        return None
    if action not in SelectionOverride.Action.values:
        raise EvaluationError(_("Choose to include or to leave out."))
    justification = (justification or "").strip()
    if not justification:
        raise EvaluationError(
            _("Explain the departure from the proposal."),
            {"justification": _("A written justification is required.")},
        )
    if action == SelectionOverride.Action.INCLUDE and application.status not in PROPOSABLE_STATUSES:
        raise EvaluationError(_("Only an application in review can be selected."))
    with transaction.atomic():
        override, _created = SelectionOverride.objects.update_or_create(
            call=call,
            application=application,
            defaults={"action": action, "justification": justification, "created_by": by},
        )
        record(
            by,
            "selection.override",
            override,
            before=before,
            after=_snapshot(override, ["action", "justification"]),
            call_id=call.pk,
        )
    return override


REASON_TEXTS = {
    selection.THRESHOLDS: "thresholds",
    selection.COUNTRY_LIMIT: "country_limit",
    selection.DISTINCT_COUNTRIES: "distinct_countries",
    selection.OVERRIDE_EXCLUDED: "override",
    selection.OVERRIDE_PLACES: "override",
    BELOW_CUT_OFF: "below_cut_off",
}


def reasons_for_applicant(plan, row, note=""):
    """The plain-language reasons a city is told with its decision (never names other cities)."""
    result = row.result
    lines = []
    if row.outcome == Outcome.RESERVE:
        lines.append(
            _("Your application is on the reserve list at position %(position)s.")
            % {"position": row.reserve.position}
        )
    elif row.reason == selection.THRESHOLDS:
        for criterion_row in result.failed_criteria:
            lines.append(
                _("On “%(criterion)s” it scored %(score)s, below the threshold of %(threshold)s.")
                % {
                    "criterion": criterion_row.criterion.name,
                    "score": criterion_row.final_display,
                    "threshold": criterion_row.criterion.threshold,
                }
            )
        if not result.passes_overall:
            lines.append(
                _("Its final score of %(score)s is below the overall threshold of %(threshold)s.")
                % {"score": result.final_score, "threshold": plan.results.limits.overall_threshold}
            )
    elif row.reason == selection.COUNTRY_LIMIT:
        lines.append(
            _(
                "At most %(count)s cities per country can be selected, "
                "and a city of your country ranked higher."
            )
            % {"count": plan.rules.max_per_country}
        )
    elif row.reason == selection.DISTINCT_COUNTRIES:
        lines.append(
            _(
                "The call requires cities from at least %(count)s countries; "
                "the places went to cities that meet it."
            )
            % {"count": plan.rules.min_distinct_countries}
        )
    elif row.reason in (selection.OVERRIDE_EXCLUDED, selection.OVERRIDE_PLACES):
        lines.append(
            _("The coordinators' final choice, recorded with its justification, did not include it.")
        )
    elif row.reason == BELOW_CUT_OFF and plan.cut_off is not None:
        lines.append(
            _("Its final score of %(score)s is below %(cut_off)s, the score of the last selected city.")
            % {"score": result.final_score, "cut_off": plan.cut_off}
        )
    if note:
        lines.append(note)
    return "\n\n".join(lines)


DECISION_STATUS = {
    Outcome.SELECTED: Status.SELECTED,
    Outcome.RESERVE: Status.RESERVE,
    Outcome.NOT_SELECTED: Status.NOT_SELECTED,
}


def finalise_selection(call, *, by, note=""):
    """Turn the proposal (with its overrides) into decisions, lock the scores, tell the cities.

    Refused while applications still wait for screening or reviews, or when the rules
    cannot be met. ``note`` is added to the reasons every city not selected receives.
    """
    with transaction.atomic():
        review_settings, _created = ReviewSettings.objects.select_for_update().get_or_create(call=call)
        if review_settings.is_finalised:
            raise EvaluationError(_("The selection is already final."))
        plan = propose_selection(
            call, call_results=aggregation.load_call_results(call, settings=review_settings)
        )
        if not plan.feasible:
            raise EvaluationError(plan.problem_text)
        waiting = [
            r for r in plan.results.results if plan.unranked_reason(r) in (NOT_SCREENED, REVIEWS_INCOMPLETE)
        ]
        if waiting:
            raise EvaluationError(
                _("%(count)s applications still wait for their eligibility decision or their reviews.")
                % {"count": len(waiting)}
            )
        now = timezone.now()
        decisions = []
        for row in plan.rows():
            application = row.result.application
            application.call = call  # already loaded: spares a query per city in the emails
            if application.status != Status.IN_REVIEW:
                continue
            override = row.override
            decision = Decision.objects.create(
                application=application,
                outcome=row.outcome,
                rank=row.result.rank,
                final_score=row.result.final_score,
                reserve_position=row.reserve.position if row.reserve else None,
                reasons=reasons_for_applicant(plan, row, note if row.outcome == Outcome.NOT_SELECTED else ""),
                is_override=override is not None,
                override_justification=override.justification if override else "",
                decided_by=by,
                decided_at=now,
            )
            application.transition_to(
                DECISION_STATUS[row.outcome], by=by, note=decision.get_outcome_display()
            )
            record(
                by,
                "decision.made",
                decision,
                after={
                    "outcome": decision.outcome,
                    "rank": decision.rank,
                    "final_score": _plain(decision.final_score),
                    "reserve_position": decision.reserve_position,
                    "override": decision.override_justification or None,
                },
                call_id=call.pk,
            )
            decisions.append(decision)
        review_settings.finalised_at = now
        review_settings.finalised_by = by
        review_settings.save(update_fields=["finalised_at", "finalised_by"])
        record(
            by,
            "selection.finalised",
            call,
            after={
                "selected": [str(d.application) for d in decisions if d.outcome == Outcome.SELECTED],
                "reserve": [str(d.application) for d in decisions if d.outcome == Outcome.RESERVE],
                "not_selected": sum(1 for d in decisions if d.outcome == Outcome.NOT_SELECTED),
            },
            note=note,
            call_id=call.pk,
        )
        for decision in decisions:
            _tell_decision(decision)
    return decisions


def _tell_decision(decision, *, event="decision"):
    application = decision.application
    template = f"reviews/emails/decision_{decision.outcome}"
    context = {
        "application": application,
        "call": application.call,
        "organisation": application.organisation,
        "decision": decision,
        "reasons": decision.reasons,
    }
    for member in application.organisation.members.all():
        queue_message(
            kind="decision",
            to=member,
            template=template,
            context=context,
            idempotency_key=f"application:{application.pk}:{event}:{member.pk}",
            scope=outbox_scope(application.call_id),
            # Sent once a worker has rendered the decision letter and attached it.
            attachments_from=[letters.attachment_task(decision)],
        )


def record_decline(application, *, by, note=""):
    """A selected city gives up its place; the best reserve city that keeps the rules takes it.

    Returns (the declined decision, the promoted decision or None when no reserve city fits).
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("call", "organisation")
            .get(pk=application.pk)
        )
        decision = Decision.objects.filter(application=application).first()
        if decision is None or application.status != Status.SELECTED:
            raise EvaluationError(_("Only a selected city can decline its place."))
        application.transition_to(Status.DECLINED, by=by, note=note)
        before = {"response": decision.response}
        decision.response = Response.DECLINED
        decision.responded_at = timezone.now()
        decision.save(update_fields=["response", "responded_at"])
        record(
            by,
            "decision.declined",
            decision,
            before=before,
            after={"response": decision.response},
            note=note,
            call_id=application.call_id,
        )
        promoted = promote_reserve(application.call, by=by, vacated=decision)
    return decision, promoted


def _decision_candidate(decision):
    return selection.Candidate(
        key=decision.pk,
        rank=decision.rank or 10**9,
        country=decision.application.organisation.country,
        score=int((decision.final_score or 0) * 100),
    )


def promote_reserve(call, *, by, vacated=None):
    """Give a free place to the first reserve city (in reserve order) that keeps the call's rules.

    Returns its decision, or None (recorded) when no reserve city fits.
    """
    rules = selection_rules(call)
    holding = [
        _decision_candidate(d)
        for d in Decision.objects.filter(
            application__call=call, application__status=Status.SELECTED
        ).select_related("application__organisation")
    ]
    if len(holding) >= rules.places:
        return None  # no free place (a decline always frees one; this guards repeated calls)
    waiting = list(
        Decision.objects.filter(application__call=call, application__status=Status.RESERVE)
        .select_related("application__organisation", "application__call")
        .order_by("reserve_position", "rank", "pk")
    )
    by_key = {d.pk: d for d in waiting}
    chosen = selection.best_replacement(holding, None, [_decision_candidate(d) for d in waiting], rules)
    if chosen is None:
        record(
            by,
            "selection.no_replacement",
            call,
            note=_("No reserve city keeps the call's rules."),
            call_id=call.pk,
        )
        return None
    promoted = by_key[chosen.key]
    application = promoted.application
    application.transition_to(Status.SELECTED, by=by, note=_("Took a place freed by a city that declined."))
    before = {"outcome": promoted.outcome, "reserve_position": promoted.reserve_position}
    promoted.outcome = Outcome.SELECTED
    promoted.reasons = ""
    promoted.decided_by = by
    promoted.decided_at = timezone.now()
    promoted.save(update_fields=["outcome", "reasons", "decided_by", "decided_at"])
    if vacated is not None:
        vacated.replaced_by = promoted
        vacated.save(update_fields=["replaced_by"])
    record(
        by,
        "decision.promoted",
        promoted,
        before=before,
        after={"outcome": promoted.outcome, "replaces": str(vacated.application) if vacated else None},
        call_id=call.pk,
    )
    _tell_decision(promoted, event="promoted")
    return promoted
