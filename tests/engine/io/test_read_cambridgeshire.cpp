// The real Cambridgeshire export through the shipped profile. Expected values are computed here
// from the raw CSV with a small parser of the test's own, or taken from the data provider's notes.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>
#include <set>

#include "../test_support.hpp"
#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {
const std::string kCambs = std::string(ROADSAFE_DATASETS) + "/cambridgeshire/Cambs_RTC.csv";
const std::string kProfile = std::string(ROADSAFE_DATASETS) + "/profiles/cambridgeshire_insight.ini";

// The shipped export is read once for the whole suite.
const Dataset& cambs() {
    static const Dataset ds = [] {
        ReadOptions options;
        options.profile = kProfile;
        return read_stats19({kCambs}, options);
    }();
    return ds;
}

// The raw CSV, split independently of the engine: quotes may hold commas, "" is a quote.
struct RawCsv {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  // rows[i] is file line i + 2

    static std::vector<std::string> split(const std::string& line) {
        std::vector<std::string> out(1);
        bool quoted = false;
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char ch = line[i];
            if (quoted) {
                if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                    out.back() += '"';
                    ++i;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    out.back() += ch;
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.emplace_back();
            } else if (ch != '\r') {
                out.back() += ch;
            }
        }
        return out;
    }
    std::size_t column(const std::string& name) const {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return i;
        ADD_FAILURE() << "no column " << name;
        return 0;
    }
};

const RawCsv& raw() {
    static const RawCsv csv = [] {
        RawCsv out;
        const std::string text = read_bytes(kCambs);
        std::size_t pos = 0;
        bool first = true;
        while (pos < text.size()) {
            std::size_t nl = text.find('\n', pos);
            if (nl == std::string::npos) nl = text.size();
            auto fields = RawCsv::split(text.substr(pos, nl - pos));
            pos = nl + 1;
            if (first) {
                out.header = std::move(fields);
                first = false;
            } else {
                out.rows.push_back(std::move(fields));
            }
        }
        return out;
    }();
    return csv;
}

std::string financial_year(std::int32_t days) {
    const CivilDate d = civil_from_days(days);
    const int start = d.month >= 4 ? d.year : d.year - 1;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%d-%02d", start, (start + 1) % 100);
    return buf;
}

}  // namespace

TEST(ReadCambridgeshire, LoadsEveryRow) {
    const Dataset& ds = cambs();
    EXPECT_EQ(ds.collisions.rows(), 12108u);
    EXPECT_EQ(raw().rows.size(), 12108u);
    ASSERT_EQ(ds.report.files.size(), 1u);
    const FileSummary& f = ds.report.files[0];
    EXPECT_EQ(f.rows_read, 12108);
    EXPECT_EQ(f.rows_loaded, 12108);
    EXPECT_EQ(f.rows_rejected, 0);
    EXPECT_EQ(f.rows_duplicate, 0);
    EXPECT_EQ(f.generation, "profile: Cambridgeshire Insight road traffic collisions");
    expect_rows_accounted(ds.report);
}

TEST(ReadCambridgeshire, EveryColumnIsUsedAndEveryLabelMapped) {
    const Dataset& ds = cambs();
    // All 54 source columns are used (no ColumnNotLoaded), and the only entries are the 5 placeholders.
    EXPECT_TRUE(entries_with(ds.report, Outcome::ColumnNotLoaded).empty());
    EXPECT_TRUE(entries_with(ds.report, Outcome::ValueMissing).empty());
    EXPECT_TRUE(entries_with(ds.report, Outcome::RowRejected).empty());
    EXPECT_EQ(ds.report.entries.size(), 5u);
}

TEST(ReadCambridgeshire, FivePlaceholderLocationsAreFlagged) {
    const Dataset& ds = cambs();
    const Table& c = ds.collisions;
    // Independently: the rows whose Easting is 500000.0009 or Northing 199999.9999.
    const std::size_t e_col = raw().column("Easting"), n_col = raw().column("Northing");
    std::vector<std::int64_t> lines;
    std::vector<std::string> values;
    for (std::size_t i = 0; i < raw().rows.size(); ++i) {
        const auto& r = raw().rows[i];
        if (r[e_col] == "500000.0009" || r[n_col] == "199999.9999") {
            lines.push_back(static_cast<std::int64_t>(i) + 2);
            char v[64];
            std::snprintf(v, sizeof v, "%.4f %.4f", std::stod(r[e_col]), std::stod(r[n_col]));
            values.push_back(v);
        }
    }
    EXPECT_EQ(lines, (std::vector<std::int64_t>{10602, 10803, 10930, 11012, 11080}));

    const Column& status = c.at("location_status");
    std::vector<std::int64_t> placeholder_lines;
    for (std::size_t i = 0; i < c.rows(); ++i) {
        if (status.ints[i] != 2) continue;
        EXPECT_EQ(*status.categories->find(2), "placeholder");
        placeholder_lines.push_back(int_at(c, "source_line", i));
        for (const char* col : {"location_easting_osgr", "location_northing_osgr", "longitude", "latitude"})
            EXPECT_TRUE(std::isnan(float_at(c, col, i))) << col << " row " << i;
    }
    EXPECT_EQ(placeholder_lines, lines);

    const auto flagged = entries_with(ds.report, Outcome::RowFlagged);
    ASSERT_EQ(flagged.size(), 5u);
    for (std::size_t k = 0; k < 5; ++k) {
        EXPECT_EQ(flagged[k].file, kCambs);
        EXPECT_EQ(flagged[k].line, lines[k]);
        EXPECT_EQ(flagged[k].table, "collision");
        EXPECT_EQ(flagged[k].column, "location_easting_osgr location_northing_osgr");
        EXPECT_EQ(flagged[k].value, values[k]);
        EXPECT_EQ(flagged[k].reason, "placeholder coordinates of this export; the location is unknown and not plotted");
    }
    EXPECT_EQ(flagged[2].value, "506230.0021 199999.9999");  // the serious collision 16899417

    // Every other row has a location inside GB, in both BNG and WGS84.
    std::size_t ok = 0;
    for (std::size_t i = 0; i < c.rows(); ++i) {
        if (status.ints[i] != 0) continue;
        ++ok;
        const double lat = float_at(c, "latitude", i), lon = float_at(c, "longitude", i);
        EXPECT_TRUE(lat > 52.0 && lat < 52.8 && lon > -0.6 && lon < 0.6) << i << ": " << lat << ", " << lon;
    }
    EXPECT_EQ(ok, 12108u - 5u);
    EXPECT_NE(ds.report.coordinate_transformation.find("OSGB36 to WGS 84"), std::string::npos);
}

TEST(ReadCambridgeshire, Latin1LocationTextDecodedToUtf8) {
    const Table& c = cambs().collisions;
    // The export has "CAFÉ" twice, as the Latin-1 byte 0xC9 (SOURCES.md says "café"/0xE9; the bytes say 0xC9).
    std::vector<std::string> cafes;
    for (std::size_t i = 0; i < c.rows(); ++i) {
        const std::string s = text_at(c, "location_description", i);
        if (s.find("CAF\xC3\x89") != std::string::npos) cafes.push_back(s);
    }
    EXPECT_EQ(cafes, (std::vector<std::string>{"REGENT ST OUTSIDE 59 CAF\xC3\x89 SCILLIA CAMBRIDGE",
                                               "OUTSIDE CAF\xC3\x89 ROUGE 10-24 BRIDGE STREET"}));
    EXPECT_EQ(text_at(c, "location_description", 0).find('\xC9'), std::string::npos);
}

TEST(ReadCambridgeshire, SecondDayColumnIsTheDayOfWeek) {
    const Table& c = cambs().collisions;
    // First row: reference 2016, Wednesday 6 January 2016, 07:25.
    EXPECT_EQ(text_at(c, "collision_reference", 0), "2016");
    EXPECT_EQ(int_at(c, "date", 0), days_from_civil(2016, 1, 6));
    EXPECT_EQ(int_at(c, "time", 0), 7 * 60 + 25);
    EXPECT_EQ(int_at(c, "day_of_week", 0), 4);  // DfT: 1 = Sunday ... 7 = Saturday
    EXPECT_EQ(*c.at("day_of_week").categories->find(4), "Wednesday");
    // Day#1 is the day of the month; Day#2 the weekday, which matches the date on every row.
    for (std::size_t i = 0; i < c.rows(); ++i) {
        const std::int32_t days = int_at(c, "date", i);
        const int sunday_based = static_cast<int>(((days % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
        ASSERT_EQ(int_at(c, "day_of_week", i), sunday_based + 1) << "row " << i;
        ASSERT_EQ(int_at(c, "source_day_of_month", i), civil_from_days(days).day) << "row " << i;
    }
    EXPECT_EQ(int_at(c, "police_force", 0), 35);
}

TEST(ReadCambridgeshire, OneVehicleRowPerFilledVehicleType) {
    const Dataset& ds = cambs();
    const std::array<std::size_t, 3> type_cols = {raw().column("Vehicle_1_Type"), raw().column("Vehicle_2_Type"),
                                                  raw().column("Vehicle_3_Type")};
    std::size_t expected = 0;
    for (const auto& r : raw().rows)
        for (std::size_t col : type_cols)
            if (r[col].find_first_not_of(' ') != std::string::npos) ++expected;
    EXPECT_EQ(ds.vehicles.rows(), expected);
    EXPECT_EQ(expected, 22357u);
    // Each vehicle points at its collision.
    const Column& row = ds.vehicles.at("collision_row");
    for (std::size_t i = 0; i < ds.vehicles.rows(); ++i) {
        ASSERT_NE(row.ints[i], kMissingInt);
        ASSERT_EQ(text_at(ds.vehicles, "collision_index", i),
                  text_at(ds.collisions, "collision_index", static_cast<std::size_t>(row.ints[i])));
    }
}

TEST(ReadCambridgeshire, SeverityByFinancialYearMatchesThePublishedCounts) {
    const Table& c = cambs().collisions;
    std::map<std::string, std::array<int, 3>> counts;  // fatal, serious, slight
    for (std::size_t i = 0; i < c.rows(); ++i) {
        const std::int32_t severity = int_at(c, "collision_severity", i);
        ASSERT_TRUE(severity >= 1 && severity <= 3) << i;
        ++counts[financial_year(int_at(c, "date", i))][static_cast<std::size_t>(severity - 1)];
    }
    // /work/shared/datasets/raw/SOURCES.md: computed from the CSV (and published for F and S, with
    // 2016-17 serious one higher than published).
    EXPECT_EQ(counts["2012-13"], (std::array<int, 3>{32, 297, 1912}));
    EXPECT_EQ(counts["2013-14"], (std::array<int, 3>{29, 324, 1787}));
    EXPECT_EQ(counts["2014-15"], (std::array<int, 3>{33, 284, 1676}));
    EXPECT_EQ(counts["2015-16"], (std::array<int, 3>{32, 306, 1637}));
    EXPECT_EQ(counts["2016-17"], (std::array<int, 3>{32, 383, 1732}));
    // The partial years at either end.
    EXPECT_EQ(counts["2011-12"], (std::array<int, 3>{7, 71, 439}));
    EXPECT_EQ(counts["2017-18"], (std::array<int, 3>{21, 207, 867}));
    EXPECT_EQ(counts.size(), 7u);
}

TEST(ReadCambridgeshire, MissingByProfileIsMissingNotMinusOne) {
    // The profile maps "Unknown" labels to -1 (data missing): they load as missing values, like -1 in DfT files.
    const Dataset& ds = cambs();
    for (const Table* t : {&ds.collisions, &ds.vehicles}) {
        for (const Column& col : t->columns()) {
            if (col.type != ColumnType::Category) continue;
            for (std::int32_t v : col.ints) ASSERT_NE(v, -1) << col.name;
        }
    }
    const std::size_t surface = raw().column("Surface");
    std::size_t unknown = 0;
    for (const auto& r : raw().rows) unknown += r[surface] == "Unknown";
    std::size_t missing = 0;
    for (std::int32_t v : ds.collisions.at("road_surface_conditions").ints) missing += v == kMissingInt;
    EXPECT_GT(unknown, 0u);
    EXPECT_EQ(missing, unknown);
}
