"""The profile of culpable drivers in severe collisions, field by field, against fatal and all collisions.

The partnership's plan after the MAIS 3+ linkage: score culpability in the severe collisions, then
"profile [the culpable drivers] and compare [them] to the profile of drivers involved in fatal
collisions ... to provide detailed targeting information" (Nunn, *Geodemographic profiling of culpable
drivers to target road safety interventions in serious injury crashes*, PhD thesis, Loughborough
University, 2021). Severe = a collision linked to a MAIS 3+ patient when ``links`` are given, else a
KSI collision (police severity fatal or serious). Each share has a Wilson score interval; a chi-square
test per field says whether the severe profile differs from each comparison.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from .culpability import culpability

#: Fields profiled by default, where the data have them.
PROFILE_FIELDS = ("age_band_of_driver", "sex_of_driver", "vehicle_type", "journey_purpose_of_driver",
                  "driver_imd_decile", "engine_size", "vehicle_age", "vehicle_manoeuvre")
COMPARISONS = ("fatal", "all", "not_culpable")


def wilson(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for k successes of n (NaN where n is 0)."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


@dataclass
class DriverProfile:
    """Shares of each field's values among the culpable drivers of severe collisions and the comparisons.

    ``table``: one row per field, value and group (``severe`` and each of ``compare``) with ``drivers``,
    ``known`` (drivers with the field recorded), ``share`` and its interval ``low`` / ``high``.
    ``tests``: per field and comparison, the chi-square test of severe against it.
    """

    table: pd.DataFrame
    tests: pd.DataFrame
    severe_basis: str
    groups: dict[str, int]
    confidence: float = 0.95

    def __repr__(self) -> str:
        sizes = ", ".join(f"{g} {n:,}" for g, n in self.groups.items())
        wide = self.table.pivot_table(index=["field", "value"], columns="group", values="share", sort=False,
                                      observed=True).round(3)
        return (f"DriverProfile: culpable drivers in severe collisions ({self.severe_basis}) against "
                f"{', '.join(g for g in self.groups if g != 'severe')}; drivers: {sizes}\n{wide.to_string()}\n"
                f"tests:\n{self.tests.round(4).to_string(index=False)}")

    def field(self, name: str) -> pd.DataFrame:
        """One field's shares, a column per group."""
        t = self.table[self.table["field"] == name]
        return t.pivot_table(index="value", columns="group", values="share", sort=False, observed=True)

    def chart(self, fields: Optional[Sequence[str]] = None):
        """Bars of each field's shares per group, with intervals (up to six fields)."""
        from ..figures import new_figure

        names = list(fields) if fields else list(dict.fromkeys(self.table["field"]))[:6]
        cols = 2 if len(names) > 1 else 1
        rows = (len(names) + cols - 1) // cols
        fig = new_figure((10.0, 3.2 * rows))
        axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
        groups = list(self.groups)
        colours = ["#b2182b", "#2166ac", "#999999", "#4d9221"]
        for ax, name in zip(axes, names):
            t = self.table[self.table["field"] == name]
            values = list(dict.fromkeys(t["value"]))
            y = np.arange(len(values))[::-1]
            h = 0.8 / len(groups)
            for g, group in enumerate(groups):
                tg = t[t["group"] == group].set_index("value").reindex(values)
                err = [np.clip((tg["share"] - tg["low"]).fillna(0), 0, None),
                       np.clip((tg["high"] - tg["share"]).fillna(0), 0, None)]
                ax.barh(y + (len(groups) / 2 - g - 0.5) * h, tg["share"].fillna(0), height=h, color=colours[g % 4],
                        label=group, xerr=err,
                        error_kw={"lw": 0.6, "capsize": 1.5})
            ax.set_yticks(y, [str(v)[:28] for v in values], fontsize=7)
            ax.set_title(name.replace("_", " "), fontsize=9)
            ax.tick_params(axis="x", labelsize=7)
        for ax in axes[len(names):]:
            ax.set_visible(False)
        axes[0].legend(fontsize=7)
        fig.suptitle(f"Culpable drivers: severe collisions ({self.severe_basis}) against the comparisons",
                     fontsize=10)
        fig.tight_layout()
        return fig


def severe_collisions(ds, links=None) -> tuple[np.ndarray, str]:
    """True for each collision counted as severe, and how: linked to a MAIS 3+ patient, or KSI."""
    from ..io.fields import severity_names

    if links is None:
        return np.isin(severity_names(ds.collisions), ["fatal", "serious"]), "KSI"
    mais = pd.to_numeric(links.patients["mais"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    pairs = links.pairs
    severe_pairs = mais[pairs["patient_row"].to_numpy()] >= 3
    linked = set(pairs["collision_index"].astype(str)[severe_pairs])
    return ds.collisions["collision_index"].astype(str).isin(linked).to_numpy(), "MAIS 3+ linked"


def driver_profile(ds, links=None, compare: Sequence[str] = ("fatal", "all"), fields: Optional[Sequence[str]] = None,
                   drivers: Optional[pd.DataFrame] = None, confidence: float = 0.95) -> DriverProfile:
    """Culpable drivers in severe collisions against those in fatal collisions (``"fatal"``), all culpable
    drivers (``"all"``) and the not-culpable drivers of two-vehicle collisions (``"not_culpable"``, the
    quasi-induced exposure of the road users around them), field by field with intervals.

    ``links``: ``rs.link`` result; severe = linked to a MAIS 3+ patient (else KSI). ``drivers``:
    ``culpability``'s result if already scored (e.g. from a factors file). ``fields``: default
    ``PROFILE_FIELDS`` present in the data (a local export may have only vehicle type and manoeuvre).
    """
    from .. import errors

    unknown = [c for c in compare if c not in COMPARISONS]
    if unknown:
        raise ValueError(f"compare takes {', '.join(COMPARISONS)}, not {unknown[0]!r}")
    d = culpability(ds) if drivers is None else drivers
    severe, basis = severe_collisions(ds, links)
    rows = d["collision_row"].to_numpy()
    safe = np.maximum(rows, 0)
    status = d["status"].astype(object).to_numpy()
    sev = d["collision_severity"].astype(object).to_numpy() if "collision_severity" in d.columns \
        else np.full(len(d), "")
    culp = status == "culpable"
    masks = {"severe": culp & severe[safe] & (rows >= 0), "fatal": culp & (sev == "fatal"), "all": culp,
             "not_culpable": (status == "not culpable") & (d["vehicles_in_collision"].to_numpy() == 2)}
    groups = {g: masks[g] for g in ("severe", *compare)}
    names = [f for f in (fields or PROFILE_FIELDS) if f in d.columns]
    if fields and len(names) < len(fields):
        missing = [f for f in fields if f not in d.columns]
        raise errors.SchemaMismatchError(f"the drivers have no {missing[0]} field to profile; fields here: "
                                         f"{', '.join(f for f in PROFILE_FIELDS if f in d.columns)}",
                                         column=missing[0])
    from scipy import stats  # here, not at the top: `import roadsafe` stays light
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    parts, tests = [], []
    for name in names:
        column = d[name]
        values = list(column.cat.categories) if isinstance(column.dtype, pd.CategoricalDtype) \
            else sorted(column.dropna().unique(), key=str)
        counts = {}
        for g, mask in groups.items():
            vc = column[mask].value_counts()
            counts[g] = vc.reindex(values, fill_value=0).to_numpy(dtype=np.int64)
        seen = np.sum([c for c in counts.values()], axis=0) > 0
        if not seen.any():  # a field the files leave empty (driver IMD decile before 2016): nothing to profile
            continue
        values = [v for v, s in zip(values, seen) if s]
        for g, c in counts.items():
            c = c[seen]
            known = c.sum()
            low, high = wilson(c, np.full(len(c), known), z)
            parts.append(pd.DataFrame({"field": name, "value": [str(v) for v in values], "group": g, "drivers": c,
                                       "known": known, "share": c / known if known else np.nan,
                                       "low": low, "high": high}))
        for g in compare:
            pair = np.vstack([counts["severe"][seen], counts[g][seen]])
            pair = pair[:, pair.sum(axis=0) > 0]
            if pair.shape[1] > 1 and pair.sum(axis=1).min() > 0:
                res = stats.chi2_contingency(pair)
                tests.append({"field": name, "compare": g, "chi_square": res.statistic, "dof": res.dof,
                              "p_value": res.pvalue})
            else:
                tests.append({"field": name, "compare": g, "chi_square": np.nan, "dof": np.nan, "p_value": np.nan})
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["field", "value", "group", "drivers", "known", "share", "low", "high"])
    return DriverProfile(table, pd.DataFrame(tests), basis, {g: int(m.sum()) for g, m in groups.items()}, confidence)
