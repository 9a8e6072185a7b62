"""How sure the selection is: a Bayesian model of the reviews, expected ranks, selection probabilities.

After Heyard, Ott, Salanti and Egger, "Rethinking the funding line at the Swiss National
Science Foundation: Bayesian ranking and lottery", Statistics and Public Policy 9(1), 2022.

Each review's total (out of 100) is modelled as

    total = μ + θ[application] + λ[evaluator] + ε

μ the call's mean level, θ how much better or worse than it the application is, λ the
evaluator's leniency (positive: more generous than the others), ε the noise of one
review. θ ~ N(0, τ²), λ ~ N(0, ω²), ε ~ N(0, σ²), and τ², ω², σ² have inverse-gamma
priors: an application reviewed three times, or an evaluator who reviewed four cities,
is pulled towards the middle; the more reviews there are, the less the priors count.

The posterior is sampled by Gibbs sampling (every full conditional is normal or inverse
gamma) with numpy's PCG64 generator from a recorded seed: the same reviews and the same
seed give the same numbers. Each sweep also moves μ against the mean of θ and of λ,
which the data cannot tell apart, so the chain does not crawl along that ridge.

From the draws of quality (μ + θ) come, per application, the posterior mean quality,
the expected rank (the mean of its rank over the draws) with 50 % and 90 % credible
intervals, and the probability of being selected: in each draw the call's exact
selection (reviews/batch_selection.py) is made with the drawn qualities, and the draws
that select the application are counted.

This module is plain numpy: no database. ``inputs_from`` reads what it needs from
reviews/aggregation.py's results.
"""

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np

from . import batch_selection
from .scoring import WeightedTotals

DRAWS = 2000
BURN_IN = 500
DEFAULT_SEED = 20260611

# Inverse-gamma priors (shape, scale) on the variances, in points out of 100 squared: a
# prior guess of 8 points of noise per review, 10 points between applications and 4
# between evaluators' habits, each worth about four reviews of evidence.
PRIOR_SHAPE = 2.0
PRIOR_NOISE = 8.0**2
PRIOR_QUALITY = 10.0**2
PRIOR_LENIENCY = 4.0**2
PRIOR_MEAN_VARIANCE = 100.0**2  # μ ~ N(mean of the totals, 100²): no real information


@dataclass
class ModelInputs:
    """The reviews of one call as the model reads them."""

    applications: list  # application ids, in a fixed order; the model's quality index
    evaluators: list  # evaluator ids, in a fixed order
    review_application: np.ndarray  # per review, index into ``applications``
    review_evaluator: np.ndarray  # per review, index into ``evaluators``
    totals: np.ndarray  # per review, its total out of 100 (float)
    # The selection's candidates (proposable, thresholds passed), as indices into
    # ``applications``, and their countries.
    candidates: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    rules: batch_selection.BatchRules = field(default_factory=lambda: batch_selection.BatchRules(0))

    def fingerprint(self):
        """A digest of everything the result depends on: the same digest, the same numbers."""
        payload = {
            "applications": self.applications,
            "evaluators": self.evaluators,
            "reviews": [
                [int(a), int(e), round(float(t), 2)]
                for a, e, t in zip(self.review_application, self.review_evaluator, self.totals, strict=True)
            ],
            "candidates": [int(c) for c in self.candidates],
            "countries": list(self.countries),
            "rules": [self.rules.places, self.rules.max_per_country, self.rules.min_distinct_countries],
            "model": [DRAWS, BURN_IN, PRIOR_SHAPE, PRIOR_NOISE, PRIOR_QUALITY, PRIOR_LENIENCY],
        }
        encoded = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        return hashlib.sha256(encoded).hexdigest()


def inputs_from(call_results, rules, candidates):
    """The model's inputs from a loaded call (reviews/aggregation.CallResults).

    ``candidates`` are the selection's candidates (plan.candidates_of); only those
    that pass the thresholds can be selected in any draw. A criterion with a
    coordinators' consensus score counts in every review with that score: the final
    score is made of it, and the model reads what the final score is made of.
    """

    ranked = sorted(call_results.ranked, key=lambda r: r.pk)
    totals_of = WeightedTotals(call_results.criteria, call_results.limits.scale_max)
    position = {result.pk: index for index, result in enumerate(ranked)}
    evaluator_ids = sorted({review.review.evaluator_id for r in ranked for review in r.reviews})
    evaluator_position = {pk: index for index, pk in enumerate(evaluator_ids)}
    rows = []
    for result in ranked:
        agreed = {row.criterion.pk: row.consensus.value for row in result.criteria if row.consensus}
        for review in sorted(result.reviews, key=lambda r: r.review.id):
            total = totals_of.total({**review.review.scores, **agreed}) if agreed else review.total
            if total is not None:
                rows.append(
                    (position[result.pk], evaluator_position[review.review.evaluator_id], float(total))
                )
    passing = sorted((c for c in candidates if c.passes), key=lambda c: c.key)
    return ModelInputs(
        applications=[r.pk for r in ranked],
        evaluators=evaluator_ids,
        review_application=np.array([r[0] for r in rows], dtype=np.int64),
        review_evaluator=np.array([r[1] for r in rows], dtype=np.int64),
        totals=np.array([r[2] for r in rows], dtype=float),
        candidates=[position[c.key] for c in passing],
        countries=[c.country for c in passing],
        rules=batch_selection.BatchRules(
            places=rules.places,
            max_per_country=rules.max_per_country,
            min_distinct_countries=rules.min_distinct_countries or 0,
        ),
    )


@dataclass
class Posterior:
    quality: np.ndarray  # (draws, applications)
    leniency: np.ndarray  # (draws, evaluators)
    noise_sd: np.ndarray  # (draws,)
    quality_sd: np.ndarray
    leniency_sd: np.ndarray


def _inverse_gamma(rng, shape, scale):
    return scale / rng.standard_gamma(shape)


def sample(inputs, *, draws=DRAWS, burn_in=BURN_IN, seed=DEFAULT_SEED, progress=None):
    """Posterior draws of the model by Gibbs sampling; ``progress(fraction)`` is told as it goes."""
    rng = np.random.default_rng(seed)
    y = inputs.totals
    app, ev = inputs.review_application, inputs.review_evaluator
    n_apps, n_evals, n_reviews = len(inputs.applications), len(inputs.evaluators), len(y)
    per_app = np.bincount(app, minlength=n_apps).astype(float)
    per_eval = np.bincount(ev, minlength=n_evals).astype(float)

    prior_mean = float(y.mean()) if n_reviews else 50.0
    mu = prior_mean
    theta = np.bincount(app, y, minlength=n_apps) / np.maximum(per_app, 1) - mu
    lam = np.zeros(n_evals)
    noise, spread, habits = PRIOR_NOISE, PRIOR_QUALITY, PRIOR_LENIENCY

    kept = max(0, draws)
    quality = np.empty((kept, n_apps))
    leniency = np.empty((kept, n_evals))
    noise_sd, quality_sd, leniency_sd = np.empty(kept), np.empty(kept), np.empty(kept)
    total_sweeps = burn_in + kept
    report_every = max(1, total_sweeps // 20)
    for sweep in range(total_sweeps):
        # Applications' qualities given the rest.
        precision = per_app / noise + 1 / spread
        partial = np.bincount(app, y - mu - lam[ev], minlength=n_apps) / noise
        theta = partial / precision + rng.standard_normal(n_apps) / np.sqrt(precision)
        # Evaluators' leniencies.
        precision = per_eval / noise + 1 / habits
        partial = np.bincount(ev, y - mu - theta[app], minlength=n_evals) / noise
        lam = partial / precision + rng.standard_normal(n_evals) / np.sqrt(precision)
        # The call's level.
        precision = n_reviews / noise + 1 / PRIOR_MEAN_VARIANCE
        partial = (y - theta[app] - lam[ev]).sum() / noise + prior_mean / PRIOR_MEAN_VARIANCE
        mu = partial / precision + rng.standard_normal() / np.sqrt(precision)
        # Shifts the data cannot see: μ + c with θ − c, then μ + d with λ − d.
        for effects, variance in ((theta, spread), (lam, habits)):
            if effects.size:
                shift_precision = effects.size / variance + 1 / PRIOR_MEAN_VARIANCE
                shift_mean = (
                    effects.sum() / variance - (mu - prior_mean) / PRIOR_MEAN_VARIANCE
                ) / shift_precision
                shift = shift_mean + rng.standard_normal() / np.sqrt(shift_precision)
                effects -= shift
                mu += shift
        # The variances.
        residual = y - mu - theta[app] - lam[ev]
        noise = _inverse_gamma(rng, PRIOR_SHAPE + n_reviews / 2, PRIOR_NOISE + residual @ residual / 2)
        spread = _inverse_gamma(rng, PRIOR_SHAPE + n_apps / 2, PRIOR_QUALITY + theta @ theta / 2)
        habits = _inverse_gamma(rng, PRIOR_SHAPE + n_evals / 2, PRIOR_LENIENCY + lam @ lam / 2)
        kept_index = sweep - burn_in
        if kept_index >= 0:
            quality[kept_index] = mu + theta
            leniency[kept_index] = lam
            noise_sd[kept_index] = np.sqrt(noise)
            quality_sd[kept_index] = np.sqrt(spread)
            leniency_sd[kept_index] = np.sqrt(habits)
        if progress and sweep % report_every == 0:
            progress(0.8 * sweep / total_sweeps)
    return Posterior(quality, leniency, noise_sd, quality_sd, leniency_sd)


def ranks_of(quality):
    """Each application's rank (1 the best) in each draw."""
    draws, count = quality.shape
    order = np.argsort(-quality, axis=1, kind="stable")
    ranks = np.empty((draws, count), dtype=np.int32)
    np.put_along_axis(ranks, order, np.arange(1, count + 1, dtype=np.int32)[None, :], axis=1)
    return ranks


@dataclass
class ApplicationEstimate:
    application_id: int
    quality: float  # posterior mean, out of 100
    quality_sd: float
    expected_rank: float
    rank_50: tuple  # (low, high): half of the draws rank it within
    rank_90: tuple  # nine draws out of ten
    probability: float | None  # of being selected; None when it cannot be (not a candidate)


@dataclass
class EvaluatorEstimate:
    evaluator_id: int
    leniency: float  # posterior mean, points out of 100 (positive: more generous)
    leniency_sd: float
    reviews: int


@dataclass
class Estimates:
    applications: list  # ApplicationEstimate, in the inputs' order
    evaluators: list  # EvaluatorEstimate
    feasible: bool  # whether the rules can be met at all (the same in every draw)
    places: int  # places the rules can fill
    draws: int
    seed: int
    noise_sd: float
    quality_sd: float
    leniency_sd: float


def estimate(inputs, *, draws=DRAWS, burn_in=BURN_IN, seed=DEFAULT_SEED, progress=None):
    """Everything the pages show, from the reviews and the rules: one pass of the model."""
    posterior = sample(inputs, draws=draws, burn_in=burn_in, seed=seed, progress=progress)
    quality = posterior.quality
    ranks = ranks_of(quality)
    low90, low50, high50, high90 = np.quantile(ranks, [0.05, 0.25, 0.75, 0.95], axis=0, method="inverted_cdf")
    if progress:
        progress(0.9)
    probabilities = {}
    feasible, places = True, 0
    if inputs.candidates:
        codes = {country: index for index, country in enumerate(sorted(set(inputs.countries)))}
        columns = np.asarray(inputs.candidates)
        chosen = batch_selection.select(
            quality[:, columns], np.array([codes[c] for c in inputs.countries]), inputs.rules
        )
        feasible, places = chosen.feasible, chosen.places
        counts = chosen.counts(len(columns))
        probabilities = {int(columns[i]): counts[i] / max(1, quality.shape[0]) for i in range(len(columns))}
    else:
        feasible = (inputs.rules.min_distinct_countries or 0) == 0
    if progress:
        progress(1.0)
    per_evaluator = np.bincount(inputs.review_evaluator, minlength=len(inputs.evaluators))
    return Estimates(
        applications=[
            ApplicationEstimate(
                application_id=pk,
                quality=float(quality[:, i].mean()),
                quality_sd=float(quality[:, i].std()),
                expected_rank=float(ranks[:, i].mean()),
                rank_50=(int(low50[i]), int(high50[i])),
                rank_90=(int(low90[i]), int(high90[i])),
                probability=float(probabilities[i]) if i in probabilities else None,
            )
            for i, pk in enumerate(inputs.applications)
        ],
        evaluators=[
            EvaluatorEstimate(
                evaluator_id=pk,
                leniency=float(posterior.leniency[:, i].mean()),
                leniency_sd=float(posterior.leniency[:, i].std()),
                reviews=int(per_evaluator[i]),
            )
            for i, pk in enumerate(inputs.evaluators)
        ],
        feasible=feasible,
        places=places,
        draws=int(quality.shape[0]),
        seed=seed,
        noise_sd=float(posterior.noise_sd.mean()) if draws else 0.0,
        quality_sd=float(posterior.quality_sd.mean()) if draws else 0.0,
        leniency_sd=float(posterior.leniency_sd.mean()) if draws else 0.0,
    )
