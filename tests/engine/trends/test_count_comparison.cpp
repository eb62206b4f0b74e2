// Count comparison tests, against values computed by hand from methods.md section 4.3.
#include <gtest/gtest.h>

#include <cmath>

#include "roadsafe/core/error.hpp"
#include "roadsafe/trends/count_comparison.hpp"

using namespace roadsafe::trends;

TEST(CompareCounts, TwoPeriodsPoisson) {
    // GB fatalities 2023 -> 2024: 1,624 -> 1,602. z = -22 / sqrt(3226) = -0.387338 (methods.md: -0.39).
    const CountComparison f = compare_counts(1602, 1602, 1624, 1624);
    EXPECT_NEAR(f.z, -22.0 / std::sqrt(3226.0), 1e-12);
    EXPECT_NEAR(f.z, -0.387338, 1e-6);
    EXPECT_NEAR(f.p_value, 0.698506, 1e-5);
    EXPECT_DOUBLE_EQ(f.difference, -22.0);
    // Rate ratio 1602/1624 with log-scale half-width 1.959964 * sqrt(1/1602 + 1/1624).
    const double rr = 1602.0 / 1624.0;
    const double half = 1.959964 * std::sqrt(1.0 / 1602 + 1.0 / 1624);
    EXPECT_NEAR(f.rate_ratio, rr, 1e-12);
    EXPECT_NEAR(f.ratio_lower, rr * std::exp(-half), 1e-6);
    EXPECT_NEAR(f.ratio_upper, rr * std::exp(half), 1e-6);

    // KSI (adjusted) 29,711 -> 29,467: z = -244 / sqrt(59178) = -1.003020 (methods.md: -1.00).
    const CountComparison k = compare_counts(29467, 29467, 29711, 29711);
    EXPECT_NEAR(k.z, -1.003020, 1e-6);
    EXPECT_GT(k.p_value, 0.05);
}

TEST(CompareCounts, OverDispersionWidensTheTest) {
    // 130 vs 100 casualties: Poisson z = 30/sqrt(230) = 1.978141 (p = 0.0479, significant);
    // with dispersion 1.5 in both periods z = 30/sqrt(345) = 1.615146 (p = 0.1063, not).
    const CountComparison poisson = compare_counts(130, 130, 100, 100);
    EXPECT_NEAR(poisson.z, 1.978141, 1e-6);
    EXPECT_NEAR(poisson.p_value, 0.047913, 1e-5);
    const CountComparison dispersed = compare_counts(130, 1.5 * 130, 100, 1.5 * 100);
    EXPECT_NEAR(dispersed.z, 1.615146, 1e-6);
    EXPECT_NEAR(dispersed.p_value, 0.106279, 1e-5);
}

TEST(CompareCounts, CurrentYearAgainstAThreeYearAverage) {
    // N = 100 against S = 360 over 3 years (B = 120): z = -20 / sqrt(100 + 360/9) = -1.690309.
    const CountComparison c = compare_counts(100, 100, 360, 360, 3.0);
    EXPECT_DOUBLE_EQ(c.reference, 120.0);
    EXPECT_NEAR(c.z, -20.0 / std::sqrt(140.0), 1e-12);
    EXPECT_NEAR(c.z, -1.690309, 1e-6);
    EXPECT_NEAR(c.p_value, 0.090969, 1e-5);
    EXPECT_NEAR(c.rate_ratio, 100.0 / 120.0, 1e-12);
    const double half = 1.959964 * std::sqrt(1.0 / 100 + 1.0 / 360);
    EXPECT_NEAR(c.ratio_lower, (100.0 / 120.0) * std::exp(-half), 1e-6);
}

TEST(CompareCounts, ZerosAndBadInput) {
    const CountComparison none = compare_counts(0, 0, 0, 0);
    EXPECT_EQ(none.z, 0.0);
    EXPECT_EQ(none.p_value, 1.0);
    EXPECT_TRUE(std::isnan(none.rate_ratio));
    const CountComparison from_zero = compare_counts(4, 4, 0, 0);
    EXPECT_TRUE(std::isinf(from_zero.rate_ratio));
    EXPECT_NEAR(from_zero.z, 2.0, 1e-12);
    EXPECT_THROW(compare_counts(-1, 1, 1, 1), roadsafe::Error);
    EXPECT_THROW(compare_counts(1, 1, 1, 1, 0.0), roadsafe::Error);
    EXPECT_THROW(compare_counts(1, 1, 1, 1, 1.0, 1.5), roadsafe::Error);
}

TEST(ExactConditionalTest, BinomialKnownAnswers) {
    // 10 vs 20 events, equal exposure: 2 * P(Bin(30, 1/2) >= 20) = 0.098737 (R binom.test(20, 30)).
    EXPECT_NEAR(exact_conditional_test(10, 20).p_value, 0.0987371, 1e-6);
    EXPECT_NEAR(exact_conditional_test(20, 10).p_value, 0.0987371, 1e-6);
    // Equal counts: p = 1 (capped). Nothing observed: p = 1.
    EXPECT_DOUBLE_EQ(exact_conditional_test(7, 7).p_value, 1.0);
    EXPECT_DOUBLE_EQ(exact_conditional_test(0, 0).p_value, 1.0);
    // 0 vs 5: 2 * 0.5^5 = 0.0625.
    EXPECT_NEAR(exact_conditional_test(5, 0).p_value, 0.0625, 1e-12);
    // Unequal exposure 1:2, 5 vs 10 matches the expected split: p = 1.
    EXPECT_DOUBLE_EQ(exact_conditional_test(5, 10, 1.0, 2.0).p_value, 1.0);
    EXPECT_THROW(exact_conditional_test(-1, 2), roadsafe::Error);
    EXPECT_THROW(exact_conditional_test(1, 2, 0.0, 1.0), roadsafe::Error);
}

TEST(TwoSidedP, Normal) {
    EXPECT_NEAR(two_sided_p(1.959964), 0.05, 1e-6);
    EXPECT_NEAR(two_sided_p(-1.959964), 0.05, 1e-6);
    EXPECT_DOUBLE_EQ(two_sided_p(0.0), 1.0);
}
