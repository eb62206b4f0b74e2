#include "roadsafe/geo/point_grid.hpp"

#include <algorithm>
#include <limits>
#include <queue>
#include <utility>

#include "roadsafe/core/error.hpp"
#include "roadsafe/geo/bounds.hpp"

namespace roadsafe::geo {

PointGrid::PointGrid(std::span<const double> x, std::span<const double> y, double cell) : x_(x), y_(y), cell_(cell) {
    if (x.size() != y.size()) throw Error(ErrorCode::InvalidInput, "x and y must have the same length");
    if (!(cell > 0) || !std::isfinite(cell)) throw Error(ErrorCode::InvalidInput, "grid cell size must be positive");
    const Bounds b = finite_bounds(x, y);
    const std::size_t valid = b.count;
    if (valid == 0) return;
    const double xmin = b.xmin, xmax = b.xmax, ymin = b.ymin, ymax = b.ymax;
    // Keep the cell count bounded (about 4 cells per point at most) for sparse data.
    const double max_cells = 4.0 * static_cast<double>(valid) + 16.0;
    while (((xmax - xmin) / cell_ + 1) * ((ymax - ymin) / cell_ + 1) > max_cells) cell_ *= 2;
    x0_ = xmin;
    y0_ = ymin;
    cols_ = static_cast<std::int64_t>(std::floor((xmax - xmin) / cell_)) + 1;
    rows_ = static_cast<std::int64_t>(std::floor((ymax - ymin) / cell_)) + 1;
    const std::size_t ncell = static_cast<std::size_t>(cols_ * rows_);
    std::vector<std::size_t> cell_of(x.size(), SIZE_MAX);
    start_.assign(ncell + 1, 0);
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        const auto c = static_cast<std::size_t>(clamp_col(std::floor((x[i] - x0_) / cell_)));
        const auto r = static_cast<std::size_t>(clamp_row(std::floor((y[i] - y0_) / cell_)));
        cell_of[i] = r * static_cast<std::size_t>(cols_) + c;
        ++start_[cell_of[i] + 1];
    }
    for (std::size_t c = 0; c < ncell; ++c) start_[c + 1] += start_[c];
    order_.resize(valid);
    std::vector<std::size_t> fill(start_.begin(), start_.end() - 1);
    for (std::size_t i = 0; i < x.size(); ++i)
        if (cell_of[i] != SIZE_MAX) order_[fill[cell_of[i]]++] = i;
}

std::int64_t PointGrid::clamp_col(double c) const noexcept {
    if (!(c > 0)) return 0;
    if (c >= static_cast<double>(cols_ - 1)) return cols_ - 1;
    return static_cast<std::int64_t>(c);
}

std::int64_t PointGrid::clamp_row(double r) const noexcept {
    if (!(r > 0)) return 0;
    if (r >= static_cast<double>(rows_ - 1)) return rows_ - 1;
    return static_cast<std::int64_t>(r);
}

std::vector<std::size_t> PointGrid::within(double qx, double qy, double r) const {
    std::vector<std::size_t> out;
    for_each_within(qx, qy, r, [&](std::size_t j, double) { out.push_back(j); });
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::size_t> PointGrid::nearest(double qx, double qy, std::size_t k, std::size_t exclude) const {
    std::vector<std::size_t> out;
    const std::size_t available = order_.size() - ((exclude < x_.size() && std::isfinite(x_[exclude]) && std::isfinite(y_[exclude])) ? 1 : 0);
    k = std::min(k, available);
    if (k == 0) return out;
    // Grow the search radius until k points (other than `exclude`) lie within it.
    double r = cell_;
    std::vector<std::pair<double, std::size_t>> found;
    for (;;) {
        found.clear();
        for_each_within(qx, qy, r, [&](std::size_t j, double d2) {
            if (j != exclude) found.emplace_back(d2, j);
        });
        if (found.size() >= k) break;
        r *= 2;
    }
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(k), found.end());
    out.reserve(k);
    for (std::size_t i = 0; i < k; ++i) out.push_back(found[i].second);
    return out;
}

}  // namespace roadsafe::geo
