#pragma once
// What each comparison contributed to a pair's match weight: the prior, then for each comparison
// its level, m, u and log2(m / u), then any term-frequency adjustment. The terms sum to the weight.
#include <cstdint>
#include <string>
#include <vector>

#include "roadsafe/linkage/link_model.hpp"

namespace roadsafe::linkage {

struct WeightTerm {
    std::string comparison;  // "prior", "time", ..., "road_user (term frequency)"
    std::string level;       // the level's label
    double m = 0, u = 0;     // NaN for the prior and tf rows
    double weight = 0;       // bits
};

// `hospital`: the patient's hospital site (hospital_sites.hpp), -1 unknown.
std::vector<WeightTerm> explain_pair(const LinkModel& model, const PairLevels& levels, int road_user, int sex,
                                     double time_density = 1, int hospital = -1);

}  // namespace roadsafe::linkage
