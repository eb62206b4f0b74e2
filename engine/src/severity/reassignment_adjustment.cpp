#include "roadsafe/severity/reassignment_adjustment.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "roadsafe/core/error.hpp"

namespace roadsafe::severity {

CasualtyAdjustment adjust_casualty_severity(const CasualtyAdjustmentInput& in) {
    const std::size_t n = in.p_not_ibrs.size();
    if (in.p_ibrs.size() != n || in.serious.size() != n || (!in.fatal.empty() && in.fatal.size() != n))
        throw Error(ErrorCode::InvalidInput, "p_not_ibrs, p_ibrs, serious and fatal must have the same length");
    CasualtyAdjustment out;
    out.adjusted_serious.assign(n, std::numeric_limits<double>::quiet_NaN());
    std::vector<double> a(n, 0.0);
    double sum_a = 0.0, sum_delta = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!in.fatal.empty() && in.fatal[i]) continue;
        const double p = in.p_not_ibrs[i], pc = in.p_ibrs[i];
        if (!(p >= 0 && p <= 1) || !(pc >= 0 && pc <= 1))
            throw Error(ErrorCode::InvalidInput, "probability outside [0, 1] for casualty " + std::to_string(i));
        const double delta = pc - p;
        sum_delta += delta;
        if (delta > 0 && !in.serious[i] && p < 1)
            a[i] = delta / (1 - p);
        else if (delta < 0 && in.serious[i] && p > 0)
            a[i] = delta / p;
        sum_a += a[i];
    }
    out.total_delta = sum_delta;
    out.rescale_factor = sum_a != 0.0 ? sum_delta / sum_a : 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!in.fatal.empty() && in.fatal[i]) continue;
        out.adjusted_serious[i] = (in.serious[i] ? 1.0 : 0.0) + a[i] * out.rescale_factor;
    }
    return out;
}

}  // namespace roadsafe::severity
