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


def _severity_number(value: object) -> float:
    """1 fatal, 2 serious, 3 slight for a label ("Fatal") or a DfT code (1, "1", 1.0); NaN for anything else."""
    text = str(value).strip().lower()
    if text in SEVERITIES:
        return float(SEVERITIES.index(text) + 1)
    try:
        code = float(text)
    except ValueError:
        return np.nan
    return code if code in (1.0, 2.0, 3.0) else np.nan


def severity_numbers(values: pd.Series) -> np.ndarray:
    """1 fatal, 2 serious, 3 slight, NaN missing or unknown, per value of a severity column: the engine's
    labels, DfT codes, or codes written as text. The one decoding of severity every module uses."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # decode the few categories, not every row
        lut = np.array([_severity_number(c) for c in values.cat.categories] + [np.nan])
        return lut[values.cat.codes.to_numpy()]  # code -1 (missing) takes the last entry
    if pd.api.types.is_numeric_dtype(values):
        codes = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return np.where(np.isin(codes, (1.0, 2.0, 3.0)), codes, np.nan)
    codes, uniques = pd.factorize(values)
    lut = np.array([_severity_number(u) for u in uniques] + [np.nan])
    return lut[codes]


def severity_names(df: pd.DataFrame) -> np.ndarray:
    """'fatal' / 'serious' / 'slight' / '' per collision, from labels or DfT codes."""
    numbers = severity_numbers(df["collision_severity"])
    names = np.array(["", *SEVERITIES], dtype=object)
    return names[np.nan_to_num(numbers, nan=0.0).astype(np.int64)]


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
