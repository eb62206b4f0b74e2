#include "roadsafe/hotspots/dbscan.hpp"

#include <cmath>

#include "roadsafe/core/error.hpp"
#include "roadsafe/geo/point_grid.hpp"

namespace roadsafe::hotspots {

DbscanResult dbscan(std::span<const double> x, std::span<const double> y, double eps, double min_samples,
                    std::span<const double> weight) {
    if (x.size() != y.size()) throw Error(ErrorCode::InvalidInput, "x and y must have the same length");
    if (!(eps > 0) || !std::isfinite(eps)) throw Error(ErrorCode::InvalidInput, "eps must be a positive number of metres");
    if (!weight.empty() && weight.size() != x.size())
        throw Error(ErrorCode::InvalidInput, "weight must have one value per point");
    const std::size_t n = x.size();
    const geo::PointGrid grid(x, y, eps);
    DbscanResult out;
    out.labels.assign(n, -1);
    out.core.assign(n, 0);
    // Core flags: the neighbourhood's size (or weight), the point itself included.
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
            out.labels[i] = -2;
            continue;
        }
        double mass = 0;
        grid.for_each_within(x[i], y[i], eps, [&](std::size_t j, double) { mass += weight.empty() ? 1.0 : weight[j]; });
        out.core[i] = mass >= min_samples ? 1 : 0;
    }
    // Grow clusters from core points in input order (scikit-learn's dbscan_inner).
    std::vector<std::size_t> stack;
    std::int64_t label = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (out.labels[i] != -1 || !out.core[i]) continue;
        stack.assign(1, i);
        out.labels[i] = label;
        while (!stack.empty()) {
            const std::size_t p = stack.back();
            stack.pop_back();
            if (!out.core[p]) continue;
            grid.for_each_within(x[p], y[p], eps, [&](std::size_t j, double) {
                if (out.labels[j] == -1) {
                    out.labels[j] = label;
                    stack.push_back(j);
                }
            });
        }
        ++label;
    }
    out.clusters = label;
    return out;
}

}  // namespace roadsafe::hotspots
