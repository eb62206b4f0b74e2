"""Counts over time: reporting periods and KSI tables, target groups, the performance block, the annual trend."""
from . import groups
from .annual_trend import AnnualTrend, annual_trend
from .performance import performance_summary
from .periods import ksi_table, rolling_12_months

__all__ = ["groups", "ksi_table", "rolling_12_months", "performance_summary", "annual_trend", "AnnualTrend"]
