// Files that write a coded field's labels ("Fatal", "West Yorkshire"), as many third-party extracts do:
// each label loads as its data-guide code, whatever its case; anything else is still "not an integer".
#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

TEST(LabelsAsCodes, LabelsOfAnyCaseLoadAsTheirCodes) {
    ScratchDir dir;
    const std::string path = dir.file("labelled.csv");
    write_bytes(path,
                "collision_index,collision_severity,police_force,speed_limit\n"
                "2023000000001,Fatal,Kent,30\n"
                "2023000000002,SERIOUS,west yorkshire,20\n"
                "2023000000003,slight,13,30\n"
                "2023000000004,Sevre,Devon and Cornwall,30\n");
    const Dataset ds = read_stats19({path});
    EXPECT_EQ(ds.collisions.at("collision_severity").ints,
              (std::vector<std::int32_t>{1, 2, 3, kMissingInt}));
    EXPECT_EQ(ds.collisions.at("police_force").ints, (std::vector<std::int32_t>{46, 13, 13, 50}));
    ASSERT_EQ(ds.report.entries.size(), 1u);  // only the misspelt label is a problem
    expect_entry(ds.report.entries[0],
                 ReportEntry{path, 5, "collision", "collision_severity", "Sevre", "not an integer", Outcome::ValueMissing});
}

TEST(LabelsAsCodes, CodeOfIgnoresCaseAndRefusesSharedLabels) {
    Categories cats;
    cats.labels = {{1, "Fatal"}, {2, "Serious"}, {8, "Unknown"}, {9, "unknown"}};
    cats.build_lookup();
    EXPECT_EQ(cats.code_of("fATAL"), std::optional<std::int32_t>(1));
    EXPECT_EQ(cats.code_of("Serious"), std::optional<std::int32_t>(2));
    EXPECT_EQ(cats.code_of("Unknown"), std::nullopt);  // two codes share it: neither is meant
    EXPECT_EQ(cats.code_of("Slight"), std::nullopt);
}
