#pragma once
// Checks on collision locations: missing, a known placeholder, or outside Great Britain.
#include <cstdint>
#include <memory>

#include "roadsafe/core/column.hpp"

namespace roadsafe::geo {

enum class LocationStatus : std::int32_t { Ok = 0, Missing = 1, Placeholder = 2, OutsideGb = 3 };

// The labels of the location_status column.
std::shared_ptr<const Categories> location_status_categories();

// The BNG window that contains Great Britain (the window rOpenSci stats19 uses to screen points).
struct GbWindow {
    static constexpr double min_easting = 64950, max_easting = 655391;
    static constexpr double min_northing = 10235, max_northing = 1209512;
    static bool contains(double e, double n) {
        return e >= min_easting && e <= max_easting && n >= min_northing && n <= max_northing;
    }
};

}  // namespace roadsafe::geo
