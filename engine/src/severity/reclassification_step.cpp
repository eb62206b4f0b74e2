#include "roadsafe/severity/reclassification_step.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "roadsafe/core/error.hpp"

namespace roadsafe::severity {
namespace {

void check_series(const MonthlySeries& s) {
    const std::size_t n = s.counts.size();
    if (s.month_of_year.size() != n)
        throw Error(ErrorCode::InvalidInput, "month_of_year must have one value per month");
    if (!s.log_offset.empty() && s.log_offset.size() != n)
        throw Error(ErrorCode::InvalidInput, "log_offset must be empty or have one value per month");
    for (int m : s.month_of_year)
        if (m < 1 || m > 12)
            throw Error(ErrorCode::InvalidInput, "month_of_year " + std::to_string(m) + " is not 1..12");
}

Eigen::MatrixXd design(const MonthlySeries& s, std::size_t switch_index, bool seasonality) {
    const std::size_t n = s.counts.size();
    bool present[13] = {};
    for (int m : s.month_of_year) present[m] = true;
    std::vector<int> dummies;
    if (seasonality)
        for (int m = 2; m <= 12; ++m)
            if (present[m] && present[1]) dummies.push_back(m);
    // Without January in the data, use the first present month as the reference.
    if (seasonality && !present[1]) {
        int ref = 0;
        for (int m = 1; m <= 12; ++m)
            if (present[m]) {
                if (!ref)
                    ref = m;
                else
                    dummies.push_back(m);
            }
    }
    const Eigen::Index p = Eigen::Index(3 + dummies.size());
    Eigen::MatrixXd X = Eigen::MatrixXd::Zero(Eigen::Index(n), p);
    for (std::size_t t = 0; t < n; ++t) {
        const Eigen::Index r = Eigen::Index(t);
        X(r, 0) = 1.0;
        X(r, 1) = double(t) / 12.0;
        for (std::size_t k = 0; k < dummies.size(); ++k)
            if (s.month_of_year[t] == dummies[k]) X(r, Eigen::Index(2 + k)) = 1.0;
        X(r, p - 1) = t >= switch_index ? 1.0 : 0.0;
    }
    return X;
}

}  // namespace

StepFit fit_reclassification_step(const MonthlySeries& s, std::size_t switch_index, const StepOptions& options) {
    check_series(s);
    const std::size_t n = s.counts.size();
    if (switch_index < 1 || switch_index + 1 >= n)
        throw Error(ErrorCode::InvalidInput, "switch month " + std::to_string(switch_index) +
                                                 " must leave at least "
                                                 "one month before and two after it (series of " +
                                                 std::to_string(n) + " months)");
    if (!(options.confidence > 0 && options.confidence < 1))
        throw Error(ErrorCode::InvalidInput, "confidence must be in (0, 1)");
    const Eigen::MatrixXd X = design(s, switch_index, options.seasonality);
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(s.counts.data(), Eigen::Index(n));
    const Eigen::VectorXd off =
        s.log_offset.empty() ? Eigen::VectorXd()
                             : Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(s.log_offset.data(), Eigen::Index(n)));
    StepFit out;
    out.switch_index = switch_index;
    out.fit = fit_count_model(X, y, off, options.family, options.irls);
    const Eigen::Index k = X.cols() - 1;
    out.log_step = out.fit.coefficients[k];
    out.log_step_se = out.fit.standard_errors[k];
    out.rate_ratio = std::exp(out.log_step);
    const double zq = boost::math::quantile(boost::math::normal(), 0.5 + options.confidence / 2);
    out.lower = std::exp(out.log_step - zq * out.log_step_se);
    out.upper = std::exp(out.log_step + zq * out.log_step_se);
    out.trend_per_year = out.fit.coefficients[1];
    out.fitted.resize(n);
    out.counterfactual.resize(n);
    for (std::size_t t = 0; t < n; ++t) {
        out.fitted[t] = out.fit.fitted[Eigen::Index(t)];
        out.counterfactual[t] = t >= switch_index ? out.fitted[t] / out.rate_ratio : out.fitted[t];
    }
    return out;
}

SwitchProfile profile_switch_month(const MonthlySeries& s, std::size_t first, std::size_t last,
                                   const StepOptions& options) {
    check_series(s);
    const std::size_t n = s.counts.size();
    if (n < 4) throw Error(ErrorCode::InvalidInput, "a switch month needs a series of at least 4 months");
    first = std::max<std::size_t>(first, 1);
    last = std::min<std::size_t>(last, n - 2);
    if (first > last) throw Error(ErrorCode::InvalidInput, "no candidate switch months in the range given");
    SwitchProfile out;
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t k = first; k <= last; ++k) {
        double ll = std::numeric_limits<double>::quiet_NaN();
        try {
            ll = fit_reclassification_step(s, k, options).fit.log_likelihood;
        } catch (const Error& e) {
            if (e.code() != ErrorCode::NotConverged && e.code() != ErrorCode::InvalidInput) throw;
        }
        out.candidates.push_back(k);
        out.log_likelihood.push_back(ll);
        if (ll > best) {
            best = ll;
            out.best = k;
        }
    }
    if (!(best > -std::numeric_limits<double>::infinity()))
        throw Error(ErrorCode::NotConverged, "no candidate switch month could be fitted");
    return out;
}

}  // namespace roadsafe::severity
