// RFC 4180 records whose quoted fields hold line breaks (Excel exports of free-text columns such as
// location_description), in a DfT 2024-layout file and a Cambridgeshire-profile file, and a quote
// that is never closed. Records are numbered by their first line; the lines after keep theirs.
#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

const std::string kCambsProfile = std::string(ROADSAFE_DATASETS) + "/profiles/cambridgeshire_insight.ini";

std::vector<std::int32_t> source_lines(const Table& t) {
    const auto& v = t.at("source_line").ints;
    return {v.begin(), v.end()};
}

}  // namespace

TEST(QuotedLineBreaks, DfT2024FileLoadsTheRecordWholeAndKeepsLaterLineNumbers) {
    const std::string path = malformed_fixture("multiline_2024.csv");
    const Dataset ds = read_stats19({path});
    ASSERT_EQ(ds.collisions.rows(), 3u);
    EXPECT_EQ(source_lines(ds.collisions), (std::vector<std::int32_t>{2, 3, 6}));
    EXPECT_EQ(text_at(ds.collisions, "collision_index", 1), "2021010296300");
    EXPECT_EQ(text_at(ds.collisions, "location_description", 1), "A10 NORTHBOUND\nJUNCTION WITH MILL RD,\n\"THE BRIDGE\" END");
    EXPECT_EQ(text_at(ds.collisions, "location_description", 2), "MAIN RD");
    EXPECT_EQ(text_at(ds.collisions, "collision_index", 2), "2021070629081");
    // The row after the record is parsed as before: its bad time is reported on its own line.
    ASSERT_EQ(ds.report.entries.size(), 1u);
    const ReportEntry& e = ds.report.entries[0];
    expect_entry(e, {path, 6, "collision", "time", "25:61", "not a valid time of day", Outcome::ValueMissing});
    ASSERT_EQ(ds.report.files.size(), 1u);
    EXPECT_EQ(ds.report.files[0].rows_read, 3);
    EXPECT_EQ(ds.report.files[0].rows_loaded, 3);
    EXPECT_EQ(ds.report.files[0].generation, "2024+");
    expect_rows_accounted(ds.report);
}

TEST(QuotedLineBreaks, StrictRaisesOnTheFirstRealProblemNotOnTheLineBreak) {
    const std::string path = malformed_fixture("multiline_2024.csv");
    ReadOptions options;
    options.strict = true;
    const Error e = caught_error([&] { (void)read_stats19({path}, options); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(std::string(e.what()), path + ":6: column 'time': value '25:61': not a valid time of day");
}

TEST(QuotedLineBreaks, CambridgeshireExcelExport) {
    // CRLF row ends, LF inside the quoted Location of the second row (lines 3-4).
    const std::string path = malformed_fixture("multiline_cambridgeshire.csv");
    ReadOptions options;
    options.profile = kCambsProfile;
    const Dataset ds = read_stats19({path}, options);
    ASSERT_EQ(ds.collisions.rows(), 3u);
    EXPECT_EQ(source_lines(ds.collisions), (std::vector<std::int32_t>{2, 3, 5}));
    EXPECT_EQ(text_at(ds.collisions, "collision_index", 1), "2114");
    EXPECT_EQ(text_at(ds.collisions, "location_description", 1), "A15 LONDON RD\n300M SOUTH OF PHORPRES WAY PETERBOROUGH");
    EXPECT_EQ(text_at(ds.collisions, "location_description", 2), "A1303 NEWMARKET RD BOTTISHAM");
    EXPECT_EQ(text_at(ds.collisions, "collision_index", 2), "2115");
    EXPECT_TRUE(ds.report.entries.empty());
    ASSERT_EQ(ds.report.files.size(), 1u);
    EXPECT_EQ(ds.report.files[0].rows_read, 3);
    EXPECT_EQ(ds.report.files[0].rows_loaded, 3);
    options.strict = true;
    EXPECT_EQ(read_stats19({path}, options).collisions.rows(), 3u);
}

TEST(QuotedLineBreaks, AQuoteNeverClosedRejectsItsLineAndTheRestIsRead) {
    // Lines: 2 row, 3-4 one record, 5 row, 6 opens a quote never closed, 7 row.
    const std::string path = malformed_fixture("multiline_unclosed_quote.csv");
    const Dataset ds = read_stats19({path});
    EXPECT_EQ(source_lines(ds.collisions), (std::vector<std::int32_t>{2, 3, 5, 7}));
    EXPECT_EQ(text_at(ds.collisions, "location_description", 1), "A10 NORTHBOUND\nJUNCTION WITH MILL RD");
    EXPECT_EQ(text_at(ds.collisions, "collision_index", 3), "2021411041000");
    const std::string line6 = read_bytes(path).substr(read_bytes(path).find("2021411040999"));
    const std::string line = line6.substr(0, line6.find('\n'));
    ASSERT_EQ(line.substr(line.size() - 16), ",\"OPPOSITE NO 12");
    const std::string value = line.substr(0, 200);  // report values are cut at 200 bytes
    ASSERT_EQ(ds.report.entries.size(), 1u);
    const ReportEntry& e = ds.report.entries[0];
    expect_entry(e, {path, 6, "collision", "", value,
                     "a quoted field opened on line 6 is not closed before the end of the file", Outcome::RowRejected});
    EXPECT_EQ(ds.report.files[0].rows_read, 5);
    EXPECT_EQ(ds.report.files[0].rows_loaded, 4);
    EXPECT_EQ(ds.report.files[0].rows_rejected, 1);
    expect_rows_accounted(ds.report);

    ReadOptions options;
    options.strict = true;
    const Error err = caught_error([&] { (void)read_stats19({path}, options); });
    EXPECT_EQ(err.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(std::string(err.what()),
              path + ":6: value '" + value + "': a quoted field opened on line 6 is not closed before the end of the file");
}

TEST(QuotedLineBreaks, RecordsAcrossChunkBoundaries) {
    // Larger than one parse chunk (4 MiB), with a two-line record every 100 rows: chunks cut at line
    // ends fall inside records, so the file is parsed again in order and nothing is misread.
    ScratchDir dir;
    const std::string path = dir.file("big.csv");
    const std::string src = read_bytes(malformed_fixture("multiline_2024.csv"));
    std::string header = src.substr(0, src.find('\n') + 1);
    const std::string row = src.substr(header.size(), src.find('\n', header.size()) - header.size());
    const std::string before = row.substr(row.find(','), row.rfind(',') - row.find(','));  // fields 2..n-1
    std::string text = header;
    const int rows = 30000;
    std::int64_t line = 2, last_line = 0;
    for (int i = 0; i < rows; ++i) {
        last_line = line;
        const std::string n = std::to_string(i);
        text.append("X").append(n).append(before);
        if (i % 100 == 7) {
            text.append(",\"LINE ONE, ").append(n).append("\nLINE TWO\"\n");
            line += 2;
        } else {
            text.append(",PLAIN ").append(n).append("\n");
            line += 1;
        }
    }
    ASSERT_GT(text.size(), std::size_t{5} << 20);
    write_bytes(path, text);
    ReadOptions options;
    options.threads = 2;
    const Dataset ds = read_stats19({path}, options);
    EXPECT_TRUE(ds.report.entries.empty());
    ASSERT_EQ(ds.collisions.rows(), std::size_t(rows));
    EXPECT_EQ(ds.report.files[0].rows_read, rows);
    EXPECT_EQ(text_at(ds.collisions, "location_description", 29907), "LINE ONE, 29907\nLINE TWO");
    EXPECT_EQ(text_at(ds.collisions, "collision_index", rows - 1), std::string("X").append(std::to_string(rows - 1)));
    EXPECT_EQ(int_at(ds.collisions, "source_line", std::size_t(rows - 1)), last_line);
}

TEST(QuotedLineBreaks, AStrayQuoteRejectsItsLineAndTheRowsAfterItAreRead) {
    // A quote at the start of line 3 would swallow every line up to the next quote (lines 4-8 into one
    // field, 8 rows loaded as 4, nothing said). The next line is a whole row without a quote, so the
    // quote is a stray: line 3 is rejected and reported, and lines 4-9 load as they are.
    ScratchDir dir;
    std::string text = "collision_index,collision_severity,date\n2015000000001,3,15/01/2015\n"
                       "\"2015000000002,3,06/01/2015\n";
    for (int i = 3; i <= 8; ++i) text += "201500000000" + std::to_string(i) + ",3,0" + std::to_string(i) + "/02/2015\n";
    text += "2015000000009,2,\"10/03/2015\"\n";  // a quote further down, where the swallowing would end
    write_bytes(dir.file("stray.csv"), text);
    const Dataset ds = read_stats19({dir.file("stray.csv")});
    EXPECT_EQ(ds.collisions.rows(), 8u);
    EXPECT_EQ(source_lines(ds.collisions), (std::vector<std::int32_t>{2, 4, 5, 6, 7, 8, 9, 10}));
    ASSERT_EQ(ds.report.entries.size(), 1u);
    expect_entry(ds.report.entries[0],
                 {dir.file("stray.csv"), 3, "collision", "", "\"2015000000002,3,06/01/2015",
                  "a quote in this line is not closed on it, and the next line is a whole row: a stray quote, so "
                  "this line is not read",
                  Outcome::RowRejected});
    EXPECT_EQ(ds.report.files[0].rows_read, 9);
    expect_rows_accounted(ds.report);
}

TEST(QuotedLineBreaks, AQuotedLineBreakInTheLastRecordWithoutAFinalNewline) {
    // The STATS19 side of the trauma reader's crash (a record ending at the end of the file rather than
    // at a line break, read past the buffer there): one row, its value whole, nothing reported.
    ScratchDir dir;
    write_bytes(dir.file("last.csv"),
                "collision_index,collision_severity,local_authority_highway\n2015000000001,3,\"E10\n000003\"");
    const Dataset ds = read_stats19({dir.file("last.csv")});
    ASSERT_EQ(ds.collisions.rows(), 1u);
    EXPECT_EQ(text_at(ds.collisions, "local_authority_highway", 0), "E10\n000003");
    EXPECT_TRUE(ds.report.entries.empty());
    expect_rows_accounted(ds.report);
}
