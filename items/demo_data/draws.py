"""Random draws shaped like the newsletters: weighted choices, Zipf laws, log-uniform amounts.

Every draw takes the `random.Random` of its stage, so that a seed gives the same data.
"""

import math
from decimal import Decimal


def cumulative(weights):
    total, cum = 0.0, []
    for weight in weights:
        total += weight
        cum.append(total)
    return cum


def zipf_cum_weights(count, exponent):
    """Weights of a Zipf law: the first does most, the long tail little."""
    return cumulative(rank**-exponent for rank in range(1, count + 1))


_CUMULATIVE = {}


def weighted(rng, mapping):
    """A key of `mapping` drawn with its value as weight (mappings are module constants: cached)."""
    keys, cum = _CUMULATIVE.get(id(mapping)) or _CUMULATIVE.setdefault(
        id(mapping), (list(mapping), cumulative(mapping.values()))
    )
    return rng.choices(keys, cum_weights=cum)[0]


def log_uniform_amount(rng, low_exp, high_exp):
    """A round amount (two significant figures) whose logarithm is uniform: each decade equally likely."""
    value = 10 ** rng.uniform(low_exp, high_exp)
    step = 10 ** max(int(math.floor(math.log10(value))) - 1, 0)
    return Decimal(int(round(value / step)) * step)
