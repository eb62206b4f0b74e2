// Mapping profiles (datasets/profiles/README.md): parse errors name the profile's path and line;
// a profile that names a column the file lacks is a SchemaMismatch; a small export read end to end.
#include <gtest/gtest.h>

#include "../test_support.hpp"
#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/io/mapping_profile.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

const std::string kPath = "profiles/test.ini";

Error parse_error(const std::string& text) {
    SCOPED_TRACE(text);
    return caught_error([&] { (void)parse_mapping_profile(text, kPath); });
}

void expect_parse_error(const std::string& text, std::int64_t line, const std::string& value,
                        const std::string& message) {
    const Error e = parse_error(text);
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(e.where().file, kPath);
    EXPECT_EQ(e.where().line, line);
    EXPECT_EQ(e.where().value, value);
    std::string expected = kPath + ":" + std::to_string(line) + ": ";
    if (!value.empty()) expected += "value '" + value + "': ";
    EXPECT_EQ(std::string(e.what()), expected + "mapping profile: " + message);
}

const std::string kMinimal = "[collision]\ncollision_index = Ref\n";

}  // namespace

// ------------------------------------------------------------------ parse errors

TEST(MappingProfileParse, UnknownSection) {
    expect_parse_error("[profile]\nname = x\n[colision]\ncollision_index = Ref\n", 3, "colision",
                       "unknown section (profile, constants, placeholders, collision, vehicle N, values FIELD)");
}

TEST(MappingProfileParse, UnknownTransform) {
    expect_parse_error("[collision]\ncollision_index = Ref\ndate = When | upper\n", 3, "upper",
                       "unknown transform 'upper' (int, float, text, date, time, values, yn)");
}

TEST(MappingProfileParse, BadPlaceholder) {
    expect_parse_error(kMinimal + "[placeholders]\nlocation_easting_osgr = 5e5x\n", 4, "5e5x",
                       "a placeholder must be a number");
    expect_parse_error(kMinimal + "[placeholders]\nlocation_northing_osgr = unknown\n", 4, "unknown",
                       "a placeholder must be a number");
}

TEST(MappingProfileParse, MissingCollisionIndexNamesTheCollisionSection) {
    expect_parse_error("# an export without its key\n[profile]\nname = x\n\n[collision]\ndate = When | date %Y%m%d\n",
                       5, "[collision]",
                       "[collision] must map collision_index (the key that joins vehicles and casualties)");
}

TEST(MappingProfileParse, EntryOutsideASection) {
    expect_parse_error("# comment\nname = x\n[collision]\ncollision_index = Ref\n", 2, "name = x",
                       "entry outside any section");
}

TEST(MappingProfileParse, DateFormatsTheReaderCanFollow) {
    expect_parse_error(kMinimal + "date = When | date %d/%m/%y\n", 3, "%d/%m/%y",
                       "a date format may use %Y, %m and %d only (as in %d/%m/%Y)");
    expect_parse_error(kMinimal + "date = When | date %d/%m\n", 3, "%d/%m",
                       "a date format needs %Y, %m and %d once each (as in %d/%m/%Y)");
    expect_parse_error(kMinimal + "date = When | date %Y%m%d%d\n", 3, "%Y%m%d%d",
                       "a date format needs %Y, %m and %d once each (as in %d/%m/%Y)");
    EXPECT_NO_THROW((void)parse_mapping_profile(kMinimal + "date = When | date %Y-%m-%dT00:00\n", kPath));
}

TEST(MappingProfileParse, ATargetNearTheGuidesNameIsATypo) {
    expect_parse_error(kMinimal + "colision_severity = Sev | values\nsped_limit = Speed\n", 4, "sped_limit",
                       "'sped_limit' is not a field of the data guide's collision table: is it 'speed_limit'? (a field "
                       "of your own needs a transform, e.g. `| text`)");
    expect_parse_error(kMinimal + "severity = Sev\n", 3, "severity",
                       "'severity' is not a field of the data guide's collision table: is it 'collision_severity'? (a "
                       "field of your own needs a transform, e.g. `| text`)");
    expect_parse_error(kMinimal + "[vehicle 1]\npresent = V1\nvehicle_typ = V1\n", 5, "vehicle_typ",
                       "'vehicle_typ' is not a field of the data guide's vehicle table: is it 'vehicle_type'? (a field "
                       "of your own needs a transform, e.g. `| text`)");
    // Fields of the partnership's own: a transform, or a name far from every guide field.
    EXPECT_NO_THROW((void)parse_mapping_profile(kMinimal + "severity = Sev | values\nofficer_notes = Notes\n", kPath));
}

TEST(MappingProfileParse, EachKeyAndSectionOnce) {
    expect_parse_error("[profile]\nname = a\nname = b\n" + kMinimal, 3, "name",
                       "'name' is given twice in [profile] (first on line 2)");
    expect_parse_error(kMinimal + "[values speed_limit]\n30 mph = 30\n30 mph = 40\n", 5, "30 mph",
                       "'30 mph' is given twice in [values speed_limit] (first on line 4)");
    expect_parse_error(kMinimal + "[constants]\nx = 1\n[collision]\ndate = D | date %Y%m%d\n", 5, "collision",
                       "section [collision] is given twice (first on line 1)");
}

TEST(MappingProfileParse, NotUtf8TextNamesTheLine) {
    expect_parse_error(kMinimal + "location_description = Lieu\xE9 | text\n", 3, "location_description = Lieu\\xE9 | text",
                       "not UTF-8 text (save the profile as UTF-8)");
    expect_parse_error(std::string("[collision]\ncollision_index = Ref\n\0\x01\x02", 37), 3, "",
                       "not a text file (it holds NUL bytes)");
}

TEST(MappingProfileParse, OtherMistakes) {
    expect_parse_error("[collision\n", 1, "[collision", "a section header must end with ']'");
    expect_parse_error("[profile]\nencoding = ebcdic\n" + kMinimal, 2, "ebcdic", "encoding must be utf-8 or latin-1");
    expect_parse_error("[profile]\nauthor = me\n" + kMinimal, 2, "author", "unknown key in [profile] (name, encoding)");
    expect_parse_error(kMinimal + "date = When | date\n", 3, "", "`date` needs a format such as %Y%m%d or %d/%m/%Y");
    expect_parse_error(kMinimal + "time = HHMM | time hh:mm\n", 3, "hh:mm", "`time` supports only `time hmm`");
    expect_parse_error(kMinimal + "speed_limit = @0\n", 3, "0", "a column position @k must be a positive integer");
    expect_parse_error(kMinimal + "day_of_week = Day#0 | values\n", 3, "0",
                       "an occurrence Name#k must be a positive integer");
    expect_parse_error(kMinimal + "speed_limit\n", 3, "speed_limit", "expected `key = value`");
    expect_parse_error(kMinimal + "speed_limit = \n", 3, "", "missing source column");
    expect_parse_error(kMinimal + "[values collision_severity]\nFatal = one\n", 4, "one",
                       "a value code must be an integer");
}

// Reproducers of the crashes the fuzzer found: each is now an error naming the profile's line.
TEST(MappingProfileParse, PresentMustNameAColumn) {
    expect_parse_error(kMinimal + "[vehicle 1]\npresent = =value\nvehicle_reference = =1\n", 4, "=value",
                       "`present` must name a column (the row exists when it is not empty), not a constant");
}

TEST(MappingProfileParse, PresentOnlyInAVehicleSection) {
    // Found by fuzz_mapping_profile: a collision row whose `present` column was empty was skipped,
    // neither loaded nor reported (rows read 3 = loaded 0 + rejected 2).
    expect_parse_error(kMinimal + "present = Veh2\n", 3, "Veh2",
                       "`present` belongs in a [vehicle N] section: every row of the file is a collision");
}

TEST(MappingProfileParse, AConstantIsNotAlsoMappedNorFilledByTheReader) {
    // Found by fuzz_mapping_profile: police_force both in [constants] and mapped in [collision] gave the
    // collision table a police_force column of twice its length.
    expect_parse_error("[constants]\npolice_force = 35\n" + kMinimal + "police_force = Force | int\n", 2,
                       "police_force", "'police_force' is a constant here and mapped in [collision] on line 5: keep one");
    expect_parse_error(kMinimal + "[constants]\nsource_line = 7\n", 4, "source_line",
                       "'source_line' is filled by the reader and cannot be a constant");
}

TEST(MappingProfileParse, ATargetMappedTwiceOrOwnedByTheReader) {
    expect_parse_error(kMinimal + "speed_limit = Speed\ndate = When | date %d/%m/%Y\nspeed_limit = Limit\n", 5,
                       "speed_limit", "'speed_limit' is mapped twice in this section (first on line 3)");
    for (const std::string field : {"source_line", "source_file", "collision_row", "vehicle_row", "location_status"})
        expect_parse_error(kMinimal + field + " = Line\n", 3, field,
                           "'" + field + "' is filled by the reader and cannot be mapped");
    expect_parse_error(kMinimal + "[vehicle 1]\ncollision_index = Ref\n", 4, "collision_index",
                       "a vehicle section cannot map collision_index: each vehicle takes its collision's");
    // The same field in two sections is not a repeat: each vehicle section maps its own vehicle.
    EXPECT_NO_THROW((void)parse_mapping_profile(
        kMinimal + "[vehicle 1]\nvehicle_reference = =1\n[vehicle 2]\nvehicle_reference = =2\n", kPath));
}

TEST(MappingProfileParse, FirstRowSectionMustBeCollision) {
    const Error e = parse_error("[vehicle 1]\nvehicle_reference = =1\n" + kMinimal);
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(std::string(e.what()), kPath + ": mapping profile: the first row section must be [collision]");
}

TEST(MappingProfileParse, MissingProfileFileIsAnIoError) {
    const Error e = caught_error([&] { (void)load_mapping_profile(malformed_fixture("no_such_profile.ini")); });
    EXPECT_EQ(e.code(), ErrorCode::Io);
}

// ------------------------------------------------------------------ what a good profile parses to

TEST(MappingProfileParse, ValueLabelsMayContainEquals) {
    const MappingProfile p = parse_mapping_profile(kMinimal +
                                                       "[values vehicle_type]\n"
                                                       "GV >= 7.5t mgw = 21\n"
                                                       "Motorcycle >50 <= 12 = 3     # over 50cc and up to 125cc\n"
                                                       "Van/GV <=3.5t mgw = 19\n",
                                                   kPath);
    const auto& labels = p.values.at("vehicle_type");
    ASSERT_EQ(labels.size(), 3u);
    EXPECT_EQ(labels[0], (std::pair<std::string, int>{"GV >= 7.5t mgw", 21}));
    EXPECT_EQ(labels[1], (std::pair<std::string, int>{"Motorcycle >50 <= 12", 3}));
    EXPECT_EQ(labels[2], (std::pair<std::string, int>{"Van/GV <=3.5t mgw", 19}));
}

TEST(MappingProfileParse, SourcesTransformsAndSections) {
    const MappingProfile p = parse_mapping_profile(
        "[profile]\n"
        "name = Test export   # shown in the report\n"
        "encoding = latin-1\n"
        "[constants]\n"
        "police_force = 35\n"
        "[placeholders]\n"
        "location_easting_osgr = 500000.0009\n"
        "[collision]\n"
        "collision_index = Reference\n"
        "day_of_week = Day#2 | values\n"
        "number_of_pedestrians = @26 | int\n"
        "date = Date | date %Y%m%d\n"
        "time = Time | time hmm\n"
        "[vehicle 1]\n"
        "present = Vehicle_1_Type\n"
        "vehicle_reference = =1\n",
        kPath);
    EXPECT_EQ(p.name, "Test export");
    EXPECT_EQ(p.encoding, TextEncoding::Latin1);
    EXPECT_EQ(p.constants.at("police_force"), "35");
    EXPECT_DOUBLE_EQ(p.placeholders.at("location_easting_osgr"), 500000.0009);
    ASSERT_EQ(p.rows.size(), 2u);
    EXPECT_EQ(p.rows[0].table, "collision");
    const auto& f = p.rows[0].fields;
    ASSERT_EQ(f.size(), 5u);
    EXPECT_EQ(f[1].field, "day_of_week");
    EXPECT_EQ(f[1].source.header, "Day");  // "#2" after a name is an occurrence, not a comment
    EXPECT_EQ(f[1].source.occurrence, 2);
    EXPECT_EQ(f[1].source.describe(), "Day#2");
    EXPECT_EQ(f[1].transform, "values");
    EXPECT_EQ(f[1].profile_line, 10);
    EXPECT_EQ(f[2].source.position, 26);
    EXPECT_EQ(f[2].source.describe(), "@26");
    EXPECT_EQ(f[3].argument, "%Y%m%d");
    EXPECT_EQ(f[4].argument, "hmm");
    EXPECT_EQ(p.rows[1].table, "vehicle");
    ASSERT_TRUE(p.rows[1].present.has_value());
    EXPECT_EQ(p.rows[1].present->header, "Vehicle_1_Type");
    ASSERT_TRUE(p.rows[1].fields[0].source.constant.has_value());
    EXPECT_EQ(*p.rows[1].fields[0].source.constant, "1");
    EXPECT_EQ(p.rows[1].fields[0].source.describe(), "=1");
}

// ------------------------------------------------------------------ reading an export with a profile

namespace {

const char* kExportProfile =
    "[profile]\n"
    "name = test export\n"
    "encoding = latin-1\n"
    "[constants]\n"
    "police_force = 35\n"
    "[collision]\n"
    "collision_index = Ref\n"
    "date = When | date %Y%m%d\n"
    "time = HHMM | time hmm\n"
    "collision_severity = Sev | values\n"
    "involves_pedal_cycle = Cyc | yn\n"
    "location_description = Note | text\n"
    "[vehicle 1]\n"
    "present = Veh1\n"
    "vehicle_reference = =1\n"
    "vehicle_type = Veh1 | values\n"
    "[vehicle 2]\n"
    "present = Veh2\n"
    "vehicle_reference = =2\n"
    "vehicle_type = Veh2 | values\n"
    "[values collision_severity]\n"
    "Fatal = 1\n"
    "Serious = 2\n"
    "Slight = 3\n"
    "[values vehicle_type]\n"
    "Car = 9\n"
    "GV >= 7.5t mgw = 21\n"
    "Unknown vehicle type = -1      # data missing\n";

// Latin-1 bytes: 0xE9 is e-acute.
const std::string kExport =
    "Ref,When,HHMM,Sev,Kind,Veh1,Veh2,Cyc,Note\n"
    "A1,20170406,725,Serious,x,Car,,Y,caf\xE9 rouge\n"
    "A2,20170407,1700,Fatal,x,GV >= 7.5t mgw,pedal CYCLE,N,\n"
    "A3,20170431,2561,Bad,x,Unknown vehicle type,,X,\n";

struct ExportFiles {
    ScratchDir dir;
    std::string csv = dir.file("export.csv");
    std::string profile = dir.file("export.ini");
    ExportFiles(const std::string& csv_text, const std::string& profile_text) {
        write_bytes(csv, csv_text);
        write_bytes(profile, profile_text);
    }
};

}  // namespace

TEST(MappingProfileRead, SmallExportEndToEnd) {
    ExportFiles files(kExport, kExportProfile);
    ReadOptions options;
    options.profile = files.profile;
    const Dataset ds = read_stats19({files.csv}, options);
    ASSERT_EQ(ds.report.files.size(), 1u);
    EXPECT_EQ(ds.report.files[0].generation, "profile: test export");
    EXPECT_EQ(ds.report.files[0].table, "collision");
    EXPECT_EQ(ds.report.files[0].rows_read, 3);
    EXPECT_EQ(ds.report.files[0].rows_loaded, 3);
    expect_rows_accounted(ds.report);

    const Table& c = ds.collisions;
    ASSERT_EQ(c.rows(), 3u);
    EXPECT_EQ(int_at(c, "police_force", 0), 35);  // the constant
    EXPECT_EQ(int_at(c, "date", 0), days_from_civil(2017, 4, 6));
    EXPECT_EQ(int_at(c, "time", 0), 7 * 60 + 25);
    EXPECT_EQ(int_at(c, "time", 1), 17 * 60);
    EXPECT_EQ(int_at(c, "collision_severity", 0), 2);
    EXPECT_EQ(int_at(c, "collision_severity", 1), 1);
    EXPECT_EQ(int_at(c, "involves_pedal_cycle", 0), 1);
    EXPECT_EQ(int_at(c, "involves_pedal_cycle", 1), 0);
    EXPECT_EQ(text_at(c, "location_description", 0), "caf\xC3\xA9 rouge");  // latin-1 -> UTF-8
    EXPECT_TRUE(c.at("location_description").is_missing(1));
    // Row 3 is loaded with each bad value missing and reported.
    EXPECT_EQ(int_at(c, "date", 2), kMissingInt);
    EXPECT_EQ(int_at(c, "time", 2), kMissingInt);
    EXPECT_EQ(int_at(c, "collision_severity", 2), kMissingInt);
    EXPECT_EQ(int_at(c, "involves_pedal_cycle", 2), kMissingInt);

    const Table& v = ds.vehicles;
    ASSERT_EQ(v.rows(), 4u);  // A1: 1, A2: 2, A3: 1
    EXPECT_EQ(v.at("vehicle_reference").ints, (std::vector<std::int32_t>{1, 1, 2, 1}));
    EXPECT_EQ(v.at("collision_row").ints, (std::vector<std::int32_t>{0, 1, 1, 2}));
    EXPECT_EQ(text_at(v, "collision_index", 2), "A2");
    EXPECT_EQ(int_at(v, "vehicle_type", 0), 9);
    EXPECT_EQ(int_at(v, "vehicle_type", 1), 21);  // a label containing '=' and '>='
    EXPECT_EQ(int_at(v, "vehicle_type", 2), 1);   // the data guide's own label, any case
    // "Unknown vehicle type = -1": -1 is the data guide's "data missing", so the value is missing.
    EXPECT_EQ(int_at(v, "vehicle_type", 3), kMissingInt);

    // The report: one unused column, then the four bad values of line 4, in column order.
    const auto& entries = ds.report.entries;
    ASSERT_EQ(entries.size(), 5u);
    EXPECT_EQ(entries[0].line, 1);
    EXPECT_EQ(entries[0].column, "Kind");
    EXPECT_EQ(entries[0].reason, "no entry of profile 'test export' uses this column");
    EXPECT_EQ(entries[0].outcome, Outcome::ColumnNotLoaded);
    const std::vector<std::vector<std::string>> bad = {{"When", "20170431", "not a valid calendar date"},
                                                       {"HHMM", "2561", "not a valid time of day"},
                                                       {"Sev", "Bad", "not in the profile's value map for this field"},
                                                       {"Cyc", "X", "not Y or N"}};
    for (std::size_t i = 0; i < bad.size(); ++i) {
        const ReportEntry& e = entries[i + 1];
        expect_entry(e, {files.csv, 4, "collision", bad[i][0], bad[i][1], bad[i][2], Outcome::ValueMissing});
    }
}

TEST(MappingProfileRead, StrictStopsAtTheFirstBadValue) {
    ExportFiles files(kExport, kExportProfile);
    ReadOptions options;
    options.profile = files.profile;
    options.strict = true;
    const Error e = caught_error([&] { (void)read_stats19({files.csv}, options); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(std::string(e.what()), files.csv + ":4: column 'When': value '20170431': not a valid calendar date");
}

TEST(MappingProfileRead, ProfileNamingAColumnTheFileLacksIsASchemaMismatch) {
    std::string csv = kExport;
    csv.replace(csv.find("HHMM"), 4, "Hour");  // the profile's `time = HHMM` now has no column
    ExportFiles files(csv, kExportProfile);
    ReadOptions options;
    options.profile = files.profile;
    const Error e = caught_error([&] { (void)read_stats19({files.csv}, options); });
    EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
    EXPECT_EQ(e.where().file, files.csv);
    EXPECT_EQ(e.where().column, "HHMM");
    EXPECT_EQ(std::string(e.what()), files.csv + ":1: column 'HHMM': mapping profile " + files.profile +
                                         " line 9: the file has no column 'HHMM'");
}

TEST(MappingProfileRead, PositionPastTheLastColumnIsASchemaMismatch) {
    std::string profile = kExportProfile;
    const std::string after = "location_description = Note | text\n";
    profile.insert(profile.find(after) + after.size(), "speed_limit = @12\n");  // line 13
    ExportFiles files(kExport, profile);
    ReadOptions options;
    options.profile = files.profile;
    const Error e = caught_error([&] { (void)read_stats19({files.csv}, options); });
    EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
    EXPECT_EQ(std::string(e.what()), files.csv + ":1: column '@12': mapping profile " + files.profile +
                                         " line 13: column @12 is past the file's 9 columns");
}

TEST(MappingProfileRead, ATransformTheFieldsColumnCannotHoldIsAnError) {
    // Found by fuzz_mapping_profile: `| text` on a coded field wrote text beside a category column,
    // which then had fewer values than the table rows.
    for (const auto& [entry, message] : std::vector<std::pair<std::string, std::string>>{
             {"vehicle_type = Veh1 | text", "'vehicle_type' is of type category; the `text` transform cannot fill it"},
             {"speed_limit = HHMM | float", "'speed_limit' is of type int; the `float` transform cannot fill it"},
             {"location_easting_osgr = HHMM | yn",
              "'location_easting_osgr' is of type float; the `yn` transform cannot fill it"}}) {
        const bool vehicle = entry.rfind("vehicle_type", 0) == 0;
        ExportFiles files(kExport, std::string("[collision]\ncollision_index = Ref\n") +
                                       (vehicle ? "[vehicle 1]\npresent = Veh1\nvehicle_reference = =1\n" : "") +
                                       entry + "\n");
        ReadOptions options;
        options.profile = files.profile;
        const Error e = caught_error([&] { (void)read_stats19({files.csv}, options); });
        EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
        const std::string transform = entry.substr(entry.rfind(' ') + 1);
        EXPECT_EQ(std::string(e.what()), files.profile + ":" + (vehicle ? "6" : "3") + ": value '" + transform +
                                             "': mapping profile: " + message);
    }
}

TEST(MappingProfileRead, BadProfileStopsTheReadWithItsLine) {
    ExportFiles files(kExport, "[collision]\ncollision_index = Ref\ntime = HHMM | clock\n");
    ReadOptions options;
    options.profile = files.profile;
    const Error e = caught_error([&] { (void)read_stats19({files.csv}, options); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_EQ(std::string(e.what()),
              files.profile +
                  ":3: value 'clock': mapping profile: unknown transform 'clock' (int, float, "
                  "text, date, time, values, yn)");
}
