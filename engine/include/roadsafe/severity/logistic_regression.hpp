#pragma once
// Binomial GLM with the logit link, fitted by IRLS: the model DfT/ONS use for P(serious) (methods.md §1.4).
#include <Eigen/Dense>
#include <cmath>

#include "roadsafe/severity/glm_fit.hpp"

namespace roadsafe::severity {

// Fits logit P(y = 1) = X b by maximum likelihood.
// `y` holds 0/1 outcomes or proportions in [0, 1]; `weights` (empty = all 1) are prior weights, e.g. the
// number of trials when rows are covariate patterns with y their share of successes (sufficient-statistic
// compression gives the same estimates and standard errors as one row per record).
// Throws Error(InvalidInput) on mismatched sizes, values outside [0, 1], negative weights or a design of
// less than full rank; Error(NotConverged) when IRLS does not converge within options.max_iterations or
// the estimates diverge (complete or quasi-complete separation).
GlmFit fit_logistic(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& weights = {},
                    const IrlsOptions& options = {});

inline double logistic(double eta) {
    return eta >= 0 ? 1.0 / (1.0 + std::exp(-eta)) : std::exp(eta) / (1.0 + std::exp(eta));
}

}  // namespace roadsafe::severity
