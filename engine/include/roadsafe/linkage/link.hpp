#pragma once
// Police <-> trauma linkage end to end: blocking, u among non-matches (u_probabilities.hpp), EM for m and the prior,
// scoring, assignment. Every step is seeded or deterministic and independent of the thread count.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "roadsafe/core/progress.hpp"
#include "roadsafe/linkage/assignment.hpp"
#include "roadsafe/linkage/candidate_pairs.hpp"
#include "roadsafe/linkage/comparison_levels.hpp"
#include "roadsafe/linkage/em_fit.hpp"
#include "roadsafe/linkage/link_model.hpp"
#include "roadsafe/linkage/records.hpp"

namespace roadsafe::linkage {

struct LinkSettings {
    Unit unit = Unit::Casualty;
    BlockingSettings blocking;
    LevelThresholds thresholds;
    EmSettings em;
    std::uint64_t u_max_pairs = 1'000'000;
    std::uint64_t seed = 0;
    bool tf_road_user = true, tf_sex = false;
    bool time_of_week = true;  // adjust near time levels by how crowded the patient's hour of the week is
    // "Nearest hospital": the patient's hospital is the registry's receiving hospital nearest the collision
    // (hospital_sites.hpp). Off: the hospital's distance alone (as before issue 14's second round).
    bool nearest_hospital = true;
    // ... and m of the hospital levels scaled by how often the patient's hospital takes patients from beyond
    // its catchment (hospital_sites.hpp).
    bool hospital_bypass = true;
    double keep_probability = 0.01;  // assigned pairs below this are not returned
    unsigned threads = 0;            // 0 = all hardware threads
};

struct LinkResult {
    LinkModel model;
    std::size_t candidate_pairs = 0;
    std::uint64_t u_pairs = 0;
    // Assigned pairs (one per patient at most; one per casualty at most at casualty level) with
    // probability >= keep_probability, sorted by patient.
    std::vector<std::uint32_t> police, patient;
    std::vector<double> weight, probability;
    std::vector<PairLevels> levels;
    std::vector<double> time_density;  // per patient (u_probabilities.hpp)
    std::vector<std::int32_t> hospital_site;  // per patient: its receiving hospital's site, -1 unknown
    // Every candidate pair with probability >= keep_probability, assigned or not, grouped by patient:
    // what expected counts sum over (a patient's probability may be spread over several records).
    std::vector<std::uint32_t> scored_police, scored_patient;
    std::vector<double> scored_probability;
};

LinkResult link_records(const PoliceRecords& police, const PatientRecords& patients, const LinkSettings& settings,
                        const ProgressCallback& progress = {});

}  // namespace roadsafe::linkage
