#pragma once
// Poisson and negative binomial GLMs with the log link, fitted by IRLS: the count models of the
// interrupted time series (methods.md §4.3).
#include <Eigen/Dense>

#include "roadsafe/severity/glm_fit.hpp"

namespace roadsafe::severity {

enum class CountFamily {
    Poisson,
    NegativeBinomial,  // NB2: Var = mu + mu^2 / theta, theta estimated by maximum likelihood
};

// Fits log E[y] = X b + offset. `offset` may be empty (zero). For the negative binomial, IRLS for b and a
// one-dimensional maximisation of the likelihood in log theta alternate until both settle (as MASS::glm.nb);
// theta is capped at 1e8 (no over-dispersion: the fit is then the Poisson one).
// Throws Error(InvalidInput) on negative counts, mismatched sizes or a rank-deficient design, and
// Error(NotConverged) when the fit does not converge.
GlmFit fit_count_model(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& offset = {},
                       CountFamily family = CountFamily::Poisson, const IrlsOptions& options = {});

}  // namespace roadsafe::severity
