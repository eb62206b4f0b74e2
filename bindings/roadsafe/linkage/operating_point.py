"""An operating point chosen from the model's own probabilities: the lowest threshold whose links are expected
to be at least a target share true.

With calibrated match probabilities (``Links.evaluate(truth).calibration`` checks it) a link of probability p
is true with probability p, so the links at or above a threshold t are expected to hold a share
mean(p | p >= t) of true ones (the expected precision, 1 - the expected false-discovery share) and
sum(p | p >= t) true links of the patients' expected sum(P(the patient has a police record)) (the expected
recall). No truth is needed: the threshold is the lowest assigned-pair probability at which the expected
precision still reaches the target.
"""
from __future__ import annotations

import numpy as np


def expected_precision(probabilities: np.ndarray, threshold: float) -> float:
    """The mean probability of the pairs at or above ``threshold`` (NaN when none is)."""
    p = np.asarray(probabilities, dtype=float)
    kept = p[p >= threshold]
    return float(kept.mean()) if len(kept) else float("nan")


def threshold_for_precision(probabilities: np.ndarray, min_precision: float) -> float:
    """The lowest of ``probabilities`` such that the pairs at or above it have a mean probability of at least
    ``min_precision``. Pairs of equal probability are taken or left together. ValueError when even the most
    probable pairs fall short."""
    if not 0 < min_precision < 1:
        raise ValueError(f"min_precision must lie between 0 and 1, not {min_precision!r}")
    p = np.asarray(probabilities, dtype=float)
    values, counts = np.unique(p[~np.isnan(p)], return_counts=True)
    values, counts = values[::-1], counts[::-1]  # most probable first
    # Taking pairs in falling order only adds pairs at or below the mean so far: the mean never rises, and
    # the lowest threshold is the last distinct value whose running mean still reaches the target.
    running = np.cumsum(values * counts) / np.cumsum(counts)
    ok = np.flatnonzero(running >= min_precision)
    if len(ok) == 0:
        best = f"{values[0]:.4g}" if len(values) else "none: no candidate pairs"
        raise ValueError(f"no threshold gives an expected precision of {min_precision:g}: the most probable "
                         f"link's probability is {best}")
    return float(values[ok[-1]])
