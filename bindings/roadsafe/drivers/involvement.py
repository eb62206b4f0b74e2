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
from scipy import stats

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


def _key(drivers: pd.DataFrame, by: Sequence[str]) -> pd.Series:
    """The group of each driver as a label (several fields joined), NaN where any field is missing."""
    parts = [drivers[b].astype(object) for b in by]
    missing = np.zeros(len(drivers), dtype=bool)
    for p in parts:
        missing |= p.isna().to_numpy()
    if len(by) == 1:
        key = parts[0]
    else:
        key = pd.Series(list(zip(*parts)), index=drivers.index, dtype=object)
    return key.where(~missing)


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
    if motor_only and "vehicle_type" in drivers.columns:
        drivers = drivers[~drivers["vehicle_type"].astype(object).isin(NOT_MOTOR).to_numpy()]
    status = drivers["status"].astype(object).to_numpy()
    culp = status == "culpable"
    not_culp = status == "not culpable"
    n_veh = drivers["vehicles_in_collision"].to_numpy()
    rows = drivers["collision_row"].to_numpy()
    two = n_veh == 2
    # Pairs: two-vehicle collisions (both drivers kept) with exactly one culpable and one not-culpable driver.
    per_collision_c = np.bincount(rows[two & culp & (rows >= 0)], minlength=rows.max() + 1 if len(rows) else 0)
    per_collision_n = np.bincount(rows[two & not_culp & (rows >= 0)], minlength=len(per_collision_c))
    in_pair = two & (rows >= 0)
    safe = np.maximum(rows, 0)
    in_pair &= (per_collision_c[safe] == 1) & (per_collision_n[safe] == 1)
    key = _key(drivers, by)
    has_key = key.notna().to_numpy()
    a_rows = in_pair & culp & has_key
    b_rows = in_pair & not_culp & has_key
    s_rows = (n_veh == 1) & culp & has_key
    a = key[a_rows].value_counts()
    b = key[b_rows].value_counts()
    s = key[s_rows].value_counts()
    groups = a.index.union(b.index).union(s.index)
    groups = _ordered(groups, drivers, by)
    table = pd.DataFrame({"culpable": a.reindex(groups, fill_value=0), "not_culpable": b.reindex(groups, fill_value=0),
                          "single_vehicle": s.reindex(groups, fill_value=0)}).astype(np.int64)
    table.index.name = by[0] if len(by) == 1 else " / ".join(by)
    A, B, S = table["culpable"].sum(), table["not_culpable"].sum(), table["single_vehicle"].sum()
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
    chi = victims_random(key, drivers, a_rows, b_rows)
    left = {"group missing, in a pair": int((in_pair & (culp | not_culp) & ~has_key).sum())}
    return InvolvementRatios(by, table, chi, len(np.unique(rows[in_pair])), left,
                             confidence)


def _ordered(groups: pd.Index, drivers: pd.DataFrame, by: list[str]) -> pd.Index:
    """Groups in the fields' category order (age bands youngest first), else sorted."""
    if len(by) == 1 and isinstance(drivers[by[0]].dtype, pd.CategoricalDtype):
        cats = [c for c in drivers[by[0]].cat.categories if c in set(groups)]
        return pd.Index(cats, dtype=object)
    return pd.Index(sorted(groups, key=str), dtype=object)


def victims_random(key: pd.Series, drivers: pd.DataFrame, a_rows: np.ndarray, b_rows: np.ndarray) -> dict[str, float]:
    """Chi-square test of independence of the culpable driver's group and the not-culpable driver's group
    in the same collision, with Cramer's V (with many pairs p is small for any difference: V says how big)."""
    rows = drivers["collision_row"].to_numpy()
    culprit = pd.Series(key[a_rows].to_numpy(), index=rows[a_rows])
    victim = pd.Series(key[b_rows].to_numpy(), index=rows[b_rows])
    both = culprit.index.intersection(victim.index)
    table = pd.crosstab(culprit.loc[both].to_numpy(), victim.loc[both].to_numpy())
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        return {"statistic": np.nan, "dof": np.nan, "p_value": np.nan, "cramers_v": np.nan}
    res = stats.chi2_contingency(table.to_numpy())
    n = table.to_numpy().sum()
    v = np.sqrt(res.statistic / (n * (min(table.shape) - 1)))
    return {"statistic": float(res.statistic), "dof": float(res.dof), "p_value": float(res.pvalue),
            "cramers_v": float(v)}
