"""Geography: collision points in British National Grid, road networks, map layers and place names."""
from .layers import BNG, read_layer
from .place_names import site_locations
from .points import collision_xy
from .roads import ROAD_FIELDS, Roads, read_roads

__all__ = ["BNG", "read_layer", "site_locations", "collision_xy", "ROAD_FIELDS", "Roads", "read_roads"]
