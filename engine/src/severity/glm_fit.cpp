#include "roadsafe/severity/glm_fit.hpp"

#include <cmath>
#include <string>

#include "roadsafe/core/error.hpp"
#include "weighted_least_squares.hpp"

namespace roadsafe::severity {

double linear_predictor_se(const GlmFit& fit, const Eigen::Ref<const Eigen::RowVectorXd>& x) {
    if (x.size() != fit.covariance.cols())
        throw Error(ErrorCode::InvalidInput, "design row has " + std::to_string(x.size()) + " values, the fit " +
                                                 std::to_string(fit.covariance.cols()) + " coefficients");
    const double v = x * fit.covariance * x.transpose();
    return std::sqrt(v > 0 ? v : 0.0);
}

namespace detail {

Eigen::VectorXd weighted_least_squares(const Eigen::MatrixXd& X, const Eigen::VectorXd& w, const Eigen::VectorXd& z,
                                       Eigen::MatrixXd* inverse) {
    const Eigen::MatrixXd xtw = X.transpose() * w.asDiagonal();
    const Eigen::MatrixXd info = xtw * X;
    // Scale to unit diagonal so the rank test does not depend on the columns' units.
    Eigen::VectorXd d = info.diagonal();
    for (Eigen::Index j = 0; j < d.size(); ++j) {
        if (!(d[j] > 0))
            throw Error(ErrorCode::InvalidInput,
                        "design column " + std::to_string(j) + " is zero wherever the weight is positive");
        d[j] = 1.0 / std::sqrt(d[j]);
    }
    const Eigen::MatrixXd scaled = d.asDiagonal() * info * d.asDiagonal();
    Eigen::LDLT<Eigen::MatrixXd> ldlt(scaled);
    const Eigen::VectorXd pivots = ldlt.vectorD();
    if (ldlt.info() != Eigen::Success || pivots.minCoeff() <= 1e-10 * pivots.maxCoeff())
        throw Error(ErrorCode::InvalidInput, "the design matrix is not of full rank (collinear columns)");
    const Eigen::VectorXd b = d.asDiagonal() * ldlt.solve(d.asDiagonal() * (xtw * z));
    if (inverse) {
        const Eigen::MatrixXd id = Eigen::MatrixXd::Identity(scaled.rows(), scaled.cols());
        *inverse = d.asDiagonal() * ldlt.solve(id) * d.asDiagonal();
    }
    return b;
}

void check_sizes(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& weights,
                 const char* weights_name) {
    if (X.rows() != y.size())
        throw Error(ErrorCode::InvalidInput, "the design has " + std::to_string(X.rows()) + " rows but y has " +
                                                 std::to_string(y.size()) + " values");
    if (weights.size() != 0 && weights.size() != y.size())
        throw Error(ErrorCode::InvalidInput, std::string(weights_name) + " has " + std::to_string(weights.size()) +
                                                 " values, y has " + std::to_string(y.size()));
    if (X.rows() == 0 || X.cols() == 0) throw Error(ErrorCode::InvalidInput, "an empty design matrix");
    if (X.rows() < X.cols())
        throw Error(ErrorCode::InvalidInput, "more coefficients (" + std::to_string(X.cols()) + ") than rows (" +
                                                 std::to_string(X.rows()) + ")");
    if (!X.allFinite()) throw Error(ErrorCode::InvalidInput, "the design matrix has a missing or infinite value");
}

}  // namespace detail
}  // namespace roadsafe::severity
