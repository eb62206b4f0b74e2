#include "roadsafe/linkage/link_model.hpp"

#include <cmath>

namespace roadsafe::linkage {

double LinkModel::prior_odds() const {
    return pi / (static_cast<double>(n_police > 0 ? n_police : 1) * (1 - pi));
}

double LinkModel::prior_weight() const { return std::log2(prior_odds()); }

double LinkModel::level_weight(Comparison c, std::uint8_t level) const {
    if (level == 0) return 0;
    const auto k = static_cast<std::size_t>(c);
    return std::log2(m[k][level] / u[k][level]);
}

}  // namespace roadsafe::linkage
