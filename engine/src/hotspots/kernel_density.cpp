#include "roadsafe/hotspots/kernel_density.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <thread>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"
#include "roadsafe/geo/bounds.hpp"

namespace roadsafe::hotspots {

GridSpec GridSpec::covering(std::span<const double> x, std::span<const double> y, double cell, double margin) {
    if (!(cell > 0) || !std::isfinite(cell)) throw Error(ErrorCode::InvalidInput, "cell size must be positive");
    const geo::Bounds b = geo::finite_bounds(x, y);
    if (b.count == 0) throw Error(ErrorCode::InvalidInput, "no point has a location");
    const double xmin = b.xmin, xmax = b.xmax, ymin = b.ymin, ymax = b.ymax;
    GridSpec g;
    g.cell = cell;
    g.x0 = std::floor((xmin - margin) / cell) * cell;
    const double x1 = std::ceil((xmax + margin) / cell) * cell;
    const double y0 = std::floor((ymin - margin) / cell) * cell;
    g.y1 = std::ceil((ymax + margin) / cell) * cell;
    g.cols = static_cast<std::size_t>(std::llround((x1 - g.x0) / cell));
    g.rows = static_cast<std::size_t>(std::llround((g.y1 - y0) / cell));
    g.cols = std::max<std::size_t>(g.cols, 1);
    g.rows = std::max<std::size_t>(g.rows, 1);
    if (static_cast<double>(g.cols) * static_cast<double>(g.rows) > 4e8)
        throw Error(ErrorCode::InvalidInput, "the grid would have more than 400 million cells: use a larger cell");
    return g;
}

std::vector<double> kernel_density(std::span<const double> x, std::span<const double> y, std::span<const double> weight,
                                   const GridSpec& grid, const KdeOptions& o) {
    if (x.size() != y.size()) throw Error(ErrorCode::InvalidInput, "x and y must have the same length");
    if (!weight.empty() && weight.size() != x.size())
        throw Error(ErrorCode::InvalidInput, "weight must have one value per point");
    if (!(o.bandwidth > 0) || !std::isfinite(o.bandwidth))
        throw Error(ErrorCode::InvalidInput, "bandwidth must be a positive number of metres");
    if (!(grid.cell > 0)) throw Error(ErrorCode::InvalidInput, "cell size must be positive");
    const double h = o.bandwidth, h2 = h * h;
    const double reach = o.kernel == Kernel::Quartic ? h : o.gaussian_cutoff * h;
    const double reach2 = reach * reach;
    const double norm = o.kernel == Kernel::Quartic ? 3.0 / (std::numbers::pi * h2) : 1.0 / (2.0 * std::numbers::pi * h2);
    std::vector<double> out(grid.cols * grid.rows, 0.0);

    // Each thread owns a band of rows and adds every point's contribution to its band, so the sum at
    // each cell is taken over points in input order whatever the thread count.
    auto work = [&](std::size_t row_begin, std::size_t row_end) {
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double px = x[i], py = y[i];
            if (!std::isfinite(px) || !std::isfinite(py)) continue;
            const double wi = weight.empty() ? 1.0 : weight[i];
            if (wi == 0) continue;
            // rows whose centres are within reach: centre_y(r) in [py - reach, py + reach]
            const double rlo = std::ceil((grid.y1 - (py + reach)) / grid.cell - 0.5);
            const double rhi = std::floor((grid.y1 - (py - reach)) / grid.cell - 0.5);
            const double clo = std::ceil((px - reach - grid.x0) / grid.cell - 0.5);
            const double chi = std::floor((px + reach - grid.x0) / grid.cell - 0.5);
            const double rb = std::max(rlo, static_cast<double>(row_begin));
            const double re = std::min(rhi, static_cast<double>(row_end) - 1);
            const double cb = std::max(clo, 0.0);
            const double ce = std::min(chi, static_cast<double>(grid.cols) - 1);
            if (rb > re || cb > ce) continue;
            for (auto r = static_cast<std::size_t>(rb); r <= static_cast<std::size_t>(re); ++r) {
                const double dy = grid.centre_y(r) - py;
                double* line = out.data() + r * grid.cols;
                for (auto c = static_cast<std::size_t>(cb); c <= static_cast<std::size_t>(ce); ++c) {
                    const double dx = grid.centre_x(c) - px;
                    const double d2 = dx * dx + dy * dy;
                    if (d2 >= reach2 && o.kernel == Kernel::Quartic) continue;
                    if (d2 > reach2) continue;
                    double k;
                    if (o.kernel == Kernel::Quartic) {
                        const double u = 1.0 - d2 / h2;
                        k = u * u;
                    } else {
                        k = std::exp(-0.5 * d2 / h2);
                    }
                    line[c] += wi * norm * k;
                }
            }
        }
    };
    unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, grid.rows));
    for_each_range(grid.rows, threads, work);
    return out;
}

}  // namespace roadsafe::hotspots
