// The trauma-registry reader: hand-computed MAIS/ISS, every column of a good file, and the exact
// load-report entry (or error) of each malformed fixture in tests/data/trauma.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

#include "../test_support.hpp"
#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/io/injury_scores.hpp"
#include "roadsafe/io/read_trauma.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

std::string trauma_fixture(const std::string& name) { return std::string(ROADSAFE_TEST_DATA) + "/trauma/" + name; }

InjuryScores scores(std::vector<Injury> injuries) { return injury_scores(injuries); }

std::int32_t minutes(int y, int mo, int d, int h, int mi) {
    return std::int32_t(std::int64_t(days_from_civil(y, mo, d)) * 1440 + h * 60 + mi);
}

}  // namespace

// Region numbers: 1 head/neck, 2 face, 3 chest, 4 abdomen, 5 extremities, 6 external.
TEST(InjuryScores, HandComputedCases) {
    // the brief's example: head 4, head 3, chest 3, leg 2 -> MAIS 4, ISS 16 + 9 + 4
    auto s = scores({{4, 1}, {3, 1}, {3, 3}, {2, 5}});
    EXPECT_EQ(s.mais, 4);
    EXPECT_EQ(s.iss, 29);
    // methods.md §3.1: head 4, chest 3, limbs 3 and 2 -> 16 + 9 + 9 = 34
    s = scores({{4, 1}, {3, 3}, {3, 5}, {2, 5}});
    EXPECT_EQ(s.iss, 34);
    // ... with a second chest 3 and no limb injury -> 16 + 9 = 25 (one value per region)
    s = scores({{4, 1}, {3, 3}, {3, 3}});
    EXPECT_EQ(s.iss, 25);
    // only the three worst regions count: 5, 4, 3 of four injured regions -> 25 + 16 + 9
    s = scores({{2, 2}, {5, 4}, {3, 6}, {4, 3}});
    EXPECT_EQ(s.mais, 5);
    EXPECT_EQ(s.iss, 50);
    // any AIS 6 -> 75
    s = scores({{6, 3}, {1, 2}});
    EXPECT_EQ(s.mais, 6);
    EXPECT_EQ(s.iss, 75);
    // AIS 9 is ignored ...
    s = scores({{9, 1}, {2, 5}});
    EXPECT_EQ(s.mais, 2);
    EXPECT_EQ(s.iss, 4);
    // ... and all-9 (or no injuries) is unknown
    s = scores({{9, 1}, {9, 4}});
    EXPECT_EQ(s.mais, -1);
    EXPECT_EQ(s.iss, -1);
    s = scores({});
    EXPECT_EQ(s.mais, -1);
    EXPECT_EQ(s.iss, -1);
    // the maximum without a 6: three regions at AIS 5
    s = scores({{5, 1}, {5, 3}, {5, 4}, {5, 5}});
    EXPECT_EQ(s.iss, 75);
}

TEST(ReadTrauma, IsoDatetimes) {
    std::int64_t m = 0;
    ASSERT_TRUE(parse_iso_datetime("1970-01-01T00:00", m));
    EXPECT_EQ(m, 0);
    ASSERT_TRUE(parse_iso_datetime("2019-03-15T17:40:30", m));
    EXPECT_EQ(m, minutes(2019, 3, 15, 17, 40));
    ASSERT_TRUE(parse_iso_datetime("2019-03-15 17:40:30.250", m));
    EXPECT_EQ(m, minutes(2019, 3, 15, 17, 40));
    ASSERT_TRUE(parse_iso_datetime("1969-12-31T23:59", m));
    EXPECT_EQ(m, -1);
    EXPECT_EQ(format_iso_datetime(-1), "1969-12-31T23:59");
    EXPECT_EQ(format_iso_datetime(minutes(2019, 3, 15, 17, 40)), "2019-03-15T17:40");
    for (const char* bad : {"2019-02-30T10:00", "2019-03-15", "2019-03-15T24:00", "2019-03-15T8:10",
                            "2019-03-15T17:40Z", "2019-03-15T17:40:30+01:00", "15/03/2019 17:40", "2019-03-15T17:40:3"})
        EXPECT_FALSE(parse_iso_datetime(bad, m)) << bad;
}

TEST(ReadTrauma, GoodFilesLoadEveryColumn) {
    const auto r = read_trauma(trauma_fixture("patients.csv"), trauma_fixture("injuries.csv"));
    EXPECT_TRUE(r.report.entries.empty());
    expect_rows_accounted(r.report);
    ASSERT_EQ(r.report.files.size(), 2u);
    EXPECT_EQ(r.report.files[0].rows_loaded, 4);
    EXPECT_EQ(r.report.files[1].rows_loaded, 10);
    const Table& p = r.patients;
    ASSERT_EQ(p.rows(), 4u);
    EXPECT_EQ(column_names(p),
              (std::vector<std::string>{"trauma_id", "arrival_datetime", "incident_datetime", "age", "sex", "road_user",
                                        "incident_easting", "incident_northing", "hospital_code", "hospital_easting",
                                        "hospital_northing", "mais", "iss", "outcome_30d", "los_days", "source_line",
                                        "mais_source"}));
    EXPECT_EQ(text_at(p, "trauma_id", 2), "T0003");
    EXPECT_EQ(int_at(p, "arrival_datetime", 0), minutes(2019, 3, 14, 8, 52));
    EXPECT_EQ(int_at(p, "arrival_datetime", 1), minutes(2019, 3, 15, 17, 40));
    EXPECT_EQ(int_at(p, "arrival_datetime", 2), minutes(2019, 4, 2, 23, 15));
    EXPECT_EQ(int_at(p, "incident_datetime", 0), minutes(2019, 3, 14, 8, 10));
    EXPECT_EQ(int_at(p, "incident_datetime", 1), kMissingInt);
    EXPECT_EQ(float_at(p, "age", 0), 34.0);
    EXPECT_TRUE(std::isnan(float_at(p, "age", 2)));
    EXPECT_EQ(int_at(p, "sex", 0), 0);        // M
    EXPECT_EQ(int_at(p, "sex", 2), 2);        // U
    EXPECT_EQ(int_at(p, "road_user", 0), 2);  // motorcyclist
    EXPECT_EQ(int_at(p, "road_user", 3), 1);  // pedal_cyclist
    EXPECT_EQ(float_at(p, "incident_easting", 0), 545210.0);
    EXPECT_TRUE(std::isnan(float_at(p, "incident_northing", 1)));
    EXPECT_EQ(text_at(p, "hospital_code", 2), "RGN80");
    EXPECT_EQ(float_at(p, "hospital_northing", 2), 298900.0);
    // MAIS / ISS derived from the injuries: 4/29, 6/75, unknown, 3/13
    EXPECT_EQ(int_at(p, "mais", 0), 4);
    EXPECT_EQ(int_at(p, "iss", 0), 29);
    EXPECT_EQ(int_at(p, "mais", 1), 6);
    EXPECT_EQ(int_at(p, "iss", 1), 75);
    EXPECT_EQ(int_at(p, "mais", 2), kMissingInt);
    EXPECT_EQ(int_at(p, "iss", 2), kMissingInt);
    EXPECT_EQ(int_at(p, "mais", 3), 3);
    EXPECT_EQ(int_at(p, "iss", 3), 13);
    EXPECT_EQ(int_at(p, "mais_source", 0), 0);  // injuries
    EXPECT_EQ(int_at(p, "outcome_30d", 1), 1);  // dead
    EXPECT_EQ(float_at(p, "los_days", 1), 1.5);
    EXPECT_TRUE(std::isnan(float_at(p, "los_days", 2)));
    EXPECT_EQ(int_at(p, "source_line", 3), 5);
    const Table& inj = r.injuries;
    ASSERT_EQ(inj.rows(), 10u);
    EXPECT_EQ(text_at(inj, "ais_code", 0), "140652.4");
    EXPECT_EQ(int_at(inj, "patient_row", 9), 3);
    EXPECT_EQ(int_at(inj, "ais_severity", 6), 9);
}

TEST(ReadTrauma, PatientFileAloneKeepsItsScores) {
    const auto r = read_trauma(trauma_fixture("patients.csv"));
    EXPECT_TRUE(r.report.entries.empty());
    EXPECT_EQ(r.report.files.size(), 1u);
    EXPECT_EQ(r.patients.find("mais_source"), nullptr);
    EXPECT_EQ(int_at(r.patients, "iss", 0), 29);
    EXPECT_EQ(r.injuries.rows(), 0u);
}

TEST(ReadTrauma, GzipAndZip) {
    ScratchDir dir;
    const std::string bytes = read_bytes(trauma_fixture("patients.csv"));
    // a .gz written by hand would need zlib; GDAL reads a stored .gz produced by gzip -n, so use the
    // plain file through /vsigzip/ only when gzip is available.
    const std::string plain = dir.file("patients.csv");
    write_bytes(plain, bytes);
    const std::string gz = plain + ".gz";
    if (std::system(("gzip -kn " + plain).c_str()) != 0) GTEST_SKIP() << "no gzip";
    const auto r = read_trauma(gz);
    EXPECT_EQ(r.patients.rows(), 4u);
    EXPECT_TRUE(r.report.entries.empty());
}

TEST(ReadTrauma, DatetimesBeyondTheColumnRangeAreRejected) {
    ScratchDir dir;
    write_bytes(dir.file("p.csv"), "trauma_id,arrival_datetime\nA,9999-01-01T00:00\nB,2019-01-01T00:00\n");
    const auto r = read_trauma(dir.file("p.csv"));
    ASSERT_EQ(r.report.entries.size(), 1u);
    EXPECT_EQ(r.report.entries[0].line, 2);
    EXPECT_EQ(r.report.entries[0].reason, "not an ISO 8601 date and time (YYYY-MM-DDTHH:MM)");
    EXPECT_EQ(r.patients.rows(), 1u);
}

TEST(ReadTrauma, ZipWithOneOrSeveralFiles) {
    ScratchDir dir;
    write_bytes(dir.file("trauma.csv"), read_bytes(trauma_fixture("patients.csv")));
    write_bytes(dir.file("injuries.csv"), read_bytes(trauma_fixture("injuries.csv")));
    if (std::system(("cd " + dir.path() + " && zip -q one.zip trauma.csv && zip -q both.zip trauma.csv injuries.csv").c_str()) != 0)
        GTEST_SKIP() << "no zip";
    EXPECT_EQ(read_trauma(dir.file("one.zip")).patients.rows(), 4u);
    const Error e = caught_error([&] { read_trauma(dir.file("both.zip")); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_NE(std::string(e.what()).find("the zip archive holds 2 CSV files"), std::string::npos) << e.what();
    const auto r = read_trauma("/vsizip/" + dir.file("both.zip") + "/trauma.csv",
                               "/vsizip/" + dir.file("both.zip") + "/injuries.csv");
    EXPECT_EQ(r.patients.rows(), 4u);
    EXPECT_EQ(r.injuries.rows(), 10u);
}

namespace {

struct TraumaCase {
    std::string patients;
    std::string injuries;  // empty: none
    std::int64_t line;
    std::string table, column, value, reason;
    Outcome outcome;
    std::int64_t patients_loaded;
};

std::ostream& operator<<(std::ostream& os, const TraumaCase& c) { return os << c.patients << " " << c.injuries; }

const std::string kDt = "not an ISO 8601 date and time (YYYY-MM-DDTHH:MM)";

std::vector<TraumaCase> cases() {
    return {
        {"bad_arrival_datetime.csv", "", 3, "patient", "arrival_datetime", "2019-02-30T17:40", kDt, Outcome::RowRejected, 3},
        {"missing_arrival_datetime.csv", "", 3, "patient", "arrival_datetime", "",
         "arrival_datetime is missing (it is required)", Outcome::RowRejected, 3},
        {"bad_incident_datetime.csv", "", 2, "patient", "incident_datetime", "2019-03-14 8:10", kDt, Outcome::ValueMissing, 4},
        {"incident_after_arrival.csv", "", 2, "patient", "incident_datetime", "2019-03-14T09:10",
         "incident_datetime is after arrival_datetime (2019-03-14T08:52)", Outcome::RowFlagged, 4},
        {"age_out_of_range.csv", "", 5, "patient", "age", "134", "age is outside 0-120 years", Outcome::ValueMissing, 4},
        {"bad_sex.csv", "", 4, "patient", "sex", "X", "sex is not one of M, F, U", Outcome::ValueMissing, 4},
        {"bad_road_user.csv", "", 5, "patient", "road_user", "cyclist",
         "road_user is not one of pedestrian, pedal_cyclist, motorcyclist, car_occupant, bus_occupant, "
         "goods_vehicle_occupant, other, unknown",
         Outcome::ValueMissing, 4},
        {"mais_7.csv", "", 2, "patient", "mais", "7", "mais is not an integer 1-6", Outcome::ValueMissing, 4},
        {"iss_76.csv", "", 2, "patient", "iss", "76", "iss is not an integer 0-75", Outcome::ValueMissing, 4},
        {"iss_impossible.csv", "", 2, "patient", "iss", "10", "iss 10 is not possible with mais 4", Outcome::RowFlagged, 4},
        {"bad_outcome.csv", "", 3, "patient", "outcome_30d", "died", "outcome_30d is not one of alive, dead, unknown",
         Outcome::ValueMissing, 4},
        {"negative_los.csv", "", 2, "patient", "los_days", "-2", "los_days is not a number of days >= 0",
         Outcome::ValueMissing, 4},
        {"easting_without_northing.csv", "", 2, "patient", "incident_easting", "545210",
         "incident_easting without a valid incident_northing", Outcome::ValueMissing, 4},
        {"easting_outside_grid.csv", "", 2, "patient", "incident_easting", "845210",
         "incident_easting is outside the British National Grid (0-700000 m)", Outcome::ValueMissing, 4},
        {"empty_trauma_id.csv", "", 4, "patient", "trauma_id", "", "trauma_id is empty", Outcome::RowRejected, 3},
        {"duplicate_trauma_id.csv", "", 6, "patient", "trauma_id", "T0002",
         "duplicate trauma_id: the patient at line 3 is kept", Outcome::DuplicateSkipped, 4},
        {"wrong_field_count.csv", "", 4, "patient", "",
         "T0003,2019-04-02 23:15,2019-04-02T22:41,,U,unknown,552100,262300,RGN80,518400,298900,,,unknown,,extra",
         "expected 15 fields, found 16", Outcome::RowRejected, 3},
        {"patients.csv", "injuries_unknown_patient.csv", 12, "injury", "trauma_id", "T0099",
         "no patient with this trauma_id in the patient file", Outcome::RowRejected, 4},
        {"patients.csv", "injuries_bad_severity.csv", 12, "injury", "ais_severity", "7",
         "ais_severity is not 1-6 or 9 (unknown)", Outcome::RowRejected, 4},
        {"patients.csv", "injuries_mismatch.csv", 5, "patient", "iss", "13",
         "iss 13 in the patient file, 18 from the injuries file (the injuries' value is kept)", Outcome::RowFlagged, 4},
    };
}

class TraumaMalformed : public ::testing::TestWithParam<TraumaCase> {};

}  // namespace

TEST_P(TraumaMalformed, ReportsTheExactEntry) {
    const TraumaCase& c = GetParam();
    const std::string injuries = c.injuries.empty() ? "" : trauma_fixture(c.injuries);
    const auto r = read_trauma(trauma_fixture(c.patients), injuries);
    ASSERT_EQ(r.report.entries.size(), 1u);
    const ReportEntry& e = r.report.entries[0];
    expect_entry(e, {trauma_fixture(c.table == "injury" ? c.injuries : c.patients), c.line, c.table, c.column,
                     c.value, c.reason, c.outcome});
    EXPECT_EQ(r.report.files[0].rows_loaded, c.patients_loaded);
    EXPECT_EQ(r.patients.rows(), std::size_t(c.patients_loaded));
    expect_rows_accounted(r.report);

    const Error err = caught_error([&] { read_trauma(trauma_fixture(c.patients), injuries, {true}); });
    EXPECT_EQ(err.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(err.where().line, c.line);
    EXPECT_EQ(err.where().column, c.column);
    EXPECT_EQ(err.where().value, c.value);
    EXPECT_NE(std::string(err.what()).find(c.reason), std::string::npos) << err.what();
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TraumaMalformed, ::testing::ValuesIn(cases()));

TEST(ReadTrauma, MismatchKeepsTheDerivedValue) {
    const auto r = read_trauma(trauma_fixture("patients.csv"), trauma_fixture("injuries_mismatch.csv"));
    EXPECT_EQ(int_at(r.patients, "mais", 3), 3);
    EXPECT_EQ(int_at(r.patients, "iss", 3), 18);  // extremity 3 + chest 3
}

TEST(ReadTrauma, InvalidValuesAreMissingAndRowsKept) {
    const auto r = read_trauma(trauma_fixture("easting_without_northing.csv"));
    EXPECT_TRUE(std::isnan(float_at(r.patients, "incident_easting", 0)));
    EXPECT_TRUE(std::isnan(float_at(r.patients, "incident_northing", 0)));
    const auto dup = read_trauma(trauma_fixture("duplicate_trauma_id.csv"));
    EXPECT_EQ(dup.report.files[0].rows_duplicate, 1);
    EXPECT_EQ(int_at(dup.patients, "arrival_datetime", 1), minutes(2019, 3, 15, 17, 40));  // the first T0002
}

TEST(ReadTrauma, InjuriesOfARejectedPatientSaySo) {
    // bad_arrival_datetime.csv rejects T0002 (line 3); its two injuries are rejected with that reason
    const auto r = read_trauma(trauma_fixture("bad_arrival_datetime.csv"), trauma_fixture("injuries.csv"));
    const auto rejected = entries_with(r.report, Outcome::RowRejected);
    ASSERT_EQ(rejected.size(), 3u);
    EXPECT_EQ(rejected[1].line, 6);
    EXPECT_EQ(rejected[1].table, "injury");
    EXPECT_EQ(rejected[1].reason, "the patient row of this trauma_id (line 3 of the patient file) was rejected");
    EXPECT_EQ(r.report.files[1].rows_loaded, 8);
    expect_rows_accounted(r.report);
}

TEST(ReadTrauma, HeaderErrorsAlwaysThrow) {
    for (bool strict : {false, true}) {
        Error e = caught_error([&] { read_trauma(trauma_fixture("missing_required_column.csv"), "", {strict}); });
        EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
        EXPECT_EQ(e.where().column, "arrival_datetime");
        EXPECT_NE(std::string(e.what()).find("the header has no arrival_datetime column"), std::string::npos) << e.what();
        e = caught_error([&] { read_trauma(trauma_fixture("unknown_column.csv"), "", {strict}); });
        EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
        EXPECT_EQ(e.where().line, 1);
        EXPECT_EQ(e.where().value, "postcode");
        e = caught_error(
            [&] { read_trauma(trauma_fixture("patients.csv"), trauma_fixture("injuries_missing_region_column.csv"), {strict}); });
        EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
        EXPECT_EQ(e.where().column, "iss_region");
    }
    const Error e = caught_error([&] { read_trauma(trauma_fixture("no_such_file.csv")); });
    EXPECT_EQ(e.code(), ErrorCode::Io);
}

TEST(ReadTrauma, QuotedLineBreaksAndAQuoteNeverClosed) {
    // A record whose quoted field holds a line break (lines 3-4) is one row numbered by its first
    // line; the rows after keep their own numbers; a quote never closed (line 6) rejects that line.
    ScratchDir dir;
    write_bytes(dir.file("p.csv"),
                "trauma_id,arrival_datetime,hospital_code\r\n"
                "A,2019-01-01T00:00,H1\r\n"
                "B,2019-01-02T00:00,\"H2\nWARD 7\"\r\n"
                "C,9999-01-01T00:00,H3\r\n"
                "D,2019-01-04T00:00,\"H4\r\n"
                "E,2019-01-05T00:00,H5\r\n");
    const auto r = read_trauma(dir.file("p.csv"));
    ASSERT_EQ(r.patients.rows(), 3u);
    EXPECT_EQ(text_at(r.patients, "hospital_code", 1), "H2\nWARD 7");
    EXPECT_EQ(text_at(r.patients, "trauma_id", 2), "E");
    ASSERT_EQ(r.report.entries.size(), 2u);
    EXPECT_EQ(r.report.entries[0].line, 5);
    EXPECT_EQ(r.report.entries[0].reason, "not an ISO 8601 date and time (YYYY-MM-DDTHH:MM)");
    EXPECT_EQ(r.report.entries[1].line, 6);
    EXPECT_EQ(r.report.entries[1].value, "D,2019-01-04T00:00,\"H4");
    EXPECT_EQ(r.report.entries[1].reason, "a quoted field opened on line 6 is not closed before the end of the file");
    EXPECT_EQ(r.report.entries[1].outcome, Outcome::RowRejected);
}

TEST(ReadTrauma, AQuotedLineBreakInTheLastRecordWithoutAFinalNewline) {
    // The fuzzer's 51-byte reproducer: the record ends at the end of the file, not at a line break.
    // It was read past the end of the buffer (a bus error in Python); now it is one patient.
    ScratchDir dir;
    write_bytes(dir.file("p.csv"), "trauma_id,arrival_datetime\n\"T1\nX\",2019-01-01T00:00");
    const auto r = read_trauma(dir.file("p.csv"));
    ASSERT_EQ(r.patients.rows(), 1u);
    EXPECT_EQ(text_at(r.patients, "trauma_id", 0), "T1\nX");
    EXPECT_TRUE(r.report.entries.empty());
    write_bytes(dir.file("i.csv"), "trauma_id,ais_code,ais_severity,iss_region\n\"T1\nX\",140000,3,1");
    const auto with_injuries = read_trauma(dir.file("p.csv"), dir.file("i.csv"));
    EXPECT_EQ(with_injuries.injuries.rows(), 1u);
}

TEST(ReadTrauma, AStrayQuoteRejectsItsLineOnly) {
    ScratchDir dir;
    write_bytes(dir.file("p.csv"),
                "trauma_id,arrival_datetime\n"
                "A,2019-01-01T00:00\n"
                "\"B,2019-01-02T00:00\n"
                "C,2019-01-03T00:00\n"
                "D,2019-01-04T00:00\n"
                "\"E\",2019-01-05T00:00\n");
    const auto r = read_trauma(dir.file("p.csv"));
    ASSERT_EQ(r.patients.rows(), 4u);
    EXPECT_EQ(text_at(r.patients, "trauma_id", 1), "C");
    EXPECT_EQ(text_at(r.patients, "trauma_id", 3), "E");
    ASSERT_EQ(r.report.entries.size(), 1u);
    EXPECT_EQ(r.report.entries[0].line, 3);
    EXPECT_EQ(r.report.entries[0].reason,
              "a quote in this line is not closed on it, and the next line is a whole row: a stray quote, so this "
              "line is not read");
}
