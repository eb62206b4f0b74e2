#include "roadsafe/severity/collision_adjustment.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "roadsafe/core/error.hpp"

namespace roadsafe::severity {

std::vector<double> collision_serious_probability(const std::vector<std::int64_t>& collision_row,
                                                  const std::vector<double>& casualty_serious, std::size_t n_collisions,
                                                  const std::vector<char>& collision_fatal) {
    if (collision_row.size() != casualty_serious.size())
        throw Error(ErrorCode::InvalidInput, "collision_row and casualty_serious must have the same length");
    if (!collision_fatal.empty() && collision_fatal.size() != n_collisions)
        throw Error(ErrorCode::InvalidInput, "collision_fatal must have one value per collision");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> none_serious(n_collisions, 1.0);  // prod (1 - p_i)
    std::vector<char> has_casualty(n_collisions, 0), fatal(n_collisions, 0);
    if (!collision_fatal.empty()) fatal = collision_fatal;
    for (std::size_t i = 0; i < collision_row.size(); ++i) {
        const std::int64_t r = collision_row[i];
        if (r < 0) continue;
        if (std::size_t(r) >= n_collisions)
            throw Error(ErrorCode::InvalidInput, "casualty " + std::to_string(i) + " refers to collision row " +
                                                     std::to_string(r) + " of " + std::to_string(n_collisions));
        has_casualty[std::size_t(r)] = 1;
        const double p = casualty_serious[i];
        if (std::isnan(p)) {  // a fatal casualty: the collision is fatal
            fatal[std::size_t(r)] = 1;
            continue;
        }
        if (!(p >= 0 && p <= 1))
            throw Error(ErrorCode::InvalidInput, "adjusted probability " + std::to_string(p) + " of casualty " +
                                                     std::to_string(i) + " is outside [0, 1]");
        none_serious[std::size_t(r)] *= 1.0 - p;
    }
    std::vector<double> out(n_collisions, nan);
    for (std::size_t c = 0; c < n_collisions; ++c)
        if (has_casualty[c] && !fatal[c]) out[c] = 1.0 - none_serious[c];
    return out;
}

}  // namespace roadsafe::severity
