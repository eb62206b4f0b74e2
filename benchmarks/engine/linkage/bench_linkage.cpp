// Police <-> trauma linkage on a seeded national-size year (the engine alone): 100k collisions over
// GB-sized towns, ~133k casualties, ~14k of them in the registry plus ~6k patients without a police
// record. Registry times, places and ages carry errors and gaps like rs.generate_trauma's.
#include <benchmark/benchmark.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "roadsafe/linkage/candidate_pairs.hpp"
#include "roadsafe/linkage/link.hpp"

using namespace roadsafe::linkage;

namespace {

struct World {
    std::vector<double> time, x, y, age;
    std::vector<std::uint8_t> known;
    std::vector<std::int8_t> sex;
    std::vector<std::uint32_t> users;
    std::vector<double> arrival, incident, qx, qy, qage;
    std::vector<std::int8_t> qsex;
    std::vector<std::int32_t> quser;
    PoliceRecords police() const { return {time, known, x, y, age, sex, users}; }
    PatientRecords patients() const { return {arrival, incident, qx, qy, qage, qsex, quser}; }
};

const World& world() {
    static const World w = [] {
        std::mt19937_64 rng(7);
        std::uniform_real_distribution<double> u01(0, 1), ux(100000, 650000), uy(10000, 1200000);
        std::normal_distribution<double> town(0, 3000), err(0, 1);
        std::vector<double> tx(500), ty(500);
        for (std::size_t t = 0; t < tx.size(); ++t) {
            tx[t] = ux(rng);
            ty[t] = uy(rng);
        }
        World w;
        auto patient = [&](double t, double px, double py, double age, std::int8_t sex, std::int32_t user) {
            w.arrival.push_back(t + 55 * std::exp(0.45 * err(rng)));
            w.incident.push_back(u01(rng) < 0.25 ? NAN : t + std::round(10 * err(rng)));
            const bool located = u01(rng) > 0.45;
            w.qx.push_back(located ? px + 120 * err(rng) : NAN);
            w.qy.push_back(located ? py + 120 * err(rng) : NAN);
            w.qage.push_back(u01(rng) < 0.1 ? age + 1 : age);
            w.qsex.push_back(sex);
            w.quser.push_back(user);
        };
        for (int c = 0; c < 100000; ++c) {
            const double t = std::floor(u01(rng) * 365 * 1440);
            const std::size_t k = rng() % tx.size();
            const double cx = tx[k] + town(rng), cy = ty[k] + town(rng);
            const int n = u01(rng) < 0.75 ? 1 : u01(rng) < 0.7 ? 2 : 3;
            for (int j = 0; j < n; ++j) {
                w.time.push_back(t);
                w.known.push_back(1);
                w.x.push_back(cx);
                w.y.push_back(cy);
                w.age.push_back(std::floor(u01(rng) * 85) + 3);
                w.sex.push_back(static_cast<std::int8_t>(1 + rng() % 2));
                w.users.push_back(1u << (rng() % 6));
                if (u01(rng) < 0.105)
                    patient(t, cx, cy, w.age.back(), w.sex.back(), std::countr_zero(w.users.back()));
            }
        }
        for (int j = 0; j < 6000; ++j) {
            const std::size_t k = rng() % tx.size();
            patient(std::floor(u01(rng) * 365 * 1440), tx[k] + town(rng), ty[k] + town(rng), std::floor(u01(rng) * 85) + 3,
                    static_cast<std::int8_t>(1 + rng() % 2), static_cast<std::int32_t>(rng() % 6));
        }
        return w;
    }();
    return w;
}

void BM_CandidatePairs(benchmark::State& state) {
    const World& w = world();
    for (auto _ : state) {
        auto pairs = find_candidate_pairs(w.police(), w.patients(), BlockingSettings{}, static_cast<unsigned>(state.range(0)));
        benchmark::DoNotOptimize(pairs.police.data());
        state.counters["pairs"] = static_cast<double>(pairs.size());
    }
}
BENCHMARK(BM_CandidatePairs)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_LinkCasualties(benchmark::State& state) {
    const World& w = world();
    LinkSettings s;
    s.threads = static_cast<unsigned>(state.range(0));
    for (auto _ : state) {
        auto r = link_records(w.police(), w.patients(), s);
        benchmark::DoNotOptimize(r.weight.data());
        state.counters["links"] = static_cast<double>(r.police.size());
        state.counters["em_iterations"] = r.model.iterations;
    }
    state.counters["police"] = static_cast<double>(w.time.size());
    state.counters["patients"] = static_cast<double>(w.arrival.size());
}
BENCHMARK(BM_LinkCasualties)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
