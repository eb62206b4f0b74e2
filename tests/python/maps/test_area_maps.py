"""Maps and reports of any area: its own boundary and names, nothing of Cambridgeshire elsewhere, all of
GB when the data span it. Checked on DfT's national 2015 lines of four forces, as printed (PDF text)."""
from __future__ import annotations

import subprocess

import pytest
import roadsafe as rs
from roadsafe.geo.boundaries import area_geography

from conftest import NATIONAL_2015, run_roadsafe
from pdf_support import pdf_text

CAMBRIDGESHIRE_WORDS = ("Cambridge", "Peterborough", "Huntingdon", "OpenStreetMap", "Martin Chorley")


@pytest.fixture(scope="module")
def west_yorkshire_map(national, tmp_path_factory):
    out = tmp_path_factory.mktemp("wy") / "wy.pdf"
    fig = rs.hotspot_map(national.select(police_force="West Yorkshire"), out=out, top=10)
    return out, fig.roadsafe_map


def test_a_force_map_draws_its_own_area_and_nothing_of_cambridgeshire(west_yorkshire_map):
    pdf, info = west_yorkshire_map
    text = pdf_text(pdf)
    assert "Injury collision hotspots: West Yorkshire" in text
    # One year of data: the study period is that year, not the rule's five (which would reach back to 2011).
    assert ("Study period 1 January 2015 to 31 December 2015 (1 year of data; the rule asks for 5). 5,286 injury "
            "collisions.") in text
    for words in ("Police force area boundary", "District boundary",
                  "ONS police force areas December 2020, districts December 2019"):
        assert words in text, words
    # Place names are drawn with a halo (paths in the PDF, not text): the map records them.
    assert sorted(info.place_names) == ["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"]
    for word in CAMBRIDGESHIRE_WORDS:
        assert word not in text and word not in " ".join(info.place_names), word
    assert "Selected from the loaded records: West Yorkshire (police force 13); 5,286 of 7,876 collisions." in text
    x0, y0, x1, y1 = info.extent  # West Yorkshire lies within about E 390-455 km, N 400-460 km
    assert 380_000 < x0 < 395_000 and 450_000 < x1 < 470_000 and y1 < 475_000


def test_sites_are_named_from_the_roads_their_collisions_record(west_yorkshire_map):
    _, info = west_yorkshire_map
    locations = info.table["location"].tolist()
    assert len(locations) == 10
    assert not any(loc.startswith("E/N") for loc in locations)
    assert all(loc.split(", ")[-1] in ("Leeds", "Bradford", "Wakefield", "Kirklees", "Calderdale")
               for loc in locations)
    assert any(loc[0] in "AMB" and loc[1].isdigit() for loc in locations)  # a numbered road


def test_a_map_of_data_across_gb_shows_all_of_it(national, tmp_path):
    fig = rs.hotspot_map(national, out=tmp_path / "gb.png", top=5, shading=None, dpi=60)
    x0, y0, x1, y1 = fig.roadsafe_map.extent
    assert y1 > 1_215_000  # Shetland (Dumfries and Galloway's data bring Scotland in)
    assert y0 < 10_000 and x0 < 140_000  # the Isles of Scilly and Land's End
    assert "Country boundary" in fig.roadsafe_map.legend_labels
    assert "Police force area boundary" in fig.roadsafe_map.legend_labels


def test_the_cambridgeshire_force_from_national_files_gets_the_county_layers(national):
    geography = area_geography(national.select(police_force=35))
    assert geography.in_cambridgeshire and geography.outline_label == "County boundary"
    assert set(geography.labels["name"]) >= {"Cambridge", "Peterborough", "Ely"}


@pytest.mark.parametrize("choice, outline, label", [
    ({"local_authority_district": "Leeds"}, ["Leeds"], "District boundary"),
    ({"highway_authority": "E10000003"}, ["Cambridgeshire"], "Highway authority boundary"),
    ({"police_force": "Dumfries and Galloway"}, ["Police Scotland"], "Police force area boundary"),
])
def test_the_outline_is_the_area_chosen(national, choice, outline, label):
    geography = area_geography(national.select(**choice))
    assert sorted(geography.outline["name"]) == outline
    assert geography.outline_label == label


def test_a_code_without_a_shipped_boundary_is_drawn_as_its_successor(national):
    # Dorset County Council (E10000009, to 2019) has no boundary of its own: Dorset Council's is drawn.
    frame = national.collisions.copy()
    frame["local_authority_highway"] = "E10000009"
    geography = area_geography(rs.Dataset.from_frames(frame).select(highway_authority="E10000009"))
    assert list(geography.outline["code"]) == ["E06000059"]
    assert "E10000009 drawn as the areas that replaced them" in geography.vintage


def test_board_report_for_a_force_from_the_command_line(tmp_path):
    out = tmp_path / "wy.pdf"
    r = run_roadsafe("report", *map(str, NATIONAL_2015), "--police-force", "13", "--out", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "Selected: West Yorkshire (police force 13); 5,286 of 7,876 collisions" in r.stdout
    text = pdf_text(out)
    assert "West Yorkshire" in text and "Leeds" in text
    assert text.count("Selected from the loaded records: West Yorkshire (police force 13); 5,286 of 7,876") == 2
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "Subject: Selected: West Yorkshire (police force 13); 5,286 of 7,876 collisions" in " ".join(info.split())
    for word in CAMBRIDGESHIRE_WORDS:
        assert word not in text, word


def test_a_polygon_in_cambridgeshire_keeps_the_county_roads(cambs):
    import shapely

    geography = area_geography(cambs.select(area=shapely.box(540000, 250000, 555000, 265000)))
    assert geography.in_cambridgeshire and geography.outline_label == "Area boundary"
