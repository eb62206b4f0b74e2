"""What goes on paper or screen: trend charts, printed hotspot maps and the board report."""
from . import charts
from .board_report import BoardReport, board_report
from .printed_map import (BNG, PAPER_SIZES_MM, MapInfo, adjusted_probabilities, hotspot_map, read_layer, save_map,
                          site_locations)

__all__ = ["charts", "hotspot_map", "MapInfo", "PAPER_SIZES_MM", "BNG", "site_locations", "adjusted_probabilities",
           "read_layer", "save_map", "board_report", "BoardReport"]
