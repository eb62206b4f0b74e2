// Empirical Bayes: hand-computed priors and estimates, and the limits of the shrinkage.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "../caught_error.hpp"
#include "roadsafe/hotspots/empirical_bayes.hpp"

using namespace roadsafe;
using namespace roadsafe::hotspots;
using roadsafe::test::caught_error;

TEST(EmpiricalBayes, MethodOfMomentsPriorByHand) {
    // Group 0: 0, 2, 4, 10 -> mean 4, sample variance (16 + 4 + 0 + 36) / 3 = 56/3, k = 16 / (56/3 - 4) = 12/11.
    // Group 1: 3, 3 -> variance 0 <= mean: no extra variation, k = infinity.
    const std::vector<double> counts{0, 2, 4, 10, 3, 3};
    const std::vector<std::int32_t> group{0, 0, 0, 0, 1, 1};
    const auto priors = reference_priors(counts, group, 2);
    EXPECT_DOUBLE_EQ(priors[0].mean, 4.0);
    EXPECT_DOUBLE_EQ(priors[0].variance, 56.0 / 3.0);
    EXPECT_DOUBLE_EQ(priors[0].k, 12.0 / 11.0);
    EXPECT_DOUBLE_EQ(priors[1].mean, 3.0);
    EXPECT_TRUE(std::isinf(priors[1].k));
}

TEST(EmpiricalBayes, EstimateIsTheWeightedMeanOfPriorAndCount) {
    // mu = 4, k = 2: w = 1 / (1 + 4/2) = 1/3; x = 10 -> EB = 4/3 + 20/3 = 8; PSI = 4.
    // Posterior Gamma(shape 12, scale 1/(2/4 + 1) = 2/3): mean 8; the interval brackets it.
    const auto eb = empirical_bayes(std::vector<double>{10}, std::vector<double>{4}, std::vector<double>{2});
    EXPECT_NEAR(eb.weight[0], 1.0 / 3.0, 1e-15);
    EXPECT_NEAR(eb.estimate[0], 8.0, 1e-12);
    EXPECT_NEAR(eb.psi[0], 4.0, 1e-12);
    EXPECT_LT(eb.lower[0], 8.0);
    EXPECT_GT(eb.upper[0], 8.0);
    // Gamma(12, 2/3) quantiles, from the chi-square relation: 2.5% = chi2(0.025, 24) / 3 = 12.4012 / 3.
    EXPECT_NEAR(eb.lower[0], 12.401150217 / 3.0, 1e-6);
    EXPECT_NEAR(eb.upper[0], 39.364077026 / 3.0, 1e-6);
}

TEST(EmpiricalBayes, ShrinkageLimits) {
    const double inf = std::numeric_limits<double>::infinity();
    // k -> infinity: the count is all noise, the estimate is the prior mean.
    const auto poisson = empirical_bayes(std::vector<double>{9}, std::vector<double>{3}, std::vector<double>{inf});
    EXPECT_DOUBLE_EQ(poisson.estimate[0], 3.0);
    EXPECT_DOUBLE_EQ(poisson.psi[0], 0.0);
    // k -> 0: the prior says nothing, the estimate is the count.
    const auto loose = empirical_bayes(std::vector<double>{9}, std::vector<double>{3}, std::vector<double>{1e-9});
    EXPECT_NEAR(loose.estimate[0], 9.0, 1e-6);
}

TEST(EmpiricalBayes, BadInputsAreNamed) {
    const Error small = caught_error([] {
        (void)reference_priors(std::vector<double>{1, 2, 3}, std::vector<std::int32_t>{0, 0, 1}, 2);
    });
    EXPECT_STREQ(small.what(), "reference group 1 has fewer than 2 sites; a prior needs a group of similar sites");
    const Error negative = caught_error([] {
        (void)empirical_bayes(std::vector<double>{-1}, std::vector<double>{2}, std::vector<double>{1});
    });
    EXPECT_STREQ(negative.what(), "site 0 needs a count >= 0, a prior mean > 0 and a dispersion k > 0");
}
