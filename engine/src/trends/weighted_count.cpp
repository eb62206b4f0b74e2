#include "roadsafe/trends/weighted_count.hpp"

#include <cmath>
#include <string>

#include "roadsafe/core/error.hpp"

namespace roadsafe::trends {

void WeightedCount::add(double weight) noexcept {
    total += weight;
    sum_squares += weight * weight;
    if (weight > max_weight) max_weight = weight;
    if (weight > 0.0) ++events;
}

WeightedCount weighted_count(std::span<const double> weights) {
    WeightedCount count;
    for (double w : weights) {
        if (!std::isfinite(w) || w < 0.0) {
            throw Error(ErrorCode::InvalidInput, "a count weight must be finite and >= 0, got " + std::to_string(w));
        }
        count.add(w);
    }
    return count;
}

}  // namespace roadsafe::trends
