#pragma once
// The bounding box of the points that have a location (non-finite coordinates are skipped).
#include <cstddef>
#include <span>

namespace roadsafe::geo {

struct Bounds {
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    std::size_t count = 0;  // points with finite x and y
};

Bounds finite_bounds(std::span<const double> x, std::span<const double> y);

}  // namespace roadsafe::geo
