"""Counts over time: reporting periods and KSI tables, target groups, the performance block, the annual trend,
rates per resident and per vehicle-mile, and comparisons with GB and similar authorities."""
from . import groups
from .annual_trend import AnnualTrend, annual_trend
from .performance import performance_summary
from .periods import ksi_table, rolling_12_months
from .comparison import compare, similar_authorities
from .rates import rates

__all__ = ["groups", "ksi_table", "rolling_12_months", "performance_summary", "annual_trend", "AnnualTrend", "rates",
           "compare", "similar_authorities"]
