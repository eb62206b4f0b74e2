#include "date_order.hpp"

#include <string>
#include <vector>

#include "roadsafe/io/csv_line.hpp"

namespace roadsafe::io {

std::optional<DayMonthParts> day_month_parts(std::string_view value) {
    value = trim(value);
    if (const auto space = value.find_first_of(" T"); space != std::string_view::npos) value = value.substr(0, space);
    const auto a = value.find_first_of("/-.");
    if (a == std::string_view::npos || a > 2) return std::nullopt;  // ISO dates start with a 4-digit year
    const char sep = value[a];
    const auto b = value.find(sep, a + 1);
    if (b == std::string_view::npos) return std::nullopt;
    DayMonthParts p;
    int year = 0;
    const std::string_view y = value.substr(b + 1);
    if (!parse_digits(value.substr(0, a), p.first) || !parse_digits(value.substr(a + 1, b - a - 1), p.second) ||
        (y.size() != 2 && y.size() != 4) || !parse_digits(y, year))
        return std::nullopt;
    return p;
}

DateOrderDecision decide_date_order(std::string_view body, int field, char separator) {
    DateOrderDecision d;
    std::vector<std::string_view> fields;
    std::string scratch;
    std::int64_t line = 1;
    while (!body.empty()) {
        const auto nl = body.find('\n');
        const std::string_view text = body.substr(0, nl);
        body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
        ++line;
        if (!split_csv_line(text, fields, scratch, separator) || field >= int(fields.size())) continue;
        const auto parts = day_month_parts(fields[std::size_t(field)]);
        if (!parts) continue;
        d.seen = true;
        if (parts->first > 12 || parts->second > 12) {
            d.decided = true;
            d.order = parts->first > 12 ? DateOrder::DayFirst : DateOrder::MonthFirst;
            d.line = line;
            d.value = std::string(trim(fields[std::size_t(field)]));
            return d;
        }
    }
    return d;
}

}  // namespace roadsafe::io
