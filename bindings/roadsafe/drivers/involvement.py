"""Quasi-induced exposure: relative accident involvement ratios of driver groups, with intervals.

In two-vehicle collisions with one culpable and one not-culpable driver, the not-culpable driver is a
random draw from the drivers on the road at that place and time, so the not-culpable drivers stand in for
exposure (Lyles, Stamatiadis & Lighthizer, Accid. Anal. Prev. 23(4):275-285, 1991; Stamatiadis & Deacon,
AAP 29(1):37-52, 1997; validated by Chandraratna & Stamatiadis, AAP 41(2):308-313, 2009). For group i with
a_i culpable and b_i not-culpable drivers (totals A and B):

    RAIR_i = (a_i / A) / (b_i / B)        log RAIR_i has s.e. sqrt(1/a_i - 1/A + 1/b_i - 1/B)

(a ratio of two independent proportions). Above 1 the group is over-involved as the party at fault. The
odds-ratio form is reported beside it: OR_i = (a_i / (A - a_i)) / (b_i / (B - b_i)), Woolf's interval
exp(log OR_i +- z sqrt(1/a_i + 1/(A-a_i) + 1/b_i + 1/(B-b_i))), the responsibility analysis of a
case-control design (Lenguerrand et al., AAP 40(3):861-868, 2008). Single-vehicle culpable drivers differ
from multi-vehicle ones, so their ratio (s_i / S) / (b_i / B) is a separate column. A chi-square test of
the culpable driver's group against the not-culpable driver's group in the same collisions checks that the
not-culpable drivers look like random road users (TRR 1401:43-49, 1993): independence is what QIE needs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd

from .culpability import culpability

#: Fields drivers can be grouped by (the columns of ``culpability``'s result).
BY_FIELDS = ("age_band_of_driver", "sex_of_driver", "vehicle_type", "journey_purpose_of_driver",
             "driver_imd_decile", "engine_size", "vehicle_age", "driver_distance_banding", "junction_location")
#: Vehicle types left out by default: pedal cycles, ridden horses and mobility scooters have no driver licence.
NOT_MOTOR = ("Pedal cycle", "Ridden horse", "Mobility scooter")


@dataclass
class InvolvementRatios:
    """Relative accident involvement ratios by group (``table``) and the check that victims look random.

    ``table`` columns: ``culpable`` (a_i) and ``not_culpable`` (b_i) in two-vehicle collisions with one of
    each, their shares, ``rair`` with ``rair_low`` / ``rair_high``, ``odds_ratio`` with ``or_low`` /
    ``or_high``, ``single_vehicle`` culpable drivers and their ratio ``sv_rair`` with its interval.
    ``chi_square``: statistic, dof, p_value and Cramer's V of culpable group x not-culpable group.
    """

    by: list[str]
    table: pd.DataFrame
    chi_square: dict[str, float]
    pairs: int
    left_out: dict[str, int] = field(default_factory=dict)
    confidence: float = 0.95

    def __repr__(self) -> str:
        shown = self.table[["culpable", "not_culpable", "rair", "rair_low", "rair_high"]].round(2)
        c = self.chi_square
        return (f"InvolvementRatios by {', '.join(self.by)}: {self.pairs:,} two-vehicle collisions with one "
                f"culpable and one not-culpable driver ({self.confidence:.0%} intervals)\n{shown.to_string()}\n"
                f"victims random? chi-square {c['statistic']:.1f} on {c['dof']:.0f} dof, p = {c['p_value']:.3g}, "
                f"Cramer's V = {c['cramers_v']:.3f}")

    def chart(self, title: Optional[str] = None):
        """The ratios with their intervals, one bar per group, a line at 1 (equal involvement)."""
        from ..figures import new_figure

        t = self.table.dropna(subset=["rair"])
        fig = new_figure((8.0, 0.35 * len(t) + 1.6))
        ax = fig.subplots()
        y = np.arange(len(t))[::-1]
        labels = [" / ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in t.index]
        ax.errorbar(t["rair"], y, xerr=[t["rair"] - t["rair_low"], t["rair_high"] - t["rair"]], fmt="o",
                    color="#b2182b", ecolor="#555555", capsize=3)
        ax.axvline(1.0, color="black", lw=0.8)
        ax.set_xscale("log")
        ax.set_yticks(y, labels)
        ax.set_xlabel(f"relative accident involvement ratio ({self.confidence:.0%} interval, log scale)")
        ax.set_title(title or f"Culpable involvement by {', '.join(b.replace('_', ' ') for b in self.by)}")
        fig.tight_layout()
        return fig


def status_is(drivers: pd.DataFrame, status: str) -> np.ndarray:
    """True where the driver's status is ``status`` (compared on category codes, not row by row)."""
    column = drivers["status"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        cats = list(column.cat.categories)
        return column.cat.codes.to_numpy() == (cats.index(status) if status in cats else -2)
    return (column == status).to_numpy()


def group_codes(drivers: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, list]:
    """Each driver's group as one integer (the fields' category codes combined, -1 where any is missing)
    and the group labels by code (a value, or a tuple of values for several fields), fields in category order."""
    code = np.zeros(len(drivers), dtype=np.int64)
    missing = np.zeros(len(drivers), dtype=bool)
    labels: list = [()]
    for b in by:
        column = drivers[b]
        cat = column.array if isinstance(column.dtype, pd.CategoricalDtype) else pd.Categorical(column)
        c = np.asarray(cat.codes, dtype=np.int64)
        missing |= c < 0
        code = code * len(cat.categories) + np.maximum(c, 0)
        labels = [(*lab, v) for lab in labels for v in cat.categories]
    flat = [lab[0] if len(by) == 1 else lab for lab in labels]
    return np.where(missing, -1, code), flat


def ratio_interval(a: np.ndarray, A: float, b: np.ndarray, B: float, z: float) -> tuple[np.ndarray, ...]:
    """RAIR = (a/A)/(b/B) and its interval from the log ratio of two proportions."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (a / A) / (b / B)
        se = np.sqrt(1 / a - 1 / A + 1 / b - 1 / B)
        return r, r * np.exp(-z * se), r * np.exp(z * se)


def odds_ratio_interval(a: np.ndarray, A: float, b: np.ndarray, B: float, z: float) -> tuple[np.ndarray, ...]:
    """OR = (a/(A-a)) / (b/(B-b)) and Woolf's interval."""
    with np.errstate(divide="ignore", invalid="ignore"):
        o = (a / (A - a)) / (b / (B - b))
        se = np.sqrt(1 / a + 1 / (A - a) + 1 / b + 1 / (B - b))
        return o, o * np.exp(-z * se), o * np.exp(z * se)


def involvement_ratios(ds_or_drivers, by: Union[str, Sequence[str]] = "age_band_of_driver", *,
                       motor_only: bool = True, confidence: float = 0.95) -> InvolvementRatios:
    """Relative accident involvement ratios (quasi-induced exposure) of the groups ``by`` makes.

    ``ds_or_drivers``: a Dataset (scored with ``culpability``) or ``culpability``'s result (e.g. scored from
    a factors file). ``by``: one field or several of ``BY_FIELDS`` (groups are their combinations).
    ``motor_only`` leaves out pedal cycles, ridden horses and mobility scooters. Drivers with a group field
    missing are left out of both totals (counted in ``left_out``). Method, formulas and sources: the
    module's docstring.
    """
    from .. import errors

    by = [by] if isinstance(by, str) else list(by)
    drivers = ds_or_drivers if isinstance(ds_or_drivers, pd.DataFrame) else culpability(ds_or_drivers)
    for b in by:
        if b not in drivers.columns:
            raise errors.SchemaMismatchError(
                f"the drivers have no {b} field to group by; fields here: "
                f"{', '.join(f for f in BY_FIELDS if f in drivers.columns) or 'none'}", column=b)
    keep = np.ones(len(drivers), dtype=bool)
    if motor_only and "vehicle_type" in drivers.columns:
        keep = ~drivers["vehicle_type"].isin(NOT_MOTOR).to_numpy()
    culp = status_is(drivers, "culpable") & keep
    not_culp = status_is(drivers, "not culpable") & keep
    n_veh = drivers["vehicles_in_collision"].to_numpy()
    rows = drivers["collision_row"].to_numpy()
    two = (n_veh == 2) & (rows >= 0)
    # Pairs: two-vehicle collisions (both drivers kept) with exactly one culpable and one not-culpable driver.
    n_rows = int(rows.max()) + 1 if len(rows) else 0
    per_collision_c = np.bincount(rows[two & culp], minlength=n_rows)
    per_collision_n = np.bincount(rows[two & not_culp], minlength=n_rows)
    safe = np.maximum(rows, 0)
    in_pair = two & (per_collision_c[safe] == 1) & (per_collision_n[safe] == 1)
    key, labels = group_codes(drivers, by)
    has_key = key >= 0
    a_rows = in_pair & culp & has_key
    b_rows = in_pair & not_culp & has_key
    s_rows = (n_veh == 1) & culp & has_key
    counts = np.vstack([np.bincount(key[m], minlength=len(labels)) for m in (a_rows, b_rows, s_rows)])
    present = counts.sum(axis=0) > 0
    chosen = [labels[i] for i in np.flatnonzero(present)]
    index = pd.Index(chosen, dtype=object, name=by[0]) if len(by) == 1 else pd.MultiIndex.from_tuples(chosen, names=by)
    table = pd.DataFrame({"culpable": counts[0, present], "not_culpable": counts[1, present],
                          "single_vehicle": counts[2, present]}, index=index).astype(np.int64)
    A, B, S = table["culpable"].sum(), table["not_culpable"].sum(), table["single_vehicle"].sum()
    from scipy import stats  # here, not at the top: `import roadsafe` stays light
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    av, bv, sv = (table[c].to_numpy(dtype=float) for c in ("culpable", "not_culpable", "single_vehicle"))
    table["culpable_share"] = av / A if A else np.nan
    table["not_culpable_share"] = bv / B if B else np.nan
    table["rair"], table["rair_low"], table["rair_high"] = ratio_interval(av, A, bv, B, z)
    table["odds_ratio"], table["or_low"], table["or_high"] = odds_ratio_interval(av, A, bv, B, z)
    table["sv_rair"], table["sv_low"], table["sv_high"] = ratio_interval(sv, S, bv, B, z)
    # No interval from a zero count (the normal approximation has none; exact methods are not implemented).
    for zero, cols in ((av == 0, ("rair_low", "rair_high", "or_low", "or_high")),
                       (bv == 0, ("rair_low", "rair_high", "or_low", "or_high", "sv_low", "sv_high")),
                       (sv == 0, ("sv_low", "sv_high"))):
        table.loc[zero, list(cols)] = np.nan
    table = table.replace([np.inf, -np.inf], np.nan)
    chi = victims_random(key, rows, a_rows, b_rows, len(labels))
    left = {"group missing, in a pair": int((in_pair & (culp | not_culp) & ~has_key).sum())}
    return InvolvementRatios(by, table, chi, int(in_pair.sum()) // 2, left,
                             confidence)


def victims_random(key: np.ndarray, rows: np.ndarray, a_rows: np.ndarray, b_rows: np.ndarray,
                   groups: int) -> dict[str, float]:
    """Chi-square test of independence of the culpable driver's group and the not-culpable driver's group
    in the same collision, with Cramer's V (with many pairs p is small for any difference: V says how big)."""
    n_rows = int(rows.max()) + 1 if len(rows) else 0
    culprit = np.full(n_rows, -1, dtype=np.int64)
    victim = np.full(n_rows, -1, dtype=np.int64)
    culprit[rows[a_rows]] = key[a_rows]
    victim[rows[b_rows]] = key[b_rows]
    both = (culprit >= 0) & (victim >= 0)
    table = np.bincount(culprit[both] * groups + victim[both], minlength=groups * groups).reshape(groups, groups)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return {"statistic": np.nan, "dof": np.nan, "p_value": np.nan, "cramers_v": np.nan}
    from scipy import stats  # here, not at the top: `import roadsafe` stays light
    res = stats.chi2_contingency(table)
    v = np.sqrt(res.statistic / (table.sum() * (min(table.shape) - 1)))
    return {"statistic": float(res.statistic), "dof": float(res.dof), "p_value": float(res.pvalue),
            "cramers_v": float(v)}
