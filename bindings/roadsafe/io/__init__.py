"""Reading police collision records: the Dataset, its load report, read_stats19 and the shipped data."""
from . import datasets
from .dataset import Dataset
from .load_report import LoadReport
from .read_stats19 import read_stats19

__all__ = ["Dataset", "LoadReport", "read_stats19", "datasets"]
