// Cluster sites on constructed points, checked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "roadsafe/core/error.hpp"
#include "roadsafe/hotspots/cluster_sites.hpp"

using namespace roadsafe::hotspots;

TEST(ClusterSites, DensestSeedFirstAndNoSharedCollisions) {
    // Group A: 6 points at x = 1000..1015. Group B: 5 points at x = 1080..1088 (65 m from A's
    // nearest point). Group C: 4 points far away (below N = 5).
    std::vector<double> x, y;
    for (int k = 0; k < 6; ++k) { x.push_back(1000 + 3.0 * k); y.push_back(1000); }          // 0..5: 1000..1015
    for (int k = 0; k < 5; ++k) { x.push_back(1080 + 2.0 * k); y.push_back(1000); }          // 6..10: 1080..1088
    for (int k = 0; k < 4; ++k) { x.push_back(5000); y.push_back(5000 + k); }                // 11..14
    x.push_back(std::numeric_limits<double>::quiet_NaN());
    y.push_back(std::numeric_limits<double>::quiet_NaN());                                   // 15: no location
    const ClusterSiteResult r = find_cluster_sites(x, y, ClusterSiteRule::urban());
    ASSERT_EQ(r.sites.size(), 2u);
    EXPECT_EQ(r.skipped, 1u);
    EXPECT_EQ(r.site_of[15], -1);
    EXPECT_EQ(r.sites[0].id, 1);
    EXPECT_EQ(r.sites[0].members, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(r.sites[1].id, 2);
    EXPECT_EQ(r.sites[1].members, (std::vector<std::size_t>{6, 7, 8, 9, 10}));
    EXPECT_DOUBLE_EQ(r.sites[0].centroid_x, 1007.5);
    EXPECT_DOUBLE_EQ(r.sites[1].centroid_x, 1084.0);
    // Ties in count broken by the lowest easting: the seed of A is point 0.
    EXPECT_EQ(r.sites[0].seed, 0u);
    for (std::size_t i = 11; i < 15; ++i) EXPECT_EQ(r.site_of[i], 0);
}

TEST(ClusterSites, OverlapGoesToTheDenserSite) {
    // Seven points at x = 0, 10, 20, 30, 40, 50, 60 plus three extra at 60: the densest seed sits
    // where most points fall within 50 m; a collision is never in two sites.
    std::vector<double> x{0, 10, 20, 30, 40, 50, 60, 60, 60, 60}, y(10, 0.0);
    const ClusterSiteResult r = find_cluster_sites(x, y, {50, 3, 5});
    std::vector<int> seen(10, 0);
    for (const auto& s : r.sites)
        for (auto m : s.members) ++seen[m];
    for (int c : seen) EXPECT_LE(c, 1);
    ASSERT_GE(r.sites.size(), 1u);
    // Seeds at x = 10..50 reach all 10 points; x = 10 is the lowest easting among them.
    EXPECT_EQ(r.sites[0].members.size(), 10u);
    EXPECT_DOUBLE_EQ(r.sites[0].seed_x, 10.0);
    // The same input gives the same sites.
    const ClusterSiteResult again = find_cluster_sites(x, y, {50, 3, 5});
    ASSERT_EQ(again.sites.size(), r.sites.size());
    for (std::size_t s = 0; s < r.sites.size(); ++s) EXPECT_EQ(again.sites[s].members, r.sites[s].members);
}

TEST(ClusterSites, RejectsBadRule) {
    std::vector<double> x{0}, y{0};
    EXPECT_THROW(find_cluster_sites(x, y, {0, 5, 5}), roadsafe::Error);
    EXPECT_THROW(find_cluster_sites(x, y, {50, 0, 5}), roadsafe::Error);
}
