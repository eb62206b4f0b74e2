#pragma once
// Planar kernel density of (optionally weighted) points onto a regular grid in projected metres.
// The density at a point u is sum_i w_i K(|u - x_i|; h) with kernels normalised to integrate to 1
// over the plane, so the grid holds expected events per square metre and integrates to sum_i w_i:
//   quartic  K(d) = 3 / (pi h^2) (1 - d^2/h^2)^2 for d < h, else 0   (the GIS convention)
//   gaussian K(d) = 1 / (2 pi h^2) exp(-d^2 / (2 h^2)), cut off at `gaussian_cutoff` bandwidths.
// The Gaussian density equals scikit-learn's KernelDensity(kernel="gaussian", bandwidth=h):
// exp(score_samples(u)) = density(u) / sum_i w_i (sklearn normalises by the total weight).
#include <cstddef>
#include <span>
#include <vector>

namespace roadsafe::hotspots {

enum class Kernel { Quartic, Gaussian };

// Cell (col, row) has its centre at (x0 + (col + 0.5) cell, y1 - (row + 0.5) cell): row 0 is the
// northern edge, as in a GeoTIFF.
struct GridSpec {
    double x0 = 0, y1 = 0;  // west and north edges
    double cell = 50;
    std::size_t cols = 0, rows = 0;

    double centre_x(std::size_t col) const { return x0 + (static_cast<double>(col) + 0.5) * cell; }
    double centre_y(std::size_t row) const { return y1 - (static_cast<double>(row) + 0.5) * cell; }
    // The grid of `cell` that covers the finite points padded by `margin`, edges on multiples of cell.
    static GridSpec covering(std::span<const double> x, std::span<const double> y, double cell, double margin);
};

struct KdeOptions {
    Kernel kernel = Kernel::Quartic;
    double bandwidth = 300;       // metres
    double gaussian_cutoff = 8;   // bandwidths; each point's neglected tail is below exp(-cutoff^2 / 2) ~ 1e-14 of its peak
    unsigned threads = 0;         // 0 = all hardware threads; the result does not depend on it
};

// Row-major densities (rows x cols) per square metre. Points with a non-finite coordinate are skipped.
// `weight` is empty (every point 1) or one weight per point.
std::vector<double> kernel_density(std::span<const double> x, std::span<const double> y, std::span<const double> weight,
                                   const GridSpec& grid, const KdeOptions& options);

}  // namespace roadsafe::hotspots
