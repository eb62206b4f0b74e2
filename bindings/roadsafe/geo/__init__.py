"""Geography: road networks, map layers and boundaries, place names."""
from .layers import BNG, read_layer
from .place_names import site_locations
from .roads import ROAD_FIELDS, Roads, read_roads

__all__ = ["BNG", "read_layer", "site_locations", "ROAD_FIELDS", "Roads", "read_roads"]
