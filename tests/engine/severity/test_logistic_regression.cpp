// Logistic regression by IRLS against answers derived by hand (2x2 table: the MLE slope is the log odds
// ratio, its standard error Woolf's sqrt(1/a + 1/b + 1/c + 1/d)).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "roadsafe/core/error.hpp"
#include "roadsafe/severity/logistic_regression.hpp"

using namespace roadsafe;
using namespace roadsafe::severity;

namespace {

// One row per record: x = 0 with s0 successes of n0, x = 1 with s1 of n1.
void two_by_two(int s0, int n0, int s1, int n1, Eigen::MatrixXd& X, Eigen::VectorXd& y) {
    const int n = n0 + n1;
    X.resize(n, 2);
    y.resize(n);
    for (int i = 0; i < n; ++i) {
        const bool group1 = i >= n0;
        X(i, 0) = 1.0;
        X(i, 1) = group1 ? 1.0 : 0.0;
        y[i] = group1 ? (i - n0 < s1 ? 1.0 : 0.0) : (i < s0 ? 1.0 : 0.0);
    }
}

}  // namespace

TEST(LogisticRegression, SingleBinaryCovariateGivesTheLogOddsRatio) {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    two_by_two(30, 100, 45, 100, X, y);
    const GlmFit fit = fit_logistic(X, y);
    EXPECT_NEAR(fit.coefficients[0], std::log(30.0 / 70.0), 1e-9);
    EXPECT_NEAR(fit.coefficients[1], std::log((45.0 * 70.0) / (55.0 * 30.0)), 1e-9);
    EXPECT_NEAR(fit.standard_errors[0], std::sqrt(1.0 / 30 + 1.0 / 70), 1e-9);
    EXPECT_NEAR(fit.standard_errors[1], std::sqrt(1.0 / 30 + 1.0 / 70 + 1.0 / 45 + 1.0 / 55), 1e-9);
    EXPECT_NEAR(fit.fitted[0], 0.30, 1e-9);
    EXPECT_NEAR(fit.fitted[150], 0.45, 1e-9);
    const double ll = 30 * std::log(0.3) + 70 * std::log(0.7) + 45 * std::log(0.45) + 55 * std::log(0.55);
    EXPECT_NEAR(fit.log_likelihood, ll, 1e-8);
    EXPECT_LT(fit.iterations, 10);
}

TEST(LogisticRegression, CovariatePatternsWithWeightsMatchOneRowPerRecord) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> level(0, 3);
    std::bernoulli_distribution coin(0.5);
    const int n = 2000;
    Eigen::MatrixXd X = Eigen::MatrixXd::Zero(n, 5);
    Eigen::VectorXd y(n);
    // patterns: 4 levels x 2 sexes; P(y) from a known logit
    Eigen::MatrixXd P = Eigen::MatrixXd::Zero(8, 5);
    Eigen::VectorXd succ = Eigen::VectorXd::Zero(8), trials = Eigen::VectorXd::Zero(8);
    for (int i = 0; i < n; ++i) {
        const int l = level(rng);
        const int s = coin(rng) ? 1 : 0;
        X(i, 0) = 1;
        if (l > 0) X(i, l) = 1;
        X(i, 4) = s;
        const double eta = -1.5 + 0.4 * l + 0.3 * s;
        y[i] = std::bernoulli_distribution(logistic(eta))(rng) ? 1.0 : 0.0;
        const int pat = l * 2 + s;
        P.row(pat) = X.row(i);
        succ[pat] += y[i];
        trials[pat] += 1;
    }
    const GlmFit full = fit_logistic(X, y);
    const GlmFit compressed = fit_logistic(P, succ.cwiseQuotient(trials), trials);
    for (int j = 0; j < 5; ++j) {
        EXPECT_NEAR(full.coefficients[j], compressed.coefficients[j], 1e-9);
        EXPECT_NEAR(full.standard_errors[j], compressed.standard_errors[j], 1e-9);
    }
    EXPECT_NEAR(full.log_likelihood, compressed.log_likelihood, 1e-7);
    // The linear predictor's standard error for a pattern equals the intercept's alone for the reference.
    Eigen::RowVectorXd ref = Eigen::RowVectorXd::Zero(5);
    ref[0] = 1;
    EXPECT_NEAR(linear_predictor_se(full, ref), full.standard_errors[0], 1e-12);
}

TEST(LogisticRegression, SeparationDoesNotConverge) {
    Eigen::MatrixXd X(6, 2);
    X << 1, 1, 1, 2, 1, 3, 1, 4, 1, 5, 1, 6;
    Eigen::VectorXd y(6);
    y << 0, 0, 0, 1, 1, 1;
    try {
        fit_logistic(X, y);
        FAIL() << "expected NotConverged";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::NotConverged);
    }
}

TEST(LogisticRegression, TooFewIterationsDoesNotConverge) {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    two_by_two(30, 100, 45, 100, X, y);
    IrlsOptions options;
    options.max_iterations = 1;
    try {
        fit_logistic(X, y, {}, options);
        FAIL() << "expected NotConverged";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::NotConverged);
        EXPECT_NE(std::string(e.what()).find("did not converge"), std::string::npos);
    }
}

TEST(LogisticRegression, BadInputIsInvalid) {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    two_by_two(3, 10, 4, 10, X, y);
    Eigen::MatrixXd collinear(X.rows(), 3);
    collinear << X, 2 * X.col(1);
    auto code_of = [](auto&& f) {
        try {
            f();
        } catch (const Error& e) {
            return e.code();
        }
        return ErrorCode::Cancelled;  // did not throw
    };
    EXPECT_EQ(code_of([&] { fit_logistic(collinear, y); }), ErrorCode::InvalidInput);
    Eigen::VectorXd bad = y;
    bad[0] = 2.0;
    EXPECT_EQ(code_of([&] { fit_logistic(X, bad); }), ErrorCode::InvalidInput);
    EXPECT_EQ(code_of([&] { fit_logistic(X, y.head(5)); }), ErrorCode::InvalidInput);
    EXPECT_EQ(code_of([&] { fit_logistic(X, y, -Eigen::VectorXd::Ones(y.size())); }), ErrorCode::InvalidInput);
}
