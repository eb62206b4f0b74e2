#pragma once
// Sparse spatial weights between units (grid cells, road segments, sites) given by their
// coordinates in projected metres, in compressed rows: row i lists its neighbours j with w_ij.
// Builders give binary weights (1 for each neighbour); `include_self` puts i in its own row with
// weight 1 (the Gi* convention). `row_standardise` divides each row by its sum (libpysal "R").
#include <cstddef>
#include <span>
#include <vector>

namespace roadsafe::hotspots {

struct SpatialWeights {
    std::vector<std::size_t> offsets{0};  // row i is [offsets[i], offsets[i+1])
    std::vector<std::size_t> neighbours;  // ascending within a row
    std::vector<double> weights;

    std::size_t rows() const noexcept { return offsets.size() - 1; }
    double row_sum(std::size_t i) const;
    void row_standardise();
};

// Units within `threshold` metres (inclusive), as libpysal.weights.DistanceBand(binary=True).
SpatialWeights distance_band_weights(std::span<const double> x, std::span<const double> y, double threshold,
                                     bool include_self);

// The k nearest other units (ties by index), as libpysal.weights.KNN.
SpatialWeights knn_weights(std::span<const double> x, std::span<const double> y, std::size_t k, bool include_self);

}  // namespace roadsafe::hotspots
