"""How sure the selection is: the Bayesian model and its selection probabilities.

On calls of 40 and 5,000 applications with 3 submitted reviews each (built as in
bench/reviews_bench.py: 60 evaluators, 26 countries, one city per country, at least 8
countries), times the whole computation from the loaded call: the model's inputs, the
Gibbs sampler's 2,000 posterior draws after its burn-in, the ranks and the exact
selection in every draw. The call is read once beforehand; its queries are those of the
ranking page and are measured there.
"""

from functools import partial

from reviews import aggregation, robustness, uncertainty

from .measure import row, timed
from .reviews_bench import build_call

TARGETS_MS = {40: 1_000, 5000: 20_000}


def compute(call_results):
    inputs = robustness.model_inputs(call_results)
    return uncertainty.estimate(inputs, draws=uncertainty.DRAWS, seed=uncertainty.DEFAULT_SEED)


def run(*, database, sizes, repeat):
    rows = []
    for size, target in TARGETS_MS.items():
        call = build_call(size)
        call_results = aggregation.load_call_results(call)
        times = repeat if size <= 100 else max(3, repeat // 5)
        median, p90, _queries = timed(partial(compute, call_results), repeat=times, warmup=1)
        rows.append(
            row(
                f"selection probabilities (model, {uncertainty.DRAWS:,} draws)",
                database=database,
                rows=size,
                median_ms=median,
                p90_ms=p90,
                queries=None,
                target_ms=target,
            )
        )
    return rows
