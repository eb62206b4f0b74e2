#pragma once
// Empirical Bayes estimates of each site's expected count (Hauer), so that sites are ranked on
// what they are likely to have, not on a count that may be high by chance (regression to the mean).
//
// Each site i has an observed count x_i and a prior mean mu_i with negative-binomial dispersion k
// (Var = mu + mu^2 / k): either from a reference group of similar sites (method of moments over the
// group, no traffic flows needed) or from a user's safety performance function. The posterior of the
// site's true mean is Gamma(k + x, rate k / mu + 1), so
//   EB = w mu + (1 - w) x with w = 1 / (1 + mu / k),
// and its 95% interval comes from the gamma quantiles. PSI (potential for safety improvement) is EB - mu.
#include <cstdint>
#include <span>
#include <vector>

namespace roadsafe::hotspots {

struct ReferencePrior {
    double mean = 0.0;      // mean count of the group
    double variance = 0.0;  // sample variance of the group's counts
    double k = 0.0;         // mean^2 / (variance - mean); +infinity when variance <= mean (no extra variation)
};

// Method-of-moments prior for each group (groups are 0..n_groups-1; counts may be fractional).
std::vector<ReferencePrior> reference_priors(std::span<const double> counts, std::span<const std::int32_t> group,
                                             std::int32_t n_groups);

struct EmpiricalBayes {
    std::vector<double> weight;       // w: the share of the estimate taken from the prior
    std::vector<double> estimate;     // EB expected count
    std::vector<double> lower, upper; // posterior interval at `confidence`
    std::vector<double> psi;          // EB - prior mean
};

// EB for each site from its count, prior mean and dispersion k (k = +infinity: all extra variation is
// Poisson noise, so the estimate is the prior mean).
EmpiricalBayes empirical_bayes(std::span<const double> counts, std::span<const double> prior_mean,
                               std::span<const double> k, double confidence = 0.95);

}  // namespace roadsafe::hotspots
