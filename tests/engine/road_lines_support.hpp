#pragma once
// Shared helper for the tests that build road networks by hand: lines from lists of (x, y) vertices.
#include <utility>
#include <vector>

#include "roadsafe/geo/road_network.hpp"

namespace roadsafe::test {

// One road line per polyline, vertices in the order given, no attributes.
inline geo::RoadLines road_lines_of(const std::vector<std::vector<std::pair<double, double>>>& polylines) {
    geo::RoadLines lines;
    for (const auto& p : polylines) {
        std::vector<double> x, y;
        for (auto [a, b] : p) {
            x.push_back(a);
            y.push_back(b);
        }
        lines.add_line(x, y);
    }
    return lines;
}

}  // namespace roadsafe::test
