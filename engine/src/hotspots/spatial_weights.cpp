#include "roadsafe/hotspots/spatial_weights.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "roadsafe/core/error.hpp"
#include "roadsafe/geo/point_grid.hpp"

namespace roadsafe::hotspots {

namespace {
void require_finite(std::span<const double> x, std::span<const double> y) {
    if (x.size() != y.size()) throw Error(ErrorCode::InvalidInput, "x and y must have the same length");
    for (std::size_t i = 0; i < x.size(); ++i)
        if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
            throw Error(ErrorCode::InvalidInput, "unit " + std::to_string(i) + " has no finite coordinates");
}
}  // namespace

double SpatialWeights::row_sum(std::size_t i) const {
    double s = 0;
    for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) s += weights[k];
    return s;
}

void SpatialWeights::row_standardise() {
    for (std::size_t i = 0; i < rows(); ++i) {
        const double s = row_sum(i);
        if (s == 0) continue;
        for (std::size_t k = offsets[i]; k < offsets[i + 1]; ++k) weights[k] /= s;
    }
}

SpatialWeights distance_band_weights(std::span<const double> x, std::span<const double> y, double threshold,
                                     bool include_self) {
    require_finite(x, y);
    if (!(threshold > 0) || !std::isfinite(threshold))
        throw Error(ErrorCode::InvalidInput, "distance band must be a positive number of metres");
    const geo::PointGrid grid(x, y, threshold);
    SpatialWeights w;
    w.offsets.reserve(x.size() + 1);
    for (std::size_t i = 0; i < x.size(); ++i) {  // each row straight into the arrays: no vector per unit
        const auto start = static_cast<std::ptrdiff_t>(w.neighbours.size());
        grid.for_each_within(x[i], y[i], threshold, [&](std::size_t j, double) {
            if (j != i || include_self) w.neighbours.push_back(j);
        });
        std::sort(w.neighbours.begin() + start, w.neighbours.end());
        w.offsets.push_back(w.neighbours.size());
    }
    w.weights.assign(w.neighbours.size(), 1.0);
    return w;
}

SpatialWeights knn_weights(std::span<const double> x, std::span<const double> y, std::size_t k, bool include_self) {
    require_finite(x, y);
    if (k == 0 || k >= x.size()) throw Error(ErrorCode::InvalidInput, "k must be between 1 and the number of units - 1");
    // A cell that holds about k points on average.
    double xmin = *std::min_element(x.begin(), x.end()), xmax = *std::max_element(x.begin(), x.end());
    double ymin = *std::min_element(y.begin(), y.end()), ymax = *std::max_element(y.begin(), y.end());
    const double area = std::max((xmax - xmin) * (ymax - ymin), 1.0);
    const double cell = std::max(std::sqrt(area * static_cast<double>(k) / static_cast<double>(x.size())), 1e-6);
    const geo::PointGrid grid(x, y, cell);
    SpatialWeights w;
    std::vector<std::size_t> row;
    for (std::size_t i = 0; i < x.size(); ++i) {
        row = grid.nearest(x[i], y[i], k, i);
        if (include_self) row.push_back(i);
        std::sort(row.begin(), row.end());
        for (std::size_t j : row) {
            w.neighbours.push_back(j);
            w.weights.push_back(1.0);
        }
        w.offsets.push_back(w.neighbours.size());
    }
    return w;
}

}  // namespace roadsafe::hotspots
