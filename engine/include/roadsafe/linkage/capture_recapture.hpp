#pragma once
// Two-source capture–recapture (Chapman's bias-corrected Lincoln–Petersen estimator):
//   N = (n1 + 1)(n2 + 1) / (m + 1) - 1
//   Var(N) = (n1 + 1)(n2 + 1)(n1 - m)(n2 - m) / ((m + 1)^2 (m + 2))   (Seber 1970)
// with a normal interval N +- z sqrt(Var), its lower end not below the n1 + n2 - m individuals seen.
// Assumes independent sources, equal catchability and one closed population.
#include <cstdint>

namespace roadsafe::linkage {

struct ChapmanEstimate {
    double n = 0, variance = 0, lower = 0, upper = 0;
};

ChapmanEstimate chapman(std::int64_t n1, std::int64_t n2, std::int64_t m, double confidence = 0.95);

}  // namespace roadsafe::linkage
