// Civil dates (days since 1970-01-01, proleptic Gregorian) against a naive day-by-day counter.
#include <gtest/gtest.h>

#include "roadsafe/core/civil_date.hpp"

using namespace roadsafe;

namespace {

bool naive_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int naive_month_length(int y, int m) {
    static const int kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return kLengths[m - 1] + (m == 2 && naive_leap(y) ? 1 : 0);
}

}  // namespace

TEST(CivilDate, EpochAndKnownDays) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(days_from_civil(2023, 6, 24), 19532);
    // 1900-01-01: 70 years of 365 days plus the 17 leap days 1904..1968 before the epoch.
    EXPECT_EQ(days_from_civil(1900, 1, 1), -(70 * 365 + 17));
}

TEST(CivilDate, RoundTripEveryDay1900To2100AgainstANaiveCounter) {
    std::int32_t counter = -(70 * 365 + 17);  // 1900-01-01
    int checked = 0;
    for (int y = 1900; y <= 2100; ++y) {
        for (int m = 1; m <= 12; ++m) {
            for (int d = 1; d <= naive_month_length(y, m); ++d, ++counter, ++checked) {
                ASSERT_TRUE(is_valid_date(y, m, d)) << y << "-" << m << "-" << d;
                ASSERT_EQ(days_from_civil(y, m, d), counter) << y << "-" << m << "-" << d;
                const CivilDate c = civil_from_days(counter);
                ASSERT_EQ(c.year, y) << counter;
                ASSERT_EQ(c.month, m) << counter;
                ASSERT_EQ(c.day, d) << counter;
            }
            ASSERT_FALSE(is_valid_date(y, m, naive_month_length(y, m) + 1)) << y << "-" << m;
        }
    }
    EXPECT_EQ(checked, 73414);  // 201 years, 49 of them leap (2000 is, 1900 and 2100 are not)
    EXPECT_EQ(counter, days_from_civil(2101, 1, 1));
}

TEST(CivilDate, Validity) {
    EXPECT_TRUE(is_valid_date(2000, 2, 29));
    EXPECT_TRUE(is_valid_date(2024, 2, 29));
    EXPECT_FALSE(is_valid_date(1900, 2, 29));
    EXPECT_FALSE(is_valid_date(2019, 2, 29));
    EXPECT_FALSE(is_valid_date(2019, 2, 31));
    EXPECT_FALSE(is_valid_date(2019, 4, 31));
    EXPECT_FALSE(is_valid_date(2019, 13, 1));
    EXPECT_FALSE(is_valid_date(2019, 0, 1));
    EXPECT_FALSE(is_valid_date(2019, 1, 0));
    EXPECT_FALSE(is_valid_date(2019, 1, -5));
    EXPECT_FALSE(is_valid_date(1799, 12, 31));  // outside the years a road-safety record can have
    EXPECT_FALSE(is_valid_date(2201, 1, 1));
}

TEST(CivilDate, IsoFormat) {
    EXPECT_EQ(format_iso_date(0), "1970-01-01");
    EXPECT_EQ(format_iso_date(days_from_civil(2017, 10, 31)), "2017-10-31");
    EXPECT_EQ(format_iso_date(days_from_civil(1900, 1, 1)), "1900-01-01");
    EXPECT_EQ(format_iso_date(-1), "1969-12-31");
}
