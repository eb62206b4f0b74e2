"""Adjusted severity: the correction for the move to injury-based severity reporting (CRaSH, COPA).

Three routes, by what the data carries (methods.md §1):

* :func:`adjusted_serious` / :func:`adjusted_totals` -- DfT's published per-casualty probabilities
  (``casualty_adjusted_serious``; collision level derived as ``1 - prod(1 - p_i)``, or DfT's own
  ``collision_adjusted_serious`` when the file has it).
* :func:`fit_severity_model` -- the DfT/ONS logistic model (a documented subset of its terms), fitted on
  casualties that carry the injury-based flag, giving each casualty its adjusted probability.
* :func:`reclassification_effect` -- for data without flags (e.g. the Cambridgeshire export): an
  interrupted time series estimating the step in serious counts at the switch, with an interval.
"""
from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _engine

if TYPE_CHECKING:
    from ..io.dataset import Dataset

Unit = Literal["casualty", "collision"]

__all__ = [
    "adjusted_serious", "adjusted_totals", "fit_severity_model", "SeverityModel",
    "reclassification_effect", "ReclassificationEffect",
]


# --------------------------------------------------------------------------------------------------
# Codes from labels
# --------------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _label_codes(table: str, field_name: str) -> dict[str, int]:
    from ..io.datasets import data_path

    codes = pd.read_csv(data_path("stats19", "dft_code_list_2024.csv"), dtype=str)
    rows = codes[(codes["table"] == table) & (codes["field name"] == field_name)]
    out: dict[str, int] = {}
    for code, label in zip(rows["code/format"], rows["label"]):
        try:
            out[str(label)] = int(str(code))
        except ValueError:
            continue
    return out


_NOT_IN_GUIDE = re.compile(r"^code (-?\d+) \(not in the data guide\)$")


def _codes(values: pd.Series, table: str, field_name: str) -> np.ndarray:
    """DfT codes (float, NaN = missing) of a labelled categorical or a numeric column."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        lookup = _label_codes(table, field_name)
        cats = values.cat.categories
        mapped = []
        for c in cats:
            if c in lookup:
                mapped.append(float(lookup[c]))
            else:
                m = _NOT_IN_GUIDE.match(str(c))
                mapped.append(float(m.group(1)) if m else math.nan)
        table_of_codes = np.asarray(mapped + [math.nan])
        pos = values.cat.codes.to_numpy()
        return table_of_codes[np.where(pos < 0, len(mapped), pos)]
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _severity(values: pd.Series) -> np.ndarray:
    """1 fatal, 2 serious, 3 slight, NaN missing, from labels or codes."""
    if isinstance(values.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(values):
        s = values.astype(object).astype(str).str.lower()
        labelled = s.map({"fatal": 1.0, "serious": 2.0, "slight": 3.0})
        codes = pd.to_numeric(values.astype(object), errors="coerce")  # codes written as text
        return labelled.fillna(codes.where(codes.isin([1, 2, 3]))).to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _injury_based(values: pd.Series, table: str) -> np.ndarray:
    codes = _codes(values, table, f"{table}_injury_based")
    return codes == 1.0


# --------------------------------------------------------------------------------------------------
# (a) DfT's published probabilities
# --------------------------------------------------------------------------------------------------

def _casualty_published(ds: "Dataset") -> pd.Series:
    cas = ds.casualties
    if "casualty_adjusted_serious" not in cas.columns:
        raise ValueError("the casualty table has no casualty_adjusted_serious (casualty_adjusted_severity_serious) "
                         "column; fit the model (fit_severity_model) or use reclassification_effect")
    sev = _severity(cas["casualty_severity"])
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
    sev = _severity(col["collision_severity"]) if "collision_severity" in col.columns else np.full(n, np.nan)
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
    sev = _severity(table["casualty_severity" if unit == "casualty" else "collision_severity"])
    p = adjusted_serious(ds, unit, **kwargs).to_numpy(dtype=float)
    nonfatal = (sev == 2) | (sev == 3)
    fatal = int((sev == 1).sum())
    serious_adj = float(np.nansum(p[nonfatal]))
    return pd.Series({
        "fatal": fatal, "serious": int((sev == 2).sum()), "slight": int((sev == 3).sum()),
        "serious_adjusted": serious_adj, "slight_adjusted": float(nonfatal.sum()) - serious_adj,
        "ksi": fatal + int((sev == 2).sum()), "ksi_adjusted": fatal + serious_adj,
    }, name=unit)


# --------------------------------------------------------------------------------------------------
# (b) The DfT/ONS logistic model
# --------------------------------------------------------------------------------------------------

# Road-user groups (C16SUMLAB) from casualty_type codes, reference "Car" (methods.md §1.4).
_ROAD_USER = {0: "Pedestrian", 1: "Pedal cyclist", 11: "Bus", 19: "Van"}
_ROAD_USER.update({c: "Motorcyclist" for c in (2, 3, 4, 5, 23, 97, 103, 104, 105, 106)})
_ROAD_USER.update({c: "Car" for c in (8, 9, 10, 108, 109, 110)})
_ROAD_USER.update({c: "HGV" for c in (20, 21, 113)})
_AGE_BANDS = [(0, 5), (6, 10), (11, 15), (16, 20), (21, 25), (26, 35), (36, 45), (46, 55), (56, 65), (66, 75)]


def _age_band(age: np.ndarray) -> np.ndarray:
    out = np.full(len(age), "missing", dtype=object)
    for lo, hi in _AGE_BANDS:
        out[(age >= lo) & (age <= hi)] = f"{lo}-{hi}"
    out[age > 75] = "75+"
    return out


def _speed_band(speed: np.ndarray) -> np.ndarray:
    out = np.full(len(speed), "20", dtype=object)  # 20 also takes -1, 0, 10, 15 and missing (as RSS-SA)
    for v in (30, 40, 50, 60, 70):
        out[speed == v] = str(v)
    return out


def model_frame(ds: Union["Dataset", pd.DataFrame]) -> pd.DataFrame:
    """One row per non-fatal casualty with the model's inputs: serious (0/1), ibrs (0/1), road_user, age,
    sex, speed_limit, year, hour, police_force. From a Dataset (casualties joined to their collision) or a
    DataFrame already holding these columns (for tests and what-if data)."""
    if isinstance(ds, pd.DataFrame):
        return ds
    cas = ds.casualties
    col = ds.collisions
    need = ("casualty_severity", "casualty_injury_based")
    missing = [c for c in need if c not in cas.columns]
    if missing:
        raise ValueError(f"the casualty table has no {', '.join(missing)}: the model needs the injury-based flag; "
                         "use reclassification_effect for data without it")
    rows = cas["collision_row"].to_numpy(dtype="float64", na_value=np.nan)
    ok = ~np.isnan(rows)
    r = np.where(ok, rows, 0).astype(np.int64)

    def from_collision(name: str, field_name: Optional[str] = None) -> np.ndarray:
        if name not in col.columns or len(col) == 0:
            return np.full(len(cas), np.nan)
        v = _codes(col[name], "collision", field_name or name)[r] if len(col) else np.full(len(cas), np.nan)
        return np.where(ok, v, np.nan)

    sev = _severity(cas["casualty_severity"])
    date = col["date"].to_numpy()[r] if "date" in col.columns and len(col) else None
    year = (pd.DatetimeIndex(date).year.to_numpy(dtype=float) if date is not None
            else pd.to_numeric(cas["collision_year"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            if "collision_year" in cas else np.full(len(cas), np.nan))
    hour = np.full(len(cas), np.nan)
    if "time" in col.columns and len(col):
        minutes = col["time"].cat.codes.to_numpy()[r].astype(float)
        hour = np.where((minutes >= 0) & ok, np.floor(minutes / 60), np.nan)
    frame = pd.DataFrame({
        "serious": (sev == 2).astype(float),
        "ibrs": _injury_based(cas["casualty_injury_based"], "casualty").astype(float),
        "casualty_type": _codes(cas["casualty_type"], "casualty", "casualty_type") if "casualty_type" in cas else np.nan,
        "age": (pd.to_numeric(cas["age_of_casualty"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                if "age_of_casualty" in cas else np.nan),
        "sex": _codes(cas["sex_of_casualty"], "casualty", "sex_of_casualty") if "sex_of_casualty" in cas else np.nan,
        "speed_limit": from_collision("speed_limit"),
        "year": year,
        "hour": hour,
        "police_force": from_collision("police_force"),
    }, index=cas.index)
    return frame[(sev == 2) | (sev == 3)]


def _design(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Design matrix (without the IBRS terms) and the names of force levels."""
    n = len(frame)
    cols: dict[str, np.ndarray] = {"(intercept)": np.ones(n)}

    def dummies(prefix: str, values: np.ndarray, reference: str) -> None:
        levels = sorted(set(values) - {reference})
        for lv in levels:
            x = (values == lv).astype(float)
            if 0 < x.sum() < n:
                cols[f"{prefix}[{lv}]"] = x

    ct = frame["casualty_type"].to_numpy(dtype=float)
    road_user = np.array([_ROAD_USER.get(int(c), "Other vehicle") if not np.isnan(c) else "Other vehicle" for c in ct],
                         dtype=object)
    dummies("road_user", road_user, "Car")
    age = frame["age"].to_numpy(dtype=float)
    age = np.where(age < 0, np.nan, age)
    dummies("age_band", _age_band(age), "26-35")
    cols["age_sq"] = np.where(np.isnan(age), 0.0, ((age - 25.0) / 10.0) ** 2)  # (age - 25)^2 / 100
    sex = frame["sex"].to_numpy(dtype=float)
    dummies("sex", np.where(sex == 2, "female", np.where(sex == 1, "male", "unknown")).astype(object), "male")
    dummies("speed_limit", _speed_band(frame["speed_limit"].to_numpy(dtype=float)), "30")
    year = frame["year"].to_numpy(dtype=float)
    if np.isfinite(year).any() and np.nanmax(year) > np.nanmin(year):
        y = np.where(np.isnan(year), 2016.0, year) - 2016.0
        cols["year"] = y
        if len(np.unique(year[~np.isnan(year)])) > 2:
            cols["year_sq"] = y ** 2
    hour = frame["hour"].to_numpy(dtype=float)
    if np.isfinite(hour).sum() > 0:
        h = np.where(np.isnan(hour), 8.0, hour)
        for k, period in ((1, 12.0), (2, 6.0)):
            cols[f"hour_cos{k}"] = np.cos(np.pi * (h + 0.5 - 8) / period)
            cols[f"hour_sin{k}"] = np.sin(np.pi * (h + 0.5 - 8) / period)
    force = frame["police_force"].to_numpy(dtype=float)
    force_lab = np.where(np.isnan(force), -1, force).astype(int).astype(str).astype(object)
    forces = sorted(set(force_lab))
    if len(forces) > 1:
        dummies("police_force", force_lab, forces[0])
    return pd.DataFrame(cols, index=frame.index), list(force_lab)


def _independent_columns(X: pd.DataFrame, tol: float = 1e-9) -> tuple[pd.DataFrame, list[str]]:
    """Keeps each column unless it is (numerically) a linear combination of the columns kept before it."""
    G = X.to_numpy(dtype=float)
    G = G.T @ G
    keep: list[int] = []
    L = np.zeros((0, 0))
    for j in range(G.shape[0]):
        g = G[keep, j]
        z = np.linalg.solve(L, g) if keep else np.zeros(0)
        resid = G[j, j] - z @ z
        if G[j, j] > 0 and resid > tol * G[j, j]:
            new = np.zeros((len(keep) + 1, len(keep) + 1))
            new[:-1, :-1] = L
            new[-1, :-1] = z
            new[-1, -1] = math.sqrt(resid)
            L = new
            keep.append(j)
    dropped = [c for i, c in enumerate(X.columns) if i not in set(keep)]
    return X.iloc[:, keep], dropped


@dataclass
class SeverityModel:
    """A fitted DfT/ONS-style severity model and each casualty's adjusted probability.

    ``coefficients``: estimate, std_error, z per term (log-odds of serious). ``probabilities``: per
    non-fatal casualty p_real, p_not_ibrs, p_ibrs (with eta standard errors) and adjusted_serious (§1.6).
    ``ibrs_force_effects``: each IBRS force's IBRS log-odds ratio; ``median_force`` supplies the IBRS
    effect of forces without IBRS records (as RSS-SA folds the median force into "Other").
    """

    coefficients: pd.DataFrame
    probabilities: pd.DataFrame
    ibrs_force_effects: pd.Series
    median_force: str
    rescale_factor: float
    log_likelihood: float
    n: int
    iterations: int
    dropped_terms: list = field(default_factory=list)

    def adjusted_serious(self) -> pd.Series:
        return self.probabilities["adjusted_serious"]

    def __repr__(self) -> str:
        eff = np.exp(self.ibrs_force_effects)
        return (f"<SeverityModel: {self.n:,} non-fatal casualties, {len(self.coefficients)} terms, "
                f"log-likelihood {self.log_likelihood:,.1f}; IBRS odds ratio by force "
                f"{', '.join(f'{k}: {v:.2f}' for k, v in eff.items())} (median force {self.median_force}); "
                f"adjusted serious {self.probabilities.adjusted_serious.sum():,.1f} vs recorded "
                f"{self.probabilities.serious.sum():,.0f}; rescale factor {self.rescale_factor:.3f}>")


def fit_severity_model(data: Union["Dataset", pd.DataFrame], max_iterations: int = 50) -> SeverityModel:
    """Fit the DfT/ONS logistic model for P(serious) on non-fatal casualties carrying the IBRS flag.

    Terms (methods.md §1.4, a subset): road-user group [Car], age band [26-35] + (age - 25)^2, sex [male],
    speed limit [30], year - 2016 and its square, time-of-day harmonics, police force, and the IBRS effect
    of each force with IBRS records (force x IBRS). Not included: the collision/vehicle context terms, time
    bands, attendance/online flags, force-specific trends. Each non-fatal casualty gets p_real (its own
    flag), p_not_ibrs and p_ibrs (flag set to 0 / 1; forces without IBRS records take the median IBRS
    force's effect), then the minimal-reassignment rule with one global rescale (§1.6): IBRS records keep
    their recorded severity. Raises NotConvergedError when IRLS does not converge.
    """
    frame = model_frame(data)
    if len(frame) == 0:
        raise ValueError("no non-fatal casualties to fit")
    base, force_lab = _design(frame)
    ibrs = frame["ibrs"].to_numpy(dtype=float) == 1
    if not ibrs.any():
        raise ValueError("no casualty is flagged injury-based: the IBRS effect cannot be estimated")
    force_arr = np.asarray(force_lab, dtype=object)
    # A force whose every record is injury-based has no identifiable IBRS effect (it is its force effect);
    # nor does it need one: its records keep their recorded severity.
    all_ibrs = {f for f in set(force_arr[ibrs]) if ibrs[force_arr == f].all()}
    ibrs_forces = sorted(set(force_arr[ibrs]) - all_ibrs)
    if not ibrs_forces:
        raise ValueError("no force has both injury-based and severity-based records: the IBRS effect cannot be "
                         "separated from the force effect")
    base, dropped = _independent_columns(base)
    ibrs_cols = {}
    for f in ibrs_forces:
        ibrs_cols[f"ibrs:police_force[{f}]"] = ((force_arr == f) & ibrs).astype(float)
    X = pd.concat([base, pd.DataFrame(ibrs_cols, index=frame.index)], axis=1)
    if dropped:
        warnings.warn(f"terms left out as collinear with earlier ones (no data to separate them): {', '.join(dropped)}",
                      stacklevel=2)
    y = frame["serious"].to_numpy(dtype=float)
    fit = _engine.severity.fit_logistic(np.ascontiguousarray(X.to_numpy(dtype=float)), y,
                                        max_iterations=max_iterations)
    beta = np.asarray(fit["coefficients"])
    cov = np.asarray(fit["covariance"])
    se = np.asarray(fit["standard_errors"])
    coef = pd.DataFrame({"estimate": beta, "std_error": se, "z": beta / se}, index=X.columns)
    k0 = base.shape[1]
    effects = pd.Series(beta[k0:], index=ibrs_forces, name="ibrs_log_odds_ratio")
    order = effects.sort_values()
    median_force = str(order.index[(len(order) - 1) // 2])  # lower median for an even count
    Xb = base.to_numpy(dtype=float)
    eta_nc = Xb @ beta[:k0]
    # The IBRS term each record would get: its own force's, or the median force's.
    col_of = {f: k0 + i for i, f in enumerate(ibrs_forces)}
    j = np.array([col_of.get(f, col_of[median_force]) for f in force_arr])
    j = np.where(np.isin(force_arr, list(all_ibrs)), -1, j)  # all-IBRS forces: p_ibrs = p_real
    has = j >= 0
    jj = np.where(has, j, k0)
    eta_c = eta_nc + np.where(has, beta[jj], 0.0)
    # Standard errors of eta (the ±2se band of §1.5; stored, not propagated).
    V = cov[:k0, :k0]
    se_nc = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", Xb, V, Xb), 0))
    cross = np.where(has, np.einsum("ij,ji->i", Xb, cov[:k0, jj]), 0.0)
    se_c = np.sqrt(np.maximum(se_nc ** 2 + 2 * cross + np.where(has, cov[jj, jj], 0.0), 0))
    p_nc = 1 / (1 + np.exp(-eta_nc))
    p_c = 1 / (1 + np.exp(-eta_c))
    p_c = np.where(has, p_c, p_nc)  # (all-IBRS forces: eta_nc is their real, injury-based prediction)
    p_real = np.where(ibrs, p_c, p_nc)
    adj = _engine.severity.adjust_casualty_severity(p_real, p_c, y == 1)
    probs = pd.DataFrame({
        "serious": y, "ibrs": ibrs, "p_real": p_real, "p_not_ibrs": p_nc, "p_ibrs": p_c,
        "eta_se_not_ibrs": se_nc, "eta_se_ibrs": se_c, "adjusted_serious": adj["adjusted_serious"],
    }, index=frame.index)
    return SeverityModel(coefficients=coef, probabilities=probs, ibrs_force_effects=effects,
                         median_force=median_force, rescale_factor=float(adj["rescale_factor"]),
                         log_likelihood=float(fit["log_likelihood"]), n=len(frame),
                         iterations=int(fit["iterations"]), dropped_terms=dropped)


# --------------------------------------------------------------------------------------------------
# (c) The reclassification step: interrupted time series
# --------------------------------------------------------------------------------------------------

Control = Optional[Literal["nonfatal", "slight", "all"]]


def _monthly_counts(ds: "Dataset", unit: Unit) -> tuple[pd.DataFrame, pd.Timestamp, pd.Timestamp]:
    if unit == "collision":
        table = ds.collisions
        dates = table["date"]
        sev = _severity(table["collision_severity"])
    else:
        if len(ds.casualties) == 0:
            raise ValueError("unit='casualty' needs a casualty table; this dataset has only collisions")
        table = ds.casualties
        rows = table["collision_row"].to_numpy(dtype="float64", na_value=np.nan)
        ok = ~np.isnan(rows)
        d = np.full(len(table), np.datetime64("NaT"), dtype="datetime64[ns]")
        d[ok] = ds.collisions["date"].to_numpy()[rows[ok].astype(np.int64)]
        dates = pd.Series(d, index=table.index)
        sev = _severity(table["casualty_severity"])
    known = dates.notna().to_numpy() & ~np.isnan(sev)
    if not known.any():
        raise ValueError("no dated records with a severity")
    months = pd.PeriodIndex(dates[known], freq="M")
    s = sev[known]
    frame = pd.DataFrame({"month": months, "fatal": s == 1, "serious": s == 2, "slight": s == 3})
    counts = frame.groupby("month").sum()
    full = pd.period_range(months.min(), months.max(), freq="M")
    counts = counts.reindex(full, fill_value=0).astype("int64")
    counts.index.name = "month"
    first, last = dates[known].min(), dates[known].max()
    return counts, first, last


def _month_runs(months: Sequence[pd.Period]) -> list[list[pd.Period]]:
    runs: list[list[pd.Period]] = []
    for m in sorted(months):
        if runs and m == runs[-1][-1] + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _month_ranges(months: Sequence[pd.Period]) -> str:
    """2014-08 to 2014-12, 2016-07 to 2016-09 (runs of consecutive months)."""
    runs = _month_runs(months)
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)


@dataclass
class ReclassificationEffect:
    """The estimated step in serious counts at the switch to injury-based reporting.

    ``rate_ratio`` (with ``lower``, ``upper`` at ``confidence``): serious counts after the switch relative
    to what the old reporting would have given, other things (trend, season, control) equal.
    ``switch_month``: given, or the profile-likelihood estimate; ``plausible_months``: the months whose
    likelihood-ratio statistic against the best is below the chi-square(1) quantile at ``confidence``
    (an approximate set: change-point likelihoods are not regular). ``series``: per month fatal, serious,
    slight, ksi, fitted, counterfactual (model mean without the step: the old basis throughout),
    serious_corrected and ksi_corrected (pre-switch months scaled by the rate ratio, i.e. expressed on the
    injury-based basis as DfT adjusts towards IBRS; post-switch as recorded) with _lower/_upper from the
    interval. The interval on the step is conditional on the switch month.
    """

    rate_ratio: float
    lower: float
    upper: float
    confidence: float
    switch_month: pd.Period
    switch_estimated: bool
    plausible_months: list
    series: pd.DataFrame
    profile: Optional[pd.DataFrame]
    family: str
    theta: float
    trend_per_year: float
    control: Control
    unit: str
    dropped_months: list = field(default_factory=list)
    coefficients: Optional[pd.DataFrame] = None

    @property
    def step_percent(self) -> float:
        return 100.0 * (self.rate_ratio - 1.0)

    def summary(self) -> str:
        how = "estimated by profile likelihood" if self.switch_estimated else "given"
        lines = [
            f"Reclassification effect ({self.unit}s, {self.family.replace('_', ' ')}"
            f"{', control: ' + self.control if self.control else ''})",
            f"  switch month: {self.switch_month} ({how})",
        ]
        if self.switch_estimated and self.plausible_months:
            lines.append(f"  plausible switch months ({self.confidence:.0%} likelihood-ratio set): "
                         f"{_month_ranges(self.plausible_months)}")
        lines += [
            f"  step in serious counts: rate ratio {self.rate_ratio:.3f} "
            f"({self.confidence:.0%} CI {self.lower:.3f} to {self.upper:.3f}), i.e. {self.step_percent:+.1f}%",
            f"  underlying trend: {100 * (math.exp(self.trend_per_year) - 1):+.1f}% a year"
            + (f"; NB theta {self.theta:.3g}" if self.family == "negative_binomial" else ""),
            f"  serious recorded {int(self.series.serious.sum()):,}; corrected to the injury-based basis "
            f"{self.series.serious_corrected.sum():,.1f}; counterfactual (old basis) {self.series.counterfactual.sum():,.1f}",
        ]
        if self.dropped_months:
            lines.append(f"  partial months left out of the fit: {', '.join(str(m) for m in self.dropped_months)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "<" + self.summary().replace("\n  ", "\n   ") + ">"

    def _repr_html_(self) -> str:
        return f"<pre>{self.summary()}</pre>"

    def plot(self, ax: Any = None, ksi: bool = False) -> Any:
        """Monthly serious (or KSI) counts: recorded, fitted, counterfactual and corrected, switch marked."""
        import matplotlib

        if ax is None:
            matplotlib.use("Agg", force=False)
            import matplotlib.pyplot as plt

            fig, ax = plt.subplots(figsize=(10, 4.5))
        else:
            fig = ax.figure
        s = self.series
        x = s.index.to_timestamp()
        what = "ksi" if ksi else "serious"
        add = s["fatal"].to_numpy() if ksi else 0
        ax.plot(x, s[what], color="0.55", lw=1, marker=".", label=f"recorded {what.upper() if ksi else what}")
        ax.plot(x, s["fitted"] + add, color="C0", lw=1.6, label="model")
        ax.plot(x, s["counterfactual"] + add, color="C0", lw=1.2, ls="--", label="without the switch (old basis)")
        ax.fill_between(x, s[f"{what}_corrected_lower"], s[f"{what}_corrected_upper"], color="C1", alpha=0.2, lw=0)
        ax.plot(x, s[f"{what}_corrected"], color="C1", lw=1.2, label="corrected to injury-based basis")
        sw = self.switch_month.to_timestamp()
        ax.axvline(sw, color="k", lw=1)
        if self.switch_estimated:
            for run in _month_runs(self.plausible_months):  # the likelihood-ratio set of switch months
                ax.axvspan(run[0].to_timestamp(), (run[-1] + 1).to_timestamp(), color="k", alpha=0.08, lw=0)
        ax.annotate(f"switch {self.switch_month}\nstep x{self.rate_ratio:.2f} ({self.lower:.2f}-{self.upper:.2f})",
                    xy=(sw, 1), xycoords=("data", "axes fraction"), xytext=(4, -4), textcoords="offset points",
                    va="top", fontsize=9)
        ax.set_ylabel(f"{'KSI' if ksi else 'serious'} {self.unit}s per month")
        ax.set_ylim(bottom=0)
        ax.legend(loc="lower left", fontsize=8, frameon=False, ncol=2)
        ax.grid(alpha=0.3)
        ax.set_title("Step in serious counts at the switch to injury-based reporting"
                     + (" (shaded: plausible switch months)" if self.switch_estimated else ""), fontsize=10)
        fig.tight_layout()
        return fig


def reclassification_effect(
    ds: "Dataset",
    switch_date: Union[str, pd.Timestamp, pd.Period, None] = None,
    *,
    unit: Unit = "collision",
    family: Literal["negative_binomial", "poisson"] = "negative_binomial",
    control: Control = None,
    seasonality: bool = True,
    confidence: float = 0.95,
    search: Optional[tuple] = None,
    min_months: int = 6,
) -> ReclassificationEffect:
    """Estimate the step in serious counts when severity reporting switched (e.g. to CRaSH).

    An interrupted time series on monthly counts: log E[serious_t] = a + b * t + season(month) +
    step * [t >= switch] (+ log control_t). ``family``: negative binomial (theta by ML; default) or
    Poisson. ``control``: None, or a control series used as an offset -- "nonfatal" (serious + slight:
    then the model is for the serious share of non-fatal records, immune to swings in overall volume and
    exact for a pure reclassification, which leaves the total unchanged), "slight" (the serious/slight
    ratio; overstates the step a little, since reclassified records leave slight) or "all".
    ``switch_date``: the first month on the new basis; when None it is estimated by profile likelihood over
    the months in ``search`` (default: leaving ``min_months`` on each side), with a likelihood-ratio set of
    plausible months. Months only partly covered by the data (at its edges) are left out of the fit.
    Data with published or modelled adjusted probabilities does not need this (use adjusted_totals).
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    counts, first, last = _monthly_counts(ds, unit)
    starts = counts.index.start_time
    ends = counts.index.end_time.normalize()
    partial = (starts < first.normalize()) | (ends > last.normalize())
    dropped = list(counts.index[partial])
    fit_counts = counts[~partial]
    n = len(fit_counts)
    if n < 2 * min_months + 1:
        raise ValueError(f"{n} complete months: too short for an interrupted time series (needs {2 * min_months + 1})")
    y = fit_counts["serious"].to_numpy(dtype=float)
    moy = fit_counts.index.month.to_numpy().astype(int).tolist()
    offset = None
    if control is not None:
        ctrl = {"nonfatal": fit_counts.serious + fit_counts.slight, "slight": fit_counts.slight,
                "all": fit_counts.fatal + fit_counts.serious + fit_counts.slight}.get(control)
        if ctrl is None:
            raise ValueError(f"control must be None, 'nonfatal', 'slight' or 'all', not {control!r}")
        if (ctrl <= 0).any():
            raise ValueError(f"the {control} control series has months with no records; it cannot be an offset")
        offset = np.log(ctrl.to_numpy(dtype=float)).tolist()
    months = fit_counts.index

    def index_of(when: Any) -> int:
        p = pd.Period(when, freq="M")
        if p < months[0] or p > months[-1]:
            raise ValueError(f"switch month {p} is outside the fitted months {months[0]} to {months[-1]}")
        return int(months.get_loc(p))

    profile = None
    plausible: list = []
    estimated = switch_date is None
    if estimated:
        lo, hi = min_months, n - min_months
        if search is not None:
            lo, hi = max(index_of(search[0]), 1), min(index_of(search[1]), n - 2)
        prof = _engine.severity.profile_switch_month(y.tolist(), moy, lo, hi, offset, family, seasonality)
        ll = np.asarray(prof["log_likelihood"], dtype=float)
        cand = np.asarray(prof["candidates"], dtype=int)
        lr = 2 * (np.nanmax(ll) - ll)
        from scipy.stats import chi2

        crit = float(chi2.ppf(confidence, 1))
        profile = pd.DataFrame({"log_likelihood": ll, "lr_statistic": lr, "plausible": lr <= crit},
                               index=pd.PeriodIndex(months[cand], name="switch_month"))
        plausible = list(profile.index[profile.plausible])
        k = int(prof["best"])
    else:
        k = index_of(switch_date)
    res = _engine.severity.fit_reclassification_step(y.tolist(), moy, k, offset, family, seasonality, confidence)
    rr, lower, upper = float(res["rate_ratio"]), float(res["lower"]), float(res["upper"])

    # The series over every month (including partial edge months, not fitted).
    series = counts.copy()
    series["ksi"] = series.fatal + series.serious
    fitted = pd.Series(np.asarray(res["fitted"]), index=months).reindex(counts.index)
    counterfactual = pd.Series(np.asarray(res["counterfactual"]), index=months).reindex(counts.index)
    series["fitted"] = fitted
    series["counterfactual"] = counterfactual
    switch = months[k]
    before = (counts.index < switch)
    for name, factor in (("", rr), ("_lower", lower), ("_upper", upper)):
        corr = np.where(before, series.serious * factor, series.serious).astype(float)
        series[f"serious_corrected{name}"] = corr
        series[f"ksi_corrected{name}"] = series.fatal + corr
    series["partial"] = partial
    series["after_switch"] = ~before
    names = ["(intercept)", "trend_per_year"]
    present = sorted(set(moy))
    if seasonality:
        ref = 1 if 1 in present else present[0]
        names += [f"month[{m}]" for m in present if m != ref]
    names += ["step"]
    coef = pd.DataFrame({"estimate": res["coefficients"], "std_error": res["standard_errors"]}, index=names)
    return ReclassificationEffect(
        rate_ratio=rr, lower=lower, upper=upper, confidence=confidence, switch_month=switch,
        switch_estimated=estimated, plausible_months=plausible, series=series, profile=profile, family=family,
        theta=float(res["theta"]), trend_per_year=float(res["trend_per_year"]), control=control, unit=unit,
        dropped_months=dropped, coefficients=coef)
