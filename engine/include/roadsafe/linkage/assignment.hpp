#pragma once
// Which candidate pairs become links. Each patient gets at most one police record. At casualty
// level each casualty also gets at most one patient; at collision level a collision may take several
// patients (several casualties of one collision reach hospital).
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace roadsafe::linkage {

enum class Unit { Casualty, Collision };

// Indices of the chosen pairs, in ascending order. Only pairs with probability >= min_probability
// take part. Collision level: each patient's highest-weight pair. Casualty level: the one-to-one
// assignment of largest total weight within each connected component of the candidate graph
// (Hungarian method), which is the most likely joint assignment under the model; components with
// more than `max_exact` records on a side fall back to greedy by weight.
std::vector<std::size_t> assign_links(std::span<const std::uint32_t> police, std::span<const std::uint32_t> patient,
                                      std::span<const double> weight, std::span<const double> probability, Unit unit,
                                      double min_probability, std::size_t max_exact = 200);

}  // namespace roadsafe::linkage
