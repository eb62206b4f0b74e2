// The DfT/ONS per-casualty adjustment (methods.md §1.6) and its worked examples (§5 A1-A3), and the
// collision-level figure (§1.7).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "roadsafe/core/error.hpp"
#include "roadsafe/severity/collision_adjustment.hpp"
#include "roadsafe/severity/reassignment_adjustment.hpp"

using namespace roadsafe;
using namespace roadsafe::severity;

TEST(CasualtyAdjustment, A1SlightRecordMovesTowardsSerious) {
    // Ten records with p = 0.10, p' = 0.15, recorded as the model expects (one serious, nine slight), so
    // the global rescale factor is 1 and each record shows the per-record rule.
    const std::vector<double> p(10, 0.10), pc(10, 0.15);
    std::vector<char> serious(10, 0);
    serious[0] = 1;
    const auto r = adjust_casualty_severity({p, pc, serious, {}});
    EXPECT_NEAR(r.rescale_factor, 1.0, 1e-12);
    EXPECT_EQ(r.adjusted_serious[0], 1.0);
    EXPECT_NEAR(r.adjusted_serious[1], 0.05 / 0.90, 1e-12);
    EXPECT_NEAR(std::round(r.adjusted_serious[1] * 1e4) / 1e4, 0.0556, 1e-12);
    // Expectation over the recorded outcome: P(serious) * 1 + P(slight) * adj = p'.
    EXPECT_NEAR(0.10 * 1.0 + 0.90 * r.adjusted_serious[1], 0.15, 1e-12);
}

TEST(CasualtyAdjustment, A2SeriousRecordMovesTowardsSlight) {
    // Five records with p = 0.20, p' = 0.15: one serious, four slight (rescale factor 1).
    const std::vector<double> p(5, 0.20), pc(5, 0.15);
    std::vector<char> serious(5, 0);
    serious[0] = 1;
    const auto r = adjust_casualty_severity({p, pc, serious, {}});
    EXPECT_NEAR(r.rescale_factor, 1.0, 1e-12);
    EXPECT_NEAR(r.adjusted_serious[0], 0.75, 1e-12);
    EXPECT_EQ(r.adjusted_serious[1], 0.0);  // slight records stay slight when delta < 0
    EXPECT_NEAR(0.20 * r.adjusted_serious[0] + 0.80 * r.adjusted_serious[1], 0.15, 1e-12);
}

TEST(CasualtyAdjustment, A3IbrsRecordsKeepTheirSeverityAndFatalIsMissing) {
    const auto r = adjust_casualty_severity({{0.3, 0.3, 0.2}, {0.3, 0.3, 0.4}, {1, 0, 0}, {0, 0, 1}});
    EXPECT_EQ(r.adjusted_serious[0], 1.0);
    EXPECT_EQ(r.adjusted_serious[1], 0.0);
    EXPECT_TRUE(std::isnan(r.adjusted_serious[2]));
}

TEST(CasualtyAdjustment, GlobalRescaleMakesTheTotalAdjustmentTheTotalDelta) {
    // Two non-IBRS records with p = 0.1, p' = 0.15, one serious (a = 0) and one slight (a = 0.0556):
    // total delta 0.10, total a 0.0556, factor 1.8, so the slight record becomes 0.10.
    const auto r = adjust_casualty_severity({{0.1, 0.1}, {0.15, 0.15}, {1, 0}, {}});
    EXPECT_NEAR(r.total_delta, 0.10, 1e-12);
    EXPECT_NEAR(r.rescale_factor, 1.8, 1e-12);
    EXPECT_EQ(r.adjusted_serious[0], 1.0);
    EXPECT_NEAR(r.adjusted_serious[1], 0.10, 1e-12);
    EXPECT_NEAR(r.adjusted_serious[0] + r.adjusted_serious[1], 1.0 + r.total_delta, 1e-12);
}

TEST(CasualtyAdjustment, RejectsBadInput) {
    EXPECT_THROW(adjust_casualty_severity({{0.1}, {0.1, 0.2}, {0}, {}}), Error);
    EXPECT_THROW(adjust_casualty_severity({{1.1}, {0.1}, {0}, {}}), Error);
}

TEST(CollisionAdjustment, AtLeastOneSeriousCasualty) {
    // collision 0: casualties 0.1 and 0.2 -> 1 - 0.9 * 0.8 = 0.28; collision 1: a recorded serious (1.0)
    // -> 1; collision 2: a fatal casualty -> NaN; collision 3: no casualties -> NaN.
    const double nan = std::nan("");
    const auto p = collision_serious_probability({0, 0, 1, 1, 2, 2, -1}, {0.1, 0.2, 0.03, 1.0, nan, 0.5, 0.7}, 4);
    ASSERT_EQ(p.size(), 4u);
    EXPECT_NEAR(p[0], 0.28, 1e-12);
    EXPECT_EQ(p[1], 1.0);
    EXPECT_TRUE(std::isnan(p[2]));
    EXPECT_TRUE(std::isnan(p[3]));
    const auto f = collision_serious_probability({0, 1}, {0.1, 0.2}, 2, {1, 0});
    EXPECT_TRUE(std::isnan(f[0]));
    EXPECT_NEAR(f[1], 0.2, 1e-12);
    EXPECT_THROW(collision_serious_probability({5}, {0.1}, 2), Error);
}
