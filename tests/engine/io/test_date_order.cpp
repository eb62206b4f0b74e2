// Dates as analysts' files write them: day or month first (decided by the file's own values, never a
// silent swap), two-digit years, a time in the same field.
#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "io/date_order.hpp"
#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

std::vector<std::int32_t> days(std::initializer_list<std::array<int, 3>> ymd) {
    std::vector<std::int32_t> out;
    for (const auto& d : ymd) out.push_back(days_from_civil(d[0], d[1], d[2]));
    return out;
}

Dataset read_dates(const ScratchDir& dir, const std::string& dates_csv) {
    std::string text = "collision_index,date\n";
    int i = 1;
    std::string line;
    for (std::size_t start = 0; start < dates_csv.size();) {
        const auto end = dates_csv.find(';', start);
        line = dates_csv.substr(start, end == std::string::npos ? std::string::npos : end - start);
        text += "20150000000" + std::to_string(i++) + "," + line + "\n";
        start = end == std::string::npos ? dates_csv.size() : end + 1;
    }
    write_bytes(dir.file("dates.csv"), text);
    return read_stats19({dir.file("dates.csv")});
}

}  // namespace

TEST(DateOrder, MonthFirstFilesAreReadSoAndSaySo) {
    ScratchDir dir;
    const Dataset ds = read_dates(dir, "01/05/2015;12/25/2015;02/14/2015");
    EXPECT_EQ(ds.collisions.at("date").ints, days({{2015, 1, 5}, {2015, 12, 25}, {2015, 2, 14}}));
    ASSERT_EQ(ds.report.entries.size(), 1u);
    expect_entry(ds.report.entries[0],
                 ReportEntry{dir.file("dates.csv"), 3, "collision", "date", "12/25/2015",
                             "dates are written month first (MM/DD/YYYY), as this value shows: all are read so",
                             Outcome::RowFlagged});
}

TEST(DateOrder, DayFirstFilesAndUndecidedOnesAreReadDayFirst) {
    ScratchDir dir;
    const Dataset decided = read_dates(dir, "01/05/2015;25/12/2015");
    EXPECT_EQ(decided.collisions.at("date").ints, days({{2015, 5, 1}, {2015, 12, 25}}));
    EXPECT_TRUE(decided.report.entries.empty());
    const Dataset undecided = read_dates(dir, "01/05/2015;02/06/2015");  // DfT's own order
    EXPECT_EQ(undecided.collisions.at("date").ints, days({{2015, 5, 1}, {2015, 6, 2}}));
    ASSERT_EQ(undecided.report.entries.size(), 1u);  // and the report says it was assumed
    expect_entry(undecided.report.entries[0],
                 ReportEntry{dir.file("dates.csv"), 1, "collision", "date", "",
                             "no date has a part above 12 to show whether the day or the month comes first: read "
                             "day first (DD/MM/YYYY), as DfT writes",
                             Outcome::RowFlagged});
}

TEST(DateOrder, TwoDigitYearsAndATimeInTheSameField) {
    ScratchDir dir;
    const Dataset ds = read_dates(dir, "25/12/15;01/01/79;31/12/2015 10:45;2015-12-30T08:00:00;2015-12-29 23:59");
    EXPECT_EQ(ds.collisions.at("date").ints,
              days({{2015, 12, 25}, {1979, 1, 1}, {2015, 12, 31}, {2015, 12, 30}, {2015, 12, 29}}));
    EXPECT_TRUE(ds.report.entries.empty());
}

TEST(DateOrder, PartsOfAValue) {
    EXPECT_EQ(day_month_parts("12/25/2015")->second, 25);
    EXPECT_EQ(day_month_parts(" 3-4-15 ")->first, 3);
    EXPECT_EQ(day_month_parts("31.12.2015 10:45")->first, 31);
    EXPECT_FALSE(day_month_parts("2015-12-25"));  // ISO: no question of order
    EXPECT_FALSE(day_month_parts("25/12/215"));
    EXPECT_FALSE(day_month_parts("yesterday"));
}
