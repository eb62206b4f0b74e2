#include "roadsafe/trends/poisson_interval.hpp"

#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <string>

#include "roadsafe/core/error.hpp"

namespace roadsafe::trends {

namespace {

void check_confidence(double confidence) {
    if (!(confidence > 0.0 && confidence < 1.0)) {
        throw Error(ErrorCode::InvalidInput, "confidence must be between 0 and 1, got " + std::to_string(confidence));
    }
}

// chi2_p(2a) / 2, the p-quantile of a gamma(a, 1) variable.
double half_chi_square_quantile(double a, double p) { return boost::math::gamma_p_inv(a, p); }

}  // namespace

CountInterval poisson_interval(std::int64_t n, double confidence) {
    check_confidence(confidence);
    if (n < 0) throw Error(ErrorCode::InvalidInput, "a count cannot be negative, got " + std::to_string(n));
    const double alpha = 1.0 - confidence;
    const auto nd = static_cast<double>(n);
    CountInterval interval;
    interval.lower = n == 0 ? 0.0 : half_chi_square_quantile(nd, alpha / 2.0);
    interval.upper = half_chi_square_quantile(nd + 1.0, 1.0 - alpha / 2.0);
    return interval;
}

CountInterval weighted_count_interval(const WeightedCount& count, double confidence) {
    check_confidence(confidence);
    const double y = count.total;
    const double v = count.sum_squares;
    if (!std::isfinite(y) || !std::isfinite(v) || y < 0.0 || v < 0.0 || (y > 0.0 && v <= 0.0)) {
        throw Error(ErrorCode::InvalidInput, "inconsistent weighted count: total " + std::to_string(y) +
                                                 ", sum of squared weights " + std::to_string(v));
    }
    const double alpha = 1.0 - confidence;
    const double wm = count.max_weight > 0.0 ? count.max_weight : 1.0;
    CountInterval interval;
    interval.lower = y > 0.0 ? (v / y) * half_chi_square_quantile(y * y / v, alpha / 2.0) : 0.0;
    const double yu = y + wm;
    const double vu = v + wm * wm;
    interval.upper = (vu / yu) * half_chi_square_quantile(yu * yu / vu, 1.0 - alpha / 2.0);
    return interval;
}

}  // namespace roadsafe::trends
