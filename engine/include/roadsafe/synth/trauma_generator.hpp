#pragma once
// Seeded generator of a synthetic hospital trauma registry (TARN-like) for a set of police records,
// with the ground-truth links, for testing and benchmarking police <-> hospital linkage.
//
// Output (in the format read by io::read_trauma): trauma.csv (patients), injuries.csv (AIS-coded
// injuries consistent with each patient's MAIS and ISS) and truth.csv (trauma_id, collision_index,
// collision_reference, casualty_reference; the police fields empty for a patient with no police
// record, casualty_reference empty when the input is collision-level).
//
// The model, per police casualty (or per casualty implied by a collision's number of casualties and
// its involvement flags when there is no casualty table; the first of those is the pedestrian when one
// was involved, with the first pedestrian's age and sex when the collision records them):
//   1. it reaches the registry with probability capture[severity] x capture_road_user[road user];
//   2. its MAIS is drawn from mais_given_severity[severity]; its injuries are drawn to have exactly
//      that MAIS (ISS follows from them);
//   3. arrival = true incident time + a lognormal transport delay, or a long delay sometimes;
//   4. the registry's copies of incident time, location, age, sex and road user carry recording
//      errors and gaps, every rate multiplied by `noise` (0 = perfect recording, 1 = realistic);
//   5. patients with no police record at all are added (a share of the registry), with times and
//      places like the police records' so that they are plausible decoys for linkage.
// Patients are written in arrival order and numbered in that order (T0000001, ...), so neither the
// order nor the id says which police record a patient came from.
//
// Every parameter's source is given beside it: methods.md §2 / §3 (its short names: "DfT 2022" =
// DfT, Linking STATS19 and TARN: an initial feasibility study; "TARN criteria" = methods.md §3.1),
// or "assumed" where no published figure was available to us. docs/synthetic_trauma.md repeats them.
//
// Deterministic: police record i draws from Random::for_stream(seed, i) and unreported patient j
// from Random::for_stream(seed ^ kUnreportedStream, j); the same input, seed and noise give
// byte-identical files whatever the thread count.
#include <array>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace roadsafe::synth {

inline constexpr std::int64_t kMissingMinutes = std::numeric_limits<std::int64_t>::min();

// Road users, in roadsafe.police_records.ROAD_USERS order.
enum RoadUser : std::int8_t {
    Pedestrian, PedalCyclist, Motorcyclist, CarOccupant, BusOccupant, GoodsVehicleOccupant, OtherRoadUser, UnknownRoadUser,
};
// Police severity: 0 fatal, 1 serious, 2 slight, -1 unknown (modelled as slight). Sex: 0 M, 1 F,
// 2 U, -1 unknown (the true sex is then drawn, 60% M). Road user unknown: drawn from
// unreported_road_user. Age unknown: drawn (12% 0-16, 73% 17-65, 15% 66-95). Time unknown (police
// datetime at noon, time_known 0): a time of day is drawn. A record without a date gives no patient.

// One row per police casualty (struct of arrays; all the same length).
struct PoliceCasualties {
    std::vector<std::int64_t> datetime;   // minutes since 1970-01-01 (collision date + time); kMissingMinutes
    std::vector<std::uint8_t> time_known; // 0 when the police time is missing (datetime is then the date's noon)
    std::vector<double> easting, northing;  // NaN when not located
    std::vector<double> age;                // NaN unknown
    std::vector<std::int8_t> sex, road_user, severity;
    std::vector<std::string> collision_index, collision_reference, casualty_reference;
    std::size_t size() const { return datetime.size(); }
};

// One row per collision, when there is no casualty table.
struct PoliceCollisions {
    std::vector<std::int64_t> datetime;
    std::vector<std::uint8_t> time_known;
    std::vector<double> easting, northing;
    std::vector<std::int8_t> severity;
    std::vector<std::uint8_t> involved;  // bit r set when road user r (RoadUser) is involved
    std::vector<double> n_casualties;    // NaN unknown
    // The first pedestrian's age (NaN unknown) and sex (as above) when the export records them
    // (Cambridgeshire's pedestrian_1_age / pedestrian_1_sex): the collision's pedestrian patient takes
    // them. Either may be empty (no such column): that field is then drawn.
    std::vector<double> pedestrian_age;
    std::vector<std::int8_t> pedestrian_sex;
    std::vector<std::string> collision_index, collision_reference;
    std::size_t size() const { return datetime.size(); }
};

struct TraumaModel {
    // P(a police casualty is in the registry | police severity): fatal, serious, slight.
    // Assumed, calibrated so that a national year of police casualties (the synthetic DfT-format
    // year: ~1.4k fatal, ~20k serious, ~112k slight) gives ~14k registry patients with a police
    // record and ~20k in all (with the unreported share below), a TARN-sized road intake. Fatal: many die at the scene
    // and never reach hospital; slight: TARN admits only LOS >= 3 days, critical care or death
    // (TARN criteria), so few police-slight casualties qualify.
    std::array<double, 3> capture{0.50, 0.48, 0.03};
    // Multiplier on capture by road user (pedestrian ... unknown). Assumed: vulnerable road users are
    // more often severely injured at a given police severity; bus and car occupants less often.
    std::array<double, 8> capture_road_user{1.3, 1.0, 1.3, 0.85, 0.6, 0.85, 1.0, 1.0};
    // P(MAIS = 1..6 | police severity, in the registry). Assumed, shaped by methods.md §2.1
    // (Yannis et al. 2014: much police under-reporting is severity misclassification; police
    // "serious" is not MAIS 3+): ~40% of registry patients the police called serious are MAIS 1-2,
    // ~23% of those the police called slight are MAIS 3+.
    std::array<std::array<double, 6>, 3> mais_given_severity{{
        {0.00, 0.04, 0.14, 0.24, 0.40, 0.18},  // fatal
        {0.07, 0.33, 0.35, 0.15, 0.08, 0.02},  // serious
        {0.30, 0.47, 0.17, 0.04, 0.02, 0.00},  // slight
    }};
    // Injuries per patient: 1 at the MAIS, plus Poisson(extra_injuries_mean) of severity 1..MAIS.
    // Assumed. unknown_injury_rate: share of extra injuries coded AIS 9 (not noise-scaled).
    double extra_injuries_mean = 1.6;
    double unknown_injury_rate = 0.04;
    // Recording gap scaled by noise: share of patients whose every injury is AIS 9 (MAIS/ISS
    // unknown). Assumed.
    double all_unknown_injuries_rate = 0.005;
    // Arrival delay after the incident: lognormal transport time with this median and log-sd
    // (tens of minutes: response + on scene + conveyance; assumed, informed by NHS ambulance
    // category 2 response targets), and a share with a long delay uniform in [2 h, 24 h]
    // (self-presentation, secondary transfer; assumed).
    double delay_median_minutes = 55.0;
    double delay_log_sd = 0.45;
    double long_delay_rate = 0.04;
    // Recording errors (each multiplied by noise; capped at 1):
    // incident time missing. Assumed: TARN records the incident time for most road patients.
    double incident_time_missing_rate = 0.25;
    // incident time clock error: normal with this sd (minutes), plus a gross error (uniform +-3 h)
    // at gross_time_error_rate. Assumed.
    double time_error_sd_minutes = 10.0;
    double gross_time_error_rate = 0.03;
    // incident location missing. DfT 2022: 43% of TARN records matched overall but 62% of those with
    // an incident location, so a large share has none; assumed 45%.
    double location_missing_rate = 0.45;
    // location error: normal per axis with this sd (metres), plus a gross error (uniform 0.5-3 km in
    // a random direction) at gross_location_error_rate. Assumed ("tens to hundreds of metres").
    double location_error_sd_metres = 120.0;
    double gross_location_error_rate = 0.05;
    // age: off by 1 (80%) or 2 (20%) years at age_error_rate; missing at age_missing_rate. Assumed.
    double age_error_rate = 0.10;
    double age_missing_rate = 0.03;
    // sex: recorded as the other sex / as U. Assumed.
    double sex_error_rate = 0.01;
    double sex_unknown_rate = 0.02;
    // road user: recorded as unknown / as a different road user. Assumed.
    double road_user_unknown_rate = 0.05;
    double road_user_error_rate = 0.04;
    // 30-day outcome unknown. Assumed.
    double outcome_unknown_rate = 0.02;
    // Share of registry patients with no police record at all (under-reporting). DfT 2022: 68% of
    // in-scope TARN records with a location matched STATS19; assumed 30% have no police record.
    // Their road users: pedal cyclists over-represented (police under-record cyclists: Elvik & Mysen
    // 1999, GB police cover ~66% of hospital cyclist casualties; DfT 2025 ambulance study), assumed mix.
    double unreported_share = 0.30;
    std::array<double, 8> unreported_road_user{0.14, 0.34, 0.16, 0.24, 0.02, 0.03, 0.07, 0.00};
    // Collision-level input with an unknown number of casualties: 1 + Poisson(this). STATS19
    // 2015-2019 has about 1.3 casualties per collision (assumed from DfT totals).
    double extra_casualties_mean = 0.3;
};

struct TraumaSynthOptions {
    std::uint64_t seed = 0;
    double noise = 1.0;  // >= 0; multiplies every recording-error rate of the model
    TraumaModel model{};
    unsigned threads = 0;  // 0 = all cores; the output does not depend on it
};

struct TraumaSynthFiles {
    std::filesystem::path patients, injuries, truth;
    std::int64_t n_patients = 0, n_with_police_record = 0, n_injuries = 0, n_police_records = 0;
};

// Write trauma.csv, injuries.csv and truth.csv into `directory` (created if absent). Throws
// roadsafe::Error: InvalidInput for columns of different lengths or noise < 0, Io when a file
// cannot be written.
TraumaSynthFiles write_trauma_synthetic(const std::filesystem::path& directory, const PoliceCasualties& police,
                                        const TraumaSynthOptions& options = {});
TraumaSynthFiles write_trauma_synthetic(const std::filesystem::path& directory, const PoliceCollisions& police,
                                        const TraumaSynthOptions& options = {});

}  // namespace roadsafe::synth
