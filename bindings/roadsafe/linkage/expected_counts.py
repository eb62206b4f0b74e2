"""Counts that stay right when recall is below 1: expected numbers from the links' match probabilities.

Thresholded links miss the true pairs whose probability falls below the threshold, so counts of linked
records are biased low by the miss rate. When the probabilities are calibrated (``Links.evaluate``
reports it), their sums are unbiased instead:

- ``severe_probability``: per police record, the probability that at least one MAIS 3+ patient is
  its match, 1 - prod(1 - p) over the record's candidate pairs with MAIS 3+ patients (every pair with
  p >= 0.01, not only each patient's best: ``Links.pair_probabilities``);
- ``linked_probability``: per patient, the probability that its match is among the given records,
  the sum of its pairs' probabilities (at most 1);
- ``expected_count``: the sum of such probabilities and an interval, treating the records as
  independent Bernoulli trials (variance sum p (1 - p)): the uncertainty of the linkage alone.
"""
from __future__ import annotations

from statistics import NormalDist

import numpy as np


def severe_probability(links, severe_patient: np.ndarray) -> np.ndarray:
    """P(at least one of the record's matches is a patient with ``severe_patient`` True), per police row."""
    pairs = links.pair_probabilities
    prow = pairs["police_row"].to_numpy()
    qrow = pairs["patient_row"].to_numpy()
    p = np.clip(pairs["match_probability"].to_numpy(float), 0.0, 1.0 - 1e-15)
    keep = severe_patient[qrow]
    log_none = np.bincount(prow[keep], weights=np.log1p(-p[keep]), minlength=len(links.police))
    return 1.0 - np.exp(log_none)


def linked_probability(links, police_rows: np.ndarray) -> np.ndarray:
    """P(the patient's match is one of the police rows where ``police_rows`` is True), per patient."""
    pairs = links.pair_probabilities
    prow = pairs["police_row"].to_numpy()
    qrow = pairs["patient_row"].to_numpy()
    p = pairs["match_probability"].to_numpy(float)
    keep = police_rows[prow]
    return np.minimum(np.bincount(qrow[keep], weights=p[keep], minlength=len(links.patients)), 1.0)


def expected_count(probabilities: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """(expected, lower, upper): the sum of independent Bernoulli probabilities and its normal interval,
    clipped to [0, number of trials]."""
    p = np.asarray(probabilities, dtype=float)
    mean = float(p.sum())
    sd = float(np.sqrt((p * (1 - p)).sum()))
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    return mean, max(0.0, mean - z * sd), min(float(len(p)), mean + z * sd)
