// What a spreadsheet does to values: long numbers shown in scientific notation, thousands separators,
// and a second file's header when two exports are joined. Each is reported as what it is.
#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

const std::string kHeader = "collision_index,collision_year,collision_ref_no,date,time,collision_severity,number_of_vehicles\n";

std::vector<std::pair<std::string, std::string>> problems(const Dataset& ds) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& e : ds.report.entries) out.emplace_back(e.value, e.reason);
    return out;
}

}  // namespace

TEST(SpreadsheetValues, AKeyInScientificNotationRejectsTheRowARealKeyWithAnEIsLoaded) {
    ScratchDir dir;
    const std::string path = dir.file("keys.csv");
    write_bytes(path, kHeader + "2.02301E+12,2023,1,21/02/2023,08:15,3,1\n"
                                "20151313E0037,2015,2,21/02/2015,08:15,3,1\n"
                                "2.0E+5,2023,3,21/02/2023,08:15,3,1\n");
    const Dataset ds = read_stats19({path});
    EXPECT_EQ(ds.collisions.rows(), 1u);
    const std::string why = "a number in scientific notation, as a spreadsheet shows long numbers: its digits are lost; "
                            "export the column formatted as text";
    EXPECT_EQ(problems(ds), (std::vector<std::pair<std::string, std::string>>{{"2.02301E+12", why}, {"2.0E+5", why}}));
    EXPECT_EQ(ds.report.entries[0].outcome, Outcome::RowRejected);
}

TEST(SpreadsheetValues, NumbersWithThousandsSeparatorsAreNamed) {
    ScratchDir dir;
    const std::string path = dir.file("numbers.csv");
    write_bytes(path, kHeader + "1,2023,1,21/02/2023,08:15,3,\"1,234\"\n"
                                "2,2023,2,21/02/2023,08:15,3,\"1,23\"\n"
                                "3,2023,3,21/02/2023,08:15,3,1.5E+3\n");
    const Dataset ds = read_stats19({path});
    EXPECT_EQ(ds.collisions.rows(), 3u);
    EXPECT_EQ(problems(ds), (std::vector<std::pair<std::string, std::string>>{
                                {"1,234", "a number with thousands separators: save it without them"},
                                {"1,23", "not an integer"},
                                {"1.5E+3", "a number in scientific notation, as a spreadsheet shows long numbers: its "
                                           "digits are lost; export the column formatted as text"}}));
}

TEST(SpreadsheetValues, ASecondHeaderIsNotARow) {
    ScratchDir dir;
    const std::string path = dir.file("joined.csv");
    const std::string row = "1,2023,1,21/02/2023,08:15,3,1\n";
    write_bytes(path, kHeader + row + kHeader + "2,2023,2,21/02/2023,08:15,3,1\n");
    const Dataset ds = read_stats19({path});
    EXPECT_EQ(ds.collisions.rows(), 2u);
    ASSERT_EQ(ds.report.entries.size(), 1u);
    EXPECT_EQ(ds.report.entries[0].line, 3);
    EXPECT_EQ(ds.report.entries[0].reason, "the header line again (files joined end to end?): not a row");
    EXPECT_EQ(ds.report.files[0].rows_read, 3);
    EXPECT_EQ(ds.report.files[0].rows_rejected, 1);
}
