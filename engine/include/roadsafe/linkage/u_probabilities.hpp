#pragma once
// u probabilities: P(level | the pair is not a match), from pairs that cannot be matches.
// A random pair is not always a non-match: in a registry dense relative to the police data most
// random pairs at the closest time levels are true matches, which would make u too high exactly where
// the evidence is strongest (Splink's estimate_u_using_random_sampling has this bias). So:
// - time: every police record against every patient whose times are moved by whole weeks
//   (-14, -7, +7, +14 days): the same time of day and day of the week, never the patient's own
//   collision. Counted exactly (the records near each moved patient, by binary search), no sampling;
// - the other comparisons: random pairs (every pair when there are at most max_pairs) that are far
//   apart in time, so not matches; their distance, age, sex and road user are those of non-matches
//   under the model's independence assumption.
// Seeded; pairs are drawn in fixed chunks, each from its own random stream, so the counts do not
// depend on threads.
#include <array>
#include <cstdint>
#include <vector>

#include "roadsafe/linkage/comparison_levels.hpp"
#include "roadsafe/linkage/records.hpp"

namespace roadsafe::linkage {

struct UEstimate {
    std::vector<std::vector<double>> u;              // [comparison][level]; u[c][0] (null) = 0
    std::vector<std::vector<std::uint64_t>> counts;  // non-match pairs seen at each level
    std::uint64_t pairs = 0;
};

// u = (count + 0.5) / (non-null pairs + 0.5 * levels): a level no pair reached keeps a small
// positive u instead of an infinite weight. `pairs`: the random pairs drawn.
UEstimate estimate_u(const PoliceRecords& police, const PatientRecords& patients, const LevelThresholds& thresholds,
                     std::uint64_t max_pairs, std::uint64_t seed, unsigned threads = 0);

// Term frequencies on the police side: share of records (with a known value) whose road users
// include code k (k < 32) and no road user more vulnerable than k / whose sex is s (index 1, 2). Used as the value-specific u of an "equal"
// level (term-frequency adjustment).
std::vector<double> road_user_frequencies(const PoliceRecords& police);

// How crowded each patient's hour of the week is: police records within 2 h of the patient's time
// (the incident, else the arrival - 1 h) on the same weekday 1..8 weeks before and after, against the
// count if collisions were spread evenly over the records' span (shrunk towards 1 by four records'
// worth), divided by the patients' mean (the average u is over the patients' hours already). u of
// a near time level is the average u times this: a patient at 3 am has few collisions
// to be confused with, at 5 pm many. 1 when there is nothing to compare.
std::vector<double> time_density(const PoliceRecords& police, const PatientRecords& patients, unsigned threads = 0);
std::array<double, 3> sex_frequencies(const PoliceRecords& police);

}  // namespace roadsafe::linkage
