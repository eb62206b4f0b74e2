"""Scheme evaluation: did the cameras, junction changes and speed limits work? Before/after counts at treated
sites, with Hauer's Empirical Bayes estimator so regression to the mean is not credited to the scheme.

    import roadsafe as rs
    r = rs.eb_before_after(observed_before, observed_after, predicted_before, predicted_after, k)
    ev = rs.evaluate_schemes(ds, "schemes.gpkg", before_years=3, after_years=3, radius=50, severity="ksi")
    rs.maps.scheme_report(ev, "schemes.pdf")

Sits beside the other site statistics (imports io and geo only).
"""
from .before_after import BeforeAfter, comparison_group_before_after, eb_before_after, naive_before_after
from .evaluation import SchemeEvaluation, evaluate_schemes, read_schemes
from .safety_performance import SafetyPerformance, fit_safety_performance

__all__ = ["BeforeAfter", "eb_before_after", "naive_before_after", "comparison_group_before_after",
           "SchemeEvaluation", "evaluate_schemes", "read_schemes", "SafetyPerformance", "fit_safety_performance"]
