#include "roadsafe/severity/count_regression.hpp"

#include <algorithm>
#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <cstdint>
#include <string>

#include "roadsafe/core/error.hpp"
#include "irls.hpp"

namespace roadsafe::severity {
namespace {

constexpr double kMaxTheta = 1e8;

double poisson_log_likelihood(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
    double ll = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i)
        ll += (y[i] > 0 ? y[i] * std::log(mu[i]) : 0.0) - mu[i] - std::lgamma(y[i] + 1);
    return ll;
}

double nb_log_likelihood(const Eigen::VectorXd& y, const Eigen::VectorXd& mu, double theta) {
    if (theta >= kMaxTheta) return poisson_log_likelihood(y, mu);
    double ll = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
        ll += std::lgamma(y[i] + theta) - std::lgamma(theta) - std::lgamma(y[i] + 1) +
              theta * std::log(theta / (theta + mu[i])) + (y[i] > 0 ? y[i] * std::log(mu[i] / (theta + mu[i])) : 0.0);
    }
    return ll;
}

double deviance(const Eigen::VectorXd& y, const Eigen::VectorXd& mu, double theta) {
    double d = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
        if (theta > 0 && theta < kMaxTheta) {
            d += (y[i] > 0 ? y[i] * std::log(y[i] / mu[i]) : 0.0) -
                 (y[i] + theta) * std::log((y[i] + theta) / (mu[i] + theta));
        } else {
            d += (y[i] > 0 ? y[i] * std::log(y[i] / mu[i]) : 0.0) - (y[i] - mu[i]);
        }
    }
    return 2.0 * d;
}

// IRLS for log E[y] = X b + offset with Var = mu + mu^2/theta (theta = 0: Poisson). Starts from eta.
GlmFit irls(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& offset, double theta,
            const Eigen::VectorXd& eta, const IrlsOptions& options) {
    const Eigen::Index n = y.size();
    const bool negative_binomial = theta > 0 && theta < kMaxTheta;
    auto working_weight = [&](double m) { return negative_binomial ? m / (1.0 + m / theta) : m; };
    detail::IrlsState s = detail::run_irls(
        X, offset, eta, eta.array().exp().matrix(), options, "count regression",
        [&](const Eigen::VectorXd& e, const Eigen::VectorXd& m, Eigen::VectorXd& w, Eigen::VectorXd& z) {
            for (Eigen::Index i = 0; i < n; ++i) {
                w[i] = working_weight(m[i]);
                z[i] = e[i] - offset[i] + (y[i] - m[i]) / m[i];
            }
        },
        [](double e) { return std::exp(std::min(e, 700.0)); },
        [&](const Eigen::VectorXd& m) { return deviance(y, m, theta); });
    GlmFit fit;
    for (Eigen::Index i = 0; i < n; ++i) s.w[i] = working_weight(s.mu[i]);
    Eigen::MatrixXd cov;
    detail::weighted_least_squares(X, s.w, s.z, &cov);
    fit.coefficients = s.beta;
    fit.covariance = cov;
    fit.standard_errors = cov.diagonal().cwiseMax(0.0).cwiseSqrt();
    fit.linear_predictor = s.eta;
    fit.fitted = s.mu;
    fit.deviance = s.deviance;
    fit.iterations = s.iterations;
    fit.theta = theta;
    fit.log_likelihood = theta > 0 ? nb_log_likelihood(y, s.mu, theta) : poisson_log_likelihood(y, s.mu);
    return fit;
}

// Maximum-likelihood theta for fixed means, searched in log theta over [1e-4, kMaxTheta].
double theta_ml(const Eigen::VectorXd& y, const Eigen::VectorXd& mu) {
    auto negll = [&](double log_theta) { return -nb_log_likelihood(y, mu, std::exp(log_theta)); };
    const auto r = boost::math::tools::brent_find_minima(negll, std::log(1e-4), std::log(kMaxTheta) - 1e-9, 40);
    return std::exp(r.first);
}

}  // namespace

GlmFit fit_count_model(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& offset,
                       CountFamily family, const IrlsOptions& options) {
    detail::check_sizes(X, y, offset, "offset");
    const Eigen::Index n = y.size();
    for (Eigen::Index i = 0; i < n; ++i)
        if (!(y[i] >= 0) || !std::isfinite(y[i]))
            throw Error(ErrorCode::InvalidInput, "count " + std::to_string(y[i]) + " at row " + std::to_string(i) +
                                                     " is negative or not finite");
    const Eigen::VectorXd off = offset.size() ? offset : Eigen::VectorXd::Zero(n);
    if (!off.allFinite()) throw Error(ErrorCode::InvalidInput, "the offset has a missing or infinite value");
    if (y.sum() <= 0) throw Error(ErrorCode::InvalidInput, "every count is zero: no rate can be estimated");

    Eigen::VectorXd eta0(n);
    for (Eigen::Index i = 0; i < n; ++i) eta0[i] = std::log(y[i] + 0.1);
    GlmFit fit = irls(X, y, off, 0.0, eta0, options);
    if (family == CountFamily::Poisson) return fit;

    double theta = theta_ml(y, fit.fitted);
    for (int outer = 0; outer < 50; ++outer) {
        GlmFit next = irls(X, y, off, theta, fit.linear_predictor, options);
        const double next_theta = theta_ml(y, next.fitted);
        const double change = std::abs(next.log_likelihood - fit.log_likelihood);
        const bool both_huge = theta > 1e6 && next_theta > 1e6;  // no over-dispersion: the Poisson fit
        const bool settled = std::abs(std::log(next_theta) - std::log(theta)) < 1e-6 ||
                             change < 1e-9 * (1.0 + std::abs(next.log_likelihood)) || both_huge;
        fit = std::move(next);
        fit.theta = theta;
        if (settled) {
            // Reported theta and log-likelihood belong together.
            fit.log_likelihood = nb_log_likelihood(y, fit.fitted, theta);
            if (theta >= kMaxTheta * 0.999) fit.theta = kMaxTheta;
            return fit;
        }
        theta = next_theta;
    }
    throw Error(ErrorCode::NotConverged, "negative binomial fit: theta did not settle in 50 alternations");
}

}  // namespace roadsafe::severity
