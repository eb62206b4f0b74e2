// A key seen twice (the same file given twice, or a multi-year file overlapping a single-year one)
// is loaded once; every later copy is reported as DuplicateSkipped, naming where it was first loaded.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "../test_support.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

const std::string kCollisions2024 = stats19_fixture("collisions_2024_handmade.csv");

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos) nl = text.size();
        out.push_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return out;
}

// The hand-made 2024 collision file plus two 2022 collisions (copies of its rows with a 2022 index):
// a "last years" download that overlaps the single-year 2021 file.
std::string write_multi_year_file(const ScratchDir& dir) {
    const auto lines = lines_of(read_bytes(kCollisions2024));
    std::string text = lines[0] + "\n";
    // The 2022 rows first, then the three 2021 rows (lines 4..6 of this file).
    for (const auto& row : {lines[1], lines[2]}) {
        // collision_index, collision_year, collision_ref_no -> 2022, with the reference's last digit changed
        const std::size_t after_ref = row.find(',', row.find(',', row.find(',') + 1) + 1);
        const std::string ref = row.substr(19, 8) + "9";
        text += "2022" + ref + ",2022," + ref + row.substr(after_ref) + "\n";
    }
    for (std::size_t i = 1; i < lines.size(); ++i) text += lines[i] + "\n";
    const std::string path = dir.file("collisions_2021_2022.csv");
    write_bytes(path, text);
    return path;
}

}  // namespace

TEST(Duplicates, SameCollisionFileTwice) {
    const Dataset ds = read_stats19({kCollisions2024, kCollisions2024});
    EXPECT_EQ(ds.collisions.rows(), 3u);
    ASSERT_EQ(ds.report.files.size(), 2u);
    const FileSummary& first = ds.report.files[0];
    const FileSummary& second = ds.report.files[1];
    EXPECT_EQ(first.rows_read, 3);
    EXPECT_EQ(first.rows_loaded, 3);
    EXPECT_EQ(first.rows_duplicate, 0);
    EXPECT_EQ(second.rows_read, 3);
    EXPECT_EQ(second.rows_loaded, 0);
    EXPECT_EQ(second.rows_duplicate, 3);
    expect_rows_accounted(ds.report);

    const auto dups = entries_with(ds.report, Outcome::DuplicateSkipped);
    ASSERT_EQ(dups.size(), 3u);
    const char* index[] = {"2021411040768", "2021010296300", "2021070629081"};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto line = static_cast<std::int64_t>(i) + 2;
        EXPECT_EQ(dups[i].file, kCollisions2024);
        EXPECT_EQ(dups[i].line, line);
        EXPECT_EQ(dups[i].table, "collision");
        EXPECT_EQ(dups[i].column, "collision_index");
        EXPECT_EQ(dups[i].value, index[i]);
        EXPECT_EQ(dups[i].reason, "already loaded from " + kCollisions2024 + ":" + std::to_string(line));
    }
    // The rows kept are the first file's.
    EXPECT_EQ(int_at(ds.collisions, "source_file", 0), 0);
    EXPECT_EQ(int_at(ds.collisions, "source_file", 2), 0);
}

TEST(Duplicates, MultiYearFileOverlapsSingleYearFile) {
    ScratchDir dir;
    const std::string multi = write_multi_year_file(dir);
    {
        const Dataset ds = read_stats19({multi, kCollisions2024});
        EXPECT_EQ(ds.collisions.rows(), 5u);
        ASSERT_EQ(ds.report.files.size(), 2u);
        EXPECT_EQ(ds.report.files[0].rows_loaded, 5);
        EXPECT_EQ(ds.report.files[0].rows_duplicate, 0);
        EXPECT_EQ(ds.report.files[1].rows_loaded, 0);
        EXPECT_EQ(ds.report.files[1].rows_duplicate, 3);
        expect_rows_accounted(ds.report);
        const auto dups = entries_with(ds.report, Outcome::DuplicateSkipped);
        ASSERT_EQ(dups.size(), 3u);
        EXPECT_EQ(dups[0].file, kCollisions2024);
        EXPECT_EQ(dups[0].line, 2);
        EXPECT_EQ(dups[0].value, "2021411040768");
        EXPECT_EQ(dups[0].reason, "already loaded from " + multi + ":4");
        EXPECT_EQ(dups[2].reason, "already loaded from " + multi + ":6");
        EXPECT_EQ(text_at(ds.collisions, "collision_index", 0), "2022411040769");
    }
    {  // the other order: the single-year rows come first, the multi-year file adds only 2022
        const Dataset ds = read_stats19({kCollisions2024, multi});
        EXPECT_EQ(ds.collisions.rows(), 5u);
        EXPECT_EQ(ds.report.files[0].rows_loaded, 3);
        EXPECT_EQ(ds.report.files[1].rows_loaded, 2);
        EXPECT_EQ(ds.report.files[1].rows_duplicate, 3);
        expect_rows_accounted(ds.report);
        const auto dups = entries_with(ds.report, Outcome::DuplicateSkipped);
        ASSERT_EQ(dups.size(), 3u);
        EXPECT_EQ(dups[0].file, multi);
        EXPECT_EQ(dups[0].line, 4);
        EXPECT_EQ(dups[0].reason, "already loaded from " + kCollisions2024 + ":2");
    }
}

TEST(Duplicates, RepeatedRowInsideOneFile) {
    ScratchDir dir;
    const auto lines = lines_of(read_bytes(kCollisions2024));
    const std::string path = dir.file("repeated.csv");
    write_bytes(path, lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n" + lines[1] + "\n");
    const Dataset ds = read_stats19({path});
    EXPECT_EQ(ds.collisions.rows(), 2u);
    ASSERT_EQ(ds.report.files.size(), 1u);
    EXPECT_EQ(ds.report.files[0].rows_read, 3);
    EXPECT_EQ(ds.report.files[0].rows_loaded, 2);
    EXPECT_EQ(ds.report.files[0].rows_duplicate, 1);
    ASSERT_EQ(ds.report.entries.size(), 1u);
    EXPECT_EQ(ds.report.entries[0].line, 4);
    EXPECT_EQ(ds.report.entries[0].reason, "already loaded from " + path + ":2");
}

TEST(Duplicates, VehicleAndCasualtyKeysIncludeTheirReferences) {
    ScratchDir dir;
    const std::string vehicles = dir.file("vehicles.csv");
    // Same collision, vehicles 1 and 2: different keys. Vehicle 1 again: a duplicate.
    write_bytes(vehicles,
                "collision_index,collision_year,collision_ref_no,vehicle_reference,vehicle_type\n"
                "2021010296300,2021,010296300,1,9\n"
                "2021010296300,2021,010296300,2,11\n"
                "2021010296300,2021,010296300,1,9\n");
    const std::string casualties = stats19_fixture("dft-road-casualty-statistics-casualty-2021_first60rows.csv");
    const Dataset ds = read_stats19({vehicles, casualties, casualties, kCollisions2024});
    EXPECT_EQ(ds.vehicles.rows(), 2u);
    EXPECT_EQ(ds.casualties.rows(), 60u);
    ASSERT_EQ(ds.report.files.size(), 4u);
    EXPECT_EQ(ds.report.files[0].rows_duplicate, 1);
    EXPECT_EQ(ds.report.files[1].rows_duplicate, 0);
    EXPECT_EQ(ds.report.files[2].rows_duplicate, 60);
    EXPECT_EQ(ds.report.files[2].rows_loaded, 0);
    expect_rows_accounted(ds.report);
    const auto dups = entries_with(ds.report, Outcome::DuplicateSkipped);
    ASSERT_EQ(dups.size(), 61u);
    EXPECT_EQ(dups[0].table, "vehicle");
    EXPECT_EQ(dups[0].line, 4);
    EXPECT_EQ(dups[0].reason, "already loaded from " + vehicles + ":2");
    EXPECT_EQ(dups[1].table, "casualty");
    EXPECT_EQ(dups[1].reason, "already loaded from " + casualties + ":2");
    // Joins are made after duplicates are dropped, so the rows point into the kept tables.
    EXPECT_EQ(int_at(ds.casualties, "collision_row", 1), 1);
    EXPECT_EQ(int_at(ds.casualties, "vehicle_row", 1), 0);
    EXPECT_EQ(ds.vehicles.at("collision_row").ints, (std::vector<std::int32_t>{1, 1}));
}

TEST(Duplicates, StrictModeStillLoadsOverlappingFilesOnce) {
    // Overlap between the 1979-latest file and single years is expected, not malformed input:
    // strict mode raises on malformed rows, not on duplicates, which stay reported.
    ReadOptions options;
    options.strict = true;
    const Dataset ds = read_stats19({kCollisions2024, kCollisions2024}, options);
    EXPECT_EQ(ds.collisions.rows(), 3u);
    EXPECT_EQ(ds.report.files[1].rows_duplicate, 3);
}

TEST(Duplicates, FilesInSortedStretchesAreDeduplicatedAndJoinedAcrossThem) {
    // DfT writes some files in a few sorted stretches (its 2015 vehicles: one jump back in
    // collision_index). Rows are found across the jump, and a repeated row inside a stretch is still
    // a duplicate. 20 collisions in order; their vehicles from the 11th collision on, then the first 10
    // (the 4th one's vehicle twice); one casualty of each collision's vehicle, in collision order.
    ScratchDir dir;
    const auto lines = lines_of(read_bytes(kCollisions2024));
    const std::size_t after_ref = lines[1].find(',', lines[1].find(',', lines[1].find(',') + 1) + 1);
    auto index_of = [](int k) { return "2021" + std::to_string(100000000 + k); };
    std::string collisions = lines[0] + "\n";
    for (int k = 0; k < 20; ++k)
        collisions += index_of(k) + ",2021," + std::to_string(100000000 + k) + lines[1].substr(after_ref) + "\n";
    std::string vehicles = "collision_index,collision_year,collision_ref_no,vehicle_reference,vehicle_type\n";
    auto vehicle_of = [&](int k) { return index_of(k) + ",2021," + std::to_string(100000000 + k) + ",1,9\n"; };
    for (int k = 10; k < 20; ++k) vehicles += vehicle_of(k);  // lines 2-11
    for (int k = 0; k < 10; ++k) {
        vehicles += vehicle_of(k);  // lines 12-15, 17-22
        if (k == 3) vehicles += vehicle_of(k);  // line 16: the 4th collision's vehicle again
    }
    std::string casualties = "collision_index,collision_year,collision_ref_no,vehicle_reference,casualty_reference,casualty_class\n";
    for (int k = 0; k < 20; ++k) casualties += index_of(k) + ",2021," + std::to_string(100000000 + k) + ",1,1,1\n";
    const std::string collision_file = dir.file("collisions.csv"), vehicle_file = dir.file("vehicles.csv"),
                      casualty_file = dir.file("casualties.csv");
    write_bytes(collision_file, collisions);
    write_bytes(vehicle_file, vehicles);
    write_bytes(casualty_file, casualties);

    const Dataset ds = read_stats19({collision_file, vehicle_file, casualty_file});
    ASSERT_EQ(ds.vehicles.rows(), 20u);
    const auto dups = entries_with(ds.report, Outcome::DuplicateSkipped);
    ASSERT_EQ(dups.size(), 1u);
    EXPECT_EQ(dups[0].line, 16);
    EXPECT_EQ(dups[0].reason, "already loaded from " + vehicle_file + ":15");
    EXPECT_TRUE(entries_with(ds.report, Outcome::RowFlagged).empty());  // no orphan: every join found its row
    std::vector<std::int32_t> vehicle_collision, casualty_vehicle;
    for (int k = 10; k < 20; ++k) vehicle_collision.push_back(k);
    for (int k = 0; k < 10; ++k) vehicle_collision.push_back(k);
    for (int k = 0; k < 20; ++k) casualty_vehicle.push_back(k < 10 ? k + 10 : k - 10);
    EXPECT_EQ(ds.vehicles.at("collision_row").ints, vehicle_collision);
    EXPECT_EQ(ds.casualties.at("vehicle_row").ints, casualty_vehicle);
    std::vector<std::int32_t> casualty_collision(20);
    for (int k = 0; k < 20; ++k) casualty_collision[std::size_t(k)] = k;
    EXPECT_EQ(ds.casualties.at("collision_row").ints, casualty_collision);
}

TEST(Duplicates, FilesInNoOrderAreDeduplicatedAndJoinedThroughTheHashIndex) {
    // 300 collisions in a shuffled order (hundreds of sorted stretches: the hash index), two vehicles and
    // a casualty each, also shuffled. Without duplicates the joins look rows up in deduplication's index;
    // with one (a collision row given twice) that index is dropped with the row and the joins make their own.
    const auto lines = lines_of(read_bytes(kCollisions2024));
    const std::size_t after_ref = lines[1].find(',', lines[1].find(',', lines[1].find(',') + 1) + 1);
    auto index_of = [](int k) { return "2021" + std::to_string(100000000 + k * 7919 % 1000003); };
    std::vector<int> order(300);
    for (int k = 0; k < 300; ++k) order[std::size_t(k)] = k;
    std::mt19937 rng(11);
    for (bool with_duplicate : {false, true}) {
        ScratchDir dir;
        std::shuffle(order.begin(), order.end(), rng);
        std::string collisions = lines[0] + "\n", vehicles = "collision_index,collision_year,collision_ref_no,vehicle_reference,vehicle_type\n",
                    casualties = "collision_index,collision_year,collision_ref_no,vehicle_reference,casualty_reference,casualty_class\n";
        for (int k : order) collisions += index_of(k) + ",2021,1" + lines[1].substr(after_ref) + "\n";
        if (with_duplicate) collisions += index_of(order[5]) + ",2021,1" + lines[1].substr(after_ref) + "\n";
        std::shuffle(order.begin(), order.end(), rng);
        for (int k : order)
            for (int v : {2, 1}) vehicles += index_of(k) + ",2021,1," + std::to_string(v) + ",9\n";
        std::shuffle(order.begin(), order.end(), rng);
        for (int k : order) casualties += index_of(k) + ",2021,1," + std::to_string(k % 2 + 1) + ",1,1\n";
        const std::string c = dir.file("c.csv"), v = dir.file("v.csv"), k = dir.file("k.csv");
        write_bytes(c, collisions);
        write_bytes(v, vehicles);
        write_bytes(k, casualties);

        const Dataset ds = read_stats19({c, v, k});
        ASSERT_EQ(ds.collisions.rows(), 300u);
        EXPECT_EQ(entries_with(ds.report, Outcome::DuplicateSkipped).size(), with_duplicate ? 1u : 0u);
        EXPECT_TRUE(entries_with(ds.report, Outcome::RowFlagged).empty());  // no orphan
        const auto& collision_index = ds.collisions.at("collision_index").text;
        const auto& vehicle_index = ds.vehicles.at("collision_index").text;
        for (std::size_t i = 0; i < ds.vehicles.rows(); ++i)
            ASSERT_EQ(collision_index.at(std::size_t(ds.vehicles.at("collision_row").ints[i])), vehicle_index.at(i));
        for (std::size_t i = 0; i < ds.casualties.rows(); ++i) {
            const auto vehicle = std::size_t(ds.casualties.at("vehicle_row").ints[i]);
            ASSERT_EQ(vehicle_index.at(vehicle), ds.casualties.at("collision_index").text.at(i));
            ASSERT_EQ(ds.vehicles.at("vehicle_reference").ints[vehicle], ds.casualties.at("vehicle_reference").ints[i]);
            ASSERT_EQ(collision_index.at(std::size_t(ds.casualties.at("collision_row").ints[i])),
                      ds.casualties.at("collision_index").text.at(i));
        }
    }
}
