#include "roadsafe/hotspots/false_discovery_rate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace roadsafe::hotspots {

std::vector<double> benjamini_hochberg(std::span<const double> p) {
    std::vector<double> q(p.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < p.size(); ++i)
        if (!std::isnan(p[i])) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    const double m = static_cast<double>(order.size());
    double running = 1.0;
    for (std::size_t r = order.size(); r-- > 0;) {
        running = std::min(running, p[order[r]] * m / static_cast<double>(r + 1));
        q[order[r]] = running;
    }
    return q;
}

}  // namespace roadsafe::hotspots
