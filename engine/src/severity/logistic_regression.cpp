#include "roadsafe/severity/logistic_regression.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "roadsafe/core/error.hpp"
#include "irls.hpp"

namespace roadsafe::severity {
namespace {

double binomial_deviance_term(double y, double p) {
    double d = 0.0;
    if (y > 0) d += y * std::log(y / p);
    if (y < 1) d += (1 - y) * std::log((1 - y) / (1 - p));
    return 2.0 * d;
}

}  // namespace

GlmFit fit_logistic(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& weights,
                    const IrlsOptions& options) {
    detail::check_sizes(X, y, weights, "weights");
    const Eigen::Index n = y.size();
    const Eigen::VectorXd prior = weights.size() ? weights : Eigen::VectorXd::Ones(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        if (!(y[i] >= 0.0 && y[i] <= 1.0))
            throw Error(ErrorCode::InvalidInput, "outcome " + std::to_string(y[i]) + " at row " + std::to_string(i) +
                                                     " is not a 0/1 value or a proportion");
        if (!(prior[i] >= 0.0) || !std::isfinite(prior[i]))
            throw Error(ErrorCode::InvalidInput, "weight at row " + std::to_string(i) + " is negative or not finite");
    }

    // Start as R does: mu = (w y + 0.5) / (w + 1).
    Eigen::VectorXd mu(n), eta(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        mu[i] = (prior[i] * y[i] + 0.5) / (prior[i] + 1.0);
        eta[i] = std::log(mu[i] / (1 - mu[i]));
    }
    auto deviance_of = [&](const Eigen::VectorXd& m) {
        double dev = 0.0;
        for (Eigen::Index i = 0; i < n; ++i) dev += prior[i] * binomial_deviance_term(y[i], m[i]);
        return dev;
    };
    detail::IrlsState fit_state = detail::run_irls(
        X, Eigen::VectorXd::Zero(n), eta, mu, options, "logistic regression",
        [&](const Eigen::VectorXd& e, const Eigen::VectorXd& m, Eigen::VectorXd& w, Eigen::VectorXd& z) {
            for (Eigen::Index i = 0; i < n; ++i) {
                const double v = std::max(m[i] * (1 - m[i]), 1e-300);
                w[i] = prior[i] * v;
                z[i] = e[i] + (y[i] - m[i]) / v;
            }
        },
        [](double e) { return std::clamp(logistic(e), 1e-15, 1 - 1e-15); }, deviance_of);
    eta = std::move(fit_state.eta);
    mu = std::move(fit_state.mu);
    Eigen::VectorXd& w = fit_state.w;
    // Separation: the likelihood has no finite maximum, so estimates run off towards infinity and fitted
    // probabilities reach 0 or 1 where the data are not themselves certain.
    for (Eigen::Index i = 0; i < n; ++i) {
        if (prior[i] > 0 && std::abs(eta[i]) > 30.0)
            throw Error(ErrorCode::NotConverged,
                        "logistic regression: fitted probability 0 or 1 at row " + std::to_string(i) +
                            " (complete or quasi-complete separation); the estimates do not exist");
    }

    GlmFit fit;
    for (Eigen::Index i = 0; i < n; ++i) w[i] = prior[i] * mu[i] * (1 - mu[i]);
    Eigen::MatrixXd cov;
    detail::weighted_least_squares(X, w, fit_state.z, &cov);
    fit.coefficients = fit_state.beta;
    fit.covariance = cov;
    fit.standard_errors = cov.diagonal().cwiseMax(0.0).cwiseSqrt();
    fit.linear_predictor = eta;
    fit.fitted = mu;
    fit.deviance = fit_state.deviance;
    double ll = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        if (y[i] > 0) ll += prior[i] * y[i] * std::log(mu[i]);
        if (y[i] < 1) ll += prior[i] * (1 - y[i]) * std::log(1 - mu[i]);
    }
    fit.log_likelihood = ll;
    fit.iterations = fit_state.iterations;
    return fit;
}

}  // namespace roadsafe::severity
