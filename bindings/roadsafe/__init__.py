"""roadsafe: road-safety collision analytics for GB STATS19 data.

    import roadsafe as rs
    ds = rs.datasets.cambridgeshire()        # the shipped real data
    ds = rs.read_stats19(paths)              # DfT files of any generation, or a local export + profile
    ds.collisions, ds.vehicles, ds.casualties, ds.report
"""
from . import datasets, errors, groups, plots
from .dataset import Dataset, LoadReport, read_stats19
from . import hotspots
from .hotspots import cluster_sites, dbscan, gi_star, kde
from .empirical_bayes import empirical_bayes
from .performance import performance_summary
from .periods import ksi_table, rolling_12_months
from .severity import adjusted_serious, adjusted_totals, fit_severity_model, reclassification_effect

__version__ = "0.1.0"
__all__ = ["Dataset", "LoadReport", "read_stats19", "ksi_table", "reclassification_effect", "adjusted_serious", "adjusted_totals", "fit_severity_model", "performance_summary", "rolling_12_months", "groups", "plots", "datasets", "errors", "hotspots", "cluster_sites", "dbscan", "gi_star", "kde", "empirical_bayes", "__version__"]
