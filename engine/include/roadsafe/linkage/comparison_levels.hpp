#pragma once
// The comparisons of a police record with a patient, each cut into ordered levels, best first.
// Level 0 of every comparison is "null" (a value missing on either side): it carries no evidence
// (weight 0) and is left out of the m and u estimates, as in Splink.
//
// time      incident time vs collision time when the registry has one: |d| <= 5, 15, 60, 180 min;
//           an incident time further off (a wrong or estimated one) falls back on the arrival: "incident
//           further, arrival 0..6 h after" / "incident further, arrival otherwise". Without an incident
//           time, the arrival's delay after the collision in bands shaped like transport delays
//           (asymmetric: a collision more than a few minutes after the arrival is impossible):
//           before -5 min, -5..20, 20..40, 40..60, 60..90, 90..135, 135..240, 240..480, 480..1440 min.
//           A police record with only a date: the patient's incident (or arrival) falls on the
//           collision's day (or the next, for arrival). Else "further apart".
//           One comparison, not two: incident and arrival times of a random pair are nearly the same
//           distance from the collision, so two comparisons would count one piece of evidence twice.
// distance  the incident location: <= 100 m, 250 m, 500 m, 1, 2, 5, 10 km, further (a gross error);
//           without one, the patient's hospital: the registry's receiving hospital nearest to the
//           collision (hospital_sites.hpp; its u is the hospital's catchment share, as a term
//           frequency), else another hospital <= 20, 35, 60 km from the collision, or further.
// age       exact, +-2, +-5 years, else.
// sex       equal, differs.
// road user equal (casualty level) / the collision involved that road user (collision level) and no
//           more vulnerable one; involved along with a more vulnerable road user (collision level: the
//           patient is a car occupant, say, and the collision also involved a pedestrian, a cyclist or
//           a motorcyclist, who is the more likely casualty); a similar road user (car occupant and goods
//           vehicle occupant, pedal cyclist and motorcyclist: the classes a registry's coder confuses);
//           differs. Road-user codes 0, 1, 2 are pedestrian, pedal cyclist, motorcyclist, most
//           vulnerable first, 3 car, 5 goods vehicle occupant (police_records.ROAD_USERS).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "roadsafe/linkage/records.hpp"

namespace roadsafe::linkage {

enum class Comparison : std::size_t { Time = 0, Distance, Age, Sex, RoadUser };
inline constexpr std::size_t kComparisons = 5;
using PairLevels = std::array<std::uint8_t, kComparisons>;
// The distance level "incident further than the last band": a gross location error when a match.
inline constexpr std::uint8_t kGrossLocationLevel = 8;
// The distance level "no incident location; the patient's hospital is the nearest to the collision".
inline constexpr std::uint8_t kNearestHospitalLevel = 9;

struct LevelThresholds {
    std::array<double, 4> incident_minutes{5, 15, 60, 180};  // |incident - collision| bands
    double plausible_delay_minutes = 360;                    // arrival 0..this after: a plausible delay
    double arrival_early_minutes = 5;                        // clocks may differ by this much
    std::array<double, 8> arrival_minutes{20, 40, 60, 90, 135, 240, 480, 1440};  // arrival - collision bands
    std::array<double, 7> distance_metres{100, 250, 500, 1000, 2000, 5000, 10000};
    std::array<double, 3> hospital_metres{20000, 35000, 60000};  // a hospital other than the nearest
    std::array<double, 2> age_years{2, 5};
};

const char* comparison_name(Comparison c) noexcept;
// Level labels of each comparison (index = level; 0 is "null"), for the model summary and explanations.
std::vector<std::vector<std::string>> level_labels(const LevelThresholds& t);
// Number of levels of each comparison, null included.
std::array<std::size_t, kComparisons> level_counts();

// The road users more vulnerable than `road_user` (bit mask of codes 0..2 below it).
std::uint32_t more_vulnerable(std::int32_t road_user);
// The road users a registry may record in place of `road_user` (bit mask; see the road user levels).
std::uint32_t similar_road_users(std::int32_t road_user);

// The time level of a police time (`known`: the time, else only the date, given as its midnight)
// against a patient's incident and arrival times.
std::uint8_t time_level(double police_time, bool known, double incident, double arrival, const LevelThresholds& t);
// Time levels that only a non-match can have (every pair at another level is a candidate pair).
inline bool far_apart_in_time(std::uint8_t time_level) { return time_level == 6 || time_level == 7 || time_level == 17; }
// Time levels whose u depends on how many collisions happen at that hour of the week (levels within
// minutes or hours of the collision; not "same day", not the far levels).
inline bool time_density_applies(std::uint8_t time_level) {
    return (time_level >= 1 && time_level <= 5) || (time_level >= 8 && time_level <= 15);
}

// The level of each comparison for police record i and patient j.
PairLevels compare_pair(const PoliceRecords& police, std::size_t i, const PatientRecords& patients, std::size_t j,
                        const LevelThresholds& t);

// The levels as one number (mixed radix, time first), so pairs can be counted by pattern.
std::uint32_t pattern_of(const PairLevels& levels);
PairLevels levels_of(std::uint32_t pattern);
std::uint32_t pattern_count();

}  // namespace roadsafe::linkage
