"""From the proposal to decisions: consensus scores, overrides, finalisation, declines."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intake import messages
from intake.models import Application, Status, outbox_scope
from notifications.services import queue_message
from portal.audit import record
from portal.formatting import absolute_url

from .. import aggregation, letters, selection
from ..models import (
    ConsensusScore,
    Decision,
    Outcome,
    Response,
    ReviewSettings,
    SelectionOverride,
)
from ..plan import (
    NOT_SCREENED,
    REVIEWS_INCOMPLETE,
    propose_selection,
    reason_facts,
    reasons_in,
    selection_rules,
)
from .common import EvaluationError, plain_value, snapshot


def _refuse_when_final(call):
    if ReviewSettings.objects.for_call(call).is_finalised:
        raise EvaluationError(_("The selection is final; it can no longer be changed."))


def set_consensus_score(application, criterion, *, by, value, justification):
    """A coordinator's agreed score for one criterion; it replaces the mean of the reviews."""
    review_settings = ReviewSettings.objects.for_call(application.call)
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
        before = snapshot(existing, ["value", "justification"]) if existing else None
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
            after=snapshot(consensus, ["value", "justification"]),
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
            before=snapshot(consensus, ["value", "justification"]),
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
    before = snapshot(existing, ["action", "justification"]) if existing else None
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
    if action == SelectionOverride.Action.INCLUDE and application.status not in Status.proposable():
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
            after=snapshot(override, ["action", "justification"]),
            call_id=call.pk,
        )
    return override


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
        criteria = {criterion.pk: criterion for criterion in plan.results.criteria}
        for row in plan.rows():
            application = row.result.application
            application.call = call  # already loaded: spares a query per city in the emails
            if application.status != Status.IN_REVIEW:
                continue
            override = row.override
            facts = reason_facts(plan, row, note if row.outcome == Outcome.NOT_SELECTED else "")
            # The reasons on record read as the letter does: in its addressee's language.
            letter_language = getattr(application.submitted_by, "language", None) or "en"
            decision = Decision.objects.create(
                application=application,
                outcome=row.outcome,
                rank=row.result.rank,
                final_score=row.result.final_score,
                reserve_position=row.reserve.position if row.reserve else None,
                reasons=reasons_in(facts, letter_language, criteria),
                reason_facts=facts,
                is_override=override is not None,
                override_justification=override.justification if override else "",
                decided_by=by,
                decided_at=now,
            )
            # The new status says the outcome; the history needs no note repeating it.
            application.transition_to(DECISION_STATUS[row.outcome], by=by)
            record(
                by,
                "decision.made",
                decision,
                after={
                    "outcome": decision.outcome,
                    "rank": decision.rank,
                    "final_score": plain_value(decision.final_score),
                    "reserve_position": decision.reserve_position,
                    "override": decision.override_justification or None,
                },
                call_id=call.pk,
            )
            decisions.append(decision)
        review_settings.finalised_at = now
        review_settings.finalised_by = by
        review_settings.save(update_fields=["finalised_at", "finalised_by"])
        ReviewSettings.objects.remember(call, review_settings)
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
            tell_decision(decision)
    return decisions


class ReasonsText:
    """A decision's reasons that read in the language active where they are shown: the
    email of each member is rendered in that member's language."""

    def __init__(self, decision):
        self.decision = decision

    def __str__(self):
        return self.decision.reasons_in(translation.get_language())

    def __bool__(self):
        return bool(self.decision.reason_facts or self.decision.reasons)


def tell_decision(decision, *, event="decision"):
    application = decision.application
    template = f"reviews/emails/decision_{decision.outcome}"
    call = application.call
    values = messages.applicant_values(
        application,
        project=messages.project_name(call),
        reply_deadline=messages.on_day(call, call.reply_deadline),
        position=decision.reserve_position or "",
    )
    context = {
        "application": application,
        "application_url": absolute_url("intake:application_detail", application.pk),
        "reply_deadline": values["reply_deadline"],
        "call": call,
        "organisation": application.organisation,
        "decision": decision,
        # Written in each member's language, whoever finalised and in whatever language.
        "reasons": ReasonsText(decision),
        "opening": messages.opening(call, f"decision_{decision.outcome}", values),
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
        if decision.response == Response.ACCEPTED:
            raise EvaluationError(
                _("This city has accepted its place: it is a partner now, and withdraws as a partner.")
            )
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


def record_acceptance(application, *, by, note=""):
    """A selected city accepts its place: its decision records the answer (audited).

    The caller holds the transaction and does what the acceptance brings (the partners app
    makes the city a partner of the project in the same transaction). Returns the decision.
    """
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("call", "organisation")
            .get(pk=application.pk)
        )
        decision = Decision.objects.select_for_update().filter(application=application).first()
        if decision is None or application.status != Status.SELECTED:
            raise EvaluationError(_("Only a selected city can accept a place."))
        if decision.response == Response.ACCEPTED:
            raise EvaluationError(_("This city has already accepted its place."))
        before = {"response": decision.response}
        decision.response = Response.ACCEPTED
        decision.responded_at = timezone.now()
        decision.save(update_fields=["response", "responded_at"])
        record(
            by,
            "decision.accepted",
            decision,
            before=before,
            after={"response": decision.response},
            note=note,
            call_id=application.call_id,
        )
        decision.application = application
    return decision


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
    promoted.reason_facts = []
    promoted.decided_by = by
    promoted.decided_at = timezone.now()
    promoted.save(update_fields=["outcome", "reasons", "reason_facts", "decided_by", "decided_at"])
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
    tell_decision(promoted, event="promoted")
    return promoted
