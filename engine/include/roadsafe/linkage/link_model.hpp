#pragma once
// The fitted Fellegi–Sunter model: m and u per comparison level, the prior, term frequencies.
//   match weight  w = log2(prior odds) + sum_c log2(m_c / u_c) (+ term-frequency adjustments)
//   prior odds    = pi / (n_police (1 - pi)), pi = share of patients that have a police record
// (the same as Splink's log2(lambda / (1 - lambda)) with lambda = pi / n_police per pair).
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
    std::size_t n_police = 0, n_patients = 0;
    int iterations = 0;
    bool converged = false;
    double max_change = 0;  // largest parameter change in the last iteration
    // Term-frequency adjustment of the "equal" road-user and sex levels: u of the value itself.
    bool tf_road_user = true, tf_sex = false;
    std::vector<double> road_user_u;  // [code], share of police records with that road user
    std::array<double, 3> sex_u{};    // [sex], share of police records with that sex
    double tf_minimum_u = 0.001;      // caps the bonus of very rare values (Splink's tf_minimum_u_value)

    double prior_odds() const;
    double prior_weight() const;  // log2(prior odds)
    // log2(m / u) of one level; 0 for null.
    double level_weight(Comparison c, std::uint8_t level) const;
};

}  // namespace roadsafe::linkage
