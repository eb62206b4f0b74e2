#pragma once
// Confidence intervals for counts.
//
// poisson_interval: the exact (Garwood 1936) interval for an observed Poisson count N,
//   [ chi2_{a/2}(2N) / 2 , chi2_{1-a/2}(2N+2) / 2 ], lower = 0 when N = 0,
//   computed as inverse regularized incomplete gamma functions (Boost.Math gamma_p_inv).
//
// weighted_count_interval: the gamma interval of Fay & Feuer (1997, Statistics in Medicine 16:791)
//   for a weighted sum of Poisson events Y = sum w_i, with v = sum w_i^2 and w_M = the largest weight:
//     lower = v/(2Y) chi2_{a/2}(2Y^2/v)
//     upper = (v + w_M^2)/(2(Y + w_M)) chi2_{1-a/2}(2(Y + w_M)^2/(v + w_M^2))
//   With every weight 1 it is exactly the Garwood interval; with no events it takes w_M = 1 and
//   gives [0, Garwood upper for 0]. roadsafe uses it for fractional (severity-adjusted) counts and
//   for casualty counts, whose events are collisions weighted by their casualties (over-dispersion).
#include <cstdint>

#include "roadsafe/trends/weighted_count.hpp"

namespace roadsafe::trends {

struct CountInterval {
    double lower = 0.0;
    double upper = 0.0;
};

// Throws roadsafe::Error(InvalidInput) for n < 0 or confidence outside (0, 1).
CountInterval poisson_interval(std::int64_t n, double confidence = 0.95);

// Throws roadsafe::Error(InvalidInput) for confidence outside (0, 1) or an inconsistent count
// (negative total, sum of squares <= 0 while total > 0).
CountInterval weighted_count_interval(const WeightedCount& count, double confidence = 0.95);

}  // namespace roadsafe::trends
