// The report's entries kept column by column: each text once, entries read back as they were given.
#include <gtest/gtest.h>

#include <memory>

#include "../test_support.hpp"
#include "roadsafe/io/load_report.hpp"

using namespace roadsafe::io;
using roadsafe::test::expect_entry;

namespace {

const ReportEntry kFlagged{"a.csv", 7, "casualty", "casualty_class", "7",
                           "code is not in the data guide's list for this field", Outcome::RowFlagged};

TEST(ReportEntries, KeepEachTextOnceAndReadEntriesBackAsGiven) {
    ReportEntries entries;
    for (int i = 0; i < 1000; ++i) {
        ReportEntry e = kFlagged;
        e.line = 2 + i;
        e.value = std::to_string(i % 10);
        entries.push_back(e);
    }
    entries.push_back({"b.csv", 3, "vehicle", "sex_of_driver", "", "not an integer", Outcome::ValueMissing});
    ASSERT_EQ(entries.size(), 1001u);
    EXPECT_EQ(entries.files().size(), 2u);
    EXPECT_EQ(entries.reasons().size(), 2u);
    std::string values;  // one shared buffer, the values end to end
    for (int i = 0; i < 1000; ++i) values += std::to_string(i % 10);
    EXPECT_EQ(entries.columns().value_chars, values);
    expect_entry(entries[437], {"a.csv", 2 + 437, "casualty", "casualty_class", "7",
                                "code is not in the data guide's list for this field", Outcome::RowFlagged});
    expect_entry(entries[1000], {"b.csv", 3, "vehicle", "sex_of_driver", "", "not an integer", Outcome::ValueMissing});
}

TEST(ReportEntries, RawInputBytesAreWrittenPrintableAndTextIsKept) {
    ReportEntries entries;
    entries.add({"a.csv", 2, "collision", "lsoa", "E01\xE9\t", "bytes are not valid UTF-8", Outcome::ValueMissing},
                ValueBytes::RawInput);
    entries.add({"a.csv", 3, "collision", "lsoa", "CAF\xC3\x89", "a reason", Outcome::RowFlagged});  // UTF-8 text
    entries.add({"a.csv", 4, "collision", "lsoa", "CAF\xC9", "a reason", Outcome::RowFlagged});      // not UTF-8
    EXPECT_EQ(entries[0].value, "E01\\xE9\\x09");
    EXPECT_EQ(entries[1].value, "CAF\xC3\x89");
    EXPECT_EQ(entries[2].value, "CAF\\xC9");
}

TEST(ReportEntries, AReasonNamingAnotherPlaceIsFormattedWhenRead) {
    ReportEntries entries;
    entries.add({.file = "b.csv", .line = 9, .table = "collision", .column = "collision_index", .value = "2024A",
                 .reason = "already loaded from", .outcome = Outcome::DuplicateSkipped, .related_file = "a.csv",
                 .related_line = 4});
    EXPECT_EQ(entries[0].reason, "already loaded from a.csv:4");
    EXPECT_EQ(entries.reasons().size(), 1u);
    EXPECT_EQ(entries.files().size(), 2u);
}

TEST(ReportEntries, AppendingMapsTheOtherTextsAndShiftsItsLines) {
    ReportEntries report, chunk;
    report.push_back({"x.csv", 1, "collision", "date", "", "read day first", Outcome::RowFlagged});
    chunk.push_back(kFlagged);
    chunk.add({.file = "b.csv", .line = 2, .table = "casualty", .column = "collision_index", .value = "K",
               .reason = "already loaded from", .outcome = Outcome::DuplicateSkipped, .related_file = "x.csv",
               .related_line = 5});
    report.append(chunk, 100);
    ASSERT_EQ(report.size(), 3u);
    expect_entry(report[0], {"x.csv", 1, "collision", "date", "", "read day first", Outcome::RowFlagged});
    ReportEntry shifted = kFlagged;
    shifted.line += 100;
    expect_entry(report[1], shifted);
    // The line is the chunk's, shifted; the place the reason names is file-wide already.
    expect_entry(report[2], {"b.csv", 102, "casualty", "collision_index", "K", "already loaded from x.csv:5",
                             Outcome::DuplicateSkipped});
    std::vector<ReportEntry> read;
    for (const auto& e : report) read.push_back(e);
    ASSERT_EQ(read.size(), 3u);
    expect_entry(read[2], report[2]);
}

TEST(ReportEntries, ACopyFindsItsOwnTexts) {
    auto original = std::make_unique<ReportEntries>();
    original->push_back(kFlagged);
    ReportEntries copy = *original;
    original.reset();  // the copy's lookups must not view the original's strings
    copy.push_back({"b.csv", 9, "vehicle", "sex_of_driver", "5", "a reason", Outcome::RowFlagged});
    copy.push_back(kFlagged);
    EXPECT_EQ(copy.files().size(), 2u);
    EXPECT_EQ(copy.reasons().size(), 2u);
    EXPECT_EQ(copy.columns().file, (std::vector<std::int32_t>{0, 1, 0}));
    expect_entry(copy[2], kFlagged);
}

}  // namespace

TEST(ReportEntries, StableTextsGetTheIdsTheirCharactersGive) {
    // add_stable_texts knows a text again by its address; the same characters elsewhere (add) share its id,
    // and two texts of one length at two addresses keep two ids.
    const std::string file = "a.csv", column_a = "sex_of_driver", column_b = "age_of_driver", reason = "flagged";
    ReportEntries entries;
    for (int i = 0; i < 3; ++i) {
        entries.add_stable_texts({file, i + 1, "vehicle", column_a, "9", reason, Outcome::RowFlagged});
        entries.add_stable_texts({file, i + 1, "vehicle", column_b, "0", reason, Outcome::RowFlagged});
    }
    entries.add({std::string("a.csv"), 9, "vehicle", std::string("age_of_driver"), "1", std::string("flagged"),
                 Outcome::RowFlagged});
    EXPECT_EQ(entries.column_names().size(), 2u);
    EXPECT_EQ(entries.files().size(), 1u);
    EXPECT_EQ(entries.reasons().size(), 1u);
    EXPECT_EQ(entries.columns().column, (std::vector<std::int32_t>{0, 1, 0, 1, 0, 1, 1}));
    EXPECT_EQ(entries[6].column, "age_of_driver");
    EXPECT_EQ(entries[4].column, "sex_of_driver");
}
