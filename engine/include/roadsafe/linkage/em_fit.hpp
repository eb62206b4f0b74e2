#pragma once
// Expectation–maximisation for the m probabilities and the prior, with u held fixed (Splink's
// default, fix_u_probabilities). The E-step uses the constraint that a patient has at most one
// police record: patient j's pair with record i gets
//   P_ij = o_ij / (1 + sum_k o_kj),  o_ij = prior odds * Bayes factor of the pair's levels,
// the posterior when each patient matches no record or exactly one. Without it, a patient's
// fellow casualties of the same collision (same time and place, a different person) would all look
// like matches and teach the model that ages and sexes of matches disagree. With one candidate per
// patient this is the textbook P = o / (1 + o).
// M-step: m_c,l = (sum P [level l] + a) / (sum P [level not null] + a L) (a = m_pseudocount), pi = sum P / patients.
// With `road_user` given and prior_by_road_user, the prior is fitted per recorded road user too:
//   pi_r = (sum over patients r of P(has a record) + b pi) / (patients r + b)   (b = prior_pseudocount),
// shrunk towards pi so a road user with few patients keeps about the common prior.
// A gross location error (the incident placed kilometres away) is rare, and too rare in one registry
// for EM to learn how rare: m of the furthest incident distance level is kept at least
// gross_location_share of the incident-location levels' m, so one such error costs a few bits, not
// a true link.
// Stops when no parameter moves by more than `tolerance`, or after max_iterations.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "roadsafe/linkage/link_model.hpp"

namespace roadsafe::linkage {

struct EmSettings {
    int max_iterations = 100;
    double tolerance = 1e-5;
    double m_pseudocount = 0.01;  // keeps every m above zero (no level gets an infinite negative weight)
    double initial_pi = 0.5;
    double gross_location_share = 0.02;
    // Off here; rs.link turns it on. How often a casualty reaches police records differs by road user (a
    // cyclist's fall without a vehicle is rarely reported): on the second generator (issue 14, with its
    // extra-casualty bug fixed) it fits each road user's share within 0.04 where it has 200+ patients, and
    // the 0.5-0.9 band's calibration goes from 0.73 predicted / 0.76 true to 0.74 / 0.73.
    bool prior_by_road_user = true;  // the default of roadsafe.link too
    double prior_pseudocount = 20;  // patients' worth of the common prior in each road user's
};

// `patterns`: each candidate pair's pattern (pattern_of), grouped by patient through
// `patient_offsets` (size patients + 1). `model` comes in with labels, u and n_police / n_patients
// set and leaves with m, pi, iterations and converged. Initial m: 0.5^level (normalised), so better
// levels start more likely among matches.
// `time_density` (per patient, may be empty): as in scoring, a near time level's Bayes factor is
// divided by the patient's density. `road_user` (per patient, code 0..31 or -1 unknown; may be empty):
// for the prior by road user. `road_user`, `sex` and `hospital` (the patient's hospital site; each may
// be empty): the E-step applies the term-frequency adjustments scoring applies (pair_scores.hpp), so
// m is fitted to the posteriors the links are scored with.
void fit_em(std::span<const std::uint32_t> patterns, std::span<const std::size_t> patient_offsets, LinkModel& model,
            const EmSettings& settings = {}, unsigned threads = 0, std::span<const double> time_density = {},
            std::span<const std::int32_t> road_user = {}, std::span<const std::int8_t> sex = {},
            std::span<const std::int32_t> hospital = {});

}  // namespace roadsafe::linkage
