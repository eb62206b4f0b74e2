#include "roadsafe/io/injury_scores.hpp"

#include <algorithm>
#include <array>
#include <functional>

namespace roadsafe::io {

InjuryScores injury_scores(std::span<const Injury> injuries) noexcept {
    InjuryScores out;
    std::array<int, 7> region_max{};  // index 1..6
    bool any_known = false;
    bool any_six = false;
    for (const Injury& i : injuries) {
        if (i.ais_severity < 1 || i.ais_severity > 6) continue;  // AIS 9: unknown severity
        any_known = true;
        out.mais = std::max(out.mais, i.ais_severity);
        if (i.ais_severity == 6) any_six = true;
        if (i.iss_region >= 1 && i.iss_region <= 6)
            region_max[std::size_t(i.iss_region)] = std::max(region_max[std::size_t(i.iss_region)], i.ais_severity);
    }
    if (!any_known) return out;
    if (any_six) {
        out.iss = 75;  // an unsurvivable injury sets ISS to its maximum, whatever else
        return out;
    }
    std::array<int, 6> top{};
    std::copy(region_max.begin() + 1, region_max.end(), top.begin());
    std::partial_sort(top.begin(), top.begin() + 3, top.end(), std::greater<>());
    out.iss = top[0] * top[0] + top[1] * top[1] + top[2] * top[2];
    return out;
}

}  // namespace roadsafe::io
