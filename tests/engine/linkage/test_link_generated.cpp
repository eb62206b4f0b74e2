// The whole linkage on records generated here with a known truth: accuracy, the assignment
// constraints, and the same answer on one thread and on two.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <vector>

#include "../caught_error.hpp"
#include "../linkage_records_support.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/linkage/link.hpp"

using namespace roadsafe::linkage;

namespace {

struct World {
    roadsafe::test::PoliceColumns p;
    roadsafe::test::PatientColumns q;
    std::vector<std::int64_t> truth;  // police row of each patient, -1 none
    PoliceRecords police() const { return p.view(); }
    PatientRecords patients() const { return q.view(); }
};

double normal(roadsafe::Random& r) {
    const double u1 = std::max(r.uniform(), 1e-300), u2 = r.uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

// 3000 collisions in a year over a 60 km square, 1-3 casualties each; 35 % of casualties reach the
// registry, plus 150 patients the police never heard of. Registry times and places are noisy; a
// third have no incident time, 40 % no location; ages are sometimes off by a year or two.
World make_world(std::uint64_t seed) {
    roadsafe::Random r(seed);
    World w;
    for (int c = 0; c < 3000; ++c) {
        const double t = std::floor(r.uniform() * 365 * 1440), cx = r.uniform() * 60000, cy = r.uniform() * 60000;
        const bool known = r.uniform() > 0.03;
        const int n = 1 + static_cast<int>(r.below(3));
        for (int k = 0; k < n; ++k) {
            const double time = known ? t : std::floor(t / 1440) * 1440;
            const double age = std::floor(r.uniform() * 80) + 5;
            const auto sex = static_cast<std::int8_t>(1 + r.below(2));
            const double u = r.uniform();
            w.p.add(time, known, cx, cy, age, sex, 1u << (u < 0.15 ? 0 : u < 0.25 ? 1 : u < 0.35 ? 2 : 3));
        }
    }
    auto add_patient = [&](double t, double px, double py, double age, std::int8_t sex, std::int32_t user,
                           std::int64_t truth) {
        // Draws in the order the fields are listed (arrival, incident, place, age, sex): the seeded
        // world depends on it.
        const double arrival = t + 20 + r.uniform() * 70;
        const double incident = r.uniform() < 0.33 ? NAN : t + std::round(normal(r) * 10);
        const bool located = r.uniform() > 0.4;
        const double qx = located ? px + normal(r) * 150 : NAN;
        const double qy = located ? py + normal(r) * 150 : NAN;
        const double e = r.uniform();
        const double qage = e < 0.8 ? age : age + (e < 0.9 ? 1 : -2);
        const std::int8_t qsex = r.uniform() < 0.02 ? std::int8_t{0} : sex;
        w.q.add(arrival, incident, qx, qy, qage, qsex, user);
        w.truth.push_back(truth);
    };
    const auto& p = w.p;
    for (std::size_t i = 0; i < p.time.size(); ++i) {
        if (r.uniform() > 0.35) continue;
        const double t = p.known[i] ? p.time[i] : p.time[i] + 600;
        add_patient(t, p.x[i], p.y[i], p.age[i], p.sex[i], std::countr_zero(p.users[i]), static_cast<std::int64_t>(i));
    }
    for (int k = 0; k < 150; ++k)
        add_patient(std::floor(r.uniform() * 365 * 1440), r.uniform() * 60000, r.uniform() * 60000,
                    std::floor(r.uniform() * 80) + 5, static_cast<std::int8_t>(1 + r.below(2)),
                    static_cast<std::int32_t>(r.below(4)), -1);
    return w;
}

}  // namespace

TEST(LinkageEndToEnd, GeneratedCasualtiesLinkAccuratelyOnAnyThreadCount) {
    const World w = make_world(3);
    LinkSettings s;
    s.seed = 11;
    s.threads = 2;
    const LinkResult r = link_records(w.police(), w.patients(), s);
    EXPECT_GT(r.model.iterations, 1);
    EXPECT_TRUE(r.model.converged);
    std::set<std::uint32_t> patients, casualties;
    std::size_t true_links = 0, found = 0, correct = 0;
    for (auto t : w.truth) true_links += t >= 0;
    for (std::size_t k = 0; k < r.police.size(); ++k) {
        EXPECT_TRUE(patients.insert(r.patient[k]).second);
        EXPECT_TRUE(casualties.insert(r.police[k]).second);
        if (r.probability[k] < 0.5) continue;
        ++found;
        correct += w.truth[r.patient[k]] == static_cast<std::int64_t>(r.police[k]);
    }
    const double precision = double(correct) / double(found), recall = double(correct) / double(true_links);
    EXPECT_GT(precision, 0.93) << "precision " << precision << " recall " << recall;
    EXPECT_GT(recall, 0.9) << "precision " << precision << " recall " << recall;
    // pi near the share of patients with a police record.
    EXPECT_NEAR(r.model.pi, double(true_links) / double(w.truth.size()), 0.05);
    s.threads = 1;
    const LinkResult one = link_records(w.police(), w.patients(), s);
    EXPECT_EQ(one.police, r.police);
    EXPECT_EQ(one.patient, r.patient);
    EXPECT_EQ(one.weight, r.weight);
    EXPECT_EQ(one.model.m, r.model.m);
    // Collision level: each patient still links at most once.
    s.unit = Unit::Collision;
    const LinkResult c = link_records(w.police(), w.patients(), s);
    std::set<std::uint32_t> seen;
    for (auto j : c.patient) EXPECT_TRUE(seen.insert(j).second);
}

TEST(LinkageEndToEnd, EmptySidesAreReported) {
    const World w = make_world(1);
    World none;
    auto e = roadsafe::test::caught_error([&] { link_records(none.police(), w.patients(), LinkSettings{}); });
    EXPECT_EQ(e.code(), roadsafe::ErrorCode::InvalidInput);
    EXPECT_STREQ(e.what(), "there are no police records to link");
    e = roadsafe::test::caught_error([&] { link_records(w.police(), none.patients(), LinkSettings{}); });
    EXPECT_STREQ(e.what(), "there are no patients to link");
}
