"""The culpable-driver profile: group sizes and shares by hand, intervals and tests against scipy, MAIS 3+
through real links, and a local export with only vehicle columns."""
from __future__ import annotations

import pandas as pd
import pytest
import roadsafe as rs
from scipy import stats


@pytest.fixture(scope="module")
def scored(national):
    return rs.culpability(national)


@pytest.fixture(scope="module")
def profile(national, scored):
    return rs.driver_profile(national, drivers=scored, compare=("fatal", "all", "not_culpable"))


def test_groups_are_the_culpable_drivers_of_each_severity(scored, profile):
    culpable = scored[scored["status"] == "culpable"]
    sev = culpable["collision_severity"].astype(str)
    assert profile.severe_basis == "KSI"
    assert profile.groups["severe"] == int(sev.isin(["fatal", "serious"]).sum())
    assert profile.groups["fatal"] == int((sev == "fatal").sum())
    assert profile.groups["all"] == len(culpable)
    exposure = scored[(scored["status"] == "not culpable") & (scored["vehicles_in_collision"] == 2)]
    assert profile.groups["not_culpable"] == len(exposure)


def test_shares_and_wilson_intervals(scored, profile):
    culpable = scored[(scored["status"] == "culpable") & scored["collision_severity"].isin(["fatal", "serious"])]
    known = culpable["age_band_of_driver"].notna().sum()
    k = int((culpable["age_band_of_driver"] == "16 - 20").sum())
    row = profile.table[(profile.table["field"] == "age_band_of_driver") & (profile.table["value"] == "16 - 20")
                        & (profile.table["group"] == "severe")].iloc[0]
    assert (row["drivers"], row["known"]) == (k, known)
    assert row["share"] == pytest.approx(k / known)
    ci = stats.binomtest(k, known).proportion_ci(0.95, method="wilson")
    assert (row["low"], row["high"]) == pytest.approx((ci.low, ci.high), rel=1e-6)
    assert profile.field("age_band_of_driver")["severe"].sum() == pytest.approx(1.0)


def test_each_field_is_tested_against_each_comparison(scored, profile):
    culpable = scored[scored["status"] == "culpable"]
    severe = culpable[culpable["collision_severity"].isin(["fatal", "serious"])]["sex_of_driver"].value_counts()
    fatal = culpable[culpable["collision_severity"] == "fatal"]["sex_of_driver"].value_counts()
    table = pd.concat([severe, fatal], axis=1).fillna(0)
    table = table[table.sum(axis=1) > 0]
    expected = stats.chi2_contingency(table.T.to_numpy())
    got = profile.tests.set_index(["field", "compare"]).loc[("sex_of_driver", "fatal")]
    assert got["chi_square"] == pytest.approx(expected.statistic)
    assert set(profile.tests["compare"]) == {"fatal", "all", "not_culpable"}


def test_mais3_severity_through_links(national, tmp_path):
    ds = national.select(police_force="Cambridgeshire")
    generated = rs.generate_trauma(ds, tmp_path, seed=1)
    trauma = rs.read_trauma(generated.patients_path)
    links = rs.link(ds, trauma, unit="casualty", seed=1)
    p = rs.driver_profile(ds, links)
    assert p.severe_basis == "MAIS 3+ linked"
    severe_patients = trauma.patients["trauma_id"][pd.to_numeric(trauma.patients["mais"]) >= 3]
    linked = set(links.pairs.loc[links.pairs["trauma_id"].isin(severe_patients), "collision_index"])
    d = rs.culpability(ds)
    assert p.groups["severe"] == int(((d["status"] == "culpable") & d["collision_index"].isin(linked)).sum()) > 0


def test_a_local_export_is_profiled_on_the_fields_it_has(cambs):
    p = rs.driver_profile(cambs)
    assert set(p.table["field"]) == {"vehicle_type", "vehicle_manoeuvre"}
    fig = p.chart()
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2


def test_bad_comparisons_and_fields_are_refused(national, scored):
    with pytest.raises(ValueError, match="compare takes fatal, all, not_culpable, not 'serious'"):
        rs.driver_profile(national, drivers=scored, compare=("serious",))
    with pytest.raises(rs.errors.SchemaMismatchError, match="the drivers have no shoe_size field to profile"):
        rs.driver_profile(national, drivers=scored, fields=["shoe_size"])
