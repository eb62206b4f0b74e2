#pragma once
// Match weights and probabilities of candidate pairs under a fitted model.
//   weight      = log2(prior odds) + sum_c log2(m / u) + term-frequency adjustments
//   probability = 2^w / (1 + sum over the patient's candidates of 2^w_k): the posterior that this
//                 record is the patient's, allowing for the patient's other candidates; equal to
//                 Splink's 2^w / (1 + 2^w) when the patient has one candidate.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "roadsafe/linkage/candidate_pairs.hpp"
#include "roadsafe/linkage/link_model.hpp"
#include "roadsafe/linkage/records.hpp"

namespace roadsafe::linkage {

// The term-frequency adjustment of a pair (0 unless tf is on and the level is "equal"):
//   log2(u_equal) - log2(max(u_value, tf_minimum_u)).
// Distance: at the "nearest hospital" level, value is the patient's hospital site and the adjustment
// -log2(model.hospital_u[site]) (its catchment relative to the average patient's).
double tf_adjustment(const LinkModel& model, Comparison c, std::uint8_t level, int value);

// The three term-frequency adjustments of a pair (road user, sex, hospital) summed.
double tf_adjustments(const LinkModel& model, const PairLevels& levels, int road_user, int sex, int hospital);

// `time_density`: the patient's (u_probabilities.hpp); a near time level's weight loses log2 of it.
// `hospital`: the patient's hospital site (hospital_sites.hpp), -1 unknown.
double pair_weight(const LinkModel& model, const PairLevels& levels, int road_user, int sex, double time_density = 1,
                   int hospital = -1);
double time_density_adjustment(std::uint8_t time_level, double time_density);

struct PairScores {
    std::vector<double> weight, probability;
};

// `patients.hospital_site` (may be empty) gives each patient's site for the hospital adjustment.
PairScores score_pairs(const LinkModel& model, const CandidatePairs& pairs, std::span<const std::uint32_t> patterns,
                       const PatientRecords& patients, std::span<const double> time_density, unsigned threads = 0);

}  // namespace roadsafe::linkage
