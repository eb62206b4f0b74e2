// Period keys and weighted counts by period.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/trends/period_counts.hpp"

using namespace roadsafe;
using namespace roadsafe::trends;

TEST(PeriodKey, FinancialYearsStartInApril) {
    EXPECT_EQ(period_key(days_from_civil(2012, 3, 31), Period::FinancialYear), 2011);
    EXPECT_EQ(period_key(days_from_civil(2012, 4, 1), Period::FinancialYear), 2012);
    EXPECT_EQ(period_key(days_from_civil(2013, 3, 31), Period::FinancialYear), 2012);
    EXPECT_EQ(period_key(days_from_civil(2012, 12, 31), Period::CalendarYear), 2012);
    EXPECT_EQ(period_key(days_from_civil(2012, 3, 31), Period::Quarter), 2012 * 4 + 0);
    EXPECT_EQ(period_key(days_from_civil(2012, 4, 1), Period::Quarter), 2012 * 4 + 1);
    EXPECT_EQ(period_key(days_from_civil(2012, 12, 1), Period::Quarter), 2012 * 4 + 3);
    EXPECT_EQ(period_key(days_from_civil(2012, 1, 15), Period::Month), 2012 * 12);
    EXPECT_EQ(period_key(days_from_civil(2011, 12, 15), Period::Month), 2012 * 12 - 1);
}

TEST(CountByPeriod, UnitAndFractionalWeightsWithEmptyPeriods) {
    const std::vector<std::int32_t> keys{10, 10, 12, 13, 13, 13};
    const auto unit = count_by_period(keys, {}, 10, 5);
    EXPECT_EQ(unit.total, (std::vector<double>{2, 0, 1, 3, 0}));
    EXPECT_EQ(unit.events, (std::vector<std::int64_t>{2, 0, 1, 3, 0}));
    EXPECT_EQ(unit.sum_squares, unit.total);

    const std::vector<double> w{0.5, 1.0, 0.25, 2.0, 1.0, 0.0};
    const auto weighted = count_by_period(keys, w, 10, 5);
    EXPECT_DOUBLE_EQ(weighted.total[0], 1.5);
    EXPECT_DOUBLE_EQ(weighted.sum_squares[0], 1.25);
    EXPECT_DOUBLE_EQ(weighted.max_weight[3], 2.0);
    EXPECT_EQ(weighted.events[3], 2);  // a zero weight is not an event
    EXPECT_DOUBLE_EQ(weighted.total[3], 3.0);
    EXPECT_DOUBLE_EQ(weighted.sum_squares[3], 5.0);
}

TEST(CountByPeriod, RejectsBadInput) {
    const std::vector<std::int32_t> keys{1, 2};
    const std::vector<double> short_w{1.0};
    const std::vector<double> neg{1.0, -1.0};
    EXPECT_THROW(count_by_period(keys, short_w, 1, 2), Error);
    EXPECT_THROW(count_by_period(keys, neg, 1, 2), Error);
    EXPECT_THROW(count_by_period(keys, {}, 2, 2), Error);
    EXPECT_THROW(count_by_period(keys, {}, 1, -1), Error);
}
