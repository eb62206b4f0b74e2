// Assignment: the constraints, the fellow-casualty case where greedy goes wrong, and the
// optimum checked against brute force.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "../caught_error.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/linkage/assignment.hpp"

using namespace roadsafe::linkage;

namespace {

struct Edges {
    std::vector<std::uint32_t> police, patient;
    std::vector<double> weight, probability;
    void add(std::uint32_t i, std::uint32_t j, double w, double p = 0.9) {
        police.push_back(i);
        patient.push_back(j);
        weight.push_back(w);
        probability.push_back(p);
    }
};

std::vector<std::size_t> run(const Edges& e, Unit unit, double min_p = 0.0) {
    return assign_links(e.police, e.patient, e.weight, e.probability, unit, min_p);
}

void expect_constraints(const Edges& e, const std::vector<std::size_t>& chosen, Unit unit) {
    std::set<std::uint32_t> patients, police;
    for (std::size_t k : chosen) {
        EXPECT_TRUE(patients.insert(e.patient[k]).second) << "patient " << e.patient[k] << " linked twice";
        if (unit == Unit::Casualty) {
            EXPECT_TRUE(police.insert(e.police[k]).second) << "casualty linked twice";
        }
    }
}

// Best total of positive weights over one-to-one assignments, by trying every subset of edges.
double brute_force(const Edges& e) {
    double best = 0;
    const std::size_t n = e.weight.size();
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
        std::set<std::uint32_t> a, b;
        double total = 0;
        bool ok = true;
        for (std::size_t k = 0; k < n && ok; ++k) {
            if (!((mask >> k) & 1u)) continue;
            ok = a.insert(e.police[k]).second && b.insert(e.patient[k]).second && e.weight[k] > 0;
            total += e.weight[k];
        }
        if (ok) best = std::max(best, total);
    }
    return best;
}

}  // namespace

TEST(LinkageAssignment, FellowCasualtiesGoToTheBestJointAssignment) {
    // Patient 0 fits casualty 10 (30) a little better than casualty 11 (28); patient 1 fits only 10
    // well (29; 11 gives 25). Greedy by weight takes 0-10 then 1-11: 55. The optimum is 0-11 + 1-10: 57.
    Edges e;
    e.add(10, 0, 30);
    e.add(11, 0, 28);
    e.add(10, 1, 29);
    e.add(11, 1, 25);
    const auto chosen = run(e, Unit::Casualty);
    EXPECT_EQ(chosen, (std::vector<std::size_t>{1, 2}));
    expect_constraints(e, chosen, Unit::Casualty);
    // At collision level both patients may go to the same record: each takes its best.
    const auto by_collision = run(e, Unit::Collision);
    EXPECT_EQ(by_collision, (std::vector<std::size_t>{0, 2}));
    expect_constraints(e, by_collision, Unit::Collision);
}

TEST(LinkageAssignment, ThresholdAndNonPositiveWeights) {
    Edges e;
    e.add(1, 0, 5, 0.97);
    e.add(2, 1, -2, 0.2);    // kept for review: both ends free
    e.add(1, 2, -1, 0.3);    // casualty 1 already taken by patient 0
    e.add(3, 3, 4, 0.005);   // below min_probability
    const auto chosen = run(e, Unit::Casualty, 0.01);
    EXPECT_EQ(chosen, (std::vector<std::size_t>{0, 1}));
}

TEST(LinkageAssignment, OptimalOnRandomGraphsAndConstraintsHold) {
    roadsafe::Random rng(42);
    for (int trial = 0; trial < 300; ++trial) {
        Edges e;
        const std::size_t edges = 1 + rng.below(10);
        std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
        for (std::size_t k = 0; k < edges; ++k) {
            const auto i = static_cast<std::uint32_t>(rng.below(4)), j = static_cast<std::uint32_t>(rng.below(4));
            if (!seen.insert({i, j}).second) continue;
            e.add(i, j, rng.uniform() * 40 - 5);
        }
        const auto chosen = run(e, Unit::Casualty);
        expect_constraints(e, chosen, Unit::Casualty);
        double total = 0;
        for (std::size_t k : chosen)
            if (e.weight[k] > 0) total += e.weight[k];
        EXPECT_NEAR(total, brute_force(e), 1e-9) << "trial " << trial;
        expect_constraints(e, run(e, Unit::Collision), Unit::Collision);
        // Components above max_exact records a side go greedy: still one-to-one.
        expect_constraints(e, assign_links(e.police, e.patient, e.weight, e.probability, Unit::Casualty, 0.0, 1),
                           Unit::Casualty);
    }
}

TEST(LinkageAssignment, RejectsRaggedInput) {
    std::vector<std::uint32_t> a{1, 2}, b{1};
    std::vector<double> w{1, 2}, p{1, 1};
    auto err = roadsafe::test::caught_error([&] { assign_links(a, b, w, p, Unit::Casualty, 0.5); });
    EXPECT_EQ(err.code(), roadsafe::ErrorCode::InvalidInput);
    EXPECT_STREQ(err.what(), "police, patient, weight and probability must have the same length");
}
