#pragma once
// Internal: the order of day and month in a file's D/M/Y dates, decided from its values, so that
// 12/25/2015 is read as 25 December and never swapped silently. A part above 12 decides.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace roadsafe::io {

// A run of 1 to 4 decimal digits, as the parts of a date or a time are written.
inline bool parse_digits(std::string_view s, int& out) {
    if (s.empty() || s.size() > 4) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

// The two numbers before the year in "D/M/YYYY", "M/D/YY", "D/M/YYYY HH:MM" (and '-' or '.' between
// them); nullopt for anything else (ISO YYYY-MM-DD has no question of order).
struct DayMonthParts {
    int first = 0;
    int second = 0;
};
std::optional<DayMonthParts> day_month_parts(std::string_view value);

enum class DateOrder { DayFirst, MonthFirst };

struct DateOrderDecision {
    DateOrder order = DateOrder::DayFirst;  // DfT's order unless the values say otherwise
    bool decided = false;                   // a value had a part above 12
    bool seen = false;                      // any D/M/Y value at all
    std::int64_t line = 0;                  // the line (1 = header) of the deciding value
    std::string value;                      // the deciding value
};

// Scans the data lines of `body` (the file after its header) at `field` until a value decides.
DateOrderDecision decide_date_order(std::string_view body, int field, char separator = ',');

}  // namespace roadsafe::io
