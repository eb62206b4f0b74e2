// A file that cannot be read at all (empty, header only, binary, not text) among good ones: it gets
// its summary and one report entry, and the other files are read. strict raises at it; with no
// readable file at all the read raises, naming every file.
#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

struct UnreadableCase {
    std::string file;  // in tests/data/malformed
    ErrorCode code;
    std::string reason;
};

std::ostream& operator<<(std::ostream& os, const UnreadableCase& c) { return os << c.file; }

class UnreadableFile : public ::testing::TestWithParam<UnreadableCase> {};

}  // namespace

TEST_P(UnreadableFile, IsReportedAndTheGoodFileIsLoaded) {
    const UnreadableCase& c = GetParam();
    const std::string good = stats19_fixture("collisions_2024_handmade.csv");
    const std::string bad = malformed_fixture(c.file);
    const Dataset ds = read_stats19({good, bad});
    EXPECT_EQ(ds.collisions.rows(), 3u);
    ASSERT_EQ(ds.report.files.size(), 2u);
    EXPECT_EQ(ds.report.files[0].rows_loaded, 3);
    const FileSummary& f = ds.report.files[1];
    EXPECT_EQ(f.file, bad);
    EXPECT_EQ(f.table, "");
    EXPECT_EQ(f.rows_read, 0);
    EXPECT_EQ(f.rows_loaded, 0);
    ASSERT_EQ(ds.report.entries.size(), 1u);
    const ReportEntry& e = ds.report.entries[0];
    expect_entry(e, {bad, 0, "", "", "", c.reason, Outcome::RowRejected});
    expect_rows_accounted(ds.report);

    // The bad file first: the same, in file order.
    const Dataset swapped = read_stats19({bad, good});
    EXPECT_EQ(swapped.collisions.rows(), 3u);
    ASSERT_EQ(swapped.report.files.size(), 2u);
    EXPECT_EQ(swapped.report.files[0].file, bad);
    EXPECT_EQ(swapped.report.files[1].rows_loaded, 3);
    ASSERT_EQ(swapped.report.entries.size(), 1u);
    EXPECT_EQ(swapped.report.entries[0].reason, c.reason);
    EXPECT_EQ(int_at(swapped.collisions, "source_file", 0), 1);
}

TEST_P(UnreadableFile, StrictRaisesAtIt) {
    const UnreadableCase& c = GetParam();
    const std::string bad = malformed_fixture(c.file);
    ReadOptions options;
    options.strict = true;
    const Error e = caught_error([&] { (void)read_stats19({stats19_fixture("collisions_2024_handmade.csv"), bad}, options); });
    EXPECT_EQ(e.code(), c.code) << error_code_name(e.code());
    EXPECT_EQ(std::string(e.what()), bad + ": " + c.reason);
    EXPECT_EQ(e.where().file, bad);
    EXPECT_EQ(e.where().line, 0);
}

TEST_P(UnreadableFile, AloneItRaisesAsBefore) {
    const UnreadableCase& c = GetParam();
    const std::string bad = malformed_fixture(c.file);
    const Error e = caught_error([&] { (void)read_stats19({bad}); });
    EXPECT_EQ(e.code(), c.code) << error_code_name(e.code());
    EXPECT_EQ(std::string(e.what()), bad + ": " + c.reason);
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, UnreadableFile,
    ::testing::Values(UnreadableCase{"empty.csv", ErrorCode::InvalidInput, "the file is empty"},
                      UnreadableCase{"whitespace_only.csv", ErrorCode::InvalidInput, "the file is empty"},
                      UnreadableCase{"binary.csv", ErrorCode::SchemaMismatch, "not a CSV text file: NUL byte at byte 9"},
                      UnreadableCase{"spreadsheet.xlsx", ErrorCode::SchemaMismatch,
                                     "not a CSV text file: a ZIP archive that is not a spreadsheet GDAL can read "
                                     "(.xlsx, .ods): save the sheet as CSV (a .zip of CSV files must be named .zip)"},
                      UnreadableCase{"old_excel.xls", ErrorCode::SchemaMismatch,
                                     "not a CSV text file: an old Excel .xls workbook GDAL cannot read: save the sheet "
                                     "as CSV"},
                      UnreadableCase{"not_text.csv", ErrorCode::SchemaMismatch,
                                     "not a CSV text file: not UTF-8 or Windows-1252 text (byte 0x1B at byte 1)"}),
    [](const ::testing::TestParamInfo<UnreadableCase>& info) { return info.param.file.substr(0, info.param.file.find('.')); });

TEST(UnreadableFiles, HeaderOnlyLoadsNoRowsWithoutAnEntry) {
    const std::string good = stats19_fixture("collisions_2024_handmade.csv");
    const std::string header_only = malformed_fixture("header_only.csv");
    for (bool strict : {false, true}) {
        ReadOptions options;
        options.strict = strict;
        const Dataset ds = read_stats19({header_only, good}, options);
        EXPECT_EQ(ds.collisions.rows(), 3u);
        EXPECT_TRUE(ds.report.entries.empty());
        ASSERT_EQ(ds.report.files.size(), 2u);
        EXPECT_EQ(ds.report.files[0].table, "collision");
        EXPECT_EQ(ds.report.files[0].generation, "2021-2023");
        EXPECT_EQ(ds.report.files[0].rows_read, 0);
        const Dataset alone = read_stats19({header_only}, options);
        EXPECT_EQ(alone.collisions.rows(), 0u);
        EXPECT_TRUE(alone.report.entries.empty());
    }
}

TEST(UnreadableFiles, HeaderNotInTheDeclaredEncodingIsSkippedToo) {
    ScratchDir dir;
    const std::string bad = dir.file("latin1_header.csv");
    write_bytes(bad, "collision_index,caf\xE9\n1,2\n");
    const std::string good = stats19_fixture("collisions_2024_handmade.csv");
    const Dataset ds = read_stats19({bad, good});
    EXPECT_EQ(ds.collisions.rows(), 3u);
    ASSERT_EQ(ds.report.entries.size(), 1u);
    const ReportEntry& e = ds.report.entries[0];
    EXPECT_EQ(e.line, 1);
    EXPECT_EQ(e.value, "collision_index,caf\\xE9");
    EXPECT_EQ(e.reason, "the header is not valid UTF-8 (the declared encoding)");
    ReadOptions options;
    options.strict = true;
    EXPECT_EQ(caught_error([&] { (void)read_stats19({bad, good}, options); }).code(), ErrorCode::Encoding);
}

TEST(UnreadableFiles, NoReadableFileRaisesNamingEveryFile) {
    const std::string empty = malformed_fixture("empty.csv");
    const std::string binary = malformed_fixture("binary.csv");
    const std::string not_text = malformed_fixture("not_text.csv");
    const Error e = caught_error([&] { (void)read_stats19({empty, binary, not_text}); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(e.where().file, empty);
    EXPECT_EQ(std::string(e.what()),
              empty + ": the file is empty (and no other input file could be read: " + binary +
                  ": not a CSV text file: NUL byte at byte 9; " + not_text +
                  ": not a CSV text file: not UTF-8 or Windows-1252 text (byte 0x1B at byte 1))");
}

TEST(UnreadableFiles, OtherSeparatorsAndUtf16AreRead) {
    // Once refused by name; now read (tests/data/awkward holds the full-size cases).
    for (const char* name : {"semicolons.csv", "utf16.csv"}) {
        const Dataset ds = read_stats19({malformed_fixture(name)});
        EXPECT_EQ(ds.collisions.rows(), 1u) << name;
        EXPECT_EQ(ds.report.files.at(0).rows_rejected, 0) << name;
    }
}
