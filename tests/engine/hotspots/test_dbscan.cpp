// DBSCAN core / border / noise semantics (scikit-learn's), by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "roadsafe/hotspots/dbscan.hpp"

using namespace roadsafe::hotspots;

TEST(Dbscan, CoreBorderNoise) {
    // eps = 1, min_samples = 3 (the point itself counts). Points on a line:
    // 0: x=0, 1: x=1, 2: x=2 -> 1 is core (0,1,2); 0 and 2 have 2 points each: border.
    // 3: x=3.5 is 1.5 from 2 -> noise. 4: x=10 isolated -> noise.
    std::vector<double> x{0, 1, 2, 3.5, 10}, y(5, 0.0);
    const DbscanResult r = dbscan(x, y, 1.0, 3);
    EXPECT_EQ(r.labels, (std::vector<std::int64_t>{0, 0, 0, -1, -1}));
    EXPECT_EQ(r.core, (std::vector<std::uint8_t>{0, 1, 0, 0, 0}));
    EXPECT_EQ(r.clusters, 1);
}

TEST(Dbscan, BorderJoinsTheFirstClusterInInputOrder) {
    // Two cores (0 at x=0 with 1,2 around it; 3 at x=4 with 4,5) and a border point 6 at x=2,
    // within eps = 2 of both cores. Clusters grow from cores in input order: 6 joins cluster 0.
    std::vector<double> x{0, -1, -1.5, 4, 5, 5.5, 2}, y{0, 0.5, -0.5, 0, 0.5, -0.5, 0};
    const DbscanResult r = dbscan(x, y, 2.0, 4);
    EXPECT_EQ(r.labels[0], 0);
    EXPECT_EQ(r.labels[3], 1);
    EXPECT_EQ(r.labels[6], 0);
    EXPECT_EQ(r.core[6], 0);
    // Reverse the order of the cores: now the right-hand cluster comes first and takes the border.
    std::vector<double> x2{4, 5, 5.5, 0, -1, -1.5, 2}, y2{0, 0.5, -0.5, 0, 0.5, -0.5, 0};
    const DbscanResult r2 = dbscan(x2, y2, 2.0, 4);
    EXPECT_EQ(r2.labels[6], 0);
    EXPECT_EQ(r2.labels[0], 0);
    EXPECT_EQ(r2.labels[3], 1);
}

TEST(Dbscan, InclusiveRadiusWeightsAndMissing) {
    std::vector<double> x{0, 1, std::numeric_limits<double>::quiet_NaN()}, y{0, 0, 0};
    // distance exactly eps counts; weight 2 on point 1 makes both core at min_samples 3.
    EXPECT_EQ(dbscan(x, y, 1.0, 2).labels, (std::vector<std::int64_t>{0, 0, -2}));
    std::vector<double> w{1, 2, 1};
    const DbscanResult r = dbscan(x, y, 1.0, 3, w);
    EXPECT_EQ(r.labels, (std::vector<std::int64_t>{0, 0, -2}));
    EXPECT_EQ(dbscan(x, y, 1.0, 3).labels, (std::vector<std::int64_t>{-1, -1, -2}));
}
