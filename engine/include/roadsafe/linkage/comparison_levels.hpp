#pragma once
// The comparisons of a police record with a patient, each cut into ordered levels, best first.
// Level 0 of every comparison is "null" (a value missing on either side): it carries no evidence
// (weight 0) and is left out of the m and u estimates, as in Splink.
//
// time      incident time vs collision time when the registry has one (|d| <= 15 min, 1 h, 3 h, 24 h);
//           otherwise arrival vs collision time, allowing a transport delay (-30 min..90 min,
//           90 min..6 h, 6..24 h after); a police record with only a date: the patient's incident
//           (or arrival) falls on the collision's day (or the next, for arrival); else "further apart".
//           One comparison, not two: incident and arrival times of a random pair are nearly the same
//           distance from the collision, so two comparisons would count one piece of evidence twice.
// distance  <= 100 m, 500 m, 2 km, 10 km, further.
// age       exact, +-2, +-5 years, else.
// sex       equal, differs.
// road user equal (casualty level) / the collision involved that road user (collision level), differs.
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

struct LevelThresholds {
    std::array<double, 4> incident_minutes{15, 60, 180, 1440};  // |incident - collision| bands
    double arrival_early_minutes = 30;                          // arrival may precede the recorded time by this
    std::array<double, 3> arrival_minutes{90, 360, 1440};       // arrival - collision bands
    std::array<double, 4> distance_metres{100, 500, 2000, 10000};
    std::array<double, 2> age_years{2, 5};
};

const char* comparison_name(Comparison c) noexcept;
// Level labels of each comparison (index = level; 0 is "null"), for the model summary and explanations.
std::vector<std::vector<std::string>> level_labels(const LevelThresholds& t);
// Number of levels of each comparison, null included.
std::array<std::size_t, kComparisons> level_counts();

// The level of each comparison for police record i and patient j.
PairLevels compare_pair(const PoliceRecords& police, std::size_t i, const PatientRecords& patients, std::size_t j,
                        const LevelThresholds& t);

// The levels as one number (mixed radix, time first), so pairs can be counted by pattern.
std::uint32_t pattern_of(const PairLevels& levels);
PairLevels levels_of(std::uint32_t pattern);
std::uint32_t pattern_count();

}  // namespace roadsafe::linkage
