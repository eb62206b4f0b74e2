"""Collision points in British National Grid metres, with unusable locations set aside and counted."""
from __future__ import annotations

import numpy as np
import pandas as pd


def collision_xy(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """BNG coordinates with NaN where the location is unusable, and the number of such rows."""
    x = pd.to_numeric(df["location_easting_osgr"], errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
    y = pd.to_numeric(df["location_northing_osgr"], errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
    bad = ~np.isfinite(x) | ~np.isfinite(y)
    if "location_status" in df.columns:
        bad |= (df["location_status"] != "ok").to_numpy()
    x[bad] = np.nan
    y[bad] = np.nan
    return x, y, int(bad.sum())
