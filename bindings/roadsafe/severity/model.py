"""The DfT/ONS logistic model of severity under injury-based reporting (a documented subset of its terms)."""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Union

import numpy as np
import pandas as pd

from .. import _engine
from ..io.fields import severity_numbers
from .codes import field_codes, injury_based

if TYPE_CHECKING:
    from ..io.dataset import Dataset


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
        v = field_codes(col[name], "collision", field_name or name)[r] if len(col) else np.full(len(cas), np.nan)
        return np.where(ok, v, np.nan)

    sev = severity_numbers(cas["casualty_severity"])
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
        "ibrs": injury_based(cas["casualty_injury_based"], "casualty").astype(float),
        "casualty_type": field_codes(cas["casualty_type"], "casualty", "casualty_type") if "casualty_type" in cas else np.nan,
        "age": (pd.to_numeric(cas["age_of_casualty"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                if "age_of_casualty" in cas else np.nan),
        "sex": field_codes(cas["sex_of_casualty"], "casualty", "sex_of_casualty") if "sex_of_casualty" in cas else np.nan,
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
