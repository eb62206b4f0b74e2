// Exact Poisson (Garwood) intervals and the Fay-Feuer gamma interval for weighted counts.
// Known answers: methods.md section 4.2 (A10), cross-checked with scipy.stats.chi2.ppf.
#include <gtest/gtest.h>

#include <vector>

#include "roadsafe/core/error.hpp"
#include "roadsafe/trends/poisson_interval.hpp"

using namespace roadsafe::trends;

TEST(PoissonInterval, GarwoodKnownAnswers) {
    struct Case {
        std::int64_t n;
        double lower, upper;
    };
    const Case cases[] = {
        {0, 0.0, 3.688879},        {1, 0.025318, 5.571643},     {5, 1.623486, 11.668332},
        {10, 4.795389, 18.390356}, {30, 20.240874, 42.826865}, {100, 81.363991, 121.626794},
    };
    for (const auto& c : cases) {
        const CountInterval ci = poisson_interval(c.n);
        EXPECT_NEAR(ci.lower, c.lower, 1e-5) << "N = " << c.n;
        EXPECT_NEAR(ci.upper, c.upper, 1e-5) << "N = " << c.n;
    }
    // Published to one decimal in methods.md: 1,602 -> [1,524.5, 1,682.4]; 29,467 -> [29,131.5, 29,805.4].
    EXPECT_NEAR(poisson_interval(1602).lower, 1524.5, 0.05);
    EXPECT_NEAR(poisson_interval(1602).upper, 1682.4, 0.05);
    EXPECT_NEAR(poisson_interval(29467).lower, 29131.5, 0.05);
    EXPECT_NEAR(poisson_interval(29467).upper, 29805.4, 0.05);
}

TEST(PoissonInterval, OtherConfidenceLevels) {
    // 90 %: N = 0 -> upper = -ln(0.05) = 2.995732.
    EXPECT_NEAR(poisson_interval(0, 0.90).upper, 2.995732, 1e-6);
    // 99 %: N = 0 -> upper = -ln(0.005) = 5.298317.
    EXPECT_NEAR(poisson_interval(0, 0.99).upper, 5.298317, 1e-6);
}

TEST(PoissonInterval, RejectsBadArguments) {
    EXPECT_THROW(poisson_interval(-1), roadsafe::Error);
    EXPECT_THROW(poisson_interval(3, 1.0), roadsafe::Error);
    EXPECT_THROW(poisson_interval(3, 0.0), roadsafe::Error);
    try {
        poisson_interval(-2);
    } catch (const roadsafe::Error& e) {
        EXPECT_EQ(e.code(), roadsafe::ErrorCode::InvalidInput);
    }
}

TEST(WeightedCountInterval, UnitWeightsGiveTheGarwoodInterval) {
    for (int n : {0, 1, 5, 10, 100}) {
        const std::vector<double> w(static_cast<std::size_t>(n), 1.0);
        const CountInterval weighted = weighted_count_interval(weighted_count(w));
        const CountInterval exact = poisson_interval(n);
        EXPECT_NEAR(weighted.lower, exact.lower, 1e-9) << n;
        EXPECT_NEAR(weighted.upper, exact.upper, 1e-9) << n;
    }
}

TEST(WeightedCountInterval, FayFeuerKnownAnswers) {
    // Adjusted probabilities: Y = 3.4, v = 2.78, w_M = 1 (scipy: 0.957248, 8.949545).
    const std::vector<double> probabilities{0.2, 0.5, 1.0, 1.0, 0.7};
    const WeightedCount c = weighted_count(probabilities);
    EXPECT_DOUBLE_EQ(c.total, 3.4);
    EXPECT_NEAR(c.sum_squares, 2.78, 1e-12);
    EXPECT_EQ(c.events, 5);
    const CountInterval ci = weighted_count_interval(c);
    EXPECT_NEAR(ci.lower, 0.957248, 1e-5);
    EXPECT_NEAR(ci.upper, 8.949545, 1e-5);

    // Casualties per collision 1,2,3,1,1: 8 casualties, sum n^2 = 16, dispersion 2
    // (scipy: 2.179731, 22.748396 -- wider than Garwood's [3.454, 15.763] for 8).
    const std::vector<double> casualties{1, 2, 3, 1, 1};
    const WeightedCount k = weighted_count(casualties);
    EXPECT_DOUBLE_EQ(k.dispersion(), 2.0);
    const CountInterval kc = weighted_count_interval(k);
    EXPECT_NEAR(kc.lower, 2.179731, 1e-5);
    EXPECT_NEAR(kc.upper, 22.748396, 1e-5);
    EXPECT_LT(kc.lower, poisson_interval(8).lower);
    EXPECT_GT(kc.upper, poisson_interval(8).upper);
}

TEST(WeightedCountInterval, RejectsBadWeights) {
    const std::vector<double> negative{1.0, -0.5};
    EXPECT_THROW(weighted_count(negative), roadsafe::Error);
    WeightedCount bad;
    bad.total = 2.0;  // sum of squares 0 with a positive total
    EXPECT_THROW(weighted_count_interval(bad), roadsafe::Error);
}
