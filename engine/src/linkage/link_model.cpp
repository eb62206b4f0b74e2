#include "roadsafe/linkage/link_model.hpp"

#include <cmath>

namespace roadsafe::linkage {

double LinkModel::prior_odds() const {
    return pi / (static_cast<double>(n_police > 0 ? n_police : 1) * (1 - pi));
}

double LinkModel::prior_weight() const { return std::log2(prior_odds()); }

double LinkModel::patient_pi(int road_user) const {
    const auto k = static_cast<std::size_t>(road_user < 0 ? 0 : road_user + 1);
    return k < pi_road_user.size() && pi_road_user[k] > 0 ? pi_road_user[k] : pi;
}

double LinkModel::prior_odds(int road_user) const {
    const double p = patient_pi(road_user);
    return p / (static_cast<double>(n_police > 0 ? n_police : 1) * (1 - p));
}

double LinkModel::prior_weight(int road_user) const { return std::log2(prior_odds(road_user)); }

double LinkModel::level_weight(Comparison c, std::uint8_t level) const {
    if (level == 0) return 0;
    const auto k = static_cast<std::size_t>(c);
    return std::log2(m[k][level] / u[k][level]);
}

}  // namespace roadsafe::linkage
