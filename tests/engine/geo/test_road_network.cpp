// Road network topology (nodes at line ends and shared vertices, 1 cm snapping, loops), lixels,
// snapping onto the nearest road (far points reported), and reading lines through GDAL from a
// GeoJSON sequence, a GeoPackage and a Shapefile written here, with reprojection from EPSG:4326.
#include <gdal.h>
#include <gtest/gtest.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "../road_lines_support.hpp"
#include "../test_support.hpp"
#include "roadsafe/geo/bng_transform.hpp"
#include "roadsafe/geo/lixels.hpp"
#include "roadsafe/geo/road_network.hpp"
#include "roadsafe/geo/snapping.hpp"

using namespace roadsafe;
using namespace roadsafe::geo;

namespace {

RoadLines lines_of(const std::vector<std::vector<std::pair<double, double>>>& polylines) {
    return test::road_lines_of(polylines);
}

}  // namespace

TEST(RoadNetwork, NodesWhereWaysShareAnInteriorVertex) {
    // Two ways crossing at a shared vertex (10, 0): four edges of 10 m around a degree-4 node.
    const RoadNetwork net = build_road_network(lines_of({{{0, 0}, {10, 0}, {20, 0}}, {{10, -10}, {10, 0}, {10, 10}}}));
    ASSERT_EQ(net.nodes(), 5u);
    ASSERT_EQ(net.edges.size(), 4u);
    for (const auto& e : net.edges) EXPECT_DOUBLE_EQ(e.length, 10.0);
    EXPECT_EQ(net.degree(net.edges[0].to), 4u);
    EXPECT_EQ(net.edges[0].line, 0u);
    EXPECT_EQ(net.edges[2].line, 1u);
    EXPECT_DOUBLE_EQ(net.total_length(), 40.0);
}

TEST(RoadNetwork, CrossingWithoutASharedVertexIsABridge) {
    const RoadNetwork net = build_road_network(lines_of({{{0, 0}, {20, 0}}, {{10, -10}, {10, 10}}}));
    EXPECT_EQ(net.nodes(), 4u);
    EXPECT_EQ(net.edges.size(), 2u);
}

TEST(RoadNetwork, EndsWithinTheSnapGridMeetAndInteriorVerticesStayInTheEdge) {
    // 3 mm apart: one node at 1 cm snapping, two at 1 mm.
    const auto lines = lines_of({{{0, 0}, {3, 4}, {6, 8}}, {{6.003, 8.0}, {12, 8}}});
    const RoadNetwork net = build_road_network(lines);
    EXPECT_EQ(net.nodes(), 3u);
    ASSERT_EQ(net.edges.size(), 2u);
    EXPECT_DOUBLE_EQ(net.edges[0].length, 10.0);
    EXPECT_EQ(net.edges[0].count, 3u);  // (3, 4) is not shared: it stays a vertex of the edge
    EXPECT_EQ(net.degree(net.edges[0].to), 2u);
    EXPECT_EQ(build_road_network(lines, 0.001).nodes(), 4u);
}

TEST(RoadNetwork, ClosedWayIsALoopAndDegenerateLinesAreReported) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const RoadNetwork net =
        build_road_network(lines_of({{{0, 0}, {10, 0}, {10, 10}, {0, 0}}, {{5, 5}, {5, 5}}, {{1, 1}, {nan, 2}}}));
    EXPECT_EQ(net.nodes(), 1u);
    ASSERT_EQ(net.edges.size(), 1u);
    EXPECT_EQ(net.edges[0].from, net.edges[0].to);
    EXPECT_EQ(net.degree(0), 2u);
    EXPECT_NEAR(net.edges[0].length, 20 + std::sqrt(200.0), 1e-12);
    ASSERT_EQ(net.skipped.size(), 2u);
    EXPECT_EQ(net.skipped[0].line, 1u);
    EXPECT_EQ(net.skipped[0].reason, "fewer than 2 distinct vertices");
    EXPECT_EQ(net.skipped[1].line, 2u);
    EXPECT_EQ(net.skipped[1].reason, "non-finite coordinate");
    const Error e = test::caught_error([&] { build_road_network(lines_of({{{0, 0}, {1, 1}}}), 0); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
}

TEST(Lixels, EqualPiecesNoLongerThanTheTargetWithMidpoints) {
    const RoadNetwork net = build_road_network(lines_of({{{0, 0}, {30, 0}, {30, 20}}, {{30, 20}, {30, 30}}}));
    const Lixels lx = make_lixels(net, 20);
    // edge 0: 50 m -> 3 lixels of 16.67 m; edge 1: 10 m -> 1 lixel
    ASSERT_EQ(lx.size(), 4u);
    EXPECT_EQ(lx.edge_offsets, (std::vector<std::size_t>{0, 3, 4}));
    EXPECT_NEAR(lx.length(0), 50.0 / 3, 1e-12);
    EXPECT_NEAR(lx.mid_x[1], 25.0, 1e-12);  // midpoint at 25 m along: (25, 0)
    EXPECT_NEAR(lx.mid_y[1], 0.0, 1e-12);
    EXPECT_NEAR(lx.mid_x[2], 30.0, 1e-12);  // at 41.67 m: (30, 11.67)
    EXPECT_NEAR(lx.mid_y[2], 50.0 * 5 / 6 - 30, 1e-12);
    std::vector<double> gx, gy;
    std::vector<std::size_t> off;
    lixel_geometry(net, lx, gx, gy, off);
    ASSERT_EQ(off.size(), 5u);
    EXPECT_EQ(off[2] - off[1], 3u);  // the middle lixel turns the corner at (30, 0)
    EXPECT_DOUBLE_EQ(gx[off[1] + 1], 30.0);
    EXPECT_DOUBLE_EQ(gy[off[1] + 1], 0.0);
    EXPECT_EQ(test::caught_error([&] { make_lixels(net, -1); }).code(), ErrorCode::InvalidInput);
}

TEST(Snapping, NearestSegmentWithinTheLimitAndFarPointsReported) {
    const RoadNetwork net = build_road_network(lines_of({{{0, 0}, {100, 0}, {100, 100}}, {{100, 100}, {0, 100}}}));
    std::vector<double> x{40, 130, 100, 300, std::nan("")}, y{-3, 60, 100.5, 300, 0};
    const SnapResult r = snap_points(net, x, y, 50.0, 1);
    EXPECT_EQ(r.status[0], SnapStatus::Snapped);
    EXPECT_EQ(r.edge[0], 0);
    EXPECT_NEAR(r.offset[0], 40.0, 1e-12);
    EXPECT_NEAR(r.distance[0], 3.0, 1e-12);
    EXPECT_NEAR(r.y[0], 0.0, 1e-12);
    EXPECT_EQ(r.status[1], SnapStatus::Snapped);  // 30 m east of the vertical part
    EXPECT_NEAR(r.offset[1], 160.0, 1e-12);
    EXPECT_NEAR(r.distance[1], 30.0, 1e-12);
    EXPECT_EQ(r.status[2], SnapStatus::Snapped);  // at the shared node: the lower edge index wins the tie
    EXPECT_EQ(r.edge[2], 0);
    EXPECT_EQ(r.status[3], SnapStatus::TooFar);
    EXPECT_NEAR(r.distance[3], std::hypot(200.0, 200.0), 1e-9);
    EXPECT_EQ(r.edge[3], -1);
    EXPECT_EQ(r.status[4], SnapStatus::NoLocation);
    EXPECT_EQ(r.snapped, 3u);
    EXPECT_EQ(r.too_far, 1u);
    EXPECT_EQ(r.no_location, 1u);
    std::vector<double> one{1};
    EXPECT_EQ(test::caught_error([&] { snap_points(net, one, {}, 50); }).code(), ErrorCode::InvalidInput);
}

// ---------------------------------------------------------------------------------------------
// Reading through GDAL

namespace {

OGRSpatialReferenceH srs_of(int epsg) {
    OGRSpatialReferenceH s = OSRNewSpatialReference(nullptr);
    OSRImportFromEPSG(s, epsg);
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

// A layer with a 'name' field and these features (WKT, "" = no geometry).
void write_layer(const std::string& driver, const std::string& path, int epsg,
                 const std::vector<std::pair<std::string, std::string>>& features) {
    GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName(driver.c_str());
    ASSERT_NE(drv, nullptr) << driver;
    GDALDatasetH ds = GDALCreate(drv, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    ASSERT_NE(ds, nullptr) << path;
    OGRSpatialReferenceH srs = srs_of(epsg);
    OGRwkbGeometryType type = driver == "ESRI Shapefile" ? wkbLineString : wkbUnknown;
    OGRLayerH layer = GDALDatasetCreateLayer(ds, "roads", srs, type, nullptr);
    OGRFieldDefnH fd = OGR_Fld_Create("name", OFTString);
    OGR_L_CreateField(layer, fd, TRUE);
    OGR_Fld_Destroy(fd);
    for (const auto& [name, wkt] : features) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        OGR_F_SetFieldString(f, 0, name.c_str());
        if (!wkt.empty()) {
            OGRGeometryH g = nullptr;
            char* text = const_cast<char*>(wkt.c_str());
            OGR_G_CreateFromWkt(&text, srs, &g);
            OGR_F_SetGeometryDirectly(f, g);
        }
        EXPECT_EQ(OGR_L_CreateFeature(layer, f), OGRERR_NONE);
        OGR_F_Destroy(f);
    }
    OSRDestroySpatialReference(srs);
    GDALClose(ds);
}

}  // namespace

TEST(ReadRoadLines, GeoPackageSkipsNonLinesAndSplitsMultiLineStrings) {
    test::ScratchDir dir;
    const std::string path = dir.file("roads.gpkg");
    write_layer("GPKG", path, 27700,
                {{"High Street", "LINESTRING (0 0, 100 0)"},
                 {"Two Parts", "MULTILINESTRING ((100 0, 100 50), (100 50, 150 50))"},
                 {"A point", "POINT (5 5)"},
                 {"Nothing", ""},
                 {"Empty", "LINESTRING EMPTY"}});
    ReadRoadOptions o;
    o.fields = {"name", "no_such_field"};
    const RoadLines lines = read_road_lines({path}, o);
    EXPECT_EQ(lines.features_read, 5u);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines.fid, (std::vector<std::int64_t>{1, 2, 2}));
    EXPECT_EQ(lines.fields[0], (std::vector<std::string>{"High Street", "Two Parts", "Two Parts"}));
    EXPECT_EQ(lines.fields[1], (std::vector<std::string>{"", "", ""}));
    EXPECT_DOUBLE_EQ(lines.x[1], 100.0);  // same CRS: no transformation
    ASSERT_EQ(lines.skipped.size(), 3u);
    EXPECT_EQ(lines.skipped[0].fid, 3);
    EXPECT_EQ(lines.skipped[0].reason, "not a line: Point");
    EXPECT_EQ(lines.skipped[1].fid, 4);
    EXPECT_EQ(lines.skipped[1].reason, "empty geometry");
    EXPECT_EQ(lines.skipped[2].fid, 5);
    EXPECT_EQ(lines.skipped[2].reason, "empty geometry");
    const RoadNetwork net = build_road_network(lines);
    EXPECT_EQ(net.edges.size(), 3u);
    EXPECT_DOUBLE_EQ(net.total_length(), 200.0);
}

TEST(ReadRoadLines, ShapefileReprojectedFromWgs84) {
    test::ScratchDir dir;
    const std::string path = dir.file("roads.shp");
    // Two points of Westminster in WGS84 (lon, lat).
    write_layer("ESRI Shapefile", path, 4326, {{"Whitehall", "LINESTRING (-0.128354 51.503991, -0.127 51.505)"}});
    const RoadLines lines = read_road_lines({path});
    ASSERT_EQ(lines.size(), 1u);
    double lon[2] = {-0.128354, -0.127}, lat[2] = {51.503991, 51.505}, e[2], n[2];
    wgs84_to_bng(lon, lat, e, n, 2);
    for (int i = 0; i < 2; ++i) {  // OGR and the engine's PROJ transform agree to well under a metre
        EXPECT_NEAR(lines.x[static_cast<std::size_t>(i)], e[i], 0.5);
        EXPECT_NEAR(lines.y[static_cast<std::size_t>(i)], n[i], 0.5);
    }
    EXPECT_NEAR(lines.x[0], 530000.0, 3.0);  // BNG (530000, 180000), Helmert or OSTN15
    EXPECT_NEAR(lines.y[0], 180000.0, 3.0);
    EXPECT_EQ(lines.source_crs, "WGS 84");
}

TEST(ReadRoadLines, GeoJsonSequenceWithDuplicatesDroppedOnAField) {
    test::ScratchDir dir;
    const std::string path = dir.file("streets.geojson");  // a sequence despite the extension, as OSM extracts are
    test::write_bytes(
        path,
        "{\"type\":\"Feature\",\"properties\":{\"osm_id\":\"1\",\"name\":\"Mill Road\"},\"geometry\":{\"type\":"
        "\"LineString\",\"coordinates\":[[0.13,52.2],[0.14,52.2]]}}\n"
        "{\"type\":\"Feature\",\"properties\":{\"osm_id\":\"2\",\"name\":\"Tenison Road\"},\"geometry\":{\"type\":"
        "\"LineString\",\"coordinates\":[[0.14,52.2],[0.14,52.21]]}}\n"
        "{\"type\":\"Feature\",\"properties\":{\"osm_id\":\"1\",\"name\":\"Mill Road\"},\"geometry\":{\"type\":"
        "\"LineString\",\"coordinates\":[[0.13,52.2],[0.14,52.2]]}}\n");
    ReadRoadOptions o;
    o.fields = {"osm_id", "name"};
    o.unique_field = "osm_id";
    const RoadLines lines = read_road_lines({path}, o);
    EXPECT_EQ(lines.features_read, 3u);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines.fields[1], (std::vector<std::string>{"Mill Road", "Tenison Road"}));
    ASSERT_EQ(lines.skipped.size(), 1u);
    EXPECT_EQ(lines.skipped[0].reason, "duplicate osm_id 1");
    EXPECT_GT(lines.x[0], 540000);  // reprojected to BNG (Cambridge is near E 545000, N 257000)
    EXPECT_LT(lines.x[0], 550000);
    EXPECT_GT(lines.y[0], 250000);
    EXPECT_LT(lines.y[0], 262000);
    const RoadNetwork net = build_road_network(lines);
    EXPECT_EQ(net.nodes(), 3u);  // the two roads meet at (0.14, 52.2)
    EXPECT_EQ(net.edges.size(), 2u);
}

TEST(ReadRoadLines, MissingFileAndLayerAreIoErrors) {
    const Error e = test::caught_error([] { read_road_lines({"/no/such/roads.gpkg"}); });
    EXPECT_EQ(e.code(), ErrorCode::Io);
    EXPECT_EQ(e.where().file, "/no/such/roads.gpkg");
    test::ScratchDir dir;
    const std::string path = dir.file("roads.gpkg");
    write_layer("GPKG", path, 27700, {{"a", "LINESTRING (0 0, 1 0)"}});
    ReadRoadOptions o;
    o.layer = "lanes";
    const Error l = test::caught_error([&] { read_road_lines({path}, o); });
    EXPECT_EQ(l.code(), ErrorCode::Io);
    EXPECT_EQ(std::string(l.what()).find("no layer 'lanes' (layers: roads)") != std::string::npos, true) << l.what();
}
