"""Reading police collision records: the Dataset, its load report, read_stats19 and the shipped data."""
from . import datasets
from .dataset import Dataset, LoadReport, read_stats19

__all__ = ["Dataset", "LoadReport", "read_stats19", "datasets"]
