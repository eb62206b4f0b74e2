#include "roadsafe/trends/period_counts.hpp"

#include <cmath>
#include <string>

#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/core/error.hpp"

namespace roadsafe::trends {

std::int32_t period_key(std::int32_t days, Period period) noexcept {
    const CivilDate d = civil_from_days(days);
    switch (period) {
        case Period::Month: return d.year * 12 + (d.month - 1);
        case Period::Quarter: return d.year * 4 + (d.month - 1) / 3;
        case Period::CalendarYear: return d.year;
        case Period::FinancialYear: return d.month >= 4 ? d.year : d.year - 1;
    }
    return d.year;
}

PeriodCounts count_by_period(std::span<const std::int32_t> keys, std::span<const double> weights,
                             std::int32_t first_key, std::int32_t n_periods) {
    if (n_periods < 0) throw Error(ErrorCode::InvalidInput, "n_periods cannot be negative");
    if (!weights.empty() && weights.size() != keys.size()) {
        throw Error(ErrorCode::InvalidInput, "weights must be empty or as long as keys (" + std::to_string(keys.size()) +
                                                 "), got " + std::to_string(weights.size()));
    }
    const auto n = static_cast<std::size_t>(n_periods);
    PeriodCounts out;
    out.first_key = first_key;
    out.total.assign(n, 0.0);
    out.sum_squares.assign(n, 0.0);
    out.max_weight.assign(n, 0.0);
    out.events.assign(n, 0);
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::int64_t slot = static_cast<std::int64_t>(keys[i]) - first_key;
        if (slot < 0 || slot >= n_periods) {
            throw Error(ErrorCode::InvalidInput, "period key " + std::to_string(keys[i]) + " is outside " +
                                                     std::to_string(first_key) + " .. " +
                                                     std::to_string(first_key + n_periods - 1));
        }
        const double w = weights.empty() ? 1.0 : weights[i];
        if (!std::isfinite(w) || w < 0.0) {
            throw Error(ErrorCode::InvalidInput, "a count weight must be finite and >= 0, got " + std::to_string(w));
        }
        const auto s = static_cast<std::size_t>(slot);
        out.total[s] += w;
        out.sum_squares[s] += w * w;
        if (w > out.max_weight[s]) out.max_weight[s] = w;
        if (w > 0.0) ++out.events[s];
    }
    return out;
}

}  // namespace roadsafe::trends
