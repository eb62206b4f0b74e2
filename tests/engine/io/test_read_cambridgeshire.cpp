// The real Cambridgeshire export through the shipped profile.
#include <gtest/gtest.h>

#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;

namespace {
const std::string kCambs = std::string(ROADSAFE_DATASETS) + "/cambridgeshire/Cambs_RTC.csv";
const std::string kProfile = std::string(ROADSAFE_DATASETS) + "/profiles/cambridgeshire_insight.ini";
}  // namespace

TEST(ReadCambridgeshire, LoadsEveryRow) {
    ReadOptions options;
    options.profile = kProfile;
    const Dataset ds = read_stats19({kCambs}, options);
    EXPECT_EQ(ds.collisions.rows(), 12108u);
    ASSERT_EQ(ds.report.files.size(), 1u);
    EXPECT_EQ(ds.report.files[0].rows_read, 12108);
    EXPECT_EQ(ds.report.files[0].rows_loaded, 12108);
}
