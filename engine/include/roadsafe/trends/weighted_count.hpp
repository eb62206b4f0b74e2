#pragma once
// A count built from weighted events, with what its uncertainty needs: the sum of the weights,
// the sum of their squares and the largest weight.
//
// One type covers the three counts roadsafe reports:
//   - a collision count: every collision is an event of weight 1 (total = N, sum_squares = N);
//   - a casualty count: every collision is an event whose weight is its number of casualties
//     n_j, so sum_squares = sum n_j^2 is the compound-Poisson variance of methods.md section 4.2
//     (multi-casualty collisions make casualty counts over-dispersed);
//   - an adjusted (fractional) count: weights are DfT adjusted-severity probabilities, summed per
//     collision for casualty counts.
#include <cstdint>
#include <span>

namespace roadsafe::trends {

struct WeightedCount {
    double total = 0.0;        // sum of the weights: the count reported
    double sum_squares = 0.0;  // sum of squared weights: the variance of `total` under a (compound) Poisson model
    double max_weight = 0.0;   // the largest weight (0 when there are no events)
    std::int64_t events = 0;   // events with a weight > 0

    // Variance / mean: 1 for a plain Poisson count, > 1 when events carry several units.
    double dispersion() const noexcept { return total > 0.0 ? sum_squares / total : 1.0; }
    void add(double weight) noexcept;
};

// Throws roadsafe::Error(InvalidInput) on a negative or non-finite weight.
WeightedCount weighted_count(std::span<const double> weights);

}  // namespace roadsafe::trends
