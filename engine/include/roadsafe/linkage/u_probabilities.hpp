#pragma once
// u probabilities (P(level | the pair is not a match)) from random pairs, as Splink's
// estimate_u_using_random_sampling: a random police record and a random patient are almost never
// the same person, so the levels of random pairs are the non-match distribution. Seeded; pairs are
// drawn in fixed chunks, each from its own random stream, so the counts do not depend on threads.
#include <array>
#include <cstdint>
#include <vector>

#include "roadsafe/linkage/comparison_levels.hpp"
#include "roadsafe/linkage/records.hpp"

namespace roadsafe::linkage {

struct UEstimate {
    std::vector<std::vector<double>> u;              // [comparison][level]; u[c][0] (null) = 0
    std::vector<std::vector<std::uint64_t>> counts;  // random pairs seen at each level
    std::uint64_t pairs = 0;
};

// u = (count + 0.5) / (non-null pairs + 0.5 * levels): a level no random pair reached keeps a small
// positive u instead of an infinite weight.
UEstimate estimate_u(const PoliceRecords& police, const PatientRecords& patients, const LevelThresholds& thresholds,
                     std::uint64_t max_pairs, std::uint64_t seed, unsigned threads = 0);

// Term frequencies on the police side: share of records (with a known value) whose road users
// include code k (k < 32) / whose sex is s (index 1, 2). Used as the value-specific u of an "equal"
// level (term-frequency adjustment).
std::vector<double> road_user_frequencies(const PoliceRecords& police);
std::array<double, 3> sex_frequencies(const PoliceRecords& police);

}  // namespace roadsafe::linkage
