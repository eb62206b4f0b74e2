"""roadsafe: road-safety collision analytics for GB STATS19 data.

    import roadsafe as rs
    ds = rs.datasets.cambridgeshire()        # the shipped real data
    ds = rs.read_stats19(paths)              # DfT files of any generation, or a local export + profile
    ds.collisions, ds.vehicles, ds.casualties, ds.report
"""
from . import datasets, errors
from .dataset import Dataset, LoadReport, read_stats19
from .periods import ksi_table

__version__ = "0.1.0"
__all__ = ["Dataset", "LoadReport", "read_stats19", "ksi_table", "datasets", "errors", "__version__"]
