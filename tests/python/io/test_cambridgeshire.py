"""The shipped Cambridgeshire export, checked against counts computed independently from the raw CSV."""
from __future__ import annotations

from collections import Counter

import numpy as np
import roadsafe as rs

from conftest import financial_year_of, raw_cambs_rows


def test_financial_year_counts_match_the_raw_csv(cambs):
    header, rows = raw_cambs_rows()
    date_col, sev_col = header.index("Date"), header.index("Severity")
    expected = Counter((financial_year_of(r[date_col]), r[sev_col].lower()) for r in rows)
    table = rs.ksi_table(cambs, by="financial_year")
    for fy, row in table.iterrows():
        for severity in ("fatal", "serious", "slight"):
            assert row[severity] == expected[(fy, severity)], (fy, severity)
        assert row["ksi"] == row["fatal"] + row["serious"]
    assert table[["fatal", "serious", "slight"]].to_numpy().sum() == len(rows)
    # The published partnership figures (SOURCES.md): 2012-13 serious 297, 2015-16 serious 306.
    assert table.loc["2012-13", "serious"] == 297
    assert table.loc["2015-16", "serious"] == 306
    assert list(table.index[table["partial"]]) == ["2011-12", "2017-18"]


def test_every_row_is_loaded_and_placeholders_are_flagged(cambs):
    header, rows = raw_cambs_rows()
    assert len(cambs.collisions) == len(rows) == 12108
    assert cambs.report.rows_loaded == cambs.report.rows_read == 12108
    e, n = header.index("Easting"), header.index("Northing")
    placeholder_refs = {r[0] for r in rows if r[e] == "500000.0009" or r[n] == "199999.9999"}
    flagged = cambs.collisions[cambs.collisions.location_status == "placeholder"]
    assert set(flagged.collision_reference) == placeholder_refs and len(placeholder_refs) == 5
    assert flagged[["location_easting_osgr", "location_northing_osgr", "longitude", "latitude"]].isna().all().all()
    entries = cambs.report.entries
    assert (entries.outcome == "row loaded, flagged").sum() == 5
    assert set(entries.line) == {int(i) + 2 for i, r in enumerate(rows) if r[0] in placeholder_refs}


def test_labels_vehicles_and_text(cambs):
    c = cambs.collisions
    assert c.police_force.eq("Cambridgeshire").all()
    assert set(c.collision_severity.cat.categories) == {"Fatal", "Serious", "Slight"}
    first = c.iloc[0]
    assert (first.collision_reference, first.time, first.day_of_week) == ("2016", "07:25", "Wednesday")
    assert first.date == np.datetime64("2016-01-06")
    assert c.location_description.str.contains("CAFÉ").sum() == 2  # latin-1 byte 0xC9, decoded
    header, rows = raw_cambs_rows()
    type_columns = [header.index(h) for h in ("Vehicle_1_Type", "Vehicle_2_Type", "Vehicle_3_Type")]
    assert len(cambs.vehicles) == sum(1 for r in rows for i in type_columns if r[i].strip())
    v = cambs.vehicles
    assert (c.collision_index.to_numpy()[v.collision_row.to_numpy()] == v.collision_index.to_numpy()).all()


def test_numeric_columns_are_views_of_engine_buffers(cambs):
    engine_columns = {name: values for name, _, values in cambs._engine.columns("collisions")}
    easting = cambs.collisions["location_easting_osgr"].to_numpy()
    assert np.shares_memory(easting, engine_columns["location_easting_osgr"])
    speed = cambs.collisions["speed_limit"].array
    assert np.shares_memory(speed._data, engine_columns["speed_limit"])


def test_geodataframe_in_bng_and_wgs84(cambs):
    bng = cambs.to_geodataframe(crs=27700)
    wgs = cambs.to_geodataframe(crs=4326)
    assert bng.crs.to_epsg() == 27700 and wgs.crs.to_epsg() == 4326
    ok = (cambs.collisions.location_status == "ok").to_numpy()
    assert bng.geometry[~ok].isna().all() and not bng.geometry[ok].isna().any()
    # Reprojecting the BNG points with geopandas (pyproj) lands on the engine's own WGS84 coordinates
    # within the ~2 m Helmert difference when OSTN15 is not installed.
    reprojected = bng[ok].to_crs(4326)
    assert np.allclose(reprojected.geometry.x, wgs[ok].geometry.x, atol=5e-5)
    assert np.allclose(reprojected.geometry.y, wgs[ok].geometry.y, atol=5e-5)
    assert "OSGB36 to WGS 84" in cambs.report.coordinate_transformation or "OSTN15" in cambs.report.coordinate_transformation


def test_repr_and_report_text(cambs):
    text = repr(cambs)
    assert "12,108 collisions" in text and "2012-01-01 to 2017-10-31" in text
    report = str(cambs.report)
    assert "12,108 rows read, 12,108 loaded, 0 rejected" in report
    assert "5 x row loaded, flagged" in report


def test_text_columns_are_arrow_views_of_engine_buffers(cambs):
    import pyarrow as pa

    engine_columns = {name: values for name, _, values in cambs._engine.columns("collisions")}
    offsets, chars = engine_columns["location_description"]
    arrow = pa.array(cambs.collisions["location_description"].array)
    assert np.shares_memory(np.frombuffer(arrow.buffers()[2], dtype=np.uint8), chars)
    assert cambs.collisions["location_description"].iloc[0] == "A14 EASTBOUND JUNCTION DRY DRAYTON RD CAMBRIDGE"
