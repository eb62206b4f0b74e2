#include "roadsafe/linkage/em_fit.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <thread>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"
#include "roadsafe/linkage/pair_scores.hpp"

namespace roadsafe::linkage {

namespace {

constexpr std::size_t kBlock = 1024;  // patients per work item: fixed, so sums do not depend on threads

// Bayes factor of every pattern: prod over non-null levels of m / u.
std::vector<double> pattern_factors(const LinkModel& model) {
    const std::uint32_t n = pattern_count();
    std::vector<double> f(n);
    for (std::uint32_t p = 0; p < n; ++p) {
        const PairLevels l = levels_of(p);
        double w = 0;
        for (std::size_t c = 0; c < kComparisons; ++c) w += model.level_weight(static_cast<Comparison>(c), l[c]);
        f[p] = std::exp2(w);
    }
    return f;
}

// A gross location error keeps a floor (see the header): m of the furthest incident level is at
// least `share` of the incident levels' m, the nearer levels scaled down to make room.
void keep_gross_location_floor(std::vector<double>& m, double share) {
    double incident = 0;
    for (std::size_t l = 1; l <= kGrossLocationLevel; ++l) incident += m[l];
    const double floor = share * incident, gross = m[kGrossLocationLevel];
    if (gross >= floor || incident <= gross) return;
    const double scale = (incident - floor) / (incident - gross);
    for (std::size_t l = 1; l < kGrossLocationLevel; ++l) m[l] *= scale;
    m[kGrossLocationLevel] = floor;
}

}  // namespace

void fit_em(std::span<const std::uint32_t> patterns, std::span<const std::size_t> patient_offsets, LinkModel& model,
            const EmSettings& s, unsigned threads, std::span<const double> time_density,
            std::span<const std::int32_t> road_user, std::span<const std::int8_t> sex,
            std::span<const std::int32_t> hospital) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    if (patient_offsets.empty() || patient_offsets.back() != patterns.size())
        throw Error(ErrorCode::InvalidInput, "patient_offsets must end at the number of pairs");
    if (s.max_iterations < 1) throw Error(ErrorCode::InvalidInput, "max_iterations must be at least 1");
    if (!(s.initial_pi > 0 && s.initial_pi < 1))
        throw Error(ErrorCode::InvalidInput, "initial_pi must lie strictly between 0 and 1");
    if (model.u.size() != kComparisons) throw Error(ErrorCode::InvalidInput, "the model needs u for every comparison");
    const auto levels = level_counts();
    for (std::size_t c = 0; c < kComparisons; ++c) {
        if (model.u[c].size() != levels[c])
            throw Error(ErrorCode::InvalidInput, std::string("u of '") + comparison_name(static_cast<Comparison>(c)) +
                                                     "' has the wrong number of levels");
        for (std::size_t l = 1; l < levels[c]; ++l)
            if (!(model.u[c][l] > 0))
                throw Error(ErrorCode::InvalidInput, std::string("u of '") +
                                                         comparison_name(static_cast<Comparison>(c)) + "' level " +
                                                         std::to_string(l) + " must be positive");
    }
    const std::size_t patients = patient_offsets.size() - 1;
    if (!road_user.empty() && road_user.size() != patients)
        throw Error(ErrorCode::InvalidInput, "road_user must have one value per patient");
    if (!(s.prior_pseudocount > 0)) throw Error(ErrorCode::InvalidInput, "prior_pseudocount must be positive");
    model.n_patients = patients;
    model.pi = s.initial_pi;
    // Prior groups: [road_user + 1], 0 unknown (only when the prior is fitted by road user).
    const bool by_user = s.prior_by_road_user && !road_user.empty();
    constexpr std::size_t kGroups = 33;
    auto group_of = [&](std::size_t j) -> std::size_t {
        if (!by_user) return 0;
        const std::int32_t r = road_user[j];
        return r < 0 || r > 31 ? 0 : static_cast<std::size_t>(r) + 1;
    };
    std::vector<double> group_patients(kGroups, 0.0);
    for (std::size_t j = 0; j < patients; ++j) group_patients[group_of(j)] += 1;
    model.pi_road_user.clear();
    if ((!sex.empty() && sex.size() != patients) || (!hospital.empty() && hospital.size() != patients))
        throw Error(ErrorCode::InvalidInput, "sex and hospital must have one value per patient");
    // Term-frequency factors of each patient (u is fixed, so they are too): road user and sex at their
    // "equal" level, the hospital at "nearest hospital".
    std::vector<double> tf_user(patients, 1.0), tf_sex(patients, 1.0), tf_hospital(patients, 1.0),
        tf_elsewhere(patients, 1.0);
    for (std::size_t j = 0; j < patients; ++j) {
        if (j < road_user.size()) tf_user[j] = std::exp2(tf_adjustment(model, Comparison::RoadUser, 1, road_user[j]));
        if (j < sex.size()) tf_sex[j] = std::exp2(tf_adjustment(model, Comparison::Sex, 1, sex[j]));
        if (j < hospital.size()) {
            tf_hospital[j] = std::exp2(tf_adjustment(model, Comparison::Distance, kNearestHospitalLevel, hospital[j]));
            tf_elsewhere[j] =
                std::exp2(tf_adjustment(model, Comparison::Distance, kNearestHospitalLevel + 1, hospital[j]));
        }
    }
    model.m.assign(kComparisons, {});
    for (std::size_t c = 0; c < kComparisons; ++c) {
        model.m[c].assign(levels[c], 0.0);
        double sum = 0;
        for (std::size_t l = 1; l < levels[c]; ++l) sum += model.m[c][l] = std::ldexp(1.0, -static_cast<int>(l));
        for (std::size_t l = 1; l < levels[c]; ++l) model.m[c][l] /= sum;
    }
    const std::uint32_t n_patterns = pattern_count();
    const std::size_t blocks = (patients + kBlock - 1) / kBlock;
    std::vector<std::vector<double>> block_sums(blocks), block_groups(blocks);
    model.converged = false;
    for (int it = 1; it <= s.max_iterations; ++it) {
        // E-step: posterior of each pair, given that a patient has at most one police record.
        const std::vector<double> factor = pattern_factors(model);
        std::vector<double> density_applies(n_patterns);
        // bit 0 road user equal, 1 sex equal, 2 nearest hospital, 3 another hospital
        std::vector<std::uint8_t> tf_applies(n_patterns);
        for (std::uint32_t p = 0; p < n_patterns; ++p) {
            const PairLevels l = levels_of(p);
            density_applies[p] = time_density_applies(l[0]);
            tf_applies[p] = static_cast<std::uint8_t>((l[4] == 1 ? 1 : 0) | (l[3] == 1 ? 2 : 0) |
                                                      (l[1] == kNearestHospitalLevel ? 4 : 0) |
                                                      (l[1] > kNearestHospitalLevel ? 8 : 0));
        }
        std::array<double, kGroups> group_odds{};
        for (std::size_t g = 0; g < kGroups; ++g)
            group_odds[g] = by_user ? model.prior_odds(static_cast<int>(g) - 1) : model.prior_odds();
        for_each_index(blocks, threads, [&](std::size_t b) {
            auto& sums = block_sums[b];
            auto& groups = block_groups[b];
            sums.assign(n_patterns, 0.0);
            groups.assign(kGroups, 0.0);
            const std::size_t end = std::min(patients, (b + 1) * kBlock);
            for (std::size_t j = b * kBlock; j < end; ++j) {
                const double density = j < time_density.size() && time_density[j] > 0 ? time_density[j] : 1.0;
                const std::size_t g = group_of(j);
                const double odds = group_odds[g];
                auto odds_of = [&](std::uint32_t p) {
                    const std::uint8_t tf = tf_applies[p];
                    return odds * factor[p] / (density_applies[p] != 0 ? density : 1.0) * (tf & 1 ? tf_user[j] : 1.0) *
                           (tf & 2 ? tf_sex[j] : 1.0) * (tf & 4 ? tf_hospital[j] : 1.0) *
                           (tf & 8 ? tf_elsewhere[j] : 1.0);
                };
                double total = 1;
                for (std::size_t k = patient_offsets[j]; k < patient_offsets[j + 1]; ++k) total += odds_of(patterns[k]);
                for (std::size_t k = patient_offsets[j]; k < patient_offsets[j + 1]; ++k)
                    sums[patterns[k]] += odds_of(patterns[k]) / total;
                groups[g] += 1 - 1 / total;  // P(the patient has a record among its candidates)
            }
        });
        std::array<double, kGroups> group_matches{};
        for (const auto& groups : block_groups)
            for (std::size_t g = 0; g < kGroups; ++g) group_matches[g] += groups[g];
        std::vector<double> by_pattern(n_patterns, 0.0);
        for (const auto& sums : block_sums)
            for (std::uint32_t p = 0; p < n_patterns; ++p) by_pattern[p] += sums[p];
        // M-step.
        std::vector<std::vector<double>> level_sum(kComparisons);
        for (std::size_t c = 0; c < kComparisons; ++c) level_sum[c].assign(levels[c], 0.0);
        double matches = 0;
        for (std::uint32_t p = 0; p < n_patterns; ++p) {
            if (by_pattern[p] == 0) continue;
            matches += by_pattern[p];
            const PairLevels l = levels_of(p);
            for (std::size_t c = 0; c < kComparisons; ++c) level_sum[c][l[c]] += by_pattern[p];
        }
        double change = 0;
        for (std::size_t c = 0; c < kComparisons; ++c) {
            double non_null = 0;
            for (std::size_t l = 1; l < levels[c]; ++l) non_null += level_sum[c][l];
            const double denominator = non_null + s.m_pseudocount * static_cast<double>(levels[c] - 1);
            if (denominator <= 0) continue;  // no evidence on this comparison: m stays where it is
            std::vector<double> m(levels[c], 0.0);
            for (std::size_t l = 1; l < levels[c]; ++l) m[l] = (level_sum[c][l] + s.m_pseudocount) / denominator;
            if (c == static_cast<std::size_t>(Comparison::Distance)) keep_gross_location_floor(m, s.gross_location_share);
            for (std::size_t l = 1; l < levels[c]; ++l) {
                change = std::max(change, std::fabs(m[l] - model.m[c][l]));
                model.m[c][l] = m[l];
            }
        }
        double pi = patients ? matches / static_cast<double>(patients) : s.initial_pi;
        pi = std::clamp(pi, 1e-9, 1 - 1e-9);
        change = std::max(change, std::fabs(pi - model.pi));
        model.pi = pi;
        if (by_user) {
            std::vector<double> pi_user(kGroups, 0.0);
            for (std::size_t g = 0; g < kGroups; ++g) {
                pi_user[g] = std::clamp((group_matches[g] + s.prior_pseudocount * pi) /
                                            (group_patients[g] + s.prior_pseudocount), 1e-9, 1 - 1e-9);
                const double before = model.pi_road_user.empty() ? s.initial_pi : model.pi_road_user[g];
                change = std::max(change, std::fabs(pi_user[g] - before));
            }
            model.pi_road_user = std::move(pi_user);
        }
        model.iterations = it;
        model.max_change = change;
        if (change < s.tolerance) {
            model.converged = true;
            break;
        }
    }
}

}  // namespace roadsafe::linkage
