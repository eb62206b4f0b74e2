#include "roadsafe/severity/logistic_regression.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "roadsafe/core/error.hpp"
#include "weighted_least_squares.hpp"

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
    double dev = deviance_of(mu);
    Eigen::VectorXd beta = Eigen::VectorXd::Zero(X.cols());
    Eigen::VectorXd w(n), z(n);
    bool converged = false;
    int it = 0;
    for (it = 1; it <= options.max_iterations; ++it) {
        for (Eigen::Index i = 0; i < n; ++i) {
            const double v = std::max(mu[i] * (1 - mu[i]), 1e-300);
            w[i] = prior[i] * v;
            z[i] = eta[i] + (y[i] - mu[i]) / v;
        }
        beta = detail::weighted_least_squares(X, w, z);
        eta = X * beta;
        for (Eigen::Index i = 0; i < n; ++i) mu[i] = std::clamp(logistic(eta[i]), 1e-15, 1 - 1e-15);
        const double new_dev = deviance_of(mu);
        if (!std::isfinite(new_dev)) break;
        const bool settled = std::abs(new_dev - dev) / (std::abs(new_dev) + 0.1) < options.tolerance;
        dev = new_dev;
        if (settled) {
            converged = true;
            break;
        }
    }
    if (!converged)
        throw Error(ErrorCode::NotConverged, "logistic regression (IRLS) did not converge in " +
                                                 std::to_string(options.max_iterations) + " iterations");
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
    detail::weighted_least_squares(X, w, z, &cov);
    fit.coefficients = beta;
    fit.covariance = cov;
    fit.standard_errors = cov.diagonal().cwiseMax(0.0).cwiseSqrt();
    fit.linear_predictor = eta;
    fit.fitted = mu;
    fit.deviance = dev;
    double ll = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        if (y[i] > 0) ll += prior[i] * y[i] * std::log(mu[i]);
        if (y[i] < 1) ll += prior[i] * (1 - y[i]) * std::log(1 - mu[i]);
    }
    fit.log_likelihood = ll;
    fit.iterations = it;
    return fit;
}

}  // namespace roadsafe::severity
