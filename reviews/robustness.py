"""How sure the selection is, for the pages: the stored model result, its grey zone and the lottery.

The model (reviews/uncertainty.py) runs once per change of the data, in a Celery task
for a large call or within the request for a small one, and its result is stored
(``SelectionUncertainty``) with the fingerprint of what it was computed from. Pages read
the stored result and compare fingerprints, so they stay fast and say when the result
is out of date.

The lottery (reviews/lottery.py) is announced (the grey zone frozen, the lottery number
fixed and shown), then drawn; its outcome enters the selection as the coordinators'
overrides, one "include" per city of the resulting set (the certain cities and the
drawn ones), each justified by the lottery, so the proposal, the finalisation and the
decisions work unchanged and every step is in the audit log.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.services import publish
from portal.audit import record

from . import aggregation, lottery, plan, services, uncertainty
from .models import ReviewSettings, SelectionLottery, SelectionOverride, SelectionUncertainty

# Calls with at most this many ranked applications are computed within the request
# (well under a second); larger ones by a worker, with a progress bar.
# The task that runs the model of a large call, by the name it declares (reviews/tasks.py).
ESTIMATE_TASK = "reviews.tasks.compute_selection_uncertainty"
SYNC_LIMIT = 200


class Certainty(models.TextChoices):
    """Where a city stands across the model's draws."""

    CERTAIN = "certain", gettext_lazy("certain")
    GREY = "grey", gettext_lazy("grey zone")
    OUT = "out", gettext_lazy("out")


CERTAIN, GREY, OUT = Certainty.CERTAIN, Certainty.GREY, Certainty.OUT


def model_inputs(call_results, rules=None):
    """The model's inputs for a loaded call: its reviews, its candidates and its rules."""
    rules = rules or plan.selection_rules(call_results.call, call_results.settings)
    return uncertainty.inputs_from(call_results, rules, plan.candidates_of(call_results))


# --------------------------------------------------------------------------------------
# Reading the stored result
# --------------------------------------------------------------------------------------


@dataclass
class CityEstimate:
    quality: float
    quality_sd: float
    expected_rank: float
    rank_50: tuple
    rank_90: tuple
    probability: float | None  # 0..1; None when the city cannot be selected (not a candidate)
    group: str | None  # CERTAIN, GREY, OUT or None

    @property
    def percent(self):
        return None if self.probability is None else round(100 * self.probability)

    @property
    def in_grey_zone(self):
        return self.group == GREY


@dataclass
class Robustness:
    """The stored result of a call as the pages read it, with its grey zone."""

    record: SelectionUncertainty | None
    fingerprint: str  # of the data as they are now
    low: Decimal  # grey zone bounds, percent
    high: Decimal
    lottery: SelectionLottery | None = None
    _estimates: dict = field(default_factory=dict)

    @property
    def is_current(self):
        return bool(self.record and self.record.is_done and self.record.fingerprint == self.fingerprint)

    @property
    def is_out_of_date(self):
        return bool(self.record and self.record.is_done and self.record.fingerprint != self.fingerprint)

    @property
    def is_pending(self):
        return bool(self.record and self.record.is_pending)

    @property
    def has_failed(self):
        return bool(self.record and self.record.state == SelectionUncertainty.State.FAILED)

    @property
    def result(self):
        return self.record.result if self.record else {}

    def group_of(self, probability):
        if probability is None:
            return None
        percent = Decimal(str(round(100 * probability, 4)))
        if percent > self.high:
            return CERTAIN
        if percent < self.low:
            return OUT
        return GREY

    def estimate(self, application_id):
        """The city's numbers, or None when there is no current result."""
        if not self.is_current:
            return None
        if application_id not in self._estimates:
            row = self.result.get("applications", {}).get(str(application_id))
            if row is None:
                self._estimates[application_id] = None
            else:
                quality, sd, expected, low50, high50, low90, high90, probability = row
                self._estimates[application_id] = CityEstimate(
                    quality,
                    sd,
                    expected,
                    (low50, high50),
                    (low90, high90),
                    probability,
                    self.group_of(probability),
                )
        return self._estimates[application_id]

    def keys_in(self, group):
        if not self.is_current:
            return []
        return [
            int(pk)
            for pk, row in self.result.get("applications", {}).items()
            if self.group_of(row[7]) == group
        ]

    @property
    def grey_zone(self):
        return self.keys_in(GREY)

    @property
    def certain(self):
        return self.keys_in(CERTAIN)

    def evaluators(self):
        """(name, leniency, sd, reviews) of every evaluator, most lenient first."""
        if not self.is_current:
            return []
        rows = [tuple(row) for row in self.result.get("evaluators", {}).values()]
        return sorted(((name, leniency, sd, n) for leniency, sd, n, name in rows), key=lambda r: -r[1])

    def leniency(self, evaluator_id):
        """(leniency, sd) of one evaluator, or None."""
        if not self.is_current:
            return None
        row = self.result.get("evaluators", {}).get(str(evaluator_id))
        return (row[0], row[1]) if row else None

    @property
    def drawn_keys(self):
        return set(self.lottery.drawn or ()) if self.lottery else set()


def for_call(call, call_results=None, *, settings=None, fingerprint=None):
    """The stored result of ``call`` against its data (two queries).

    The data are those loaded in ``call_results``, or the stored ranking's ``fingerprint``
    of them with the call's ``settings``.
    """
    settings = settings or call_results.settings
    if fingerprint is None and call_results is not None:
        fingerprint = model_inputs(call_results).fingerprint()
    return Robustness(
        record=SelectionUncertainty.objects.filter(call=call).select_related("requested_by").first(),
        # None: a ranking not computed yet, which no stored result can match.
        fingerprint=fingerprint or "",
        low=settings.grey_zone_low,
        high=settings.grey_zone_high,
        lottery=SelectionLottery.objects.filter(call=call).select_related("announced_by", "drawn_by").first(),
    )


# --------------------------------------------------------------------------------------
# Computing
# --------------------------------------------------------------------------------------


def request_estimate(call, *, by, seed=uncertainty.DEFAULT_SEED):
    """Compute the model again for ``call``: at once for a small call, else by a worker.

    Returns the stored record (done, or queued with its progress at 0).
    """
    call_results = aggregation.load_call_results(call, settings=ReviewSettings.objects.for_call(call))
    inputs = model_inputs(call_results)
    with transaction.atomic():
        stored, _created = SelectionUncertainty.objects.update_or_create(
            call=call,
            defaults={
                "state": SelectionUncertainty.State.QUEUED,
                "progress": 0,
                "seed": seed,
                "draws": uncertainty.DRAWS,
                "error": "",
                "requested_by": by,
                "requested_at": timezone.now(),
            },
        )
        record(
            by,
            "selection.uncertainty_requested",
            stored,
            after={"seed": seed, "draws": uncertainty.DRAWS, "applications": len(inputs.applications)},
            call_id=call.pk,
        )
        if len(inputs.applications) > SYNC_LIMIT:
            transaction.on_commit(lambda: publish(ESTIMATE_TASK, record_id=stored.pk), robust=True)
            return stored
    compute(stored, inputs=inputs, call_results=call_results)
    stored.refresh_from_db()
    return stored


def ensure_current(call, *, by):
    """Compute the model when the stored result is missing or out of date (the demo data)."""
    call_results = aggregation.load_call_results(call, settings=ReviewSettings.objects.for_call(call))
    current = for_call(call, call_results)
    if current.is_current or current.is_pending:
        return current.record
    return request_estimate(call, by=by)


def run_estimate(record_id):
    """The worker's part: load the call, sample, store. Superseded requests store nothing."""
    stored = SelectionUncertainty.objects.select_related("call").filter(pk=record_id).first()
    if stored is None or stored.is_done:
        return None
    call_results = aggregation.load_call_results(
        stored.call, settings=ReviewSettings.objects.for_call(stored.call)
    )
    compute(stored, inputs=model_inputs(call_results), call_results=call_results)
    return stored.pk


def compute(stored, *, inputs, call_results):
    """Sample the model and store its result on ``stored``, reporting progress as it goes."""
    this_request = SelectionUncertainty.objects.filter(pk=stored.pk, requested_at=stored.requested_at)
    this_request.update(state=SelectionUncertainty.State.RUNNING, progress=1)
    reported = [0]

    def progress(fraction):
        percent = int(100 * fraction)
        if percent >= reported[0] + 5 and percent < 100:
            reported[0] = percent
            this_request.update(progress=percent)

    try:
        estimates = uncertainty.estimate(inputs, draws=stored.draws, seed=stored.seed, progress=progress)
    except Exception as error:
        this_request.update(state=SelectionUncertainty.State.FAILED, error=str(error)[:2000])
        raise
    names = {
        review.review.evaluator_id: review.review.evaluator_name
        for result in call_results.ranked
        for review in result.reviews
    }
    this_request.update(
        state=SelectionUncertainty.State.DONE,
        progress=100,
        fingerprint=inputs.fingerprint(),
        result=serialise(estimates, names),
        computed_at=timezone.now(),
    )


def serialise(estimates, names):
    return {
        "applications": {
            str(e.application_id): [
                round(e.quality, 2),
                round(e.quality_sd, 2),
                round(e.expected_rank, 2),
                *e.rank_50,
                *e.rank_90,
                None if e.probability is None else round(e.probability, 4),
            ]
            for e in estimates.applications
        },
        "evaluators": {
            str(e.evaluator_id): [
                round(e.leniency, 2),
                round(e.leniency_sd, 2),
                e.reviews,
                names.get(e.evaluator_id, ""),
            ]
            for e in estimates.evaluators
        },
        "feasible": estimates.feasible,
        "places": estimates.places,
        "draws": estimates.draws,
        "seed": estimates.seed,
        "noise_sd": round(estimates.noise_sd, 2),
        "quality_sd": round(estimates.quality_sd, 2),
        "leniency_sd": round(estimates.leniency_sd, 2),
    }


# --------------------------------------------------------------------------------------
# The lottery
# --------------------------------------------------------------------------------------

LOTTERY_PROBLEMS = {
    "certain_break_country_limit": lambda: _("The certain cities already break the country limit."),
    "no_place_left": lambda: _("The certain cities fill every place: there is nothing to draw."),
    "no_rule_keeping_set": lambda: _(
        "No set of cities of the grey zone keeps the call's rules with the certain cities."
    ),
}


def _lottery_error(error):
    return services.EvaluationError(LOTTERY_PROBLEMS.get(str(error), lambda: str(error))())


def _entries(call_results, keys):
    by_key = call_results.by_application()
    return [
        lottery.Entry(
            key=by_key[pk].application.reference or str(pk),
            country=by_key[pk].application.organisation.country,
        )
        for pk in keys
    ]


def _current(call):
    services_settings = ReviewSettings.objects.for_call(call)
    if services_settings.is_finalised:
        raise services.EvaluationError(_("The selection is final; it can no longer be changed."))
    call_results = aggregation.load_call_results(call, settings=services_settings)
    current = for_call(call, call_results)
    if not current.is_current:
        raise services.EvaluationError(
            _("The selection probabilities are missing or out of date: compute them again first.")
        )
    return call_results, current


def announce_lottery(call, *, by, seed, source):
    """Fix the lottery number and freeze the grey zone; the draw can then be made by anyone's count."""
    source = (source or "").strip()
    if not source:
        raise services.EvaluationError(
            _("Say where the lottery number comes from."),
            {"seed_source": _("Say where the number comes from.")},
        )
    call_results, current = _current(call)
    if current.lottery and current.lottery.is_drawn:
        raise services.EvaluationError(_("The lottery has been drawn already."))
    certain, grey = _entries(call_results, current.certain), _entries(call_results, current.grey_zone)
    if not grey:
        raise services.EvaluationError(_("The grey zone is empty: there is nothing to draw."))
    rules = plan.selection_rules(call, call_results.settings)
    try:
        lottery.Completions(
            certain,
            grey,
            lottery.LotteryRules(rules.places, rules.max_per_country, rules.min_distinct_countries),
        )
    except lottery.LotteryError as error:
        raise _lottery_error(error) from None
    values = {
        "seed": int(seed),
        "seed_source": source[:200],
        "fingerprint": current.fingerprint,
        "certain": sorted(e.key for e in certain),
        "grey_zone": sorted(e.key for e in grey),
        "places": rules.places,
        "max_per_country": rules.max_per_country,
        "min_distinct_countries": rules.min_distinct_countries or 0,
        "announced_by": by,
        "announced_at": timezone.now(),
    }
    with transaction.atomic():
        before = None
        if current.lottery:
            before = {"seed": current.lottery.seed, "seed_source": current.lottery.seed_source}
        announced, _created = SelectionLottery.objects.update_or_create(call=call, defaults=values)
        record(
            by,
            "lottery.announced",
            announced,
            before=before,
            after={k: values[k] for k in ("seed", "seed_source", "certain", "grey_zone", "places")},
            call_id=call.pk,
        )
    return announced


def draw_lottery(call, *, by):
    """Draw the announced lottery and put its outcome into the selection as audited overrides."""
    call_results, current = _current(call)
    announced = current.lottery
    if announced is None:
        raise services.EvaluationError(_("Announce the lottery number first."))
    if announced.is_drawn:
        raise services.EvaluationError(_("The lottery has been drawn already."))
    if announced.fingerprint != current.fingerprint:
        raise services.EvaluationError(
            _("The reviews or the rules changed since the lottery was announced: announce it again.")
        )
    if SelectionOverride.objects.filter(call=call).exists():
        raise services.EvaluationError(
            _("The selection has overrides: clear them before drawing, so the lottery decides alone.")
        )
    by_reference = {(r.application.reference or str(r.pk)): r for r in call_results.ranked}
    certain = [
        lottery.Entry(key, by_reference[key].application.organisation.country) for key in announced.certain
    ]
    grey = [
        lottery.Entry(key, by_reference[key].application.organisation.country) for key in announced.grey_zone
    ]
    rules = lottery.LotteryRules(
        announced.places, announced.max_per_country, announced.min_distinct_countries
    )
    try:
        outcome = lottery.draw(certain, grey, rules, announced.seed)
    except lottery.LotteryError as error:
        raise _lottery_error(error) from None
    when = timezone.localtime(timezone.now(), call.tzinfo).strftime("%Y-%m-%d")
    with transaction.atomic():
        announced.drawn = outcome.drawn
        announced.completions = str(outcome.completions)
        announced.draw_number = str(outcome.number)
        announced.drawn_by = by
        announced.drawn_at = timezone.now()
        announced.save(update_fields=["drawn", "completions", "draw_number", "drawn_by", "drawn_at"])
        record(
            by,
            "lottery.drawn",
            announced,
            after={
                "seed": announced.seed,
                "drawn": outcome.drawn,
                "completions": str(outcome.completions),
                "number": str(outcome.number),
            },
            call_id=call.pk,
        )
        reasons = {
            **{
                key: _("Certain under the model of the reviews (lottery of %(date)s).")
                for key in announced.certain
            },
            **{
                key: _("Drawn by lot among the grey zone on %(date)s, lottery number %(seed)s.")
                for key in outcome.drawn
            },
        }
        for key, reason in reasons.items():
            services.override_decision(
                call,
                by_reference[key].application,
                by=by,
                action=SelectionOverride.Action.INCLUDE,
                justification=reason % {"date": when, "seed": announced.seed},
            )
    return announced


def replay_command(lottery_record):
    """The command that repeats the draw from the exported ranking."""
    return (
        f"python manage.py replay_lottery ranking.csv --seed {lottery_record.seed} "
        f"--places {lottery_record.places} --max-per-country {lottery_record.max_per_country} "
        f"--min-countries {lottery_record.min_distinct_countries}"
    )
