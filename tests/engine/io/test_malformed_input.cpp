// The malformed corpus (tests/data/malformed/README.md): every bad input gives its exact load-report
// entry (strict = false) or its exact error (strict = true, or a file that cannot be read at all).
// Rows are never lost silently: rows_read == rows_loaded + rows_rejected + rows_duplicate.
#include <gtest/gtest.h>

#include <optional>

#include "../test_support.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

// Row 2 (file line 3) of accidents_sample.csv, the row most malformed files change.
const std::string kRow2Start =
    "2023471310743,2023,471310743,487614,105518,,,47,2,1,1,21/05/2023,1,11:10,-1,E07000225,E10000032,3,285,3,30,0,-1,"
    "0,-1,0,4,1,1,1,0,0,1,1,2,";

struct ExpectedEntry {
    std::int64_t line;
    std::string column;
    std::string value;
    std::string reason;
    Outcome outcome;
    std::int64_t rows_loaded;
    std::int64_t rows_rejected;
};

struct MalformedCase {
    std::string file;                    // in tests/data/malformed
    std::optional<ExpectedEntry> entry;  // non-strict: the one report entry
    ErrorCode strict_code;               // strict (and, without `entry`, non-strict too)
    std::string message_after_path;      // Error::what() is "<path>" + this
};

std::ostream& operator<<(std::ostream& os, const MalformedCase& c) {
    return os << c.file;
}

std::vector<MalformedCase> corpus() {
    return {
        {"empty.csv", std::nullopt, ErrorCode::InvalidInput, ": the file is empty"},
        {"whitespace_only.csv", std::nullopt, ErrorCode::InvalidInput, ": the file is empty"},
        {"binary.csv", std::nullopt, ErrorCode::SchemaMismatch, ": not a CSV text file: NUL byte at byte 9"},
        {"not_text.csv", std::nullopt, ErrorCode::SchemaMismatch,
         ": not a CSV text file: not UTF-8 or Windows-1252 text (byte 0x1B at byte 1)"},
        {"not_stats19.csv", std::nullopt, ErrorCode::SchemaMismatch,
         ":1: value 'station': not a STATS19 file: the header has no collision_index (or accident_index) column"},
        {"truncated_last_line.csv",
         ExpectedEntry{
             4, "",
             "2023522301107,2023,522301107,369566,179599,,,52,2,4,1,01/06/2023,5,19:30,-1,E06000025,E06000025,6,0,6",
             "expected 37 fields, found 20", Outcome::RowRejected, 2, 1},
         ErrorCode::InvalidInput,
         ":4: value '2023522301107,2023,522301107,369566,179599,,,52,2,4,1,01/06/2023,5,19:30,-1,E06000025,E06000025,6,"
         "0,6': expected 37 fields, found 20"},
        {"too_many_fields.csv",
         ExpectedEntry{3, "", kRow2Start + "E01031482,5,1", "expected 37 fields, found 38", Outcome::RowRejected, 2, 1},
         ErrorCode::InvalidInput, ":3: value '" + kRow2Start + "E01031482,5,1': expected 37 fields, found 38"},
        {"unclosed_quote.csv",
         ExpectedEntry{3, "", kRow2Start + "\"E01031482,5",
                       "a quoted field opened on line 3 is not closed before the end of the file", Outcome::RowRejected,
                       2, 1},
         ErrorCode::InvalidInput,
         ":3: value '" + kRow2Start +
             "\"E01031482,5': a quoted field opened on line 3 is not closed before the end of the file"},
        {"bad_date.csv",
         ExpectedEntry{3, "date", "31/02/2019", "not a valid calendar date", Outcome::ValueMissing, 3, 0},
         ErrorCode::InvalidInput, ":3: column 'date': value '31/02/2019': not a valid calendar date"},
        {"not_a_date.csv",
         ExpectedEntry{3, "date", "yesterday", "not a date (DD/MM/YYYY or YYYY-MM-DD)", Outcome::ValueMissing, 3, 0},
         ErrorCode::InvalidInput, ":3: column 'date': value 'yesterday': not a date (DD/MM/YYYY or YYYY-MM-DD)"},
        {"bad_time.csv", ExpectedEntry{3, "time", "25:61", "not a valid time of day", Outcome::ValueMissing, 3, 0},
         ErrorCode::InvalidInput, ":3: column 'time': value '25:61': not a valid time of day"},
        {"non_integer_code.csv", ExpectedEntry{3, "road_type", "abc", "not an integer", Outcome::ValueMissing, 3, 0},
         ErrorCode::InvalidInput, ":3: column 'road_type': value 'abc': not an integer"},
        {"unknown_code.csv",
         ExpectedEntry{3, "accident_severity", "7", "code is not in the data guide's list for this field",
                       Outcome::RowFlagged, 3, 0},
         ErrorCode::InvalidInput,
         ":3: column 'accident_severity': value '7': code is not in the data guide's list for this field"},
        {"not_utf8.csv",
         ExpectedEntry{3, "lsoa_of_accident_location", "E01031\\xE9482",
                       "bytes are not valid UTF-8 (the declared encoding)", Outcome::ValueMissing, 3, 0},
         ErrorCode::Encoding,
         ":3: column 'lsoa_of_accident_location': value 'E01031\\xE9482': bytes are not valid UTF-8 (the declared "
         "encoding)"},
        {"missing_index.csv",
         ExpectedEntry{3, "accident_index", "", "a key field is empty; the row cannot be joined", Outcome::RowRejected,
                       2, 1},
         ErrorCode::InvalidInput, ":3: column 'accident_index': a key field is empty; the row cannot be joined"},
    };
}

Error read_error(const std::string& path, bool strict) {
    ReadOptions options;
    options.strict = strict;
    SCOPED_TRACE(path);
    return caught_error([&] { (void)read_stats19({path}, options); });
}

class MalformedInput : public ::testing::TestWithParam<MalformedCase> {};

}  // namespace

TEST_P(MalformedInput, NonStrictReportsTheExactEntryOrError) {
    const MalformedCase& c = GetParam();
    const std::string path = malformed_fixture(c.file);
    if (!c.entry) {
        const Error e = read_error(path, false);
        EXPECT_EQ(e.code(), c.strict_code) << error_code_name(e.code());
        EXPECT_EQ(std::string(e.what()), path + c.message_after_path);
        EXPECT_EQ(e.where().file, path);
        return;
    }
    const Dataset ds = read_stats19({path});
    ASSERT_EQ(ds.report.entries.size(), 1u);
    const ReportEntry& got = ds.report.entries[0];
    expect_entry(got, {path, c.entry->line, "collision", c.entry->column, c.entry->value, c.entry->reason,
                       c.entry->outcome});

    ASSERT_EQ(ds.report.files.size(), 1u);
    const FileSummary& f = ds.report.files[0];
    EXPECT_EQ(f.generation, "2021-2023");
    EXPECT_EQ(f.rows_read, 3);
    EXPECT_EQ(f.rows_loaded, c.entry->rows_loaded);
    EXPECT_EQ(f.rows_rejected, c.entry->rows_rejected);
    EXPECT_EQ(f.rows_duplicate, 0);
    expect_rows_accounted(ds.report);
    EXPECT_EQ(ds.collisions.rows(), static_cast<std::size_t>(f.rows_loaded));
    // The good rows are all there.
    EXPECT_EQ(text_at(ds.collisions, "collision_index", 0), "2023010451590");
}

TEST_P(MalformedInput, StrictRaisesWithFileLineColumnAndValue) {
    const MalformedCase& c = GetParam();
    const std::string path = malformed_fixture(c.file);
    const Error e = read_error(path, true);
    EXPECT_EQ(e.code(), c.strict_code) << error_code_name(e.code());
    EXPECT_EQ(std::string(e.what()), path + c.message_after_path);
    EXPECT_EQ(e.where().file, path);
    if (c.entry) {
        EXPECT_EQ(e.where().line, c.entry->line);
        EXPECT_EQ(e.where().column, c.entry->column);
        EXPECT_EQ(e.where().value, c.entry->value);
        const std::string what = e.what();
        EXPECT_NE(what.find(path + ":" + std::to_string(c.entry->line) + ":"), std::string::npos);
        if (!c.entry->column.empty()) {
            EXPECT_NE(what.find("column '" + c.entry->column + "'"), std::string::npos);
        }
        if (!c.entry->value.empty()) {
            EXPECT_NE(what.find("value '" + c.entry->value + "'"), std::string::npos);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Corpus, MalformedInput, ::testing::ValuesIn(corpus()),
                         [](const ::testing::TestParamInfo<MalformedCase>& info) {
                             std::string name = info.param.file.substr(0, info.param.file.find('.'));
                             for (char& ch : name)
                                 if (ch == '-') ch = '_';
                             return name;
                         });

// What happens to the bad value itself: set missing, or kept and flagged.
TEST(MalformedValues, BadValuesAreMissingAndUnknownCodesKept) {
    {
        const Dataset ds = read_stats19({malformed_fixture("bad_date.csv")});
        EXPECT_EQ(int_at(ds.collisions, "date", 1), kMissingInt);
        EXPECT_NE(int_at(ds.collisions, "date", 0), kMissingInt);
        EXPECT_EQ(int_at(ds.collisions, "time", 1), 11 * 60 + 10);  // the rest of the row is loaded
    }
    {
        const Dataset ds = read_stats19({malformed_fixture("bad_time.csv")});
        EXPECT_EQ(int_at(ds.collisions, "time", 1), kMissingInt);
    }
    {
        const Dataset ds = read_stats19({malformed_fixture("non_integer_code.csv")});
        EXPECT_EQ(int_at(ds.collisions, "road_type", 1), kMissingInt);
    }
    {
        const Dataset ds = read_stats19({malformed_fixture("unknown_code.csv")});
        EXPECT_EQ(int_at(ds.collisions, "collision_severity", 1), 7);  // loaded as given, flagged
        EXPECT_EQ(ds.collisions.at("collision_severity").categories->find(7), nullptr);
    }
    {
        const Dataset ds = read_stats19({malformed_fixture("not_utf8.csv")});
        EXPECT_TRUE(ds.collisions.at("lsoa_of_collision_location").is_missing(1));
        EXPECT_EQ(text_at(ds.collisions, "lsoa_of_collision_location", 2), "E01014994");
    }
    {
        const Dataset ds = read_stats19({malformed_fixture("missing_index.csv")});
        ASSERT_EQ(ds.collisions.rows(), 2u);
        EXPECT_EQ(text_at(ds.collisions, "collision_index", 1), "2023522301107");
        EXPECT_EQ(int_at(ds.collisions, "source_line", 1), 4);  // line numbers stay those of the file
    }
}

TEST(MalformedPaths, NonexistentPathIsAnIoError) {
    const std::string path = malformed_fixture("no_such_file.csv");
    for (bool strict : {false, true}) {
        const Error e = read_error(path, strict);
        EXPECT_EQ(e.code(), ErrorCode::Io);
        EXPECT_EQ(std::string(e.what()), path + ": cannot open file (does it exist?)");
    }
}

TEST(MalformedPaths, DirectoryIsAnIoError) {
    const std::string path = std::string(ROADSAFE_TEST_DATA) + "/malformed";
    for (bool strict : {false, true}) {
        const Error e = read_error(path, strict);
        EXPECT_EQ(e.code(), ErrorCode::Io);
        EXPECT_EQ(std::string(e.what()), path + ": is a directory, not a file");
    }
}

TEST(MalformedPaths, NoPathsAtAll) {
    const Error e = caught_error([&] { (void)read_stats19({}); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_STREQ(e.what(), "no input files given");
}

// A bad file among good ones: every file keeps its own summary, and nothing is lost.
TEST(MalformedValues, GoodAndBadFilesTogether) {
    const std::string good = stats19_fixture("collisions_2024_handmade.csv");
    const std::string bad1 = malformed_fixture("truncated_last_line.csv");
    const std::string bad2 = malformed_fixture("unknown_code.csv");
    const Dataset ds = read_stats19({good, bad1, bad2});
    ASSERT_EQ(ds.report.files.size(), 3u);
    EXPECT_EQ(ds.report.files[0].rows_loaded, 3);
    EXPECT_EQ(ds.report.files[1].rows_rejected, 1);
    expect_rows_accounted(ds.report);
    // unknown_code.csv repeats two rows of truncated_last_line.csv (the same real sample rows).
    EXPECT_EQ(ds.report.files[2].rows_duplicate, 2);
    EXPECT_EQ(ds.report.files[2].rows_loaded, 1);
    EXPECT_EQ(ds.collisions.rows(), 3u + 2u + 1u);
}
