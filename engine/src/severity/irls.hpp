#pragma once
// The iteratively reweighted least-squares loop shared by the GLM fits (private to engine/src/severity).
#include <Eigen/Dense>

#include <cmath>
#include <string>

#include "roadsafe/core/error.hpp"
#include "roadsafe/severity/glm_fit.hpp"
#include "weighted_least_squares.hpp"

namespace roadsafe::severity::detail {

struct IrlsState {
    Eigen::VectorXd beta, eta, mu, w, z;  // z: the last working response, without the offset
    double deviance = 0.0;
    int iterations = 0;
};

// Iterates from (eta, mu) until the relative change in deviance is below options.tolerance.
// working(eta, mu, w, z) fills the working weights and response; mean(eta_i) is the inverse link;
// deviance(mu) the model's deviance. Throws Error(NotConverged) naming `model` when it does not settle.
template <typename Working, typename Mean, typename Deviance>
IrlsState run_irls(const Eigen::MatrixXd& X, const Eigen::VectorXd& offset, Eigen::VectorXd eta, Eigen::VectorXd mu,
                   const IrlsOptions& options, const char* model, Working&& working, Mean&& mean,
                   Deviance&& deviance) {
    const Eigen::Index n = eta.size();
    IrlsState s;
    s.w.resize(n);
    s.z.resize(n);
    s.deviance = deviance(mu);
    for (s.iterations = 1; s.iterations <= options.max_iterations; ++s.iterations) {
        working(eta, mu, s.w, s.z);
        s.beta = weighted_least_squares(X, s.w, s.z);
        eta = X * s.beta + offset;
        for (Eigen::Index i = 0; i < n; ++i) mu[i] = mean(eta[i]);
        const double new_deviance = deviance(mu);
        if (!std::isfinite(new_deviance)) break;
        const bool settled = std::abs(new_deviance - s.deviance) / (std::abs(new_deviance) + 0.1) < options.tolerance;
        s.deviance = new_deviance;
        if (settled) {
            s.eta = std::move(eta);
            s.mu = std::move(mu);
            return s;
        }
    }
    throw Error(ErrorCode::NotConverged, std::string(model) + " (IRLS) did not converge in " +
                                             std::to_string(options.max_iterations) + " iterations");
}

}  // namespace roadsafe::severity::detail
