"""The data shipped with roadsafe (see the data cards in the package's data/ folder)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .data_files import DATA_DIR, data_path, profile_path

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from .dataset import Dataset

__all__ = ["DATA_DIR", "data_path", "profile_path", "cambridgeshire", "cambridgeshire_roads", "cambridgeshire_districts",
           "cambridgeshire_county", "cambridgeshire_towns", "GEO_ATTRIBUTION", "gb_2015_drivers"]


def cambridgeshire() -> "Dataset":
    """Every injury collision in Cambridgeshire & Peterborough, 2012-01 to 2017-10 (12,108 rows).

    The Cambridgeshire Insight open-data export, read through the ``cambridgeshire_insight`` profile.
    Contains public sector information licensed under the Open Government Licence v3.0.
    """
    from .read_stats19 import read_stats19

    ds = read_stats19(data_path("cambridgeshire", "Cambs_RTC.csv"), profile="cambridgeshire_insight")
    ds.name = "Cambridgeshire & Peterborough 2012-2017"
    return ds


def gb_2015_drivers() -> "Dataset":
    """Every collision and vehicle in Great Britain in 2015 (140,056 and 257,845) and every pedestrian
    casualty, with the columns driver culpability reads (data card: data/gb_2015_drivers/README.md).

    DfT road safety open data, Open Government Licence v3.0. For culpability, involvement ratios and the
    driver profile; not for casualty counts (its casualty file holds pedestrians only).
    """
    from .read_stats19 import read_stats19

    names = ("Accidents_2015_culpability", "Vehicles_2015_culpability", "Casualties_2015_pedestrians")
    ds = read_stats19([data_path("gb_2015_drivers", f"{n}.csv.gz") for n in names])
    ds.name = "Great Britain 2015"
    return ds


# The county's map layers and default road network, in EPSG:27700 (data card: data/geo/README.md).
GEO_ATTRIBUTION = ("Contains OS data © Crown copyright and database right 2024; Source: Office for National "
                   "Statistics licensed under the Open Government Licence v3.0. Roads © OpenStreetMap "
                   "contributors, ODbL 1.0.")


def cambridgeshire_roads() -> "gpd.GeoDataFrame":
    """Cambridgeshire & Peterborough's roads (32,618 lines): OpenStreetMap named ways a motor vehicle uses,
    deduplicated, plus the M11 from OS Open Roads. Most of the A14, A428 and A11 are missing upstream.

    © OpenStreetMap contributors (ODbL 1.0); M11: contains OS data © Crown copyright (OGL v3).
    """
    import geopandas as gpd

    return gpd.read_file(data_path("geo", "cambridgeshire_roads.gpkg"), layer="roads")


def cambridgeshire_districts() -> "gpd.GeoDataFrame":
    """The six local authority districts (lad_code, lad_name). ONS, OGL v3; contains OS data © Crown copyright."""
    import geopandas as gpd

    return gpd.read_file(data_path("geo", "cambridgeshire_boundaries.gpkg"), layer="districts")


def cambridgeshire_county() -> "gpd.GeoDataFrame":
    """The Cambridgeshire & Peterborough outline (one polygon). ONS, OGL v3; contains OS data © Crown copyright."""
    import geopandas as gpd

    return gpd.read_file(data_path("geo", "cambridgeshire_boundaries.gpkg"), layer="county")


def cambridgeshire_towns() -> "pd.DataFrame":
    """Fifteen towns for map labels (name, easting, northing, kind = city or town)."""
    import pandas as pd

    return pd.read_csv(data_path("geo", "cambridgeshire_towns.csv"))
