"""What the dashboard embeds: one row per collision (and casualty) as compact columns, plus the tables that do
not change with the filters (performance block, rates, comparisons) and the map's shapes.

The page's JavaScript re-aggregates the columns when a filter changes, so every count it shows is a sum over
these rows; the Python tests compute the same sums from the Dataset. Coordinates are whole metres in British
National Grid (EPSG:27700); intervals are exact Poisson intervals looked up from a table made here.
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from ..io.fields import SEVERITIES, collision_xy, severity_names
from ..linkage.police_records import INVOLVEMENT_FLAGS, ROAD_USERS, police_casualties, police_collisions

#: Road users a collision can involve (the filter and the "who" chart), as bits of one integer per collision.
INVOLVED = tuple(INVOLVEMENT_FLAGS.values())
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
AGE_BANDS = ("0-15", "16-24", "25-59", "60-74", "75+", "unknown")
SEX_NAMES = {"M": "male", "F": "female", "U": "unknown"}


def age_band(age: np.ndarray) -> np.ndarray:
    """Index into AGE_BANDS (the DfT's reporting bands; NaN or negative ages are unknown)."""
    a = np.asarray(age, dtype=float)
    out = np.searchsorted(np.array([16, 25, 60, 75]), np.nan_to_num(a, nan=-1.0), side="right")
    return np.where(np.isfinite(a) & (a >= 0), out, len(AGE_BANDS) - 1).astype(np.int64)


def _hours(col: pd.DataFrame) -> np.ndarray:
    if "time" not in col.columns:
        return np.full(len(col), -1, dtype=np.int64)
    text = col["time"].astype(object).astype(str).str.slice(0, 2)
    return pd.to_numeric(text, errors="coerce").fillna(-1).astype(np.int64).to_numpy()


def collision_columns(ds: Any, districts: np.ndarray, adjusted_p: Optional[np.ndarray]) -> dict[str, list]:
    """ym (year*12 + month-1), h (hour, -1 unknown), wd (0 = Monday, -1 unknown), s (0 fatal, 1 serious,
    2 slight, -1 unknown), u (INVOLVED bits), d (district index, -1 none), x / y (BNG metres, null without a
    usable location), and p (DfT adjusted probability of serious, collisions only when the data have it)."""
    col = ds.collisions
    dates = pd.to_datetime(col["date"])
    ym = (dates.dt.year * 12 + dates.dt.month - 1).fillna(-1).astype(np.int64).to_numpy()
    wd = dates.dt.day_of_week.fillna(-1).astype(np.int64).to_numpy()
    names = severity_names(col)
    sev = np.full(len(col), -1, dtype=np.int64)
    for code, name in enumerate(SEVERITIES):
        sev[names == name] = code
    flags = police_collisions(ds)
    flag_of = {user: name for name, user in INVOLVEMENT_FLAGS.items()}
    users = np.zeros(len(col), dtype=np.int64)
    for bit, user in enumerate(INVOLVED):
        users |= flags[flag_of[user]].to_numpy(dtype=bool).astype(np.int64) << bit
    x, y, _ = collision_xy(col)
    ok = np.isfinite(x) & np.isfinite(y)
    out: dict[str, list] = {"ym": ym.tolist(), "h": _hours(col).tolist(), "wd": wd.tolist(), "s": sev.tolist(),
                            "u": users.tolist(), "d": districts.tolist(),
                            "x": [int(v) if k else None for v, k in zip(np.rint(np.nan_to_num(x)), ok)],
                            "y": [int(v) if k else None for v, k in zip(np.rint(np.nan_to_num(y)), ok)]}
    if adjusted_p is not None:
        out["p"] = np.round(adjusted_p, 3).tolist()
    # Cambridgeshire-style exports record the first pedestrian's age and sex: the "who" section's fallback.
    if flags["pedestrian_age"].notna().any() or (flags["pedestrian_sex"] != "U").any():
        out["pa"] = age_band(flags["pedestrian_age"].to_numpy(float)).tolist()
        out["ps"] = [list(SEX_NAMES).index(v) if v in SEX_NAMES else 2 for v in flags["pedestrian_sex"]]
    return out


def casualty_columns(ds: Any) -> Optional[dict[str, list]]:
    """One entry per casualty whose collision is in the data: r (collision row), s (severity 0-2), ru (index in
    ROAD_USERS), ab (index in AGE_BANDS), sx (0 male, 1 female, 2 unknown); None without a casualty table."""
    cas = police_casualties(ds)
    if len(cas) == 0:
        return None
    cas = cas[cas["collision_row"] >= 0]
    sev = cas["severity"].map({n: i for i, n in enumerate(SEVERITIES)}).fillna(-1).astype(np.int64)
    return {"r": cas["collision_row"].astype(np.int64).tolist(), "s": sev.tolist(),
            "ru": cas["road_user"].map({n: i for i, n in enumerate(ROAD_USERS)}).fillna(len(ROAD_USERS) - 1)
            .astype(np.int64).tolist(),
            "ab": age_band(cas["age"].to_numpy(float)).tolist(),
            "sx": cas["sex"].map({n: i for i, n in enumerate(SEX_NAMES)}).fillna(2).astype(np.int64).tolist()}


def poisson_table(largest: float, confidence: float = 0.95) -> dict[str, list[float]]:
    """Exact Poisson interval bounds for every count 0..largest (the page interpolates fractional counts)."""
    from ..trends.rates import exact_interval

    k = np.arange(int(np.ceil(largest)) + 2, dtype=float)
    lower, upper = exact_interval(k, confidence)
    return {"lower": np.round(lower, 3).tolist(), "upper": np.round(upper, 3).tolist()}


def shapes(geoms: Any, tolerance: float) -> dict[str, list]:
    """Outlines or lines as one x / y pair of lists with null between parts (a plotly line trace)."""
    import shapely

    xs: list[Optional[int]] = []
    ys: list[Optional[int]] = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        g = shapely.simplify(g, tolerance, preserve_topology=True)
        lines = shapely.get_parts(shapely.boundary(g) if g.geom_type in ("Polygon", "MultiPolygon") else g)
        for line in lines:
            for part in shapely.get_parts(line):
                c = np.rint(shapely.get_coordinates(part)).astype(np.int64)
                xs += c[:, 0].tolist() + [None]
                ys += c[:, 1].tolist() + [None]
    return {"x": xs, "y": ys}


def table_records(frame: pd.DataFrame, digits: int = 1) -> dict[str, Any]:
    """A DataFrame as {"columns": [...], "rows": [[...], ...]} with floats rounded and NaN as null."""
    rows = []
    for rec in frame.itertuples(index=False):
        row: list[Any] = []
        for v in rec:
            if isinstance(v, (float, np.floating)):
                row.append(None if not np.isfinite(v) else round(float(v), digits))
            elif isinstance(v, (np.integer,)):
                row.append(int(v))
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                row.append(None)
            else:
                row.append(str(v) if not isinstance(v, (int, bool)) else v)
        rows.append(row)
    return {"columns": [str(c) for c in frame.columns], "rows": rows}
