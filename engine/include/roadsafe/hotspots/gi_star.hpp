#pragma once
// Getis–Ord local G* (self included) on units with values, as esda.G_Local(star=True):
//   G*_i = sum_j w_ij x_j / sum_j x_j,  E = W_i / n,
//   V = W_i (n - W_i) / ((n - 1) n^2) * s^2 / xbar^2  (s^2 = mean(x^2) - xbar^2, W_i = sum_j w_ij),
//   z = (G*_i - E) / sqrt(V)  -- esda's moments, so z equals esda's Zs on the same weights.
// Conditional permutation: x_i stays at i, its other neighbours get values drawn without
// replacement from the other n - 1 units, afresh for every permutation. Each unit's draws come
// from its own random stream, derived from (seed, i), so the p-values of different units are
// independent and the result does not depend on the number of threads. A permutation counts as
// larger when its G* is at least the observed one (with equal weights: its drawn values sum to at
// least the observed neighbours' sum, exact for whole-number values); the pseudo p-value is
// folded like esda's p_sim: (min(larger, P - larger) + 1) / (P + 1).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "roadsafe/hotspots/spatial_weights.hpp"

namespace roadsafe::hotspots {

struct GiStarOptions {
    std::size_t permutations = 999;  // 0 = analytic only
    std::uint64_t seed = 0;
    unsigned threads = 0;            // 0 = all hardware threads; the result does not depend on it
};

struct GiStarResult {
    std::vector<double> g, expected, variance, z;
    std::vector<double> p_norm;  // one-sided normal tail of |z| (esda's p_norm)
    std::vector<double> p_sim;   // folded permutation pseudo p (NaN when permutations = 0)
    std::vector<double> q_sim;   // Benjamini–Hochberg q-values of p_sim (NaN when no permutations)
    std::vector<double> q_norm;  // Benjamini–Hochberg q-values of 2 * p_norm (two-sided)
};

// `weights` must include each unit's own weight (w_ii) for G*.
GiStarResult gi_star(const SpatialWeights& weights, std::span<const double> values, const GiStarOptions& options = {});

}  // namespace roadsafe::hotspots
