#pragma once
// The fitted Fellegi–Sunter model: m and u per comparison level, the prior, term frequencies.
//   match weight  w = log2(prior odds) + sum_c log2(m_c / u_c) (+ term-frequency adjustments)
//   prior odds    = pi / (n_police (1 - pi)), pi = share of patients that have a police record
// (the same as Splink's log2(lambda / (1 - lambda)) with lambda = pi / n_police per pair).
// pi may depend on the patient's recorded road user (pi_road_user): how often a casualty reaches
// police records differs by road user (cyclists and pedestrians hurt without a motor vehicle, falls
// from a cycle, are rarely reported), so "has a police record at all" is evidence no pair comparison
// carries.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "roadsafe/linkage/comparison_levels.hpp"

namespace roadsafe::linkage {

struct LinkModel {
    std::vector<std::vector<std::string>> labels;  // [comparison][level]
    std::vector<std::vector<double>> m, u;         // [comparison][level]; level 0 (null) unused
    double pi = 0;                                 // P(a patient has a police record)
    // P(a patient has a police record | its road user): [road_user + 1], index 0 unknown. Empty: pi for all.
    std::vector<double> pi_road_user;
    std::size_t n_police = 0, n_patients = 0;
    int iterations = 0;
    bool converged = false;
    double max_change = 0;  // largest parameter change in the last iteration
    // Term-frequency adjustment of the "equal" road-user and sex levels: u of the value itself.
    bool tf_road_user = true, tf_sex = false;
    std::vector<double> road_user_u;  // [code], share of police records with that road user
    std::array<double, 3> sex_u{};    // [sex], share of police records with that sex
    double tf_minimum_u = 0.001;      // caps the bonus of very rare values (Splink's tf_minimum_u_value)
    // The "nearest hospital" distance level's u for a patient of hospital site k, relative to the level's
    // u: the site's catchment share over the share averaged over the patients compared at that level
    // (hospital_sites.hpp). Empty: the level's u for every patient.
    std::vector<double> hospital_u;
    // m of the hospital levels for a patient of site k, relative to the level's m: at "nearest" the site's
    // share of patients from its own catchment, at "another hospital" its share from elsewhere, each over
    // the share among all located patients (hospital_sites.hpp). Empty: the level's m for every patient.
    std::vector<double> hospital_m_nearest, hospital_m_elsewhere;

    double prior_odds() const;
    double prior_weight() const;  // log2(prior odds)
    // The prior of a patient with this road user (code 0..31, -1 unknown): pi_road_user's when set.
    double patient_pi(int road_user) const;
    double prior_odds(int road_user) const;
    double prior_weight(int road_user) const;
    // log2(m / u) of one level; 0 for null.
    double level_weight(Comparison c, std::uint8_t level) const;
};

}  // namespace roadsafe::linkage
