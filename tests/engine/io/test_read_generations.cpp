// Real DfT files of each generation (tests/data/stats19/README.md): the generation is recognised,
// headers become the data guide's field names, missing markers become missing values, and files
// read together are joined by row.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "../test_support.hpp"
#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

bool has_column(const Table& t, std::string_view name) {
    return t.find(name) != nullptr;
}

void expect_single_file(const Dataset& ds, const std::string& path, const std::string& table,
                        const std::string& generation, std::int64_t rows) {
    ASSERT_EQ(ds.report.files.size(), 1u);
    const FileSummary& f = ds.report.files[0];
    EXPECT_EQ(f.file, path);
    EXPECT_EQ(f.table, table);
    EXPECT_EQ(f.generation, generation);
    EXPECT_EQ(f.rows_read, rows);
    EXPECT_EQ(f.rows_loaded, rows);
    EXPECT_EQ(f.rows_rejected, 0);
    EXPECT_EQ(f.rows_duplicate, 0);
}

}  // namespace

// ------------------------------------------------------------------ pre-2021 (capitalised headers)

TEST(ReadGenerations, Pre2021CollisionsHandMadeFromAcSample) {
    const std::string path = stats19_fixture("collisions_pre2021_handmade.csv");
    const Dataset ds = read_stats19({path});
    expect_single_file(ds, path, "collision", "pre-2021", 3);
    EXPECT_TRUE(ds.report.entries.empty());  // every code is in the data guide; no column left out
    const Table& c = ds.collisions;
    ASSERT_EQ(c.rows(), 3u);
    EXPECT_EQ(ds.vehicles.rows(), 0u);
    EXPECT_EQ(ds.casualties.rows(), 0u);

    // The 32 capitalised headers, in file order, as data-guide names; then the reader's own columns.
    const std::vector<std::string> expected = {"collision_index",
                                               "location_easting_osgr",
                                               "location_northing_osgr",
                                               "longitude",
                                               "latitude",
                                               "police_force",
                                               "collision_severity",
                                               "number_of_vehicles",
                                               "number_of_casualties",
                                               "date",
                                               "day_of_week",
                                               "time",
                                               "local_authority_district",
                                               "local_authority_highway",
                                               "first_road_class",
                                               "first_road_number",
                                               "road_type",
                                               "speed_limit",
                                               "junction_detail_historic",
                                               "junction_control",
                                               "second_road_class",
                                               "second_road_number",
                                               "pedestrian_crossing_human_control_historic",
                                               "pedestrian_crossing_physical_facilities_historic",
                                               "light_conditions",
                                               "weather_conditions",
                                               "road_surface_conditions",
                                               "special_conditions_at_site",
                                               "carriageway_hazards_historic",
                                               "urban_or_rural_area",
                                               "did_police_officer_attend_scene_of_collision",
                                               "lsoa_of_collision_location",
                                               "source_line",
                                               "source_file",
                                               "location_status"};
    EXPECT_EQ(column_names(c), expected);

    // Row 1: ac_sample1000 2013130289855 (West Yorkshire, Serious, 14 July 2013 02:15).
    EXPECT_EQ(text_at(c, "collision_index", 0), "2013130289855");
    EXPECT_EQ(int_at(c, "police_force", 0), 13);
    EXPECT_EQ(*c.at("police_force").categories->find(13), "West Yorkshire");
    EXPECT_EQ(int_at(c, "collision_severity", 0), 2);
    EXPECT_EQ(int_at(c, "date", 0), days_from_civil(2013, 7, 14));
    EXPECT_EQ(int_at(c, "day_of_week", 0), 1);  // Sunday
    EXPECT_EQ(int_at(c, "time", 0), 2 * 60 + 15);
    EXPECT_EQ(int_at(c, "local_authority_district", 0), 202);  // Local_Authority_(District)
    EXPECT_EQ(int_at(c, "first_road_class", 0), 3);            // 1st_Road_Class "A"
    EXPECT_EQ(int_at(c, "first_road_number", 0), 646);
    EXPECT_EQ(int_at(c, "junction_detail_historic", 0), 0);                          // Junction_Detail, 2011 code set
    EXPECT_EQ(int_at(c, "pedestrian_crossing_physical_facilities_historic", 0), 8);  // central refuge
    EXPECT_EQ(int_at(c, "light_conditions", 0), 4);
    EXPECT_DOUBLE_EQ(float_at(c, "location_easting_osgr", 0), 405635);
    EXPECT_DOUBLE_EQ(float_at(c, "longitude", 0), -1.916101);
    EXPECT_DOUBLE_EQ(float_at(c, "latitude", 0), 53.714031);
    // -1 in a code column is missing.
    EXPECT_EQ(int_at(c, "junction_control", 0), kMissingInt);
    EXPECT_EQ(int_at(c, "second_road_class", 0), kMissingInt);
    // Row 2: 200850BU2K002, weather "Data missing or out of range" = -1.
    EXPECT_EQ(text_at(c, "collision_index", 1), "200850BU2K002");
    EXPECT_EQ(int_at(c, "weather_conditions", 1), kMissingInt);
    EXPECT_TRUE(c.at("weather_conditions").is_missing(1));
    EXPECT_EQ(int_at(c, "junction_control", 1), 0);
    EXPECT_EQ(int_at(c, "date", 1), days_from_civil(2008, 12, 1));
    // Row 3: Cambridgeshire; the file has CRLF line ends, so the last field must not keep the '\r'.
    EXPECT_EQ(*c.at("police_force").categories->find(int_at(c, "police_force", 2)), "Cambridgeshire");
    EXPECT_EQ(*c.at("local_authority_district").categories->find(int_at(c, "local_authority_district", 2)),
              "Cambridge");
    EXPECT_EQ(text_at(c, "lsoa_of_collision_location", 2), "E01017993");
    EXPECT_EQ(int_at(c, "source_line", 2), 4);
    // Both coordinate pairs are given, so no transformation ran.
    EXPECT_TRUE(ds.report.coordinate_transformation.empty());
    EXPECT_EQ(int_at(c, "location_status", 0), 0);
}

TEST(ReadGenerations, Pre2021VehiclesSample) {
    const std::string path = stats19_fixture("vehicles_sample_raw.csv");
    const Dataset ds = read_stats19({path});
    expect_single_file(ds, path, "vehicle", "pre-2021", 3);
    const Table& v = ds.vehicles;
    ASSERT_EQ(v.rows(), 3u);
    EXPECT_EQ(ds.collisions.rows(), 0u);
    for (const char* name : {"collision_index", "vehicle_reference", "engine_capacity_cc", "vehicle_manoeuvre_historic",
                             "vehicle_location_restricted_lane_historic", "first_point_of_impact",
                             "vehicle_left_hand_drive", "journey_purpose_of_driver_historic", "collision_row"})
        EXPECT_TRUE(has_column(v, name)) << name;
    for (const char* name : {"Engine_Capacity_(CC)", "engine_capacity_(cc)", "vehicle_manoeuvre", "1st_point_of_impact",
                             "was_vehicle_left_hand_drive?"})
        EXPECT_FALSE(has_column(v, name)) << name;
    EXPECT_EQ(text_at(v, "collision_index", 0), "2017010047506");
    EXPECT_EQ(int_at(v, "vehicle_reference", 0), 2);
    EXPECT_EQ(int_at(v, "engine_capacity_cc", 0), 2688);
    EXPECT_EQ(int_at(v, "engine_capacity_cc", 1), kMissingInt);  // -1
    EXPECT_EQ(int_at(v, "vehicle_type", 1), 21);                 // goods 7.5 t and over
    EXPECT_EQ(int_at(v, "vehicle_manoeuvre_historic", 2), 16);
    EXPECT_EQ(int_at(v, "age_of_driver", 0), kMissingInt);
    EXPECT_EQ(int_at(v, "age_of_driver", 2), 47);
    // Without collisions in the read there is nothing to join to, and nothing is reported for it.
    EXPECT_EQ(int_at(v, "collision_row", 0), kMissingInt);
    EXPECT_TRUE(ds.report.entries.empty());
}

TEST(ReadGenerations, Pre2021CasualtiesSample) {
    const std::string path = stats19_fixture("casualties_sample_raw.csv");
    const Dataset ds = read_stats19({path});
    expect_single_file(ds, path, "casualty", "pre-2021", 3);
    const Table& k = ds.casualties;
    ASSERT_EQ(k.rows(), 3u);
    EXPECT_EQ(text_at(k, "collision_index", 1), "2017010070898");
    EXPECT_EQ(int_at(k, "casualty_class", 1), 3);  // pedestrian
    EXPECT_EQ(int_at(k, "age_of_casualty", 0), 62);
    EXPECT_EQ(int_at(k, "pedestrian_road_maintenance_worker", 1), 2);
    EXPECT_EQ(int_at(k, "casualty_imd_decile", 2), 8);
    EXPECT_TRUE(has_column(k, "vehicle_row"));
    EXPECT_EQ(int_at(k, "vehicle_row", 0), kMissingInt);
}

// ------------------------------------------------------------------ 2021-2023 (accident_* headers)

TEST(ReadGenerations, Accidents2021To2023Sample) {
    const std::string path = stats19_fixture("accidents_sample.csv");
    const Dataset ds = read_stats19({path});
    expect_single_file(ds, path, "collision", "2021-2023", 3);
    const Table& c = ds.collisions;
    ASSERT_EQ(c.rows(), 3u);
    for (const char* old_name : {"accident_index", "accident_year", "accident_reference", "accident_severity",
                                 "enhanced_severity_collision", "junction_detail", "carriageway_hazards",
                                 "lsoa_of_accident_location", "did_police_officer_attend_scene_of_accident"})
        EXPECT_FALSE(has_column(c, old_name)) << old_name;
    EXPECT_EQ(text_at(c, "collision_index", 0), "2023010451590");
    EXPECT_EQ(int_at(c, "collision_year", 0), 2023);
    EXPECT_EQ(text_at(c, "collision_reference", 0), "010451590");  // text: the leading zero is kept
    EXPECT_EQ(int_at(c, "collision_severity", 1), 2);
    EXPECT_EQ(int_at(c, "enhanced_collision_severity", 0), kMissingInt);  // -1
    EXPECT_EQ(int_at(c, "enhanced_collision_severity", 1), 5);            // very serious
    EXPECT_EQ(int_at(c, "junction_detail_historic", 0), 99);              // legacy junction_detail, 2011 code set
    EXPECT_EQ(int_at(c, "carriageway_hazards_historic", 0), 9);
    EXPECT_EQ(int_at(c, "did_police_officer_attend_scene_of_collision", 0), 3);
    EXPECT_EQ(text_at(c, "lsoa_of_collision_location", 2), "E01014994");
    EXPECT_EQ(int_at(c, "local_authority_district", 0), kMissingInt);  // -1
    EXPECT_EQ(text_at(c, "local_authority_ons_district", 0), "E09000022");
    EXPECT_EQ(int_at(c, "date", 0), days_from_civil(2023, 6, 24));
    EXPECT_EQ(int_at(c, "time", 0), 17 * 60 + 58);
    EXPECT_EQ(int_at(c, "second_road_number", 1), kMissingInt);
    // Longitude and latitude are empty in this file: filled from the easting and northing.
    EXPECT_FALSE(ds.report.coordinate_transformation.empty());
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_FALSE(std::isnan(float_at(c, "longitude", i)));
        EXPECT_FALSE(std::isnan(float_at(c, "latitude", i)));
    }
    EXPECT_NEAR(float_at(c, "latitude", 0), 51.438, 0.01);  // 530265, 172710: south London
    EXPECT_NEAR(float_at(c, "longitude", 0), -0.127, 0.01);
}

TEST(ReadGenerations, Vehicles2021To2023Sample) {
    const std::string path = stats19_fixture("vehicles_sample.csv");
    const Dataset ds = read_stats19({path});
    expect_single_file(ds, path, "vehicle", "2021-2023", 3);
    const Table& v = ds.vehicles;
    EXPECT_EQ(int_at(v, "vehicle_manoeuvre_historic", 0), 7);  // legacy vehicle_manoeuvre
    EXPECT_FALSE(has_column(v, "vehicle_manoeuvre"));
    EXPECT_EQ(int_at(v, "engine_capacity_cc", 1), 2993);
    EXPECT_EQ(text_at(v, "generic_make_model", 1), "LAND ROVER RANGE ROVER SPORT");
    EXPECT_EQ(int_at(v, "dir_from_e", 0), kMissingInt);  // NULL
    EXPECT_TRUE(v.at("lsoa_of_driver").is_missing(0));   // -1 in a text column
    EXPECT_EQ(text_at(v, "lsoa_of_driver", 0), "");
    EXPECT_EQ(text_at(v, "lsoa_of_driver", 1), "E01004468");
    EXPECT_EQ(int_at(v, "driver_distance_banding", 0), kMissingInt);
    EXPECT_EQ(int_at(v, "driver_distance_banding", 1), 5);
    EXPECT_EQ(int_at(v, "escooter_flag", 2), 0);
}

TEST(ReadGenerations, Casualties2021To2023Sample) {
    const std::string path = stats19_fixture("casualties_sample.csv");
    const Dataset ds = read_stats19({path});
    expect_single_file(ds, path, "casualty", "2021-2023", 3);
    const Table& k = ds.casualties;
    EXPECT_EQ(text_at(k, "collision_reference", 1), "411372163");
    EXPECT_EQ(int_at(k, "casualty_severity", 0), 2);
    EXPECT_EQ(int_at(k, "enhanced_casualty_severity", 0), kMissingInt);
    EXPECT_EQ(int_at(k, "enhanced_casualty_severity", 1), 3);
    EXPECT_EQ(int_at(k, "casualty_distance_banding", 2), 1);
    EXPECT_EQ(text_at(k, "lsoa_of_casualty", 2), "E01016400");
}

// ------------------------------------------------------------------ 2024+ (collision_* headers)

TEST(ReadGenerations, Casualties2024FormatWithAdjustedSeverity) {
    const std::string path = stats19_fixture("dft-road-casualty-statistics-casualty-2021_first60rows.csv");
    const Dataset ds = read_stats19({path});
    expect_single_file(ds, path, "casualty", "2024+", 60);
    EXPECT_TRUE(ds.report.entries.empty());
    const Table& k = ds.casualties;
    ASSERT_EQ(k.rows(), 60u);
    EXPECT_TRUE(has_column(k, "casualty_adjusted_serious"));
    EXPECT_TRUE(has_column(k, "casualty_adjusted_slight"));
    EXPECT_FALSE(has_column(k, "casualty_adjusted_severity_serious"));
    EXPECT_EQ(text_at(k, "collision_reference", 1), "010296300");  // collision_ref_no
    EXPECT_EQ(text_at(k, "collision_index", 4), "202134WNC0911");  // Scottish index with letters
    EXPECT_TRUE(k.at("lsoa_of_casualty").is_missing(4));           // -1
    EXPECT_EQ(int_at(k, "casualty_imd_decile", 4), kMissingInt);
    EXPECT_DOUBLE_EQ(float_at(k, "casualty_adjusted_serious", 2), 0.06126);
    EXPECT_DOUBLE_EQ(float_at(k, "casualty_adjusted_slight", 2), 0.93874);
    EXPECT_EQ(int_at(k, "casualty_injury_based", 0), 1);

    // Column sums computed from the CSV with awk (columns 21 and 22 of the 60 data rows):
    //   awk -F, 'NR>1{s+=$21; l+=$22} END{printf "%.10f %.10f", s, l}'  ->  10.0302000000 46.9698000000
    const auto& serious = k.at("casualty_adjusted_serious").floats;
    const auto& slight = k.at("casualty_adjusted_slight").floats;
    EXPECT_NEAR(std::accumulate(serious.begin(), serious.end(), 0.0), 10.0302, 1e-9);
    EXPECT_NEAR(std::accumulate(slight.begin(), slight.end(), 0.0), 46.9698, 1e-9);
    // Fatal casualties carry 0/0; every other casualty splits 1 between serious and slight (3 fatal here).
    int fatal = 0;
    for (std::size_t i = 0; i < k.rows(); ++i) {
        if (int_at(k, "casualty_severity", i) == 1) {
            ++fatal;
            EXPECT_EQ(serious[i] + slight[i], 0.0) << i;
        } else {
            EXPECT_NEAR(serious[i] + slight[i], 1.0, 1e-9) << i;
        }
    }
    EXPECT_EQ(fatal, 3);
}

TEST(ReadGenerations, Collisions2024FormatHandMade) {
    const std::string path = stats19_fixture("collisions_2024_handmade.csv");
    const Dataset ds = read_stats19({path});
    expect_single_file(ds, path, "collision", "2024+", 3);
    EXPECT_TRUE(ds.report.entries.empty());
    const Table& c = ds.collisions;
    EXPECT_EQ(text_at(c, "collision_reference", 0), "411040768");
    // In a 2024+ file junction_detail is the 2024 code set and junction_detail_historic the 2011 one.
    EXPECT_EQ(int_at(c, "junction_detail", 0), 13);
    EXPECT_EQ(int_at(c, "junction_detail_historic", 0), 3);
    EXPECT_EQ(int_at(c, "enhanced_collision_severity", 0), 7);
    EXPECT_EQ(int_at(c, "collision_injury_based", 2), 0);
    EXPECT_DOUBLE_EQ(float_at(c, "collision_adjusted_serious", 2), 0.06126);
    EXPECT_DOUBLE_EQ(float_at(c, "collision_adjusted_slight", 2), 0.93874);
    EXPECT_EQ(int_at(c, "second_road_number", 1), kMissingInt);
    EXPECT_EQ(int_at(c, "date", 2), days_from_civil(2021, 11, 27));
    EXPECT_EQ(text_at(c, "local_authority_highway_current", 1), "E09000010");
}

// ------------------------------------------------------------------ several files in one read

TEST(ReadGenerations, VehiclesAndCasualtiesJoinTheirCollisions) {
    ScratchDir dir;
    // A minimal 2024-format vehicle file for the three hand-made collisions (two vehicles in the second).
    const std::string vehicles = dir.file("vehicles.csv");
    write_bytes(vehicles,
                "collision_index,collision_year,collision_ref_no,vehicle_reference,vehicle_type\n"
                "2021411040768,2021,411040768,1,9\n"
                "2021010296300,2021,010296300,1,9\n"
                "2021010296300,2021,010296300,2,11\n"
                "2021070629081,2021,070629081,1,9\n");
    const std::string collisions = stats19_fixture("collisions_2024_handmade.csv");
    const std::string casualties = stats19_fixture("dft-road-casualty-statistics-casualty-2021_first60rows.csv");
    const Dataset ds = read_stats19({casualties, vehicles, collisions});  // order does not matter
    ASSERT_EQ(ds.report.files.size(), 3u);
    EXPECT_EQ(ds.report.files[0].table, "casualty");
    EXPECT_EQ(ds.report.files[1].table, "vehicle");
    EXPECT_EQ(ds.report.files[2].table, "collision");
    expect_rows_accounted(ds.report);

    const Table& v = ds.vehicles;
    ASSERT_EQ(v.rows(), 4u);
    EXPECT_EQ(v.at("collision_row").ints, (std::vector<std::int32_t>{0, 1, 1, 2}));
    const Table& k = ds.casualties;
    ASSERT_EQ(k.rows(), 60u);
    // The first three casualties belong to the three collisions, each in vehicle 1.
    EXPECT_EQ(int_at(k, "collision_row", 0), 0);
    EXPECT_EQ(int_at(k, "collision_row", 1), 1);
    EXPECT_EQ(int_at(k, "collision_row", 2), 2);
    EXPECT_EQ(int_at(k, "vehicle_row", 0), 0);
    EXPECT_EQ(int_at(k, "vehicle_row", 1), 1);
    EXPECT_EQ(int_at(k, "vehicle_row", 2), 3);
    for (std::size_t i = 3; i < 60; ++i) {
        EXPECT_EQ(int_at(k, "collision_row", i), kMissingInt) << i;
        EXPECT_EQ(int_at(k, "vehicle_row", i), kMissingInt) << i;
    }
    // The other 57 casualties are loaded and flagged twice each: no collision, no vehicle.
    const auto flagged = entries_with(ds.report, Outcome::RowFlagged);
    ASSERT_EQ(flagged.size(), 114u);
    EXPECT_EQ(flagged[0].file, casualties);
    EXPECT_EQ(flagged[0].line, 5);
    EXPECT_EQ(flagged[0].table, "casualty");
    EXPECT_EQ(flagged[0].column, "collision_index");
    EXPECT_EQ(flagged[0].value, "2021201115699");
    EXPECT_EQ(flagged[0].reason, "no collision with this collision_index was loaded");
    EXPECT_EQ(flagged[1].line, 5);
    EXPECT_EQ(flagged[1].reason, "no vehicle with this collision_index and vehicle_reference was loaded");
    EXPECT_EQ(ds.report.entries.size(), flagged.size());
}

TEST(ReadGenerations, GenerationsMixInOneCollisionTable) {
    const std::string old_file = stats19_fixture("collisions_pre2021_handmade.csv");
    const std::string new_file = stats19_fixture("collisions_2024_handmade.csv");
    const Dataset ds = read_stats19({old_file, new_file});
    ASSERT_EQ(ds.report.files.size(), 2u);
    EXPECT_EQ(ds.report.files[0].generation, "pre-2021");
    EXPECT_EQ(ds.report.files[1].generation, "2024+");
    const Table& c = ds.collisions;
    ASSERT_EQ(c.rows(), 6u);
    for (const auto& col : c.columns()) EXPECT_EQ(col.size(), 6u) << col.name;
    // Fields only the 2024 file has are missing for the pre-2021 rows, and the reverse.
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_TRUE(c.at("junction_detail").is_missing(i));
        EXPECT_TRUE(c.at("collision_year").is_missing(i));
        EXPECT_TRUE(c.at("collision_adjusted_serious").is_missing(i));
        EXPECT_FALSE(c.at("junction_detail_historic").is_missing(i));
    }
    EXPECT_EQ(int_at(c, "junction_detail", 3), 13);
    EXPECT_EQ(text_at(c, "collision_index", 3), "2021411040768");
    // Each row remembers its file and line.
    EXPECT_EQ(*c.at("source_file").categories->find(int_at(c, "source_file", 0)), old_file);
    EXPECT_EQ(*c.at("source_file").categories->find(int_at(c, "source_file", 5)), new_file);
    EXPECT_EQ(int_at(c, "source_line", 5), 4);
}

TEST(ReadGenerations, LongitudeLatitudeOutOfRangeIsReportedNotConverted) {
    // Without eastings and northings the location comes from longitude/latitude; lat 95 or lon 1e308 is
    // no place on Earth: flagged with its value, never handed to PROJ (which would print to stderr).
    ScratchDir dir;
    write_bytes(dir.file("wgs.csv"),
                "collision_index,longitude,latitude\n"
                "2023000000001,-0.1283,51.5040\n"
                "2023000000002,-0.1283,95\n"
                "2023000000003,1e308,51.5\n");
    const Dataset ds = read_stats19({dir.file("wgs.csv")});
    const auto& status = ds.collisions.at("location_status").ints;
    EXPECT_EQ(status[0], 0);  // ok
    ASSERT_EQ(ds.report.entries.size(), 2u);
    const std::string reason =
        "longitude/latitude out of range (latitude -90 to 90, longitude -180 to 180); the location is not plotted";
    expect_entry(ds.report.entries[0], {dir.file("wgs.csv"), 3, "collision", "longitude latitude", "-0.1283 95",
                                        reason, Outcome::RowFlagged});
    expect_entry(ds.report.entries[1], {dir.file("wgs.csv"), 4, "collision", "longitude latitude", "1e+308 51.5",
                                        reason, Outcome::RowFlagged});
    EXPECT_TRUE(std::isnan(ds.collisions.at("location_easting_osgr").floats[1]));
}
