#include "roadsafe/linkage/pair_scores.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include "roadsafe/core/parallel.hpp"

namespace roadsafe::linkage {

namespace {

double relative(const std::vector<double>& v, int site, double floor) {
    return site >= 0 && static_cast<std::size_t>(site) < v.size()
               ? std::log2(std::max(v[static_cast<std::size_t>(site)], floor))
               : 0.0;
}

double hospital_adjustment(const LinkModel& model, std::uint8_t level, int site) {
    if (level < kNearestHospitalLevel) return 0;
    if (level == kNearestHospitalLevel)
        return relative(model.hospital_m_nearest, site, model.tf_minimum_u) -
               relative(model.hospital_u, site, model.tf_minimum_u);
    return relative(model.hospital_m_elsewhere, site, model.tf_minimum_u);
}

}  // namespace

double tf_adjustment(const LinkModel& model, Comparison c, std::uint8_t level, int value) {
    if (c == Comparison::Distance) return hospital_adjustment(model, level, value);
    if (level != 1 || value < 0) return 0;
    const auto k = static_cast<std::size_t>(c);
    if (c == Comparison::RoadUser && model.tf_road_user && static_cast<std::size_t>(value) < model.road_user_u.size())
        return std::log2(model.u[k][1]) -
               std::log2(std::max(model.road_user_u[static_cast<std::size_t>(value)], model.tf_minimum_u));
    if (c == Comparison::Sex && model.tf_sex && value >= 1 && value <= 2)
        return std::log2(model.u[k][1]) -
               std::log2(std::max(model.sex_u[static_cast<std::size_t>(value)], model.tf_minimum_u));
    return 0;
}


double tf_adjustments(const LinkModel& model, const PairLevels& levels, int road_user, int sex, int hospital) {
    return tf_adjustment(model, Comparison::RoadUser, levels[4], road_user) +
           tf_adjustment(model, Comparison::Sex, levels[3], sex) + hospital_adjustment(model, levels[1], hospital);
}

double time_density_adjustment(std::uint8_t time_level, double time_density) {
    return time_density_applies(time_level) && time_density > 0 ? -std::log2(time_density) : 0.0;
}

double pair_weight(const LinkModel& model, const PairLevels& levels, int road_user, int sex, double time_density,
                   int hospital) {
    double w = model.prior_weight(road_user) + time_density_adjustment(levels[0], time_density);
    for (std::size_t c = 0; c < kComparisons; ++c) w += model.level_weight(static_cast<Comparison>(c), levels[c]);
    return w + tf_adjustments(model, levels, road_user, sex, hospital);
}

PairScores score_pairs(const LinkModel& model, const CandidatePairs& pairs, std::span<const std::uint32_t> patterns,
                       const PatientRecords& patients, std::span<const double> time_density, unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    // The weight of every pattern (prior included) once, and the term-frequency bonus of each value:
    // a pair's weight is then two look-ups and two additions.
    const std::uint32_t n_patterns = pattern_count();
    std::vector<double> pattern_weight(n_patterns);
    // (without the prior, which depends on the patient's road user)
    for (std::uint32_t p = 0; p < n_patterns; ++p)
        pattern_weight[p] = pair_weight(model, levels_of(p), -1, 0) - model.prior_weight(-1);
    std::vector<char> density_applies(n_patterns);
    for (std::uint32_t p = 0; p < n_patterns; ++p) density_applies[p] = time_density_applies(levels_of(p)[0]);
    std::vector<double> tf_user(33, 0.0), tf_sex(3, 0.0);
    for (int v = 0; v < 32; ++v) tf_user[static_cast<std::size_t>(v) + 1] = tf_adjustment(model, Comparison::RoadUser, 1, v);
    for (int v = 1; v <= 2; ++v) tf_sex[static_cast<std::size_t>(v)] = tf_adjustment(model, Comparison::Sex, 1, v);
    PairScores s;
    s.weight.resize(pairs.size());
    s.probability.resize(pairs.size());
    const std::size_t n = pairs.patient_offsets.size() - 1;
    constexpr std::size_t kBlock = 1024;
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    for_each_index(blocks, threads, [&](std::size_t b) {
        const std::size_t end = std::min(n, (b + 1) * kBlock);
        for (std::size_t j = b * kBlock; j < end; ++j) {
            const std::size_t first = pairs.patient_offsets[j], last = pairs.patient_offsets[j + 1];
            const double user_bonus = tf_user[static_cast<std::size_t>(patients.road_user[j] + 1)];
            const double prior = model.prior_weight(patients.road_user[j]);
            const int site = j < patients.hospital_site.size() ? patients.hospital_site[j] : -1;
            const double nearest_bonus = hospital_adjustment(model, kNearestHospitalLevel, site);
            const double elsewhere_bonus = hospital_adjustment(model, kNearestHospitalLevel + 1, site);
            const double sex_bonus = tf_sex[static_cast<std::size_t>(patients.sex[j])];
            const double density_bonus =
                j < time_density.size() ? time_density_adjustment(1, time_density[j]) : 0.0;
            double top = -INFINITY;
            for (std::size_t k = first; k < last; ++k) {
                const std::uint32_t p = patterns[k];
                const PairLevels l = levels_of(p);
                const double hospital = l[1] == kNearestHospitalLevel  ? nearest_bonus
                                        : l[1] > kNearestHospitalLevel ? elsewhere_bonus
                                                                       : 0.0;
                s.weight[k] = prior + pattern_weight[p] + (l[4] == 1 ? user_bonus : 0.0) +
                              (l[3] == 1 ? sex_bonus : 0.0) + (density_applies[p] ? density_bonus : 0.0) + hospital;
                top = std::max(top, s.weight[k]);
            }
            // P_k = 2^w_k / (1 + sum 2^w), computed relative to the largest weight so nothing overflows.
            double total = std::exp2(-top);
            for (std::size_t k = first; k < last; ++k) total += std::exp2(s.weight[k] - top);
            for (std::size_t k = first; k < last; ++k) s.probability[k] = std::exp2(s.weight[k] - top) / total;
        }
    });
    return s;
}

}  // namespace roadsafe::linkage
