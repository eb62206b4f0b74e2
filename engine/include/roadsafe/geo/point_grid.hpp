#pragma once
// A uniform-grid spatial index over points in projected metres (BNG). The index reads the caller's
// coordinate arrays through spans and never copies them: it stores only point indices, bucketed by
// cell (a counting sort), so the arrays must outlive the grid. Points with a non-finite coordinate
// are not indexed. Radius queries are inclusive (distance <= r), as scikit-learn's radius queries.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace roadsafe::geo {

class PointGrid {
public:
    // `cell` > 0 in metres; a cell near the usual query radius works best.
    PointGrid(std::span<const double> x, std::span<const double> y, double cell);

    std::size_t size() const noexcept { return x_.size(); }
    std::size_t indexed() const noexcept { return order_.size(); }
    double cell() const noexcept { return cell_; }
    std::span<const double> x() const noexcept { return x_; }
    std::span<const double> y() const noexcept { return y_; }

    // Calls f(j, squared_distance) for every indexed point j with distance to (qx, qy) <= r.
    // Points are visited cell by cell (not in index order).
    template <typename F>
    void for_each_within(double qx, double qy, double r, F&& f) const {
        if (order_.empty() || !(r >= 0) || !std::isfinite(qx) || !std::isfinite(qy)) return;
        const double r2 = r * r;
        const std::int64_t c0 = clamp_col(std::floor((qx - r - x0_) / cell_));
        const std::int64_t c1 = clamp_col(std::floor((qx + r - x0_) / cell_));
        const std::int64_t w0 = clamp_row(std::floor((qy - r - y0_) / cell_));
        const std::int64_t w1 = clamp_row(std::floor((qy + r - y0_) / cell_));
        for (std::int64_t row = w0; row <= w1; ++row) {
            const std::size_t base = static_cast<std::size_t>(row * cols_);
            const std::size_t begin = start_[base + static_cast<std::size_t>(c0)];
            const std::size_t end = start_[base + static_cast<std::size_t>(c1) + 1];
            for (std::size_t k = begin; k < end; ++k) {
                const std::size_t j = order_[k];
                const double dx = x_[j] - qx, dy = y_[j] - qy;
                const double d2 = dx * dx + dy * dy;
                if (d2 <= r2) f(j, d2);
            }
        }
    }

    // Indices of the points within r of (qx, qy), ascending.
    std::vector<std::size_t> within(double qx, double qy, double r) const;

    // The k nearest indexed points to (qx, qy) (ties broken by index), nearest first;
    // `exclude` (e.g. the query point itself) is skipped when it is a valid index.
    std::vector<std::size_t> nearest(double qx, double qy, std::size_t k, std::size_t exclude = SIZE_MAX) const;

private:
    std::int64_t clamp_col(double c) const noexcept;
    std::int64_t clamp_row(double r) const noexcept;

    std::span<const double> x_, y_;
    double cell_;
    double x0_ = 0, y0_ = 0;
    std::int64_t cols_ = 0, rows_ = 0;
    std::vector<std::size_t> start_;  // cells in row-major order; start_[c]..start_[c+1] in order_
    std::vector<std::size_t> order_;  // point indices bucketed by cell, ascending within a cell
};

}  // namespace roadsafe::geo
