"""Score arithmetic shared by the review page, the ranking and the exports.

The weighted total is defined here and nowhere else.
"""

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def weighted_total(scores, criteria, scale_max, *, partial=False):
    """The weighted total out of 100 of one set of scores.

    ``scores`` maps a criterion id to its value (a Decimal, or None when not scored);
    ``criteria`` are the call's criteria (anything with ``pk`` and ``weight``);
    ``scale_max`` is the highest score of the call's scale.

    Each criterion contributes ``weight / sum(weights) * value / scale_max * 100``, so the
    total is out of 100 whatever the weights add up to. When a criterion has no score the
    total is None, unless ``partial`` is set (a review being filled in), where it counts 0.
    Rounded half up to two decimals.
    """
    criteria = list(criteria)
    weight_sum = sum((Decimal(c.weight) for c in criteria), Decimal(0))
    if not criteria or weight_sum <= 0 or not scale_max:
        return None
    accumulated = Decimal(0)
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            if not partial:
                return None
            continue
        accumulated += Decimal(criterion.weight) * Decimal(value)
    total = accumulated * HUNDRED / (weight_sum * Decimal(scale_max))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def contribution(value, criterion, criteria, scale_max):
    """The points out of 100 that ``value`` on ``criterion`` brings to the total."""
    weight_sum = sum((Decimal(c.weight) for c in criteria), Decimal(0))
    if value is None or weight_sum <= 0:
        return None
    points = Decimal(criterion.weight) * Decimal(value) * HUNDRED / (weight_sum * Decimal(scale_max))
    return points.quantize(CENT, rounding=ROUND_HALF_UP)
