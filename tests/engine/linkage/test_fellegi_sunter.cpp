// Fellegi–Sunter by hand: EM on a two-comparison example with known m, u and prior; a pair's
// match weight and probability; the explanation summing to the weight.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "../caught_error.hpp"
#include "roadsafe/linkage/em_fit.hpp"
#include "roadsafe/linkage/explanation.hpp"
#include "roadsafe/linkage/pair_scores.hpp"

using namespace roadsafe::linkage;

namespace {

// A model whose u is 0.5 / 0.25 ... on every level (only the levels a test uses matter).
LinkModel flat_model() {
    LinkModel model;
    model.labels = level_labels(LevelThresholds{});
    const auto counts = level_counts();
    model.u.resize(kComparisons);
    model.m.resize(kComparisons);
    for (std::size_t c = 0; c < kComparisons; ++c) {
        model.u[c].assign(counts[c], 1.0 / static_cast<double>(counts[c] - 1));
        model.m[c].assign(counts[c], 1.0 / static_cast<double>(counts[c] - 1));
        model.u[c][0] = model.m[c][0] = 0;
    }
    return model;
}

PairLevels sex_and_user(std::uint8_t sex, std::uint8_t user) { return PairLevels{0, 0, 0, sex, user}; }

// A model where only sex (comparison 3) and road user (4) carry information, at their true u, and one
// police record a patient: the hand-made EM problems below.
LinkModel sex_and_user_model() {
    LinkModel model = flat_model();
    model.n_police = 1;
    model.u[3] = {0, 0.1, 0.9};
    model.u[4] = {0, 0.2, 0.5, 0.5, 0.8};
    return model;
}

// Candidate offsets of `patients` patients with one candidate each.
std::vector<std::size_t> one_candidate_each(std::size_t patients) {
    std::vector<std::size_t> offsets(patients + 1);
    std::iota(offsets.begin(), offsets.end(), std::size_t{0});
    return offsets;
}

}  // namespace

TEST(LinkageFellegiSunter, EmRecoversHandMadeParameters) {
    // 1000 patients, one candidate each (n_police = 1, so the prior odds are pi / (1 - pi)).
    // True pi = 0.3; sex: m = (0.9 equal, 0.1 differs), u = (0.1, 0.9); road user: m = (0.8, 0.2),
    // u = (0.2, 0.8). Pattern counts are the expectations, e.g. both equal:
    // 1000 (0.3 * 0.9 * 0.8 + 0.7 * 0.1 * 0.2) = 216 + 14 = 230; sex equal / user differs: 54 + 56 = 110;
    // sex differs / user equal: 24 + 126 = 150; both differ: 6 + 504 = 510. Three free parameters, three
    // free frequencies: the maximum-likelihood fit is the truth.
    std::vector<std::uint32_t> patterns;
    auto add = [&](int n, std::uint8_t s, std::uint8_t r) {
        for (int k = 0; k < n; ++k) patterns.push_back(pattern_of(sex_and_user(s, r)));
    };
    add(230, 1, 1);  // road user level 4 is "differs" (2 and 3 are unused)
    add(110, 1, 4);
    add(150, 2, 1);
    add(510, 2, 4);
    const auto offsets = one_candidate_each(patterns.size());
    LinkModel model = sex_and_user_model();
    EmSettings s;
    s.m_pseudocount = 0;
    s.tolerance = 1e-12;
    s.max_iterations = 20000;
    fit_em(patterns, offsets, model, s, 2);
    EXPECT_TRUE(model.converged);
    EXPECT_NEAR(model.pi, 0.3, 1e-6);
    EXPECT_NEAR(model.m[3][1], 0.9, 1e-6);
    EXPECT_NEAR(model.m[3][2], 0.1, 1e-6);
    EXPECT_NEAR(model.m[4][1], 0.8, 1e-6);
    EXPECT_NEAR(model.m[4][4], 0.2, 1e-6);
    EXPECT_EQ(model.m[4][2], 0.0);
    EXPECT_EQ(model.m[4][3], 0.0);
    // The E-step posterior of "both equal": 0.216 / 0.230.
    const PairLevels both = sex_and_user(1, 1);
    const double w = pair_weight(model, both, -1, 0);
    EXPECT_NEAR(std::exp2(w) / (1 + std::exp2(w)), 0.216 / 0.230, 1e-6);
    // Same answer on one thread (sums are made in fixed blocks).
    LinkModel again = flat_model();
    again.n_police = 1;
    again.u = model.u;
    fit_em(patterns, offsets, again, s, 1);
    EXPECT_EQ(again.m, model.m);
    EXPECT_EQ(again.pi, model.pi);
}

TEST(LinkageFellegiSunter, WeightAndProbabilityByHand) {
    LinkModel model = flat_model();
    model.pi = 0.5;
    model.n_police = 1000;  // prior odds 0.5 / (1000 * 0.5) = 0.001
    model.m[0][1] = 0.6;
    model.u[0][1] = 0.0001;  // x 6000
    model.m[1][1] = 0.5;
    model.u[1][1] = 0.001;  // x 500
    model.m[2][1] = 0.9;
    model.u[2][1] = 0.02;  // x 45
    model.m[3][2] = 0.05;
    model.u[3][2] = 0.5;  // x 0.1
    const PairLevels levels{1, 1, 1, 2, 0};  // road user null: no evidence
    // 0.001 * 6000 * 500 * 45 * 0.1 = 13500
    const double w = pair_weight(model, levels, -1, 2);
    EXPECT_NEAR(w, 13.720671786825555, 1e-12);
    EXPECT_NEAR(model.prior_weight(), std::log2(0.001), 1e-12);
    // One candidate: P = 2^w / (1 + 2^w) = 13500 / 13501.
    CandidatePairs pairs;
    pairs.police = {7};
    pairs.patient = {0};
    pairs.patient_offsets = {0, 1};
    std::vector<std::uint32_t> patterns{pattern_of(levels)};
    std::vector<double> nan1{NAN};
    std::vector<std::int8_t> sex{2};
    std::vector<std::int32_t> user{-1};
    PatientRecords patients{nan1, nan1, nan1, nan1, nan1, sex, user};
    const PairScores s = score_pairs(model, pairs, patterns, patients, {}, 1);
    EXPECT_NEAR(s.weight[0], 13.720671786825555, 1e-12);
    EXPECT_NEAR(s.probability[0], 13500.0 / 13501.0, 1e-12);
    // A second candidate of weight log2(1500): 13500 / (1 + 13500 + 1500).
    pairs.police = {7, 8};
    pairs.patient = {0, 0};
    pairs.patient_offsets = {0, 2};
    model.m[3][1] = 0.45;
    model.u[3][1] = 0.5;  // sex equal: x 0.9 -> 0.001 * 6000 * 500 * 0.5 ... see below
    const PairLevels other{1, 1, 0, 1, 0};  // 0.001 * 6000 * 500 * 0.9 = 2700
    patterns = {pattern_of(levels), pattern_of(other)};
    const PairScores two = score_pairs(model, pairs, patterns, patients, {}, 1);
    EXPECT_NEAR(two.probability[0], 13500.0 / (1 + 13500 + 2700), 1e-12);
    EXPECT_NEAR(two.probability[1], 2700.0 / (1 + 13500 + 2700), 1e-12);
    // A patient at an hour of the week twice as crowded as the average: near time levels lose a bit.
    const std::vector<double> crowded{2.0};
    const PairScores busy = score_pairs(model, pairs, patterns, patients, crowded, 1);
    EXPECT_NEAR(busy.probability[0], 6750.0 / (1 + 6750 + 1350), 1e-12);
    EXPECT_NEAR(pair_weight(model, levels, -1, 2, 2.0), 13.720671786825555 - 1, 1e-12);
    const PairLevels far{17, 1, 1, 2, 0};
    EXPECT_EQ(pair_weight(model, far, -1, 2, 2.0), pair_weight(model, far, -1, 2));
}

TEST(LinkageFellegiSunter, ExplanationSumsToTheWeight) {
    LinkModel model = flat_model();
    model.pi = 0.2;
    model.n_police = 5000;
    model.m[4] = {0, 0.8, 0.1, 0.05, 0.05};
    model.u[4] = {0, 0.5, 0.25, 0.125, 0.125};
    model.road_user_u.assign(32, 0.5);
    model.road_user_u[3] = 0.05;  // a rare road user: tf adds log2(0.5) - log2(0.05) = log2(10)
    const PairLevels levels{2, 3, 2, 1, 1};
    const auto terms = explain_pair(model, levels, 3, 1);
    double sum = 0;
    for (const auto& t : terms) sum += t.weight;
    EXPECT_NEAR(sum, pair_weight(model, levels, 3, 1), 1e-12);
    ASSERT_EQ(terms.size(), 7u);  // prior, five comparisons, the road-user term frequency
    EXPECT_EQ(terms[0].comparison, "prior");
    EXPECT_EQ(terms[5].comparison, "road_user");
    EXPECT_EQ(terms[5].level, "equal / involved");
    EXPECT_NEAR(terms[5].weight, std::log2(0.8 / 0.5), 1e-12);
    EXPECT_EQ(terms[6].comparison, "road_user (term frequency)");
    EXPECT_NEAR(terms[6].weight, std::log2(10.0), 1e-12);
    EXPECT_EQ(terms[1].level, "incident time within 15 min");
    // The hour of the week shows as its own term.
    const auto busy = explain_pair(model, levels, 3, 1, 4.0);
    ASSERT_EQ(busy.size(), 8u);
    EXPECT_EQ(busy[6].comparison, "time (hour of the week)");
    EXPECT_NEAR(busy[6].weight, -2.0, 1e-12);
    // Without term frequencies the term disappears.
    model.tf_road_user = false;
    EXPECT_EQ(explain_pair(model, levels, 3, 1).size(), 6u);
}

TEST(LinkageFellegiSunter, EmRejectsBadInput) {
    LinkModel model = flat_model();
    std::vector<std::uint32_t> patterns{0};
    std::vector<std::size_t> offsets{0, 2};
    auto e = roadsafe::test::caught_error([&] { fit_em(patterns, offsets, model); });
    EXPECT_EQ(e.code(), roadsafe::ErrorCode::InvalidInput);
    EXPECT_STREQ(e.what(), "patient_offsets must end at the number of pairs");
    offsets = {0, 1};
    model.u[2][3] = 0;
    e = roadsafe::test::caught_error([&] { fit_em(patterns, offsets, model); });
    EXPECT_STREQ(e.what(), "u of 'age' level 3 must be positive");
}

TEST(LinkageFellegiSunter, GrossLocationErrorsKeepAFloor) {
    // No match is ever placed more than 10 km away, yet m of that level stays at 2 % of the incident
    // levels' m (EmSettings::gross_location_share): one such error must not kill a link.
    std::vector<std::uint32_t> patterns;
    for (int k = 0; k < 100; ++k) patterns.push_back(pattern_of(PairLevels{0, 1, 0, 0, 0}));
    for (int k = 0; k < 100; ++k) patterns.push_back(pattern_of(PairLevels{0, 5, 0, 0, 0}));
    LinkModel model = flat_model();
    model.n_police = 1;
    fit_em(patterns, one_candidate_each(patterns.size()), model, EmSettings{}, 1);
    double incident = 0, all = 0;
    for (std::size_t l = 1; l <= kGrossLocationLevel; ++l) incident += model.m[1][l];
    for (std::size_t l = 1; l < model.m[1].size(); ++l) all += model.m[1][l];
    EXPECT_NEAR(model.m[1][kGrossLocationLevel], 0.02 * incident, 1e-12);
    EXPECT_NEAR(all, 1.0, 1e-12);
    EXPECT_GT(model.m[1][1], model.m[1][kGrossLocationLevel]);
}

TEST(LinkageFellegiSunter, PriorByRoadUserRecoversEachGroupsShare) {
    // Two groups of 1000 patients, one candidate each, the same m and u as above (sex m 0.9/0.1, u
    // 0.1/0.9; road user m 0.8/0.2, u 0.2/0.8) but a police record for 60 % of car occupants (code 3)
    // and 20 % of cyclists (code 1). Expected pattern counts, car occupants: both equal 1000 (0.6 * 0.72
    // + 0.4 * 0.02) = 440, sex equal only 108 + 32 = 140, road user equal only 48 + 72 = 120, neither 12 +
    // 288 = 300; cyclists: 144 + 16 = 160, 36 + 64 = 100, 16 + 144 = 160, 4 + 576 = 580.
    std::vector<std::uint32_t> patterns;
    std::vector<std::int32_t> users;
    auto add = [&](int n, std::uint8_t s, std::uint8_t r, std::int32_t user) {
        for (int k = 0; k < n; ++k) {
            patterns.push_back(pattern_of(sex_and_user(s, r)));
            users.push_back(user);
        }
    };
    add(440, 1, 1, 3);
    add(140, 1, 4, 3);
    add(120, 2, 1, 3);
    add(300, 2, 4, 3);
    add(160, 1, 1, 1);
    add(100, 1, 4, 1);
    add(160, 2, 1, 1);
    add(580, 2, 4, 1);
    const auto offsets = one_candidate_each(patterns.size());
    LinkModel model = sex_and_user_model();
    EmSettings s;
    s.m_pseudocount = 0;
    s.prior_by_road_user = true;
    s.prior_pseudocount = 1e-9;
    s.tolerance = 1e-12;
    s.max_iterations = 20000;
    fit_em(patterns, offsets, model, s, 2, {}, users);
    EXPECT_TRUE(model.converged);
    EXPECT_NEAR(model.patient_pi(3), 0.6, 1e-6);
    EXPECT_NEAR(model.patient_pi(1), 0.2, 1e-6);
    EXPECT_NEAR(model.pi, 0.4, 1e-6);
    EXPECT_NEAR(model.patient_pi(-1), 0.4, 1e-6);  // no unknown road users: the common prior
    EXPECT_NEAR(model.m[3][1], 0.9, 1e-6);
    EXPECT_NEAR(model.m[4][1], 0.8, 1e-6);
    // A pair's weight starts from its patient's group's prior.
    EXPECT_NEAR(pair_weight(model, sex_and_user(1, 1), 3, 0) - pair_weight(model, sex_and_user(1, 1), 1, 0),
                std::log2(0.6 / 0.4) - std::log2(0.2 / 0.8), 1e-6);
    // Without the road users (or with the option off) one prior for everyone.
    LinkModel one = flat_model();
    one.n_police = 1;
    one.u = model.u;
    s.prior_by_road_user = false;
    fit_em(patterns, offsets, one, s, 1, {}, users);
    EXPECT_TRUE(one.pi_road_user.empty());
    EXPECT_NEAR(one.patient_pi(3), one.pi, 0);
}
