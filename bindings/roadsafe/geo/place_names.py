"""Naming places from the roads: "Hills Road / Station Road" at a junction, else the nearest road."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from .layers import shipped_roads_near


def _road_label(name: Any, ref: Any) -> str:
    name = name if isinstance(name, str) and name.strip() else ""
    ref = ref if isinstance(ref, str) and ref.strip() else ""
    ref = ref.split(";")[0].strip()
    if name and ref and ref not in name:
        return f"{name} ({ref})"
    return name or ref


def site_locations(x: Sequence[float], y: Sequence[float], roads: Any = "shipped",
                   within: float = 40.0) -> list[str]:
    """A location for each point from the nearest named roads: "A / B" when two differently named
    roads pass within ``within`` metres (a junction), else the nearest road's name ("" without roads).
    ``roads``: a GeoDataFrame of lines with ``name`` (and ``ref``) in EPSG:27700, or "shipped" (the
    county roads shipped with roadsafe, read around the points)."""
    n = len(x)
    if isinstance(roads, str) and roads == "shipped":
        if n == 0:
            return []
        frame = pd.DataFrame({"centroid_x": np.asarray(x, float), "centroid_y": np.asarray(y, float)})
        roads = shipped_roads_near(frame)
    if roads is None or len(roads) == 0 or n == 0:
        return [""] * n
    import shapely

    named = roads[roads["name"].notna() | roads.get("ref", pd.Series(index=roads.index, dtype=object)).notna()]
    if len(named) == 0:
        return [""] * n
    points = shapely.points(np.asarray(x, float), np.asarray(y, float))
    tree = named.sindex
    geoms = named.geometry.to_numpy()
    names = named["name"].to_numpy(dtype=object)
    refs = named["ref"].to_numpy(dtype=object) if "ref" in named.columns else np.full(len(named), None, dtype=object)
    out: list[str] = []
    for pt in points:
        near = tree.query(pt, predicate="dwithin", distance=within)
        if len(near) == 0:
            hit = tree.nearest(pt, return_all=False)
            near = np.asarray(hit[1]).ravel()
        dist = shapely.distance(geoms[near], pt)
        labels: list[str] = []
        seen: set[str] = set()
        for i in near[np.argsort(dist, kind="stable")]:
            label = _road_label(names[i], refs[i])
            key = (names[i] if isinstance(names[i], str) and names[i].strip() else label).strip().lower()
            if label and key not in seen:
                seen.add(key)
                labels.append(label)
            if len(labels) == 2:
                break
        out.append(" / ".join(labels))
    return out


def road_label(road_class: Any, number: Any) -> str:
    """A road as the records give it: "M1", "A64(M)", "A650", "B6145"; "C road", "unclassified road"
    for roads without an official number; "" when the class is missing or not a road."""
    cls = str(road_class) if isinstance(road_class, str) else ""
    try:
        num = int(number)
    except (TypeError, ValueError):
        num = 0
    if cls in ("Motorway", "A", "B") and num > 0:
        return f"{'M' if cls == 'Motorway' else cls}{num}"
    if cls == "A(M)" and num > 0:
        return f"A{num}(M)"
    if cls == "C":
        return "C road"
    if cls == "Unclassified":
        return "unclassified road"
    return ""


def _most_common(labels: Sequence[str]) -> str:
    counts = pd.Series([s for s in labels if s], dtype=object).value_counts(sort=True)
    return str(counts.index[0]) if len(counts) else ""


def record_locations(collisions: pd.DataFrame, rows: Sequence[Sequence[int]]) -> list[str]:
    """A location for each group of collisions (e.g. a cluster site's members, by row of ``collisions``)
    from the records themselves: the roads they record most often, first and second ("A650 / B6145"),
    and the district ("A650 / B6145, Bradford"); "" when the records name neither."""
    def column(name: str) -> np.ndarray:
        if name not in collisions.columns:
            return np.full(len(collisions), None, dtype=object)
        return collisions[name].astype(object).to_numpy()

    first = [road_label(c, n) for c, n in zip(column("first_road_class"), column("first_road_number"))]
    second = [road_label(c, n) for c, n in zip(column("second_road_class"), column("second_road_number"))]
    district = [str(d) if isinstance(d, str) else "" for d in column("local_authority_district")]
    out = []
    for group in rows:
        road = _most_common([first[i] for i in group])
        cross = _most_common([second[i] for i in group if second[i] != road])
        where = " / ".join(r for r in (road, cross) if r)
        place = _most_common([district[i] for i in group])
        out.append(", ".join(s for s in (where, place) if s))
    return out
