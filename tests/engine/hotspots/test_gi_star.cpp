// Getis–Ord Gi* on a 5-point line, by hand; permutation reproducibility; BH q-values.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "roadsafe/hotspots/false_discovery_rate.hpp"
#include "roadsafe/hotspots/gi_star.hpp"
#include "roadsafe/hotspots/spatial_weights.hpp"

using namespace roadsafe::hotspots;

TEST(GiStar, FivePointLineByHand) {
    // Units at x = 0, 1, 2, 3, 4; distance band 1 with self: rows {0,1}, {0,1,2}, {1,2,3}, {2,3,4}, {3,4}.
    std::vector<double> x{0, 1, 2, 3, 4}, y(5, 0.0), v{1, 2, 3, 4, 10};
    const SpatialWeights w = distance_band_weights(x, y, 1.0, true);
    ASSERT_EQ(w.offsets, (std::vector<std::size_t>{0, 2, 5, 8, 11, 13}));
    const GiStarResult r = gi_star(w, v, {0, 0, 1});
    // sum = 20, n = 5, mean = 4, mean of squares = 130/5 = 26, s^2 = 10.
    // Unit 4: G = (4 + 10)/20 = 0.7, W = 2, E = 0.4, V = 2*3/4/25 * 10/16 = 0.0375, z = 0.3/sqrt(0.0375).
    EXPECT_NEAR(r.g[4], 0.7, 1e-15);
    EXPECT_NEAR(r.expected[4], 0.4, 1e-15);
    EXPECT_NEAR(r.variance[4], 0.0375, 1e-15);
    EXPECT_NEAR(r.z[4], 0.3 / std::sqrt(0.0375), 1e-12);
    // Unit 2: G = 9/20 = 0.45, W = 3, E = 0.6, V = 3*2/4/25 * 10/16 = 0.0375, z = -0.15/sqrt(0.0375).
    EXPECT_NEAR(r.z[2], -0.15 / std::sqrt(0.0375), 1e-12);
    EXPECT_TRUE(std::isnan(r.p_sim[0]));
}

TEST(GiStar, PermutationsIndependentOfThreadCount) {
    std::vector<double> x, y, v;
    for (int i = 0; i < 400; ++i) {
        x.push_back(i % 20);
        y.push_back(i / 20);
        v.push_back((i * 37 % 11) + (i % 20 > 14 && i / 20 > 14 ? 20 : 0));
    }
    const SpatialWeights w = distance_band_weights(x, y, 1.5, true);
    const GiStarResult a = gi_star(w, v, {199, 42, 1});
    const GiStarResult b = gi_star(w, v, {199, 42, 2});
    const GiStarResult c = gi_star(w, v, {199, 42, 7});
    EXPECT_EQ(a.p_sim, b.p_sim);
    EXPECT_EQ(a.p_sim, c.p_sim);
    const GiStarResult d = gi_star(w, v, {199, 43, 1});
    EXPECT_NE(a.p_sim, d.p_sim);
    // The hot corner is significant; p_sim is in [1/(P+1), 0.5 + 1/(P+1)].
    EXPECT_NEAR(a.p_sim[19 * 20 + 19], 1.0 / 200, 1e-12);
    for (double p : a.p_sim) {
        EXPECT_GE(p, 1.0 / 200);
        EXPECT_LE(p, 101.0 / 200);
    }
}

TEST(GiStar, WholeAndFractionalValuesGiveTheSamePseudoP) {
    // Halving every value changes no G* and no permutation's comparison (halving is exact), but odd
    // values become fractions: the integer sums and the floating-point sums must give the same p-values.
    std::vector<double> x, y, v, half;
    for (int i = 0; i < 400; ++i) {
        x.push_back(i % 20);
        y.push_back(i / 20);
        v.push_back((i * 37 % 11) + (i % 20 > 14 && i / 20 > 14 ? 21 : 0));
        half.push_back(v.back() / 2);
    }
    const SpatialWeights w = distance_band_weights(x, y, 1.5, true);
    const GiStarResult a = gi_star(w, v, {199, 42, 2});
    const GiStarResult b = gi_star(w, half, {199, 42, 2});
    EXPECT_EQ(a.p_sim, b.p_sim);
    EXPECT_NEAR(a.p_sim[19 * 20 + 19], 1.0 / 200, 1e-12);
}

TEST(GiStar, IsolatedUnitHasTheSmallestPseudoP) {
    // Unit 3 at x = 10 has no neighbour within the band but itself: every conditional permutation
    // reproduces its observed G*, so esda's folded p is (min(P, 0) + 1) / (P + 1) = 1 / (P + 1).
    std::vector<double> x{0, 1, 2, 10}, y(4, 0.0), v{1, 2, 30, 4};
    const GiStarResult r = gi_star(distance_band_weights(x, y, 1.0, true), v, {99, 7, 1});
    EXPECT_DOUBLE_EQ(r.p_sim[3], 1.0 / 100);
    EXPECT_GT(r.p_sim[1], 1.0 / 100);  // the middle unit has something to permute
}

TEST(GiStar, KnnWeights) {
    std::vector<double> x{0, 1, 3, 6, 10}, y(5, 0.0);
    const SpatialWeights w = knn_weights(x, y, 2, true);
    EXPECT_EQ(std::vector<std::size_t>(w.neighbours.begin(), w.neighbours.begin() + 3), (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_EQ(std::vector<std::size_t>(w.neighbours.begin() + 12, w.neighbours.end()), (std::vector<std::size_t>{2, 3, 4}));
}

TEST(FalseDiscoveryRate, BenjaminiHochbergByHand) {
    // p = 0.01, 0.04, 0.03, 0.2 (m = 4): sorted 0.01, 0.03, 0.04, 0.2 -> 0.04, 0.06, 0.0533.., 0.2 -> monotone
    // from the top: 0.2, min(0.0533, 0.2) = 0.0533, min(0.06, 0.0533) = 0.0533, 0.04.
    std::vector<double> p{0.01, 0.04, 0.03, 0.2, std::nan("")};
    const std::vector<double> q = benjamini_hochberg(p);
    EXPECT_NEAR(q[0], 0.04, 1e-15);
    EXPECT_NEAR(q[1], 0.04 * 4 / 3, 1e-15);
    EXPECT_NEAR(q[2], 0.04 * 4 / 3, 1e-15);
    EXPECT_NEAR(q[3], 0.2, 1e-15);
    EXPECT_TRUE(std::isnan(q[4]));
}
