"""The Bayesian model of the reviews, on simulated calls whose truth the test knows."""

import numpy as np

from reviews import batch_selection, uncertainty


def spearman(a, b):
    return float(np.corrcoef(np.argsort(np.argsort(a)), np.argsort(np.argsort(b)))[0, 1])


def simulated_call(seed, *, applications=60, evaluators=12, per_application=3, bias_sd=6.0, noise_sd=5.0):
    """True qualities and evaluator biases, and three reviews per application by random evaluators."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(65, 8, applications)
    bias = rng.normal(0, bias_sd, evaluators)
    apps, evals, totals = [], [], []
    for a in range(applications):
        for e in rng.choice(evaluators, per_application, replace=False):
            apps.append(a)
            evals.append(int(e))
            totals.append(quality[a] + bias[e] + rng.normal(0, noise_sd))
    inputs = uncertainty.ModelInputs(
        applications=list(range(applications)),
        evaluators=list(range(evaluators)),
        review_application=np.array(apps),
        review_evaluator=np.array(evals),
        totals=np.array(totals),
        candidates=list(range(applications)),
        countries=[f"C{a % 15}" for a in range(applications)],
        rules=batch_selection.BatchRules(places=11),
    )
    return inputs, quality, bias


def fixed_call(totals_by_city, *, places, countries=None):
    """Each city reviewed by the same three evaluators with the given totals."""
    apps, evals, totals = [], [], []
    for city, city_totals in enumerate(totals_by_city):
        for evaluator, total in enumerate(city_totals):
            apps.append(city)
            evals.append(evaluator)
            totals.append(float(total))
    size = len(totals_by_city)
    return uncertainty.ModelInputs(
        applications=list(range(size)),
        evaluators=[0, 1, 2],
        review_application=np.array(apps),
        review_evaluator=np.array(evals),
        totals=np.array(totals),
        candidates=list(range(size)),
        countries=countries or [f"C{i}" for i in range(size)],
        rules=batch_selection.BatchRules(places=places),
    )


def test_the_model_recovers_the_evaluators_biases():
    for seed in range(4):
        inputs, _quality, bias = simulated_call(seed)
        estimated = [e.leniency for e in uncertainty.estimate(inputs, seed=seed).evaluators]
        assert np.corrcoef(estimated, bias)[0, 1] > 0.85, seed
        # On the same scale: the estimates are the biases around their mean, give or take.
        assert np.abs(np.array(estimated) - (bias - bias.mean())).mean() < 2.5, seed


def test_the_model_ranks_closer_to_the_truth_than_the_plain_mean_on_average():
    gains = []
    for seed in range(8):
        inputs, quality, _bias = simulated_call(100 + seed)
        model = [e.quality for e in uncertainty.estimate(inputs, seed=seed).applications]
        plain = np.bincount(inputs.review_application, inputs.totals) / np.bincount(inputs.review_application)
        gains.append(spearman(model, quality) - spearman(plain, quality))
    assert np.mean(gains) > 0.03, gains


def test_the_same_data_and_seed_give_the_same_numbers():
    inputs, _quality, _bias = simulated_call(5)
    first = uncertainty.estimate(inputs, seed=42)
    again = uncertainty.estimate(inputs, seed=42)
    other = uncertainty.estimate(inputs, seed=43)
    assert first == again
    assert first.applications != other.applications
    assert inputs.fingerprint() == simulated_call(5)[0].fingerprint()


def test_agreeing_evaluators_and_wide_gaps_make_every_probability_zero_or_one():
    inputs = fixed_call([[t, t, t] for t in (90, 75, 60, 45, 30)], places=2)
    estimates = uncertainty.estimate(inputs)
    assert [e.probability for e in estimates.applications] == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert [e.rank_90 for e in estimates.applications] == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]


def test_two_identically_reviewed_cities_at_the_line_each_get_about_half():
    inputs = fixed_call([[90, 88, 92], [72, 70, 74], [72, 70, 74], [40, 38, 42]], places=2)
    probabilities = [e.probability for e in uncertainty.estimate(inputs).applications]
    assert probabilities[0] == 1.0 and probabilities[3] == 0.0
    assert abs(probabilities[1] - 0.5) < 0.08 and abs(probabilities[2] - 0.5) < 0.08
    assert abs(probabilities[1] + probabilities[2] - 1.0) < 1e-9


def test_the_country_limit_holds_in_every_draw():
    """Two strong cities of one country share, between them, the one place their country may have."""
    inputs = fixed_call([[80, 80, 80], [80, 80, 80], [60, 60, 60]], places=2, countries=["FR", "FR", "DE"])
    probabilities = [e.probability for e in uncertainty.estimate(inputs).applications]
    assert abs(probabilities[0] + probabilities[1] - 1.0) < 1e-9
    assert probabilities[2] == 1.0
