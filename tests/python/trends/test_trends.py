"""KSI tables, target groups, the performance block and the trend charts.

Known answers come from three places: the raw Cambridgeshire CSV read with the csv module, small
constructed datasets whose counts and tests are worked out by hand here, and published Poisson
interval values (methods.md section 4.2).
"""
from __future__ import annotations

import dataclasses
import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import roadsafe as rs
from roadsafe import _engine

from conftest import financial_year_of, raw_cambs_rows

engine = _engine.trends


# ----------------------------------------------------------------------------------------------
# The engine through the bindings


def test_poisson_intervals_known_answers():
    lower, upper = engine.poisson_interval([0, 5, 10, 100])
    assert np.allclose(lower, [0.0, 1.6235, 4.7954, 81.3640], atol=1e-4)
    assert np.allclose(upper, [3.6889, 11.6683, 18.3904, 121.6268], atol=1e-4)


def test_weighted_interval_with_unit_weights_is_garwood():
    lo, up = engine.weighted_count_interval([10.0], [10.0], [1.0])
    glo, gup = engine.poisson_interval([10])
    assert np.allclose(lo, glo) and np.allclose(up, gup)


def test_compare_counts_and_errors():
    c = engine.compare_counts(1602, 1602, 1624, 1624)
    assert c["z"] == pytest.approx(-22 / math.sqrt(3226))
    with pytest.raises(rs.errors.InvalidInputError):
        engine.compare_counts(-1, 1, 1, 1)
    with pytest.raises(rs.errors.InvalidInputError):
        engine.period_key(np.array([0], dtype=np.int32), "week")


# ----------------------------------------------------------------------------------------------
# ksi_table on the shipped data, against the raw CSV


RAW_GROUPS = {
    "pedestrians": lambda r, h: r[h.index("Ped")] == "Y",
    "children": lambda r, h: r[h.index("Child")] == "Y",
    "pedal_cyclists": lambda r, h: r[h.index("Cycle")] == "Y",
    "motorcyclists": lambda r, h: r[h.index("TWMV")] == "Y",
    "speed_limit_50": lambda r, h: r[h.index("Speed_limit")].strip() != "" and int(r[h.index("Speed_limit")]) >= 50,
    "car_occupants": lambda r, h: any(r[h.index(c)].strip() == "Car"
                                      for c in ("Vehicle_1_Type", "Vehicle_2_Type", "Vehicle_3_Type")),
}


@pytest.mark.parametrize("group", sorted(RAW_GROUPS))
def test_group_counts_match_the_raw_csv(cambs, group):
    header, rows = raw_cambs_rows()
    date_col, sev_col = header.index("Date"), header.index("Severity")
    pick = RAW_GROUPS[group]
    expected = Counter((financial_year_of(r[date_col]), r[sev_col].lower()) for r in rows if pick(r, header))
    table = rs.ksi_table(cambs, by="financial_year", groups=group)
    assert table.attrs["group"] == group and table.attrs["group_basis"] == "collision"
    assert (table["group_basis"] == "collision").all()
    for fy, row in table.iterrows():
        for severity in ("fatal", "serious", "slight"):
            assert row[severity] == expected[(fy, severity)], (group, fy, severity)
    assert table[["fatal", "serious", "slight"]].to_numpy().sum() == sum(expected.values())


def test_several_groups_stack_with_a_group_level(cambs):
    table = rs.ksi_table(cambs, by="calendar_year", groups=["pedestrians", "children"])
    assert table.index.names == ["group", "calendar_year"]
    assert list(table.index.get_level_values("group").unique()) == ["pedestrians", "children"]
    single = rs.ksi_table(cambs, by="calendar_year", groups="children")
    assert (table.loc["children", "ksi"].to_numpy() == single["ksi"].to_numpy()).all()


def test_intervals_are_exact_poisson_and_cover_every_count(cambs):
    table = rs.ksi_table(cambs, by="financial_year")
    for m in ("fatal", "serious", "slight", "ksi"):
        lo, up = engine.poisson_interval(table[m].to_numpy())
        assert np.allclose(table[f"{m}_lower"], lo) and np.allclose(table[f"{m}_upper"], up)
        assert (table[f"{m}_lower"] <= table[m]).all() and (table[m] <= table[f"{m}_upper"]).all()
    # A quarter with KSI = 10 pedestrian collisions gets the published interval [4.795, 18.390].
    q = rs.ksi_table(cambs, by="quarter", groups="pedestrians")
    assert q.loc["2012Q2", "ksi"] == 10
    assert q.loc["2012Q2", ["ksi_lower", "ksi_upper"]].to_numpy(float) == pytest.approx([4.7954, 18.3904], abs=1e-4)


def test_months_quarters_zero_periods_and_partial_edges(cambs):
    months = rs.ksi_table(cambs, by="month")
    assert len(months) == 70 and months.index[0] == "2012-01" and months.index[-1] == "2017-10"
    assert not months["partial"].any()  # the data run from 1 January 2012 to 31 October 2017
    quarters = rs.ksi_table(cambs, by="quarter")
    assert list(quarters.index[quarters["partial"]]) == ["2017Q4"]
    assert quarters["ksi"].sum() == months["ksi"].sum()
    # A month with no KSI pedestrian collision is present, with zeros and the N = 0 interval.
    ped = rs.ksi_table(cambs, by="month", groups="pedestrians")
    assert len(ped) == 70
    zero = ped[ped["ksi"] == 0]
    assert len(zero) >= 1
    assert zero["ksi_upper"].iloc[0] == pytest.approx(3.6889, abs=1e-4) and zero["ksi_lower"].iloc[0] == 0.0


def test_unavailable_groups_and_units_say_why(cambs):
    with pytest.raises(rs.groups.GroupUnavailable, match="young_people"):
        rs.ksi_table(cambs, groups="young_people")
    with pytest.raises(rs.groups.GroupUnavailable, match="urban_or_rural_area"):
        rs.ksi_table(cambs, groups="rural_roads")
    with pytest.raises(ValueError, match="unknown group"):
        rs.ksi_table(cambs, groups="horses")
    with pytest.raises(ValueError, match="casualty table"):
        rs.ksi_table(cambs, unit="casualty")
    with pytest.raises(ValueError, match="adjusted"):
        rs.ksi_table(cambs, adjusted=True)


# ----------------------------------------------------------------------------------------------
# A constructed dataset with casualties and adjusted probabilities


class FrameDataset:
    """The three tables a Dataset exposes, built from rows (for hand-checked answers)."""

    def __init__(self, collisions, casualties=None, vehicles=None, name="constructed"):
        self.collisions = collisions
        self.casualties = casualties if casualties is not None else pd.DataFrame()
        self.vehicles = vehicles if vehicles is not None else pd.DataFrame()
        self.name = name


def _small_dataset():
    # collision: date, severity, speed limit, casualties as (severity, age, class, type, adjusted serious)
    spec = [
        ("C1", "2019-04-10", "Fatal", 60, [("Fatal", 40, "Driver or rider", "Car occupant", None),
                                           ("Serious", 12, "Passenger", "Car occupant", 0.9)]),
        ("C2", "2019-05-02", "Serious", 30, [("Serious", 8, "Pedestrian", "Pedestrian", 0.8)]),
        ("C3", "2019-05-20", "Slight", 30, [("Slight", 30, "Driver or rider", "Cyclist", 0.25),
                                            ("Slight", 31, "Passenger", "Car occupant", 0.5)]),
        ("C4", "2019-07-01", "Serious", 70, [("Serious", 75, "Driver or rider",
                                               "Motorcycle over 500cc rider or passenger", None),
                                              ("Slight", 20, "Driver or rider", "Car occupant", 0.1),
                                              ("Slight", 22, "Passenger", "Car occupant", 0.2)]),
    ]
    collisions = pd.DataFrame({
        "collision_index": [c[0] for c in spec],
        "date": pd.to_datetime([c[1] for c in spec]),
        "collision_severity": pd.Categorical([c[2] for c in spec], categories=["Fatal", "Serious", "Slight"]),
        "speed_limit": pd.array([c[3] for c in spec], dtype="Int32"),
    })
    cas = [(c[0], *k) for c in spec for k in c[4]]
    casualties = pd.DataFrame({
        "collision_index": [k[0] for k in cas],
        "casualty_severity": pd.Categorical([k[1] for k in cas], categories=["Fatal", "Serious", "Slight"]),
        "age_of_casualty": pd.array([k[2] for k in cas], dtype="Int32"),
        "casualty_class": pd.Categorical([k[3] for k in cas]),
        "casualty_type": pd.Categorical([k[4] for k in cas]),
        "casualty_adjusted_serious": pd.array([k[5] for k in cas], dtype="Float64"),
    })
    return FrameDataset(collisions, casualties)


def test_casualty_counts_adjusted_sums_and_over_dispersed_intervals():
    ds = _small_dataset()
    t = rs.ksi_table(ds, by="financial_year", unit="casualty", adjusted=True)
    row = t.loc["2019-20"]
    assert (row.fatal, row.serious, row.slight, row.ksi) == (1, 3, 4, 4)
    # Adjusted serious: recorded serious without a probability counts 1 (C4's rider), others their a.
    a = [0.9, 0.8, 0.25, 0.5, 1.0, 0.1, 0.2]
    assert row.serious_adjusted == pytest.approx(sum(a))
    assert row.slight_adjusted == pytest.approx(sum(1 - x for x in a))
    assert row.ksi_adjusted == pytest.approx(1 + sum(a))
    # KSI casualties per collision 2, 1, 0, 1: Fay-Feuer with v = 6, w_M = 2 (not the Garwood for 4).
    lo, up = engine.weighted_count_interval([4.0], [6.0], [2.0])
    assert row.ksi_lower == pytest.approx(lo[0]) and row.ksi_upper == pytest.approx(up[0])
    assert row.ksi_upper > engine.poisson_interval([4])[1][0]
    # Adjusted KSI per collision: C1 1 + 0.9, C2 0.8, C3 0.75, C4 1.3; variance adds sum a(1-a).
    w = np.array([1.9, 0.8, 0.75, 1.3])
    v = (w ** 2).sum() + sum(x * (1 - x) for x in a)
    lo, up = engine.weighted_count_interval([w.sum()], [v], [1.9])
    assert row.ksi_adjusted_lower == pytest.approx(lo[0]) and row.ksi_adjusted_upper == pytest.approx(up[0])


def test_collision_level_adjusted_probability_is_one_minus_the_product():
    ds = _small_dataset()
    t = rs.ksi_table(ds, by="calendar_year", unit="collision", adjusted=True)
    row = t.loc["2019"]
    assert (row.fatal, row.serious, row.slight) == (1, 2, 1)
    # C1 fatal stays fatal; C2: 0.8; C3: 1 - 0.75 * 0.5 = 0.625; C4: 1 - (1 - 1)(0.9)(0.8) = 1 (its
    # serious rider has no probability, so enters as recorded, a = 1).
    assert row.serious_adjusted == pytest.approx(0.8 + 0.625 + 1.0)
    assert row.ksi_adjusted == pytest.approx(1 + 0.8 + 0.625 + 1.0)
    assert row.slight_adjusted == pytest.approx(0.2 + 0.375)
    # DfT's own collision value, where the file has one, comes before the derivation.
    ds.collisions["collision_adjusted_serious"] = pd.array([None, None, 0.3, None], dtype="Float64")
    row = rs.ksi_table(ds, by="calendar_year", unit="collision", adjusted=True).loc["2019"]
    assert row.serious_adjusted == pytest.approx(0.8 + 0.3 + 1.0)


def test_casualty_based_groups():
    ds = _small_dataset()
    kids = rs.ksi_table(ds, by="calendar_year", unit="casualty", groups="children")
    assert kids.attrs["group_basis"] == "casualty"
    assert (kids.loc["2019", "serious"], kids.loc["2019", "slight"]) == (2, 0)  # ages 12 and 8
    kids_collisions = rs.ksi_table(ds, by="calendar_year", unit="collision", groups="children")
    assert (kids_collisions.loc["2019", "fatal"], kids_collisions.loc["2019", "serious"]) == (1, 1)  # C1, C2
    older = rs.ksi_table(ds, by="calendar_year", unit="casualty", groups="older_people")
    assert older.loc["2019", "serious"] == 1
    young = rs.ksi_table(ds, by="calendar_year", unit="casualty", groups="young_people")
    assert young.loc["2019", "slight"] == 2  # ages 20 and 22 (17..25)
    cars = rs.ksi_table(ds, by="calendar_year", unit="casualty", groups="car_occupants")
    assert (cars.loc["2019", "fatal"], cars.loc["2019", "serious"], cars.loc["2019", "slight"]) == (1, 1, 3)
    motos = rs.ksi_table(ds, by="calendar_year", unit="casualty", groups="motorcyclists")
    assert motos.loc["2019", "ksi"] == 1
    fast = rs.ksi_table(ds, by="calendar_year", unit="casualty", groups="speed_limit_50")
    assert fast.attrs["group_basis"] == "collision"
    assert fast.loc["2019", "ksi"] == 3  # C1 (2 KSI casualties) and C4 (1)


# ----------------------------------------------------------------------------------------------
# performance_summary with known answers


def _series_dataset(counts_by_window, casualties_per_collision=1):
    """KSI collisions spread over given date windows: {(start, end): n}."""
    rows, cas = [], []
    i = 0
    for (start, end), n in counts_by_window.items():
        days = pd.date_range(start, end, freq="D")
        spread = np.linspace(0, len(days) - 1, n).round().astype(int)  # first and last day included
        for j in range(n):
            i += 1
            key = f"K{i}"
            rows.append((key, days[spread[j]], "Serious"))
            for _ in range(casualties_per_collision if isinstance(casualties_per_collision, int)
                           else casualties_per_collision(i)):
                cas.append((key, "Serious"))
    collisions = pd.DataFrame({"collision_index": [r[0] for r in rows], "date": [r[1] for r in rows],
                               "collision_severity": pd.Categorical([r[2] for r in rows],
                                                                    categories=["Fatal", "Serious", "Slight"])})
    casualties = pd.DataFrame({"collision_index": [c[0] for c in cas],
                               "casualty_severity": pd.Categorical([c[1] for c in cas],
                                                                   categories=["Fatal", "Serious", "Slight"])})
    return FrameDataset(collisions, casualties)


def _binom_two_sided(x: int, n: int, p: float) -> float:
    pmf = [math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(n + 1)]
    return min(1.0, 2 * min(sum(pmf[: x + 1]), sum(pmf[x:])))


FY = {2016: ("2016-04-01", "2017-03-31"), 2017: ("2017-04-01", "2018-03-31"),
      2018: ("2018-04-01", "2019-03-31"), 2019: ("2019-04-01", "2020-03-31")}


def test_performance_summary_known_answers():
    ds = _series_dataset({FY[2016]: 20, FY[2017]: 25, FY[2018]: 15, FY[2019]: 36})
    s = rs.performance_summary(ds, as_of="2020-03-31", baseline="2016-17").set_index(["measure", "comparison"])
    ksi = s.loc["ksi"]
    r = ksi.loc["rolling 12 months vs previous 12 months"]
    assert (r.current, r.reference) == (36, 15)
    assert r.z == pytest.approx(21 / math.sqrt(51))
    assert r.p_value == pytest.approx(_binom_two_sided(36, 51, 0.5))
    assert r.verdict == "higher" and r.test == "exact conditional (binomial)"
    assert r.current_period == "2019-04-01 to 2020-03-31"
    # As of 31 March the financial year to date is the whole year.
    f = ksi.loc["financial year to date vs same period last year"]
    assert (f.current, f.reference) == (36, 15)
    y = ksi.loc["current year vs 3-year average"]
    assert (y.current_period, y.reference) == ("2019-20", pytest.approx(20.0))
    assert y.z == pytest.approx((36 - 20) / math.sqrt(36 + 60 / 9))
    assert y.p_value == pytest.approx(_binom_two_sided(36, 96, 0.25))
    assert y.rate_ratio == pytest.approx(1.8)
    assert y.ratio_lower == pytest.approx(1.8 * math.exp(-1.959964 * math.sqrt(1 / 36 + 1 / 60)), rel=1e-6)
    b = ksi.loc["current year vs baseline"]
    assert (b.reference_period, b.reference) == ("2016-17", 20)
    assert b.p_value == pytest.approx(_binom_two_sided(36, 56, 0.5))
    assert b.p_value == pytest.approx(0.04405, abs=1e-5) and b.verdict == "higher"  # 36 vs 20, binomial(56, 1/2)
    # Nothing fatal anywhere: comparable, p = 1.
    fatal = s.loc["fatal"]
    assert (fatal["verdict"] == "comparable").all() and (fatal["p_value"] == 1.0).all()


def test_performance_summary_casualty_counts_allow_for_multi_casualty_collisions():
    # Every third collision has 3 casualties, the others 1.
    ds = _series_dataset({FY[2018]: 30, FY[2019]: 45}, casualties_per_collision=lambda i: 3 if i % 3 == 0 else 1)
    s = rs.performance_summary(ds, as_of="2020-03-31", unit="casualty", measures=["ksi"])
    r = s.set_index("comparison").loc["rolling 12 months vs previous 12 months"]
    # Collisions 1..30 (2018-19): 10 with 3 casualties -> 50 casualties, sum n^2 = 20 + 90 = 110.
    # Collisions 31..75 (2019-20): 15 with 3 -> 75 casualties, sum n^2 = 30 + 135 = 165.
    assert (r.current, r.reference) == (75, 50)
    assert r.z == pytest.approx(25 / math.sqrt(165 + 110))
    assert r.p_value == pytest.approx(math.erfc(abs(r.z) / math.sqrt(2)))
    assert r.test == "z, compound Poisson variance"
    # A plain Poisson z would have called it: 25 / sqrt(125) = 2.236 (p = 0.025).
    assert r.verdict == "comparable"


def test_performance_summary_marks_uncovered_periods_and_defaults_as_of(cambs):
    s = rs.performance_summary(cambs)
    assert s.attrs["as_of"] == pd.Timestamp("2017-10-31")
    assert set(s["verdict"]) <= {"higher", "comparable", "lower"}
    ksi = s[s.measure == "ksi"].set_index("comparison")
    assert ksi.loc["current year vs previous year", ["current", "reference"]].tolist() == [415, 338]
    early = rs.performance_summary(cambs, as_of="2013-06-30")
    assert "not covered" in set(early["verdict"])


# ----------------------------------------------------------------------------------------------
# Plots


def _ink_fraction(path) -> float:
    import matplotlib.image as mpimg

    img = mpimg.imread(path)[..., :3]
    return float((img.mean(axis=2) < 0.9).mean())


def test_trend_charts_render_to_png(cambs, tmp_path):
    fig = rs.plots.ksi_trend_chart(cambs, by="quarter", switch_date="2016-11-01")
    out = tmp_path / "ksi.png"
    fig.savefig(out, dpi=80)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _ink_fraction(out) > 0.02
    ax = fig.axes[0]
    assert any(t.get_text().startswith("switch to CRaSH") for t in ax.texts)
    m = rs.plots.monthly_chart(cambs, groups="pedestrians")
    out2 = tmp_path / "monthly.png"
    m.savefig(out2, dpi=80)
    assert _ink_fraction(out2) > 0.02
    # The rolling line is the 12-month sum of the monthly counts.
    line = m.axes[1].lines[0].get_ydata()
    monthly = rs.ksi_table(cambs, by="month", groups="pedestrians")["ksi"].to_numpy()
    assert line[11] == pytest.approx(monthly[:12].sum()) and np.isnan(line[10])


def test_trend_chart_draws_adjusted_series(tmp_path):
    ds = _series_dataset({FY[2018]: 30, FY[2019]: 45})
    ds.casualties["casualty_adjusted_serious"] = 0.7
    fig = rs.plots.ksi_trend_chart(ds, by="financial_year", unit="casualty")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "KSI (severity-adjusted)" in labels and "KSI (as recorded)" in labels
    fig.savefig(tmp_path / "adj.png", dpi=60)
    assert _ink_fraction(tmp_path / "adj.png") > 0.02


def test_rolling_12_months_matches_monthly_sums_and_has_intervals(cambs):
    from roadsafe.trends.periods import rolling_12_months

    r = rolling_12_months(cambs)
    monthly = rs.ksi_table(cambs, by="month")
    assert r["ksi"].iloc[:11].isna().all()
    assert r.loc["2017-10", "ksi"] == monthly["ksi"].iloc[-12:].sum() == 413  # as in the performance block
    lo, up = engine.poisson_interval([413])
    assert r.loc["2017-10", ["ksi_lower", "ksi_upper"]].to_numpy(float) == pytest.approx([lo[0], up[0]])


def test_trend_chart_overlays_a_corrected_series(cambs):
    corrected = pd.Series({"2015-16": 330.0, "2016-17": 360.0})
    fig = rs.plots.ksi_trend_chart(cambs, corrected=corrected)
    line = [ln for ln in fig.axes[0].lines if ln.get_label() == "KSI (corrected for reclassification)"][0]
    y = line.get_ydata()
    assert np.isnan(y[0]) and y[-2] == 360.0


def test_adjusted_tables_agree_with_adjusted_totals(tmp_path):
    info = rs._engine.synth.write_stats19_synthetic(str(tmp_path), first_year=2019, years=2,
                                                    collisions_per_year=5000, seed=7)
    ds = rs.read_stats19([info["collisions"], info["vehicles"], info["casualties"]], progress=None)
    for unit in ("casualty", "collision"):
        table = rs.ksi_table(ds, by="calendar_year", unit=unit, adjusted=True)
        totals = rs.adjusted_totals(ds, unit=unit)
        for m in ("fatal", "serious", "slight", "serious_adjusted", "slight_adjusted", "ksi_adjusted"):
            assert table[m].sum() == pytest.approx(totals[m], rel=1e-9), (unit, m)


def test_performance_on_the_injury_based_basis_with_the_estimated_step(cambs):
    """Cambridgeshire 2016-17 against 2015-16: serious 'higher' as recorded (+25%), 'comparable' once the
    records before the switch are put on the injury-based basis (the report's own adjusted column)."""
    effect = rs.reclassification_effect(cambs)
    step = effect.step()
    assert step.switch == pd.Timestamp("2016-07-01") and step.rate_ratio == pytest.approx(effect.rate_ratio)
    summary = rs.performance_summary(cambs, adjusted=True, step=step)
    assert summary.attrs["adjusted_basis"].startswith("estimated reclassification step x1.33")
    rows = summary.set_index(["measure", "comparison"])
    recorded = rows.loc[("serious", "current year vs previous year")]
    adjusted = rows.loc[("serious_adjusted", "current year vs previous year")]
    assert recorded["verdict"] == "higher" and adjusted["verdict"] == "comparable"
    # 2015-16 is all before the switch: 306 serious x the step; 2016-17 has April-June 2016 before it.
    assert adjusted["reference"] == pytest.approx(306 * step.rate_ratio)
    serious = cambs.collisions[cambs.collisions["collision_severity"].astype(str) == "Serious"]
    fy = serious[(serious["date"] >= "2016-04-01") & (serious["date"] <= "2017-03-31")]
    before = int((fy["date"] < "2016-07-01").sum())
    assert adjusted["current"] == pytest.approx(len(fy) - before + before * step.rate_ratio)
    # The step's own uncertainty is inside the test: without it the interval would be narrower.
    certain = rs.performance_summary(cambs, adjusted=True, step=dataclasses.replace(step, log_variance=0.0))
    narrow = certain.set_index(["measure", "comparison"]).loc[("serious_adjusted", "current year vs previous year")]
    assert adjusted["ratio_upper"] - adjusted["ratio_lower"] > narrow["ratio_upper"] - narrow["ratio_lower"]
    assert "slight_adjusted" not in set(summary["measure"])  # a step moves serious records; slight is not estimated
    # Without a step given, adjusted=True estimates it (the data carry no DfT probabilities): the same answer.
    estimated = rs.performance_summary(cambs, adjusted=True)
    pd.testing.assert_frame_equal(estimated, summary)
    assert estimated.attrs["adjusted_basis"] == summary.attrs["adjusted_basis"]
