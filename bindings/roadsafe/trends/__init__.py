"""Counts over time: reporting periods and KSI tables, target groups, the performance block, the annual trend,
rates per resident and per vehicle-mile, and comparisons with GB and similar authorities."""
from . import groups
from .annual_trend import AnnualTrend, annual_trend
from .performance import performance_summary
from .periods import ksi_table, rolling_12_months
from .rates import compare, rates, similar_authorities

__all__ = ["groups", "ksi_table", "rolling_12_months", "performance_summary", "annual_trend", "AnnualTrend", "rates",
           "compare", "similar_authorities"]
