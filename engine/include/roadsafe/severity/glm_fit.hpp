#pragma once
// What a generalised linear model fit returns: estimates with standard errors, and how the fit went.
#include <Eigen/Dense>

namespace roadsafe::severity {

// Iteratively reweighted least squares (Fisher scoring) settings shared by every GLM in this module.
struct IrlsOptions {
    int max_iterations = 50;
    // Converged when |deviance - previous deviance| / (|deviance| + 0.1) < tolerance (R's glm rule).
    double tolerance = 1e-10;
};

struct GlmFit {
    Eigen::VectorXd coefficients;      // on the link scale, one per design column
    Eigen::VectorXd standard_errors;   // sqrt(diag(covariance))
    Eigen::MatrixXd covariance;        // inverse Fisher information at the estimate
    Eigen::VectorXd linear_predictor;  // eta = X b (+ offset), one per row
    Eigen::VectorXd fitted;            // inverse link of eta (probability or mean)
    double log_likelihood = 0.0;       // full log-likelihood (binomial: without the constant binomial coefficient)
    double deviance = 0.0;
    int iterations = 0;
    double theta = 0.0;  // negative binomial only: Var = mu + mu^2 / theta; 0 otherwise
};

// Standard error of x' b for a row x of a design: sqrt(x' V x).
double linear_predictor_se(const GlmFit& fit, const Eigen::Ref<const Eigen::RowVectorXd>& x);

}  // namespace roadsafe::severity
