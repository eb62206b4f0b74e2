#pragma once
// Benjamini–Hochberg false discovery rate: q-values (adjusted p-values) for a set of tests.
#include <span>
#include <vector>

namespace roadsafe::hotspots {

// q_(i) = min over j >= i of m p_(j) / j, capped at 1 (R's p.adjust(method = "BH")).
// NaN p-values are left NaN and not counted in m.
std::vector<double> benjamini_hochberg(std::span<const double> p);

}  // namespace roadsafe::hotspots
