"""Printed hotspot maps: the PDF a casualty reduction officer prints, checked as printed.

Each map is rendered to PDF, its page size read with pdfinfo, its text with pdftotext and its
picture (pdftoppm -> PNG) checked for ink (poppler-utils).
"""
from __future__ import annotations

import numpy as np
import pytest

from pdf_support import ink, page_size, pdf_png, pdf_text

A4_PT = (841.89, 595.28)
A3_PT = (1190.55, 841.89)


@pytest.fixture(scope="module")
def a4(cambs, tmp_path_factory):
    import roadsafe as rs

    out = tmp_path_factory.mktemp("map") / "hotspots.pdf"
    fig = rs.hotspot_map(cambs, out=out)
    return out, fig.roadsafe_map


def test_a4_map_page_title_legend_scale_bar_and_attribution(a4):
    pdf, info = a4
    assert page_size(pdf) == pytest.approx(A4_PT, abs=0.5)
    text = pdf_text(pdf)
    for expected in ["Injury collision hotspots: Cambridgeshire & Peterborough",
                     "Study period 1 November 2012 to 31 October 2017 (5 years)",
                     "Produced with roadsafe", "Legend", "Motorway", "Trunk road", "District boundary",
                     "County boundary", "Cluster site, numbered as in the table", "Collision density: collisions per km²",
                     info.scale_bar_label, "Open Government Licence v3.0", "© OpenStreetMap contributors, available under the Open Database Licence",
                     "Contains OS data © Crown copyright", "Easting, km (British National Grid",
                     "Top 10 cluster sites", "Cost £k"]:
        assert expected in text, expected
    assert info.scale_bar_label == "20 km"  # a round length, about a quarter of the 73 km sheet
    assert info.legend_labels[0] == "Legend" and "Motorway" in info.legend_labels


def test_site_numbers_on_the_map_match_the_table_and_the_cluster_sites(a4, cambs):
    import roadsafe as rs

    _pdf, info = a4
    assert info.site_numbers == list(range(1, 11))
    assert info.table["number"].tolist() == info.site_numbers
    sites = rs.cluster_sites(cambs, preset="urban").sites.head(10)
    assert info.table["collisions"].tolist() == sites["collisions"].tolist()
    assert info.table["fatal"].tolist() == sites["fatal"].tolist()
    assert (info.table["fatal"] + info.table["serious"] + info.table["slight"] == info.table["collisions"]).all()
    assert info.table["cost_k_gbp"].to_numpy() == pytest.approx(sites["cost_gbp"].to_numpy() / 1000)
    # Site 1 is the Trumpington Road / Lensfield Road junction in Cambridge (the export's own
    # location text for its collisions names the same roads).
    assert "Trumpington Road" in info.table["location"].iloc[0] and "Lensfield Road" in info.table["location"].iloc[0]
    member_text = " ".join(cambs.collisions.loc[
        cambs.collisions["collision_index"].isin(rs.cluster_sites(cambs).sites["collision_ids"].iloc[0]),
        "location_description"].astype(str))
    assert "TRUMPINGTON" in member_text.upper() or "LENSFIELD" in member_text.upper()


def test_crowded_city_sites_go_on_insets(a4):
    _pdf, info = a4
    # Cambridge (sites 1, 2, 4, 7, 8, 10) and Peterborough (3, 6, 9) are too crowded at county scale.
    assert [(letter, numbers) for letter, _ext, numbers in info.insets] == [("A", [1, 2, 4, 7, 8, 10]), ("B", [3, 6, 9])]
    for _letter, (x0, y0, x1, y1), numbers in info.insets:
        rows = info.table[info.table["number"].isin(numbers)]
        assert (rows["easting"].between(x0, x1) & rows["northing"].between(y0, y1)).all()
    assert "Area shown on inset A and B" in info.legend_labels
    assert "Serious collision (insets)" in info.legend_labels


def test_no_insets_when_asked(cambs):
    import roadsafe as rs

    fig = rs.hotspot_map(cambs, insets=False, top=5, shading=None)
    assert fig.roadsafe_map.insets == []
    assert not any("inset" in label for label in fig.roadsafe_map.legend_labels)


def test_site_numbers_and_locations_are_printed(a4):
    pdf, info = a4
    words = pdf_text(pdf).split()
    for n in info.site_numbers:  # once in the table and once on the map or its inset
        assert words.count(str(n)) >= 2, n
    text = " ".join(words)
    for location in info.table["location"]:
        assert location.split(" / ")[0][:14] in text


def test_the_picture_is_not_blank(a4, tmp_path):
    pdf, _info = a4
    img = pdf_png(pdf, tmp_path)
    assert img.shape[:2] == (round(210 / 25.4 * 40), round(297 / 25.4 * 40))
    share = ink(img)
    assert 0.15 < share < 0.8, share
    assert float(img[..., :3].std()) > 0.1
    # The shading is in colour: orange pixels (red high, blue low) are there.
    rgb = img[..., :3]
    assert ((rgb[..., 0] > 0.8) & (rgb[..., 2] < 0.5)).mean() > 0.005


def test_map_is_true_to_scale(a4):
    _pdf, info = a4
    x0, y0, x1, y1 = info.extent
    w_mm, h_mm = info.size_mm
    frame_w, frame_h = 0.50 * w_mm, 0.775 * h_mm  # the map frame's share of the sheet
    assert (x1 - x0) / frame_w == pytest.approx((y1 - y0) / frame_h, rel=1e-6)
    # The county (E 501957-571835, N 236166-317875, from the ONS outline) is all on the sheet.
    assert x0 < 501957 and x1 > 571835 and y0 < 236166 and y1 > 317875


def test_a3_and_png_by_suffix(cambs, tmp_path):
    import roadsafe as rs

    sites = rs.cluster_sites(cambs)
    pdf = tmp_path / "a3.pdf"
    fig = rs.hotspot_map(cambs, out=pdf, paper="A3", top=20, sites=sites, shading=None)
    assert page_size(pdf) == pytest.approx(A3_PT, abs=0.5)
    assert fig.roadsafe_map.site_numbers == list(range(1, 21))
    assert "Top 20 cluster sites" in pdf_text(pdf)
    png = tmp_path / "a4.png"
    rs.hotspot_map(cambs, out=png, dpi=50, sites=sites, top=5)
    from matplotlib.image import imread

    img = imread(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert img.shape[:2] == (int(210 / 25.4 * 50), int(297 / 25.4 * 50))  # matplotlib truncates
    assert 0.15 < ink(img) < 0.8


def test_zoomed_extent_keeps_the_county_numbers(cambs, tmp_path):
    import roadsafe as rs

    sites = rs.cluster_sites(cambs)
    bbox = (540000, 252000, 552000, 264000)  # Cambridge
    fig = rs.hotspot_map(cambs, out=tmp_path / "city.pdf", sites=sites, extent=bbox, top=8)
    info = fig.roadsafe_map
    inside = sites.sites[sites.sites.centroid_x.between(540000, 552000) & sites.sites.centroid_y.between(252000, 264000)]
    assert info.site_numbers == inside["site_id"].head(8).tolist()
    assert info.site_numbers[:3] == [1, 2, 4]  # sites 3 (Peterborough) is not on this sheet
    assert info.table["number"].tolist() == info.site_numbers
    assert "Minor road" in info.legend_labels  # a town sheet shows every road
    assert info.scale_bar_m in (1000, 2000, 2500, 5000)
    text = pdf_text(tmp_path / "city.pdf")
    assert "Top 8 cluster sites on this map" in text and info.scale_bar_label in text
    fig = rs.hotspot_map(cambs, sites=sites, extent="sites", top=3)
    x0, y0, x1, y1 = fig.roadsafe_map.extent
    top3 = sites.sites.head(3)
    assert (top3.centroid_x.between(x0, x1) & top3.centroid_y.between(y0, y1)).all()
    assert x1 - x0 < 60000


def test_user_layers_are_reprojected_and_drawn(cambs, tmp_path):
    import geopandas as gpd
    import roadsafe as rs
    from shapely.geometry import LineString, Point

    # A scheme line and a camera point given in WGS84 (Cambridge), written as a GeoPackage.
    layer = gpd.GeoDataFrame({"name": ["scheme", "camera"]},
                             geometry=[LineString([(0.12, 52.19), (0.14, 52.20)]), Point(0.13, 52.195)], crs=4326)
    path = tmp_path / "schemes.gpkg"
    layer.to_file(path, driver="GPKG")
    read = rs.maps.read_layer(path)
    assert read.crs.to_epsg() == 27700
    assert 540000 < read.geometry.iloc[1].x < 552000 and 252000 < read.geometry.iloc[1].y < 264000
    fig = rs.hotspot_map(cambs, out=tmp_path / "layers.pdf", layers=[path], top=3)
    assert fig.roadsafe_map.layers == ["schemes"]
    assert "schemes" in fig.roadsafe_map.legend_labels
    assert "schemes (supplied by the user)" in pdf_text(tmp_path / "layers.pdf")


def test_data_from_elsewhere_gets_its_own_extent_and_credits(cambs, tmp_path):
    import roadsafe as rs

    # The Cambridgeshire collisions moved 200 km west (into Wales): no shipped layer reaches them.
    df = cambs.collisions.copy()
    df["location_easting_osgr"] = df["location_easting_osgr"] - 200_000
    fig = rs.hotspot_map(df, out=tmp_path / "elsewhere.pdf", top=3)
    info = fig.roadsafe_map
    x0, y0, x1, y1 = info.extent
    assert 280_000 < x0 < 302_000 and 371_000 < x1 < 400_000  # around the moved points (E 302-372 km), not the county
    assert info.title == "Injury collision hotspots"
    assert "District boundary" not in info.legend_labels and "Motorway" not in info.legend_labels
    assert "OpenStreetMap" not in info.attribution and "Office for National Statistics" not in info.attribution
    assert "Open Government Licence v3.0" in info.attribution
    assert info.site_numbers == [1, 2, 3]


class _Frames:
    """The tables a Dataset exposes, built by hand."""

    def __init__(self, collisions):
        import pandas as pd

        self.collisions = collisions
        self.casualties = pd.DataFrame()
        self.vehicles = pd.DataFrame()
        self.name = "Hand-made 2019"


def test_adjusted_ksi_column_when_the_data_carry_adjusted_severity(tmp_path):
    import pandas as pd
    import roadsafe as rs

    # Six collisions within 10 m of a Cambridge junction: fatal, 2 serious, 3 slight, with DfT's
    # collision-level probabilities of serious under injury-based reporting.
    sev = ["Fatal", "Serious", "Serious", "Slight", "Slight", "Slight"]
    collisions = pd.DataFrame({
        "collision_index": [f"C{i}" for i in range(6)],
        "date": pd.to_datetime(["2019-01-05", "2019-02-01", "2019-03-01", "2019-04-01", "2019-05-01", "2019-06-01"]),
        "collision_severity": pd.Categorical(sev, categories=["Fatal", "Serious", "Slight"]),
        "location_easting_osgr": [545133.0, 545135.0, 545130.0, 545138.0, 545133.0, 545129.0],
        "location_northing_osgr": [257629.0, 257625.0, 257631.0, 257627.0, 257635.0, 257628.0],
        "collision_adjusted_serious": [None, 0.9, 0.8, 0.3, 0.2, 0.1],
    })
    ds = _Frames(collisions)
    probs = rs.maps.adjusted_probabilities(ds)
    assert probs["fatal"].tolist() == [1, 0, 0, 0, 0, 0]
    assert probs["serious"].tolist() == pytest.approx([0, 0.9, 0.8, 0.3, 0.2, 0.1])
    fig = rs.hotspot_map(ds, out=tmp_path / "adjusted.pdf", shading=None)
    table = fig.roadsafe_map.table
    assert table["number"].tolist() == [1] and table["collisions"].tolist() == [6]
    assert table["ksi"].tolist() == [3]
    assert table["adjusted_ksi"].tolist() == pytest.approx([1 + 0.9 + 0.8 + 0.3 + 0.2 + 0.1])
    text = pdf_text(tmp_path / "adjusted.pdf")
    assert "Adj. KSI" in text and "3.3" in text
    assert rs.maps.adjusted_probabilities(collisions) is None  # a bare table: no adjusted column


def test_site_locations_name_the_junction():
    import geopandas as gpd
    from roadsafe.geo.place_names import site_locations
    from shapely.geometry import LineString

    roads = gpd.GeoDataFrame({"name": ["Hills Road", "Station Road", None], "ref": ["A1307", None, "A14"]},
                             geometry=[LineString([(0, -500), (0, 500)]), LineString([(-500, 0), (500, 0)]),
                                       LineString([(2000, -500), (2000, 500)])], crs=27700)
    names = site_locations([5.0, 300.0, 1990.0, 5000.0], [5.0, 3.0, 0.0, 0.0], roads)
    assert names == ["Hills Road (A1307) / Station Road", "Station Road", "A14", "A14"]
    assert site_locations([0.0], [0.0], None) == [""]
    # The shipped roads: site 1 of the Cambridgeshire data sits at the Trumpington Road / Lensfield Road junction.
    assert site_locations([545133.0], [257628.8]) == ["Trumpington Road (A603) / Lensfield Road (A603)"]


def test_labels_never_overlap():
    from roadsafe.maps.sheet_geometry import place_labels

    pts = np.array([[2.0, 2.0]] * 6 + [[2.05, 2.0], [5.0, 5.0]])
    pos = place_labels(pts, 0.1, (0.0, 0.0, 8.0, 6.0))
    d = np.hypot(*(pos[:, None, :] - pos[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    assert d.min() >= 2 * 0.1
    assert np.allclose(pos[-1], [5.0, 5.0], atol=1e-2)  # a lone site keeps its number on it


def test_nice_scale_bar_lengths():
    from roadsafe.maps.sheet_geometry import length_label, nice_length

    assert [nice_length(v) for v in (20463, 7300, 3360, 1.9, 999)] == [20000, 5000, 2500, 1, 500]
    assert [length_label(v) for v in (20000, 2500, 500)] == ["20 km", "2.5 km", "500 m"]


def test_bad_input_is_named(cambs, tmp_path):
    import roadsafe as rs

    with pytest.raises(ValueError, match="paper must be one of A4, A3; got 'A5'"):
        rs.hotspot_map(cambs, paper="A5")
    with pytest.raises(rs.errors.RoadsafeIOError, match=r"map layer file not found: .*no_such_layer.gpkg") as e:
        rs.hotspot_map(cambs, layers=[tmp_path / "no_such_layer.gpkg"])
    assert e.value.file.endswith("no_such_layer.gpkg")
    bad = tmp_path / "not_gis.gpkg"
    bad.write_text("hello")
    with pytest.raises(rs.errors.RoadsafeIOError, match="cannot read map layer .*not_gis.gpkg"):
        rs.hotspot_map(cambs, layers=[bad])
    with pytest.raises(ValueError, match=r"out must end in .pdf or .png; got '.*map.jpg'"):
        rs.hotspot_map(cambs, out=tmp_path / "map.jpg")
    with pytest.raises(ValueError, match="shading must be 'kde', 'network_kde' or None"):
        rs.hotspot_map(cambs, shading="heat")
    with pytest.raises(ValueError, match="extent must be 'county', 'sites'"):
        rs.hotspot_map(cambs, extent="city")
    with pytest.raises(ValueError, match="xmin < xmax"):
        rs.hotspot_map(cambs, extent=(10, 10, 0, 20))
    with pytest.raises(rs.errors.RoadsafeIOError, match="folder .* does not exist"):
        rs.hotspot_map(cambs, out=tmp_path / "no" / "map.pdf", top=1, shading=None)


def test_network_kde_shading(cambs, tmp_path):
    import roadsafe as rs

    sites = rs.cluster_sites(cambs)
    fig = rs.hotspot_map(cambs, out=tmp_path / "nkde.pdf", sites=sites, shading="network-kde",
                         extent=(543000, 255000, 549000, 261000), top=5)
    assert fig.roadsafe_map.shading == "network_kde"
    assert "Network density" in pdf_text(tmp_path / "nkde.pdf")


# ------------------------------------------------------------------------------------------------
# The command
# ------------------------------------------------------------------------------------------------

def test_cli_map_writes_the_pdf(cli_main, tmp_path, capsys):
    out = tmp_path / "hotspots.pdf"
    code = cli_main(["map", "--dataset", "cambridgeshire", "--out", str(out), "--top", "5", "--quiet"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "A4 landscape map, 5 numbered sites (of 366), scale bar 20 km" in captured.out
    assert f"written: {out}" in captured.out
    assert page_size(out) == pytest.approx(A4_PT, abs=0.5)
    assert "Trumpington Road" in captured.out


def test_cli_map_a3_with_a_user_layer(cli_main, tmp_path, capsys):
    import geopandas as gpd
    from shapely.geometry import Point

    layer = tmp_path / "speed_cameras.geojson"
    gpd.GeoDataFrame({"id": [1, 2]}, geometry=[Point(545400, 257700), Point(519500, 299300)],
                     crs=27700).to_file(layer, driver="GeoJSON")
    out = tmp_path / "a3.pdf"
    code = cli_main(["map", "--dataset", "cambridgeshire", "--out", str(out), "--paper", "A3", "--shading", "none",
                     "--layer", str(layer), "--title", "Cluster sites and cameras", "--quiet"])
    assert code == 0, capsys.readouterr().err
    assert page_size(out) == pytest.approx(A3_PT, abs=0.5)
    text = pdf_text(out)
    assert "Cluster sites and cameras" in text and "speed_cameras" in text
    assert "Collision density" not in text


@pytest.mark.parametrize("args, code, message", [
    (["--out", "x.jpg"], 2, "roadsafe: --out must end in .pdf (for printing) or .png"),
    (["--out", "{tmp}/m.pdf", "--extent", "1,2,3"], 2, "roadsafe: --extent must be county, sites, or XMIN,YMIN,XMAX,YMAX"),
    (["--out", "{tmp}/m.pdf", "--layer", "{tmp}/missing.gpkg"], 4, "roadsafe: map layer file not found: {tmp}/missing.gpkg"),
    (["--out", "{tmp}/m.pdf", "--top", "100"], 2, "roadsafe: --top must be between 0 and 40"),
    (["--out", "{tmp}/m.pdf", "--preset", "motorway"], 2, "roadsafe: --preset must be one of"),
])
def test_cli_map_bad_input(cli_main, tmp_path, capsys, args, code, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert cli_main(["map", "--dataset", "cambridgeshire", "--quiet", *args]) == code
    assert message.replace("{tmp}", str(tmp_path)) in capsys.readouterr().err


def test_cli_map_help_is_plain_language(cli_main, capsys):
    assert cli_main(["map", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "roadsafe map --dataset cambridgeshire --out hotspots.pdf" in text
    assert "5 or more collisions within 50 m" in text
