// The reader fills whichever coordinate pair a file lacks, says which PROJ operation it used, and
// sets location_status (ok / missing / placeholder / outside_gb) for every collision.
#include <gtest/gtest.h>

#include <cmath>

#include "../test_support.hpp"
#include "roadsafe/geo/bng_transform.hpp"
#include "roadsafe/geo/location_check.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

TEST(LocationFill, EastingNorthingOnlyGetsLongitudeLatitude) {
    ScratchDir dir;
    // Four columns: few enough that adding the three location columns moves the table's column storage.
    const std::string path = dir.file("bng_only.csv");
    write_bytes(path,
                "collision_index,collision_year,location_easting_osgr,location_northing_osgr\n"
                "2021411040768,2021,511060,196480\n"
                "2021010296300,2021,533270,196130\n"
                "2021070629081,2021,340530,366120\n");
    const Dataset ds = read_stats19({path});
    const Table& c = ds.collisions;
    ASSERT_EQ(c.rows(), 3u);
    const double e[] = {511060, 533270, 340530}, n[] = {196480, 196130, 366120};
    double lon[3], lat[3];
    const std::string op = geo::bng_to_wgs84(e, n, lon, lat, 3);
    EXPECT_EQ(ds.report.coordinate_transformation, op);
    EXPECT_NE(op.find("OSGB36 to WGS 84"), std::string::npos) << op;
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_DOUBLE_EQ(float_at(c, "longitude", i), lon[i]);
        EXPECT_DOUBLE_EQ(float_at(c, "latitude", i), lat[i]);
        EXPECT_DOUBLE_EQ(float_at(c, "location_easting_osgr", i), e[i]);
        EXPECT_EQ(int_at(c, "location_status", i), 0);
    }
    // The hand-made 2024 fixture carries both pairs (its lon/lat computed with cs2cs): they agree.
    EXPECT_NEAR(float_at(c, "longitude", 0), -0.395910, 1e-6);
    EXPECT_NEAR(float_at(c, "latitude", 0), 51.656146, 1e-6);
    EXPECT_TRUE(ds.report.entries.empty());
}

TEST(LocationFill, LongitudeLatitudeOnlyGetsEastingNorthing) {
    ScratchDir dir;
    const std::string path = dir.file("wgs_only.csv");
    write_bytes(path,
                "collision_index,longitude,latitude\n"
                "2021411040768,-0.395910,51.656146\n"
                "2021070629081,-2.891480,53.188830\n");
    const Dataset ds = read_stats19({path});
    const Table& c = ds.collisions;
    ASSERT_EQ(c.rows(), 2u);
    ASSERT_NE(c.find("location_easting_osgr"), nullptr);
    const double lon[] = {-0.395910, -2.891480}, lat[] = {51.656146, 53.188830};
    double e[2], n[2];
    const std::string op = geo::wgs84_to_bng(lon, lat, e, n, 2);
    EXPECT_EQ(ds.report.coordinate_transformation, op);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_DOUBLE_EQ(float_at(c, "location_easting_osgr", i), e[i]);
        EXPECT_DOUBLE_EQ(float_at(c, "location_northing_osgr", i), n[i]);
        EXPECT_EQ(int_at(c, "location_status", i), 0);
    }
    // Back to the fixture's BNG within the 6-decimal rounding of its degrees (~0.1 m).
    EXPECT_NEAR(e[0], 511060, 0.2);
    EXPECT_NEAR(n[0], 196480, 0.2);
    EXPECT_NEAR(e[1], 340530, 0.2);
    EXPECT_NEAR(n[1], 366120, 0.2);
}

TEST(LocationFill, StatusForMissingAndOutsideGb) {
    ScratchDir dir;
    const std::string path = dir.file("mixed.csv");
    write_bytes(path,
                "collision_index,location_easting_osgr,location_northing_osgr,longitude,latitude\n"
                "A,530000,180000,,\n"   // BNG only
                "B,,,0.1218,52.2053\n"  // WGS84 only
                "C,,,,\n"               // nothing
                "D,NULL,180000,,\n"     // half a pair
                "E,700000,180000,,\n"   // east of the GB window (North Sea)
                "F,,,-1,52\n");         // -1 is a longitude here, not a missing marker
    const Dataset ds = read_stats19({path});
    const Table& c = ds.collisions;
    ASSERT_EQ(c.rows(), 6u);
    const Column& status = c.at("location_status");
    EXPECT_EQ(status.ints, (std::vector<std::int32_t>{0, 0, 1, 1, 3, 0}));
    // Empty and NULL in a float column are NaN; -1 is a number.
    EXPECT_TRUE(std::isnan(float_at(c, "location_easting_osgr", 2)));
    EXPECT_TRUE(std::isnan(float_at(c, "location_easting_osgr", 3)));
    EXPECT_DOUBLE_EQ(float_at(c, "longitude", 5), -1.0);
    // 1 degree east of the grid's central meridian (2 W, easting 400 km) at 52 N is about 68.7 km.
    EXPECT_NEAR(float_at(c, "location_easting_osgr", 5), 468700, 500);
    EXPECT_EQ(status.categories, geo::location_status_categories());
    EXPECT_EQ(*status.categories->find(1), "missing");
    EXPECT_EQ(*status.categories->find(3), "outside_gb");
    EXPECT_NEAR(float_at(c, "latitude", 0), 51.504, 1e-3);
    EXPECT_NEAR(float_at(c, "location_easting_osgr", 1), 545000, 500);  // Cambridge
    for (std::size_t i : {2u, 3u, 4u}) {
        EXPECT_TRUE(std::isnan(float_at(c, "longitude", i))) << i;
        EXPECT_TRUE(std::isnan(float_at(c, "latitude", i))) << i;
    }
    // The point outside GB is kept but not located, and reported; missing locations are not problems.
    EXPECT_TRUE(std::isnan(float_at(c, "location_easting_osgr", 4)));
    ASSERT_EQ(ds.report.entries.size(), 1u);
    const ReportEntry& e = ds.report.entries[0];
    EXPECT_EQ(e.file, path);
    EXPECT_EQ(e.line, 6);
    EXPECT_EQ(e.column, "location_easting_osgr location_northing_osgr");
    EXPECT_EQ(e.value, "700000.0000 180000.0000");
    EXPECT_EQ(e.reason, "coordinates outside Great Britain; the location is not plotted");
    EXPECT_EQ(e.outcome, Outcome::RowFlagged);
    EXPECT_FALSE(ds.report.coordinate_transformation.empty());
}

TEST(LocationFill, NoCoordinateColumnsNoLocationColumns) {
    const Dataset ds = read_stats19({stats19_fixture("casualties_sample_raw.csv")});
    EXPECT_EQ(ds.casualties.find("location_status"), nullptr);
    EXPECT_TRUE(ds.report.coordinate_transformation.empty());
}
