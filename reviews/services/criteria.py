"""A call's criteria and the scale they are scored on: added, changed, moved, removed.

Criteria may change until the selection is final. Once reviews have scores, a criterion
can no longer be added or removed and the scale no longer changes: the scores given
would no longer fit.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.audit import record
from portal.ordering import move, next_number
from portal.text import strip_bidi_controls

from ..models import ConsensusScore, Criterion, ReviewSettings, Score
from .common import EvaluationError, snapshot

CRITERION_FIELDS = (
    "name_en",
    "name_fr",
    "guidance_en",
    "guidance_fr",
    "weight",
    "threshold",
    "tie_break_priority",
)
TEXT_FIELDS = ("name_en", "name_fr", "guidance_en", "guidance_fr")
SCALE_FIELDS = ("scale_max", "scale_step")


def weights_total(call):
    """What the call's criteria's weights add up to (the builder asks for 100)."""
    return Criterion.objects.filter(call=call).aggregate(total=Sum("weight"))["total"] or Decimal(0)


def _refuse_when_final(call):
    if ReviewSettings.objects.for_call(call).is_finalised:
        raise EvaluationError(_("The selection is final; the criteria can no longer change."))


def _has_scores(call):
    return Score.objects.filter(criterion__call=call, value__isnull=False).exists()


def _check(criterion, review_settings):
    """Refuse what the criterion's fields cannot be, naming the field."""
    errors = {}
    if not (criterion.name_en or "").strip():
        errors["name_en"] = _("Give the criterion a name in English.")
    if criterion.weight is None or criterion.weight <= 0:
        errors["weight"] = _("The weight must be above zero.")
    if criterion.threshold is not None and not 0 <= criterion.threshold <= review_settings.scale_max:
        errors["threshold"] = _("The threshold is a score of the scale, from 0 to %(top)s.") % {
            "top": f"{review_settings.scale_max.normalize():f}"
        }
    priority = criterion.tie_break_priority
    if priority is not None:
        taken = Criterion.objects.filter(call_id=criterion.call_id, tie_break_priority=priority)
        if criterion.pk:
            taken = taken.exclude(pk=criterion.pk)
        if taken.exists():
            errors["tie_break_priority"] = _("Another criterion already breaks ties at this priority.")
    if errors:
        raise EvaluationError(next(iter(errors.values())), errors)
    try:
        criterion.full_clean(exclude=["call", "order"])
    except ValidationError as error:
        messages = {name: " ".join(texts) for name, texts in error.message_dict.items()}
        raise EvaluationError(next(iter(messages.values())), messages) from None


def _cleaned(changes):
    values = {name: value for name, value in changes.items() if name in CRITERION_FIELDS}
    for name in TEXT_FIELDS:
        if name in values:
            values[name] = strip_bidi_controls((values[name] or "").strip())
    return values


def add_criterion(call, *, by, **fields):
    """A new criterion at the end of the call's list."""
    _refuse_when_final(call)
    if _has_scores(call):
        raise EvaluationError(
            _("Reviews already have scores: a criterion added now would have none in them.")
        )
    review_settings = ReviewSettings.objects.for_call(call)
    with transaction.atomic():
        existing = list(Criterion.objects.select_for_update().filter(call=call))
        criterion = Criterion(call=call, order=next_number(existing), **_cleaned(fields))
        _check(criterion, review_settings)
        criterion.save()
        record(by, "criterion.added", criterion, after=snapshot(criterion, CRITERION_FIELDS), call_id=call.pk)
    return criterion


def change_criterion(criterion, *, by, changes):
    """Change a criterion's name, guidance, weight, threshold or tie-break priority."""
    call = criterion.call
    _refuse_when_final(call)
    review_settings = ReviewSettings.objects.for_call(call)
    with transaction.atomic():
        criterion = Criterion.objects.select_for_update().get(pk=criterion.pk)
        before = snapshot(criterion, CRITERION_FIELDS)
        for name, value in _cleaned(changes).items():
            setattr(criterion, name, value)
        _check(criterion, review_settings)
        after = snapshot(criterion, CRITERION_FIELDS)
        changed = [name for name in CRITERION_FIELDS if before[name] != after[name]]
        if changed:
            criterion.save()
            record(
                by,
                "criterion.changed",
                criterion,
                before={name: before[name] for name in changed},
                after={name: after[name] for name in changed},
                call_id=call.pk,
            )
    return criterion


def remove_criterion(criterion, *, by):
    """Remove a criterion no review has scored."""
    call = criterion.call
    _refuse_when_final(call)
    if (
        Score.objects.filter(criterion=criterion).exists()
        or ConsensusScore.objects.filter(criterion=criterion).exists()
    ):
        raise EvaluationError(_("Reviews have scored this criterion: it can no longer be removed."))
    with transaction.atomic():
        record(
            by, "criterion.removed", criterion, before=snapshot(criterion, CRITERION_FIELDS), call_id=call.pk
        )
        criterion.delete()
        remaining = list(Criterion.objects.filter(call=call).order_by("order", "pk"))
        for number, item in enumerate(remaining, start=1):
            item.order = number
        Criterion.objects.bulk_update(remaining, ["order"])


def move_criterion(criterion, *, by, direction):
    """Move a criterion one place up or down in the list reviewers see."""
    call = criterion.call
    _refuse_when_final(call)
    with transaction.atomic():
        items = list(Criterion.objects.select_for_update().filter(call=call).order_by("order", "pk"))
        before = [item.pk for item in items]
        changed = move(items, criterion, direction)
        if changed:
            Criterion.objects.bulk_update(changed, ["order"])
            after = [item.pk for item in sorted(items, key=lambda item: item.order)]
            if after != before:
                record(
                    by,
                    "criterion.moved",
                    criterion,
                    before={"order": before},
                    after={"order": after},
                    call_id=call.pk,
                )
    return criterion


def change_scale(call, *, by, scale_max, scale_step):
    """The highest score and the step of the scale; refused once reviews have scores."""
    _refuse_when_final(call)
    with transaction.atomic():
        review_settings = ReviewSettings.objects.select_for_update().filter(call=call).first()
        review_settings = review_settings or ReviewSettings.objects.ensure(call)
        before = snapshot(review_settings, SCALE_FIELDS)
        review_settings.scale_max, review_settings.scale_step = scale_max, scale_step
        after = snapshot(review_settings, SCALE_FIELDS)
        if after == before:
            return review_settings
        if _has_scores(call):
            raise EvaluationError(_("Reviews already have scores on this scale: it can no longer change."))
        try:
            review_settings.full_clean()
        except ValidationError as error:
            messages = {name: " ".join(texts) for name, texts in error.message_dict.items()}
            raise EvaluationError(next(iter(messages.values())), messages) from None
        above = Criterion.objects.filter(call=call, threshold__gt=scale_max)
        if above.exists():
            raise EvaluationError(
                _("Some criteria have a threshold above the new highest score; lower them first."),
                {"scale_max": _("Below a criterion's threshold.")},
            )
        review_settings.save(update_fields=list(SCALE_FIELDS))
        ReviewSettings.objects.remember(call, review_settings)
        record(by, "review_settings.changed", review_settings, before=before, after=after, call_id=call.pk)
    return review_settings
