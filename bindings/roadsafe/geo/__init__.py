"""Geography: GB boundaries and what a map of an area draws, road networks and road layers, map layers,
place names."""
from .boundaries import AreaGeography, area_geography, boundary_layer
from .layers import BNG, read_layer
from .place_names import record_locations, site_locations
from .road_layers import read_road_layer
from .roads import ROAD_FIELDS, Roads, read_roads

__all__ = ["AreaGeography", "area_geography", "boundary_layer", "BNG", "read_layer", "record_locations",
           "site_locations", "read_road_layer", "ROAD_FIELDS", "Roads", "read_roads"]
