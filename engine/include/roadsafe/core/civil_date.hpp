#pragma once
// Dates as days since 1970-01-01 (proleptic Gregorian), the unit of Date columns.
#include <cstdint>
#include <string>

namespace roadsafe {

struct CivilDate {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
};

bool is_valid_date(int year, int month, int day) noexcept;
std::int32_t days_from_civil(int year, int month, int day) noexcept;
CivilDate civil_from_days(std::int32_t days) noexcept;
std::string format_iso_date(std::int32_t days);

}  // namespace roadsafe
