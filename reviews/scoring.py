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


class WeightedTotals:
    """``weighted_total`` and ``contribution`` for many score sets of one call, weights read once.

    The arithmetic is the same, step for step, so the results are identical to the
    functions above; reading the weights once is what makes ranking thousands of
    applications fast.
    """

    def __init__(self, criteria, scale_max):
        self.criteria = list(criteria)
        self.weights = [(c.pk, Decimal(c.weight)) for c in self.criteria]
        weight_sum = sum((w for _, w in self.weights), Decimal(0))
        self.valid = bool(self.criteria) and weight_sum > 0 and bool(scale_max)
        self.denominator = weight_sum * Decimal(scale_max) if self.valid else None
        self.weight_of = dict(self.weights)

    def total(self, scores):
        """As ``weighted_total(scores, criteria, scale_max)`` (never partial)."""
        if not self.valid:
            return None
        accumulated = Decimal(0)
        for pk, weight in self.weights:
            value = scores.get(pk)
            if value is None:
                return None
            accumulated += weight * Decimal(value)
        return (accumulated * HUNDRED / self.denominator).quantize(CENT, rounding=ROUND_HALF_UP)

    def contribution(self, value, criterion_pk):
        """As ``contribution(value, criterion, criteria, scale_max)``."""
        if value is None or not self.valid:
            return None
        points = self.weight_of[criterion_pk] * Decimal(value) * HUNDRED / self.denominator
        return points.quantize(CENT, rounding=ROUND_HALF_UP)
