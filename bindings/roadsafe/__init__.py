"""roadsafe: road-safety collision analytics for GB STATS19 data.

    import roadsafe as rs
    ds = rs.datasets.cambridgeshire()        # the shipped real data
    ds = rs.read_stats19(paths)              # DfT files of any generation, or a local export + profile
    ds.collisions, ds.vehicles, ds.casualties, ds.report

This file is the package's face: every name users call is bound here, from the subpackage that
defines it (io -> geo -> trends, severity, linkage, hotspots, drivers, schemes -> maps -> cli).
"""
import importlib
from typing import TYPE_CHECKING, Any

from . import errors
from ._version import __version__
from .io import Dataset, LoadReport, datasets, read_stats19
from . import geo
from .trends import (AnnualTrend, annual_trend, compare, groups, ksi_table, performance_summary, rates,
                     rolling_12_months)
from .severity import adjusted_serious, adjusted_totals, fit_severity_model, reclassification_effect
from . import linkage
from .linkage import (GeneratedTrauma, Links, TraumaRegistry, generate_trauma, link, police_casualties,
                      police_collisions, police_records, read_trauma, severity_table, trauma)
from . import drivers
from .drivers import culpability, driver_profile, involvement_ratios
from . import hotspots
from .geo import read_roads
from .hotspots import cluster_sites, dbscan, empirical_bayes, gi_star, kde, network_kde
from . import schemes
from .schemes import SafetyPerformance, SchemeEvaluation, eb_before_after, evaluate_schemes

if TYPE_CHECKING:  # loaded on first use (__getattr__ below): matplotlib, jinja2 and plotly stay out of the import
    from . import maps
    from .maps.board_report import board_report
    from .maps.dashboard import dashboard
    from .maps.printed_map import hotspot_map
    from .maps import charts as plots  # the name notebooks know: rs.plots.ksi_trend_chart(ds)

# name -> (module, attribute or "" for the module itself)
_ON_FIRST_USE = {"maps": ("roadsafe.maps", ""), "plots": ("roadsafe.maps.charts", ""),
                 "board_report": ("roadsafe.maps", "board_report"), "dashboard": ("roadsafe.maps", "dashboard"),
                 "hotspot_map": ("roadsafe.maps", "hotspot_map")}


def __getattr__(name: str) -> Any:
    """The maps and charts names, imported when first asked for (PEP 562)."""
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module 'roadsafe' has no attribute {name!r}")
    module, attribute = _ON_FIRST_USE[name]
    value = importlib.import_module(module)
    if attribute:
        value = getattr(value, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

__all__ = ["Dataset", "LoadReport", "read_stats19", "ksi_table", "annual_trend", "AnnualTrend", "reclassification_effect",
           "adjusted_serious", "adjusted_totals", "fit_severity_model", "performance_summary", "rolling_12_months",
           "groups", "plots", "datasets", "errors", "hotspots", "cluster_sites", "dbscan", "gi_star", "kde",
           "network_kde", "read_roads", "empirical_bayes", "maps", "hotspot_map", "board_report", "police_records",
           "police_casualties", "police_collisions", "trauma", "TraumaRegistry", "GeneratedTrauma", "read_trauma",
           "generate_trauma", "linkage", "Links", "link", "severity_table", "geo", "__version__", "schemes",
           "eb_before_after", "evaluate_schemes", "SchemeEvaluation", "SafetyPerformance", "dashboard", "rates",
           "compare", "drivers", "culpability", "involvement_ratios", "driver_profile"]
