#pragma once
// Reading a hospital trauma registry (TARN-like): a patient file and an optional injuries file.
//
// Patient file: CSV (UTF-8), one row per patient. Columns (any order; only trauma_id and
// arrival_datetime must be present, every other column may be left out of the header):
//   trauma_id          unique, non-empty                         Text
//   arrival_datetime   ISO 8601 local time, required             Int, minutes since 1970-01-01 00:00
//   incident_datetime  ISO 8601, optional                        Int, minutes since 1970-01-01 00:00
//   age                years 0..120, optional                    Float
//   sex                M, F, U                                   Category
//   road_user          pedestrian, pedal_cyclist, motorcyclist, car_occupant, bus_occupant,
//                      goods_vehicle_occupant, other, unknown    Category
//   incident_easting, incident_northing   BNG metres, optional   Float
//   hospital_code                                                Text
//   hospital_easting, hospital_northing   BNG metres             Float
//   mais               1..6, optional                            Int
//   iss                0..75, optional                           Int
//   outcome_30d        alive, dead, unknown                      Category
//   los_days           >= 0, optional                            Float
// plus source_line (Int) and, when an injuries file is given, mais_source (Category:
// "injuries" when MAIS/ISS were derived from it, "patient file" otherwise).
// Datetimes: YYYY-MM-DDTHH:MM[:SS[.fff]] (a space may replace the T); seconds are truncated to the
// minute; time-zone offsets are not accepted (registry and police times are both UK local time);
// years must lie in 0000..6000 (the range of an Int column of minutes).
//
// Injuries file: CSV, one row per injury: trauma_id, ais_code (optional column), ais_severity
// (1..6, 9 = unknown), iss_region (1..6). Table columns: trauma_id, ais_code, ais_severity,
// iss_region, patient_row (Int, row in patients), source_line.
// MAIS and ISS are derived from the injuries (injury_scores.hpp) for every patient who has any,
// and the DERIVED values are kept: where the patient file also gives mais / iss and it differs,
// the patient row is loaded and flagged with both values in the report.
//
// Nothing is lost: every data row is loaded or reported (file, line, column, value, reason).
// A bad optional value is set missing (ValueMissing); a row with the wrong number of fields, an
// unclosed quote, invalid UTF-8, no trauma_id or no valid arrival_datetime is rejected; a repeated
// trauma_id is reported as a duplicate and not loaded; an injury whose trauma_id is not a loaded
// patient, or whose severity or region is invalid, is rejected. Header problems (a missing
// required column, an unknown or repeated column, an empty file) always throw SchemaMismatch /
// InvalidInput; an unreadable file throws Io. With strict = true the first problem of any kind
// throws instead (InvalidInput, or Encoding for invalid UTF-8).
// Paths may be plain, .gz, .zip (holding one .csv; name a member of a larger archive as
// /vsizip/archive.zip/member.csv) or http(s) URLs, as for STATS19.
#include <cstdint>
#include <string>

#include "roadsafe/core/table.hpp"
#include "roadsafe/io/load_report.hpp"

namespace roadsafe::io {

inline constexpr const char* kRoadUserLabels[] = {"pedestrian",   "pedal_cyclist", "motorcyclist",
                                                  "car_occupant", "bus_occupant",  "goods_vehicle_occupant",
                                                  "other",        "unknown"};
inline constexpr const char* kSexLabels[] = {"M", "F", "U"};
inline constexpr const char* kOutcomeLabels[] = {"alive", "dead", "unknown"};

struct TraumaReadOptions {
    bool strict = false;
};

struct TraumaRegistry {
    Table patients;
    Table injuries;
    LoadReport report;
};

// Parses "YYYY-MM-DDTHH:MM[:SS[.fff]]" into minutes since 1970-01-01 00:00; false when it is not one.
bool parse_iso_datetime(std::string_view text, std::int64_t& minutes) noexcept;
// "YYYY-MM-DDTHH:MM" for minutes since 1970-01-01 00:00.
std::string format_iso_datetime(std::int64_t minutes);

TraumaRegistry read_trauma(const std::string& patients_path, const std::string& injuries_path = "",
                           const TraumaReadOptions& options = {});

}  // namespace roadsafe::io
