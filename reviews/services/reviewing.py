"""Reviews: saving, submitting and reopening an evaluator's scores."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import outbox_scope
from notifications.services import queue_message
from portal.audit import record
from portal.formatting import absolute_url

from ..models import (
    Assignment,
    AssignmentStatus,
    Review,
    ReviewSettings,
    ReviewStatus,
    Score,
)
from ..queries import criteria_of
from ..scoring import weighted_total
from .common import EvaluationError, plain_value, snapshot


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
            before[key] = {"value": plain_value(score.value), "comment": score.comment} if score.pk else None
            score.value, score.comment = value, comment
            score.save()
            after[key] = {"value": plain_value(value), "comment": comment}
        review_before = snapshot(review, ["overall_comment", "recommendation", "status"])
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
        review_after = snapshot(review, ["overall_comment", "recommendation", "status"])
        if any(review_after[name] != review_before[name] for name in ("overall_comment", "recommendation")):
            record(by, "review.changed", review, before=review_before, after=review_after, call_id=call.pk)
        if submit:
            total = weighted_total(values, criteria, review_settings.scale_max)
            record(by, "review.submitted", review, after={"total": plain_value(total)}, call_id=call.pk)
    return review


def reopen_review(review, *, by, note=""):
    """A coordinator unlocks a submitted review so its evaluator can change it."""
    if review.status != ReviewStatus.SUBMITTED:
        raise EvaluationError(_("Only a submitted review can be reopened."))
    if ReviewSettings.objects.for_call(review.application.call).is_finalised:
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
                "url": absolute_url("reviews:evaluator_application", application.pk),
            },
            idempotency_key=f"review:{review.pk}:reopened:{review.reopened_at.isoformat()}",
            scope=outbox_scope(application.call_id),
        )
    return review
