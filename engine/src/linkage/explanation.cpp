#include "roadsafe/linkage/explanation.hpp"

#include <cmath>

#include "roadsafe/linkage/pair_scores.hpp"

namespace roadsafe::linkage {

std::vector<WeightTerm> explain_pair(const LinkModel& model, const PairLevels& levels, int road_user, int sex,
                                     double time_density, int hospital) {
    std::vector<WeightTerm> terms;
    const char* prior =
        model.pi_road_user.empty() ? "log2 of the prior odds" : "log2 of the prior odds for this road user";
    terms.push_back({"prior", prior, NAN, NAN, model.prior_weight(road_user)});
    for (std::size_t c = 0; c < kComparisons; ++c) {
        const auto comparison = static_cast<Comparison>(c);
        const std::uint8_t l = levels[c];
        WeightTerm t{comparison_name(comparison), model.labels.empty() ? std::to_string(l) : model.labels[c][l], NAN,
                     NAN, 0.0};
        if (l != 0) {
            t.m = model.m[c][l];
            t.u = model.u[c][l];
            t.weight = model.level_weight(comparison, l);
        }
        terms.push_back(t);
    }
    const double density = time_density_adjustment(levels[0], time_density);
    if (density != 0)
        terms.push_back({"time (hour of the week)", "collisions at this hour x " + std::to_string(time_density).substr(0, 4) +
                                                        " the average", NAN, NAN, density});
    const double tf_user = tf_adjustment(model, Comparison::RoadUser, levels[4], road_user);
    if (tf_user != 0)
        terms.push_back({"road_user (term frequency)", "u of this road user instead of the level's", NAN, NAN, tf_user});
    const double tf_sex = tf_adjustment(model, Comparison::Sex, levels[3], sex);
    if (tf_sex != 0) terms.push_back({"sex (term frequency)", "u of this sex instead of the level's", NAN, NAN, tf_sex});
    const double tf_hospital = tf_adjustment(model, Comparison::Distance, levels[1], hospital);
    if (tf_hospital != 0)
        terms.push_back({"distance: this hospital (term frequency)",
                         "m and u of this hospital: its catchment, and how often it takes patients from elsewhere",
                         NAN, NAN, tf_hospital});
    return terms;
}

}  // namespace roadsafe::linkage
