"""Adjusted severity: the correction for the move to injury-based severity reporting (CRaSH, COPA)."""
from .adjustment import adjusted_serious, adjusted_totals, fit_severity_model, reclassification_effect

__all__ = ["adjusted_serious", "adjusted_totals", "fit_severity_model", "reclassification_effect"]
