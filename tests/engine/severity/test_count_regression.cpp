// Poisson and negative binomial IRLS against closed-form maximum-likelihood answers.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "roadsafe/core/error.hpp"
#include "roadsafe/severity/count_regression.hpp"

using namespace roadsafe;
using namespace roadsafe::severity;

TEST(CountRegression, PoissonTwoGroupsGivesTheRateRatio) {
    // group 0: counts 3, 5, 4 over exposures 1, 2, 1; group 1: 10, 12 over 2, 2.
    Eigen::MatrixXd X(5, 2);
    X << 1, 0, 1, 0, 1, 0, 1, 1, 1, 1;
    Eigen::VectorXd y(5), exposure(5);
    y << 3, 5, 4, 10, 12;
    exposure << 1, 2, 1, 2, 2;
    const GlmFit fit = fit_count_model(X, y, exposure.array().log().matrix(), CountFamily::Poisson);
    EXPECT_NEAR(fit.coefficients[0], std::log(12.0 / 4.0), 1e-9);
    EXPECT_NEAR(fit.coefficients[1], std::log((22.0 / 4.0) / (12.0 / 4.0)), 1e-9);
    EXPECT_NEAR(fit.standard_errors[0], std::sqrt(1.0 / 12), 1e-9);
    EXPECT_NEAR(fit.standard_errors[1], std::sqrt(1.0 / 12 + 1.0 / 22), 1e-9);
    EXPECT_EQ(fit.theta, 0.0);
}

TEST(CountRegression, NegativeBinomialInterceptOnlyIsTheMeanWithMlTheta) {
    std::mt19937 rng(11);
    // Over-dispersed counts: Poisson with gamma-distributed means (theta = 4, mean 20).
    std::gamma_distribution<double> gamma(4.0, 5.0);
    const int n = 400;
    Eigen::VectorXd y(n);
    for (int i = 0; i < n; ++i) y[i] = double(std::poisson_distribution<int>(gamma(rng))(rng));
    const Eigen::MatrixXd X = Eigen::MatrixXd::Ones(n, 1);
    const GlmFit fit = fit_count_model(X, y, {}, CountFamily::NegativeBinomial);
    EXPECT_NEAR(std::exp(fit.coefficients[0]), y.mean(), 1e-6);
    // theta maximises the likelihood: the profile log-likelihood is lower either side.
    auto ll = [&](double theta) {
        const double mu = y.mean();
        double s = 0;
        for (int i = 0; i < n; ++i)
            s += std::lgamma(y[i] + theta) - std::lgamma(theta) - std::lgamma(y[i] + 1) +
                 theta * std::log(theta / (theta + mu)) + y[i] * std::log(mu / (theta + mu));
        return s;
    };
    EXPECT_NEAR(fit.log_likelihood, ll(fit.theta), 1e-6);
    EXPECT_GT(ll(fit.theta), ll(fit.theta * 1.01));
    EXPECT_GT(ll(fit.theta), ll(fit.theta / 1.01));
    EXPECT_GT(fit.theta, 2.5);
    EXPECT_LT(fit.theta, 6.5);
    // Var(mean) = mu (1 + mu/theta) / n
    const double mu = y.mean();
    EXPECT_NEAR(fit.standard_errors[0], std::sqrt((1 + mu / fit.theta) / (mu * n)), 1e-6);
}

TEST(CountRegression, NegativeBinomialOnPoissonDataIsThePoissonFit) {
    Eigen::MatrixXd X(6, 1);
    X.setOnes();
    Eigen::VectorXd y(6);
    y << 10, 10, 10, 10, 10, 10;  // under-dispersed: theta runs to its cap
    const GlmFit nb = fit_count_model(X, y, {}, CountFamily::NegativeBinomial);
    const GlmFit po = fit_count_model(X, y, {}, CountFamily::Poisson);
    EXPECT_NEAR(nb.coefficients[0], po.coefficients[0], 1e-9);
    EXPECT_NEAR(nb.standard_errors[0], po.standard_errors[0], 1e-4);
    EXPECT_GT(nb.theta, 1e6);
}

TEST(CountRegression, BadInput) {
    Eigen::MatrixXd X = Eigen::MatrixXd::Ones(3, 1);
    Eigen::VectorXd y(3);
    y << 1, -1, 2;
    EXPECT_THROW(fit_count_model(X, y), Error);
    y << 0, 0, 0;
    EXPECT_THROW(fit_count_model(X, y), Error);
}
