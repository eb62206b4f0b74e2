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
from .network_kde import network_kde, read_roads
from .empirical_bayes import empirical_bayes
from . import maps
from .maps import hotspot_map
from .report import board_report
from .performance import performance_summary
from .periods import ksi_table, rolling_12_months
from .annual_trend import AnnualTrend, annual_trend
from .severity import adjusted_serious, adjusted_totals, fit_severity_model, reclassification_effect
from . import police_records
from .police_records import police_casualties, police_collisions
from . import trauma
from .trauma import GeneratedTrauma, TraumaRegistry, generate_trauma, read_trauma
from . import linkage
from .linkage import Links, link, severity_table

__version__ = "0.1.0"
__all__ = ["Dataset", "LoadReport", "read_stats19", "ksi_table", "annual_trend", "AnnualTrend", "reclassification_effect", "adjusted_serious", "adjusted_totals", "fit_severity_model", "performance_summary", "rolling_12_months", "groups", "plots", "datasets", "errors", "hotspots", "cluster_sites", "dbscan", "gi_star", "kde", "network_kde", "read_roads", "empirical_bayes", "maps", "hotspot_map", "board_report", "police_records", "police_casualties", "police_collisions", "trauma", "TraumaRegistry", "GeneratedTrauma", "read_trauma", "generate_trauma", "linkage", "Links", "link", "severity_table", "__version__"]
