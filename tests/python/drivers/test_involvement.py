"""Involvement ratios: by hand on a small table, against an independent computation on real records,
and the published pattern by driver age from every 2015 collision in Great Britain."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from scipy import stats
from scipy.stats.contingency import odds_ratio

Z = stats.norm.ppf(0.975)


def _pairs(groups: list[tuple[str, str]], singles: list[str] = ()) -> pd.DataFrame:
    """A culpability table: one two-vehicle collision per (culpable group, not-culpable group), and
    single-vehicle culpable drivers."""
    rows = []
    for i, (culprit, victim) in enumerate(groups):
        rows += [{"collision_row": i, "status": "culpable", "band": culprit, "vehicles_in_collision": 2},
                 {"collision_row": i, "status": "not culpable", "band": victim, "vehicles_in_collision": 2}]
    for j, g in enumerate(singles, start=len(groups)):
        rows.append({"collision_row": j, "status": "culpable", "band": g, "vehicles_in_collision": 1})
    d = pd.DataFrame(rows)
    d["status"] = pd.Categorical(d["status"], categories=list(rs.drivers.STATUSES))
    return d


def test_ratios_and_intervals_by_hand():
    # young: 3 culpable, 1 not; old: 1 culpable, 3 not (A = B = 4); single vehicle: young 2, old 2 (S = 4).
    d = _pairs([("young", "old")] * 3 + [("old", "young")], singles=["young", "young", "old", "old"])
    d = d.rename(columns={"band": "age_band_of_driver"})
    r = rs.involvement_ratios(d, motor_only=False)
    t = r.table
    assert list(t.index) == ["old", "young"]
    assert t.loc["young", ["culpable", "not_culpable", "single_vehicle"]].tolist() == [3, 1, 2]
    assert t.loc["young", "rair"] == pytest.approx((3 / 4) / (1 / 4))
    se = np.sqrt(1 / 3 - 1 / 4 + 1 / 1 - 1 / 4)
    assert t.loc["young", "rair_low"] == pytest.approx(3 * np.exp(-Z * se))
    assert t.loc["young", "rair_high"] == pytest.approx(3 * np.exp(Z * se))
    assert t.loc["old", "rair"] == pytest.approx((1 / 4) / (3 / 4))
    assert t.loc["young", "odds_ratio"] == pytest.approx((3 / 1) / (1 / 3))
    assert t.loc["young", "sv_rair"] == pytest.approx((2 / 4) / (1 / 4))
    assert r.pairs == 4


@pytest.fixture(scope="module")
def four_forces(national):
    return rs.culpability(national)


def test_ratios_equal_an_independent_computation(four_forces):
    """Pairs found with a pandas group-by, counted with crosstab, odds ratios and intervals from scipy."""
    d = four_forces[~four_forces["vehicle_type"].isin(["Pedal cycle", "Ridden horse", "Mobility scooter"])]
    two = d[d["vehicles_in_collision"] == 2]
    status = two["status"].astype(str)
    per = pd.DataFrame({"row": two["collision_row"], "c": status == "culpable",
                        "n": status == "not culpable"}).groupby("row").sum()
    pair_rows = per.index[(per["c"] == 1) & (per["n"] == 1)]
    pairs = two[two["collision_row"].isin(pair_rows) & two["age_band_of_driver"].notna()]
    counts = pd.crosstab(pairs["age_band_of_driver"].astype(str), pairs["status"].astype(str))
    r = rs.involvement_ratios(four_forces, by="age_band_of_driver")
    t = r.table
    assert t["culpable"].to_dict() == counts["culpable"].to_dict()
    assert t["not_culpable"].to_dict() == counts["not culpable"].to_dict()
    A, B = counts["culpable"].sum(), counts["not culpable"].sum()
    for band in ["16 - 20", "46 - 55", "Over 75"]:
        a, b = counts.loc[band, "culpable"], counts.loc[band, "not culpable"]
        assert t.loc[band, "rair"] == pytest.approx((a / A) / (b / B))
        res = odds_ratio([[a, A - a], [b, B - b]], kind="sample")
        ci = res.confidence_interval(0.95)
        assert t.loc[band, ["odds_ratio", "or_low", "or_high"]].tolist() == pytest.approx(
            [res.statistic, ci.low, ci.high], rel=1e-9)
    assert r.pairs == len(pair_rows)


def test_victims_random_check_equals_a_crosstab_of_the_pairs(four_forces):
    d = four_forces[~four_forces["vehicle_type"].isin(["Pedal cycle", "Ridden horse", "Mobility scooter"])]
    r = rs.involvement_ratios(d, by="sex_of_driver", motor_only=False)
    two = d[d["vehicles_in_collision"] == 2]
    culprit = two[two["status"] == "culpable"].set_index("collision_row")["sex_of_driver"].astype(str)
    victim = two[two["status"] == "not culpable"].set_index("collision_row")["sex_of_driver"].astype(str)
    both = culprit.index.intersection(victim.index)
    table = pd.crosstab(culprit.loc[both], victim.loc[both])
    expected = stats.chi2_contingency(table.to_numpy())
    assert r.chi_square["statistic"] == pytest.approx(expected.statistic)
    assert r.chi_square["dof"] == expected.dof


def test_several_fields_at_once(four_forces):
    r = rs.involvement_ratios(four_forces, by=["sex_of_driver", "age_band_of_driver"])
    one = rs.involvement_ratios(four_forces, by="age_band_of_driver").table
    assert r.table["culpable"].sum() == one["culpable"].sum()
    assert ("Male", "Over 75") in r.table.index
    assert "InvolvementRatios by sex_of_driver, age_band_of_driver" in repr(r)


def test_an_unknown_field_is_refused(four_forces):
    with pytest.raises(rs.errors.SchemaMismatchError, match="the drivers have no shoe_size field to group by"):
        rs.involvement_ratios(four_forces, by="shoe_size")


@pytest.fixture(scope="module")
def great_britain_2015():
    return rs.datasets.gb_2015_drivers()


def test_the_published_age_pattern_comes_out_of_the_2015_national_records(great_britain_2015):
    """Young drivers (16-20) and the oldest (over 75) over-involved as the culpable party, the middle-aged
    under-involved, each interval clear of 1 (Clarke et al. 2010; every QIE study of young drivers)."""
    t = rs.involvement_ratios(great_britain_2015, by="age_band_of_driver").table
    assert t["culpable"].sum() == 36060
    assert t.loc["16 - 20", "rair_low"] > 1.1
    assert t.loc["Over 75", "rair_low"] > 2.0
    assert t.loc["66 - 75", "rair_low"] > 1.0
    for middle in ["36 - 45", "46 - 55"]:
        assert t.loc[middle, "rair_high"] < 0.9
    # the U shape: the ratio falls from 16-20 to 46-55 and rises from there
    bands = ["16 - 20", "21 - 25", "26 - 35", "36 - 45", "46 - 55"]
    assert (np.diff(t.loc[bands, "rair"]) < 0).all()
    assert (np.diff(t.loc[["46 - 55", "56 - 65", "66 - 75", "Over 75"], "rair"]) > 0).all()
    # single-vehicle culpable drivers: the young far more so
    assert t.loc["16 - 20", "sv_low"] > 2.0


def test_whole_year_figures(great_britain_2015):
    """Every driver of 2015 scored; the counts that decide the ratios, stated."""
    d = rs.culpability(great_britain_2015)
    assert len(d) == 257845
    s = rs.drivers.rule_summary(d)
    assert 0.3 < s.attrs["undetermined_share"] < 0.5
    r = rs.involvement_ratios(d, by="sex_of_driver")
    assert r.pairs == 42891
    assert r.table.loc["Female", "rair_high"] < 1.0
