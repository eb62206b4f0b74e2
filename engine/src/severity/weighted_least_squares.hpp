#pragma once
// The weighted least-squares step shared by the IRLS fits (private to engine/src/severity).
#include <Eigen/Dense>

namespace roadsafe::severity::detail {

// Solves (X' W X) b = X' W z. Throws Error(InvalidInput) when X' W X is singular (a design of less than
// full rank, or a column that is zero wherever the weight is positive). Also returns (X' W X)^-1 when asked.
Eigen::VectorXd weighted_least_squares(const Eigen::MatrixXd& X, const Eigen::VectorXd& w, const Eigen::VectorXd& z,
                                       Eigen::MatrixXd* inverse = nullptr);

// Checks sizes of y, weights and offset against X (empty vectors allowed for weights and offset).
void check_sizes(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& weights,
                 const char* weights_name);

}  // namespace roadsafe::severity::detail
