"""Adjusted severity: the correction for the move to injury-based severity reporting (CRaSH, COPA).

Three routes, by what the data carries (methods.md §1):

* :func:`adjusted_serious` / :func:`adjusted_totals` -- DfT's published per-casualty probabilities
  (``casualty_adjusted_serious``; collision level derived as ``1 - prod(1 - p_i)``, or DfT's own
  ``collision_adjusted_serious`` when the file has it).
* :func:`fit_severity_model` -- the DfT/ONS logistic model (a documented subset of its terms), fitted on
  casualties that carry the injury-based flag, giving each casualty its adjusted probability.
* :func:`reclassification_effect` -- for data without flags (e.g. the Cambridgeshire export): an
  interrupted time series estimating the step in serious counts at the switch, with an interval.
"""
from .model import SeverityModel, fit_severity_model, model_frame
from .published import adjusted_probabilities, adjusted_serious, adjusted_totals
from .reclassification import ReclassificationEffect, reclassification_effect
from .step import Step

__all__ = ["adjusted_serious", "adjusted_totals", "adjusted_probabilities", "fit_severity_model", "SeverityModel",
           "model_frame", "reclassification_effect", "ReclassificationEffect", "Step"]
