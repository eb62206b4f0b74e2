#pragma once
// Lixels: the network's edges cut into pieces of equal length no longer than a target length
// (the network analogue of raster cells). An edge of length L becomes ceil(L / lixel) lixels of
// length L / ceil(L / lixel); network densities are evaluated at each lixel's midpoint.
#include <cstddef>
#include <vector>

#include "roadsafe/geo/road_network.hpp"

namespace roadsafe::geo {

struct Lixels {
    // Lixels are numbered edge by edge, in edge order, from each edge's from-node:
    // edge f holds lixels [edge_offsets[f], edge_offsets[f + 1]).
    std::vector<std::size_t> edge_offsets;
    std::vector<std::size_t> edge;     // the edge of each lixel
    std::vector<double> start, end;    // offsets along the edge (metres from its from-node)
    std::vector<double> mid_x, mid_y;  // the midpoint's coordinates

    std::size_t size() const noexcept { return edge.size(); }
    double length(std::size_t i) const noexcept { return end[i] - start[i]; }
    double middle(std::size_t i) const noexcept { return 0.5 * (start[i] + end[i]); }
};

// Throws Error(InvalidInput) unless `lixel` is a positive number of metres, or when the network
// would have more than 200 million lixels.
Lixels make_lixels(const RoadNetwork& network, double lixel);

// Each lixel's polyline: vertices [offsets[i], offsets[i + 1]) of x and y.
void lixel_geometry(const RoadNetwork& network, const Lixels& lixels, std::vector<double>& x, std::vector<double>& y,
                    std::vector<std::size_t>& offsets);

}  // namespace roadsafe::geo
