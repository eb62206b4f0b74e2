#include "roadsafe/geo/bounds.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace roadsafe::geo {

Bounds finite_bounds(std::span<const double> x, std::span<const double> y) {
    Bounds b;
    b.xmin = b.ymin = std::numeric_limits<double>::infinity();
    b.xmax = b.ymax = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        b.xmin = std::min(b.xmin, x[i]);
        b.xmax = std::max(b.xmax, x[i]);
        b.ymin = std::min(b.ymin, y[i]);
        b.ymax = std::max(b.ymax, y[i]);
        ++b.count;
    }
    return b;
}

}  // namespace roadsafe::geo
