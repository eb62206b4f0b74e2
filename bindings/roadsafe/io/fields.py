"""Reading a Dataset's common fields whatever form they come in: the collisions table of a Dataset or a
DataFrame, severities as labels or DfT codes, the join of vehicles and casualties to their collision, and
collision points in British National Grid metres with unusable locations set aside."""
from __future__ import annotations

from typing import Protocol, Sequence, Union

import numpy as np
import pandas as pd


class HasCollisions(Protocol):
    """Anything with a collisions table: a Dataset (this module is below it, so it does not import it)."""

    @property
    def collisions(self) -> pd.DataFrame: ...

#: Collision and casualty severities, most severe first.
SEVERITIES = ("fatal", "serious", "slight")


def collisions_of(ds: Union[HasCollisions, pd.DataFrame]) -> pd.DataFrame:
    """The collisions table of a Dataset, or the DataFrame itself when given one."""
    if isinstance(ds, pd.DataFrame):
        return ds
    return ds.collisions


def severity_names(df: pd.DataFrame) -> np.ndarray:
    """'fatal' / 'serious' / 'slight' / '' per collision, from labels or DfT codes."""
    s = df["collision_severity"]
    if isinstance(s.dtype, pd.CategoricalDtype):  # label the few categories, not every row
        labels = s.cat.categories.astype(str).str.lower()
        labels = np.where(labels.isin(SEVERITIES), labels, "").astype(object)
        codes = s.cat.codes.to_numpy()
        return np.where(codes >= 0, labels[np.maximum(codes, 0)], "").astype(object)
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        out = s.astype(object).astype(str).str.lower()
    else:
        out = pd.to_numeric(s, errors="coerce").map({1: "fatal", 2: "serious", 3: "slight"})
    return out.where(out.isin(SEVERITIES), "").to_numpy(dtype=object)


def collision_rows(ds, table: pd.DataFrame) -> np.ndarray:
    """Row of ds.collisions for each row of a vehicle or casualty table (-1 when it has none): the
    engine's ``collision_row`` join when the table has it, else a lookup on collision_index."""
    if "collision_row" in table.columns:
        return table["collision_row"].fillna(-1).to_numpy(dtype=np.int64)
    return pd.Index(ds.collisions["collision_index"]).get_indexer(table["collision_index"])


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


def require_columns(table: pd.DataFrame, names: Sequence[str], what: str, purpose: str) -> None:
    """Fail clearly when ``table`` (the ``what``: "collisions") lacks a column ``purpose`` needs: the
    columns it has, and the closest to the missing one ("Severity -> collision_severity?")."""
    import difflib

    from .. import errors

    for name in names:
        if name in table.columns:
            continue
        have = [str(c) for c in table.columns if str(c) not in ("source_file", "source_line")]
        lowered = {c.lower().replace(" ", "_"): c for c in have}
        # A column named by a part of the missing one ("severity") first, then the nearest spelling.
        close = [c for c in lowered if c and c in name] or difflib.get_close_matches(name, list(lowered), n=1,
                                                                                      cutoff=0.6)
        hint = f"; is {lowered[close[0]]!r} it? (a mapping profile can name it)" if close else ""
        shown = ", ".join(have[:15]) + (", ..." if len(have) > 15 else "")
        raise errors.SchemaMismatchError(
            f"the {what} have no {name} column, which {purpose} needs; their columns: {shown or 'none'}{hint}",
            column=name)
