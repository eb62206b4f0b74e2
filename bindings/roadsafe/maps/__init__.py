"""What goes on paper or screen: trend charts, printed hotspot maps, the board report, the scheme evaluation report,
the drivers page and the dashboard."""
from . import charts
from .board_report import BoardReport, board_report
from .dashboard import Dashboard, dashboard
from .driver_page import driver_page
from ..geo import BNG, read_layer, site_locations
from ..severity import adjusted_probabilities
from .printed_map import PAPER_SIZES_MM, MapInfo, hotspot_map, save_map
from .scheme_report import scheme_report

__all__ = ["charts", "hotspot_map", "MapInfo", "PAPER_SIZES_MM", "BNG", "site_locations", "adjusted_probabilities",
           "read_layer", "save_map", "board_report", "BoardReport", "scheme_report", "dashboard", "Dashboard",
           "driver_page"]
