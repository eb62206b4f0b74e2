// Chapman's estimator and its variance by hand.
#include <gtest/gtest.h>

#include "../caught_error.hpp"
#include "roadsafe/linkage/capture_recapture.hpp"

using namespace roadsafe::linkage;

TEST(LinkageCaptureRecapture, ChapmanByHand) {
    // n1 = 100, n2 = 60, m = 30: N = 101 * 61 / 31 - 1 = 6161 / 31 - 1 = 197.7419...
    // Var = 101 * 61 * 70 * 30 / (31^2 * 32) = 12,938,100 / 30,752 = 420.7238...
    const ChapmanEstimate e = chapman(100, 60, 30);
    EXPECT_NEAR(e.n, 6161.0 / 31.0 - 1.0, 1e-12);
    EXPECT_NEAR(e.variance, 12938100.0 / 30752.0, 1e-9);
    EXPECT_NEAR(e.lower, 157.54002800119952, 1e-6);  // N -+ 1.959964 sqrt(Var)
    EXPECT_NEAR(e.upper, 237.94384296654243, 1e-6);
    // Everyone seen by both sources: N = n, no variance, and the interval cannot fall below n.
    const ChapmanEstimate all = chapman(40, 40, 40);
    EXPECT_NEAR(all.n, 40, 1e-12);
    EXPECT_EQ(all.variance, 0);
    EXPECT_NEAR(all.lower, 40, 1e-12);
}

TEST(LinkageCaptureRecapture, RejectsImpossibleCounts) {
    auto e = roadsafe::test::caught_error([] { chapman(10, 5, 6); });
    EXPECT_EQ(e.code(), roadsafe::ErrorCode::InvalidInput);
    EXPECT_STREQ(e.what(), "capture-recapture needs 0 <= m <= min(n1, n2); got n1 = 10, n2 = 5, m = 6");
    e = roadsafe::test::caught_error([] { chapman(10, 5, 2, 1.0); });
    EXPECT_STREQ(e.what(), "confidence must lie strictly between 0 and 1");
}
