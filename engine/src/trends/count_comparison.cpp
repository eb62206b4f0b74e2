#include "roadsafe/trends/count_comparison.hpp"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "roadsafe/core/error.hpp"

namespace roadsafe::trends {

namespace {

void check_non_negative(double value, const char* what) {
    if (!std::isfinite(value) || value < 0.0) {
        throw Error(ErrorCode::InvalidInput, std::string(what) + " must be finite and >= 0, got " + std::to_string(value));
    }
}

}  // namespace

double two_sided_p(double z) noexcept { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

CountComparison compare_counts(double current, double current_variance, double reference_total,
                               double reference_variance, double reference_periods, double confidence) {
    check_non_negative(current, "the current count");
    check_non_negative(current_variance, "the current count's variance");
    check_non_negative(reference_total, "the reference count");
    check_non_negative(reference_variance, "the reference count's variance");
    if (!(reference_periods > 0.0) || !std::isfinite(reference_periods)) {
        throw Error(ErrorCode::InvalidInput, "the reference must cover a positive number of periods, got " +
                                                 std::to_string(reference_periods));
    }
    if (!(confidence > 0.0 && confidence < 1.0)) {
        throw Error(ErrorCode::InvalidInput, "confidence must be between 0 and 1, got " + std::to_string(confidence));
    }
    const double k = reference_periods;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CountComparison c;
    c.current = current;
    c.reference = reference_total / k;
    c.difference = current - c.reference;
    const double variance = current_variance + reference_variance / (k * k);
    c.z = variance > 0.0 ? c.difference / std::sqrt(variance) : 0.0;
    c.p_value = variance > 0.0 ? two_sided_p(c.z) : 1.0;
    if (c.reference > 0.0) {
        c.rate_ratio = current / c.reference;
    } else {
        c.rate_ratio = current > 0.0 ? std::numeric_limits<double>::infinity() : nan;
    }
    if (current > 0.0 && reference_total > 0.0) {
        const double q = boost::math::quantile(boost::math::normal_distribution<double>(), 1.0 - (1.0 - confidence) / 2.0);
        const double se = std::sqrt(current_variance / (current * current) +
                                    reference_variance / (reference_total * reference_total));
        c.ratio_lower = c.rate_ratio * std::exp(-q * se);
        c.ratio_upper = c.rate_ratio * std::exp(q * se);
    } else {
        c.ratio_lower = nan;
        c.ratio_upper = nan;
    }
    return c;
}

ExactTest exact_conditional_test(std::int64_t n1, std::int64_t n2, double exposure1, double exposure2) {
    if (n1 < 0 || n2 < 0) throw Error(ErrorCode::InvalidInput, "counts cannot be negative");
    if (!(exposure1 > 0.0) || !(exposure2 > 0.0) || !std::isfinite(exposure1) || !std::isfinite(exposure2)) {
        throw Error(ErrorCode::InvalidInput, "exposures must be finite and > 0");
    }
    ExactTest t;
    const std::int64_t n = n1 + n2;
    if (n == 0) return t;
    const double p0 = exposure2 / (exposure1 + exposure2);
    const boost::math::binomial_distribution<double> bin(static_cast<double>(n), p0);
    const auto k = static_cast<double>(n2);
    const double lower_tail = boost::math::cdf(bin, k);                              // P(X <= n2)
    const double upper_tail = n2 == 0 ? 1.0 : boost::math::cdf(boost::math::complement(bin, k - 1.0));  // P(X >= n2)
    t.p_value = std::min(1.0, 2.0 * std::min(lower_tail, upper_tail));
    return t;
}

}  // namespace roadsafe::trends
