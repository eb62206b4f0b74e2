#include "roadsafe/hotspots/empirical_bayes.hpp"

#include <boost/math/distributions/gamma.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "roadsafe/core/error.hpp"

namespace roadsafe::hotspots {

std::vector<ReferencePrior> reference_priors(std::span<const double> counts, std::span<const std::int32_t> group,
                                             std::int32_t n_groups) {
    if (counts.size() != group.size())
        throw Error(ErrorCode::InvalidInput, "counts and groups must have the same length");
    if (n_groups < 1) throw Error(ErrorCode::InvalidInput, "at least one reference group is needed");
    std::vector<double> n(std::size_t(n_groups), 0.0), sum(n.size(), 0.0), sum_sq(n.size(), 0.0);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const std::int32_t g = group[i];
        if (g < 0 || g >= n_groups)
            throw Error(ErrorCode::InvalidInput, "site " + std::to_string(i) + " has group " + std::to_string(g) +
                                                     ", outside 0.." + std::to_string(n_groups - 1));
        if (!(counts[i] >= 0) || !std::isfinite(counts[i]))
            throw Error(ErrorCode::InvalidInput, "site " + std::to_string(i) + " has a negative or missing count");
        n[std::size_t(g)] += 1;
        sum[std::size_t(g)] += counts[i];
        sum_sq[std::size_t(g)] += counts[i] * counts[i];
    }
    std::vector<ReferencePrior> priors(n.size());
    for (std::size_t g = 0; g < n.size(); ++g) {
        if (n[g] < 2)
            throw Error(ErrorCode::InvalidInput, "reference group " + std::to_string(g) +
                                                     " has fewer than 2 sites; a prior needs a group of similar sites");
        ReferencePrior& p = priors[g];
        p.mean = sum[g] / n[g];
        p.variance = (sum_sq[g] - n[g] * p.mean * p.mean) / (n[g] - 1);
        p.k = p.variance > p.mean && p.mean > 0 ? p.mean * p.mean / (p.variance - p.mean)
                                                : std::numeric_limits<double>::infinity();
    }
    return priors;
}

EmpiricalBayes empirical_bayes(std::span<const double> counts, std::span<const double> prior_mean,
                               std::span<const double> k, double confidence) {
    if (counts.size() != prior_mean.size() || counts.size() != k.size())
        throw Error(ErrorCode::InvalidInput, "counts, prior means and dispersions must have the same length");
    if (!(confidence > 0 && confidence < 1)) throw Error(ErrorCode::InvalidInput, "confidence must be in (0, 1)");
    const double tail = (1 - confidence) / 2;
    EmpiricalBayes out;
    const std::size_t n = counts.size();
    out.weight.resize(n);
    out.estimate.resize(n);
    out.lower.resize(n);
    out.upper.resize(n);
    out.psi.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = counts[i], mu = prior_mean[i], ki = k[i];
        if (!(x >= 0) || !(mu > 0) || !(ki > 0))
            throw Error(ErrorCode::InvalidInput, "site " + std::to_string(i) +
                                                     " needs a count >= 0, a prior mean > 0 and a dispersion k > 0");
        if (std::isinf(ki)) {  // no overdispersion: the site is its group, whatever it counted
            out.weight[i] = 1.0;
            out.estimate[i] = mu;
            out.lower[i] = out.upper[i] = mu;
        } else {
            out.weight[i] = 1.0 / (1.0 + mu / ki);
            const boost::math::gamma_distribution<double> posterior(ki + x, 1.0 / (ki / mu + 1.0));
            out.estimate[i] = boost::math::mean(posterior);
            out.lower[i] = boost::math::quantile(posterior, tail);
            out.upper[i] = boost::math::quantile(posterior, 1 - tail);
        }
        out.psi[i] = out.estimate[i] - mu;
    }
    return out;
}

}  // namespace roadsafe::hotspots
