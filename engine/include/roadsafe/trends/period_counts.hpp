#pragma once
// Counts by reporting period: month, quarter, calendar year, financial year (April to March,
// keyed by the year it starts in, labelled "2012-13"). A period key is an integer that orders
// periods and makes consecutive periods consecutive integers:
//   month: year*12 + (month-1); quarter: year*4 + (month-1)/3; calendar year: year;
//   financial year: the calendar year of its April.
#include <cstdint>
#include <span>
#include <vector>

namespace roadsafe::trends {

enum class Period { Month, Quarter, CalendarYear, FinancialYear };

// `days` are days since 1970-01-01 (the engine's Date unit).
std::int32_t period_key(std::int32_t days, Period period) noexcept;

// Per-period weighted counts for the keys first_key .. first_key + n_periods - 1 (every period
// present, zeros where nothing happened).
struct PeriodCounts {
    std::int32_t first_key = 0;
    std::vector<double> total;
    std::vector<double> sum_squares;
    std::vector<double> max_weight;
    std::vector<std::int64_t> events;
};

// One event per element of `keys`; `weights` empty means every weight is 1, else it has the
// length of `keys`. Throws roadsafe::Error(InvalidInput) for a key outside the range, a length
// mismatch, a negative or non-finite weight, or n_periods < 0.
PeriodCounts count_by_period(std::span<const std::int32_t> keys, std::span<const double> weights,
                             std::int32_t first_key, std::int32_t n_periods);

}  // namespace roadsafe::trends
