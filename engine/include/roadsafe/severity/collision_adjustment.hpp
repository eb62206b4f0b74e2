#pragma once
// Collision-level adjusted severity from casualty-level adjusted probabilities (methods.md §1.7).
#include <cstdint>
#include <vector>

namespace roadsafe::severity {

// P(collision serious) = 1 - prod_i (1 - p_i) over the collision's non-fatal casualties, treating the
// casualties' reclassifications as independent: a non-fatal collision is serious when at least one of
// its casualties is. A collision with a fatal casualty (or collision_fatal set) gets NaN (it stays fatal);
// a collision with no casualties gets NaN. `collision_row[i]` is casualty i's collision (0..n_collisions-1,
// negative = none, skipped); `casualty_serious[i]` its adjusted P(serious), NaN for fatal casualties.
// Throws Error(InvalidInput) on mismatched sizes, rows out of range or probabilities outside [0, 1].
std::vector<double> collision_serious_probability(const std::vector<std::int64_t>& collision_row,
                                                  const std::vector<double>& casualty_serious, std::size_t n_collisions,
                                                  const std::vector<char>& collision_fatal = {});

}  // namespace roadsafe::severity
