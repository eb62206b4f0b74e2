"""DfT's published adjusted-severity probabilities, per casualty and per collision, and the adjusted totals."""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Literal, Optional

import numpy as np
import pandas as pd

from .. import _engine
from ..io.fields import severity_names, severity_numbers
from .codes import Unit

if TYPE_CHECKING:
    from ..io.dataset import Dataset


def has_adjusted(ds) -> bool:
    """Whether the data carry DfT's adjusted-severity probabilities (casualty or collision level)."""
    cas = ds.casualties
    if cas is not None and "casualty_adjusted_serious" in cas.columns and cas["casualty_adjusted_serious"].notna().any():
        return True
    col = ds.collisions
    return "collision_adjusted_serious" in col.columns and col["collision_adjusted_serious"].notna().any()


def _casualty_published(ds: "Dataset") -> pd.Series:
    cas = ds.casualties
    if "casualty_adjusted_serious" not in cas.columns:
        raise ValueError("the casualty table has no casualty_adjusted_serious (casualty_adjusted_severity_serious) "
                         "column; fit the model (fit_severity_model) or use reclassification_effect")
    sev = severity_numbers(cas["casualty_severity"])
    p = cas["casualty_adjusted_serious"].to_numpy(dtype=float, na_value=np.nan).copy()
    fatal = sev == 1
    p[fatal] = np.nan  # fatal casualties are never adjusted (DfT files carry 0 or missing)
    missing = ~fatal & np.isnan(p)
    if missing.any():
        n = int(missing.sum())
        warnings.warn(f"{n:,} non-fatal casualties have no published adjusted probability; their recorded "
                      "severity is used (serious = 1, slight = 0)", stacklevel=3)
        p[missing & (sev == 2)] = 1.0
        p[missing & (sev == 3)] = 0.0
    return pd.Series(p, index=cas.index, name="adjusted_serious")


def adjusted_serious(ds: "Dataset", unit: Unit = "casualty",
                     source: Literal["auto", "published", "casualties"] = "auto",
                     casualty_probabilities: Optional[pd.Series] = None) -> pd.Series:
    """Each casualty's (or collision's) probability of being serious under injury-based reporting.

    ``unit="casualty"``: DfT's ``casualty_adjusted_serious`` (or ``casualty_probabilities``, e.g. from
    :meth:`SeverityModel.adjusted_serious`), NaN for fatal casualties. A non-fatal casualty without a
    probability keeps its recorded severity (with a warning).

    ``unit="collision"``: with ``source="published"`` DfT's ``collision_adjusted_serious``; with
    ``source="casualties"`` derived from the collision's casualties as P(serious collision) =
    1 - prod_i (1 - p_i) over its non-fatal casualties (a non-fatal collision is serious when at least one
    of its casualties is; reclassifications treated as independent -- methods.md §1.7, our derivation, not a
    published DfT formula). ``"auto"`` uses DfT's column where present and non-missing, else derives.
    Fatal collisions get NaN (they stay fatal); a non-fatal collision with neither keeps its recorded
    severity. Never use collision probabilities for casualty counts (methods.md §1.7).
    """
    if unit == "casualty":
        if casualty_probabilities is not None:
            return casualty_probabilities.rename("adjusted_serious")
        return _casualty_published(ds)
    if unit != "collision":
        raise ValueError(f"unit must be 'casualty' or 'collision', not {unit!r}")
    col = ds.collisions
    n = len(col)
    sev = severity_numbers(col["collision_severity"]) if "collision_severity" in col.columns else np.full(n, np.nan)
    out = np.full(n, np.nan)
    have_published = "collision_adjusted_serious" in col.columns
    if source in ("auto", "published") and have_published:
        out = col["collision_adjusted_serious"].to_numpy(dtype=float, na_value=np.nan).copy()
    elif source == "published":
        raise ValueError("the collision table has no collision_adjusted_serious column")
    need = np.isnan(out)
    if source in ("auto", "casualties") and need.any() and len(ds.casualties):
        p_cas = adjusted_serious(ds, "casualty", casualty_probabilities=casualty_probabilities)
        rows = ds.casualties["collision_row"].to_numpy(dtype="float64", na_value=np.nan)
        rows = np.where(np.isnan(rows), -1, rows).astype(np.int64)
        derived = _engine.severity.collision_serious_probability(
            rows, p_cas.to_numpy(dtype=float), n, sev == 1)
        out = np.where(need, derived, out)
    out[sev == 1] = np.nan
    still = np.isnan(out) & (sev != 1)
    if still.any():
        warnings.warn(f"{int(still.sum()):,} non-fatal collisions have no adjusted probability (published or from "
                      "casualties); their recorded severity is used. For data without probabilities or "
                      "injury-based flags see reclassification_effect", stacklevel=2)
    out[still & (sev == 2)] = 1.0
    out[still & (sev == 3)] = 0.0
    return pd.Series(out, index=col.index, name="adjusted_serious")


def adjusted_totals(ds: "Dataset", unit: Unit = "casualty", **kwargs: Any) -> pd.Series:
    """Fatal, serious and slight counts with their adjusted counterparts (methods.md §1.7).

    serious_adjusted = sum of adjusted probabilities over non-fatal records; slight_adjusted = non-fatal
    count - serious_adjusted; ksi_adjusted = fatal + serious_adjusted. Totals are unchanged.
    """
    table = ds.casualties if unit == "casualty" else ds.collisions
    sev = severity_numbers(table["casualty_severity" if unit == "casualty" else "collision_severity"])
    p = adjusted_serious(ds, unit, **kwargs).to_numpy(dtype=float)
    nonfatal = (sev == 2) | (sev == 3)
    fatal = int((sev == 1).sum())
    serious_adj = float(np.nansum(p[nonfatal]))
    return pd.Series({
        "fatal": fatal, "serious": int((sev == 2).sum()), "slight": int((sev == 3).sum()),
        "serious_adjusted": serious_adj, "slight_adjusted": float(nonfatal.sum()) - serious_adj,
        "ksi": fatal + int((sev == 2).sum()), "ksi_adjusted": fatal + serious_adj,
    }, name=unit)


def adjusted_probabilities(ds: Any) -> Optional[pd.DataFrame]:
    """Each collision's probabilities of being fatal, serious and slight under injury-based reporting
    (columns fatal, serious, slight, aligned with ``ds.collisions``), when the data carry DfT's adjusted
    severity; None otherwise (then the site table has no adjusted KSI column)."""
    if isinstance(ds, pd.DataFrame) or not hasattr(ds, "collisions") or not has_adjusted(ds):
        return None
    fatal = severity_names(ds.collisions) == "fatal"
    p = np.where(fatal, 0.0, np.nan_to_num(adjusted_serious(ds, unit="collision").to_numpy(dtype=float)))
    return pd.DataFrame({"fatal": fatal.astype(float), "serious": p, "slight": np.where(fatal, 0.0, 1.0 - p)})
