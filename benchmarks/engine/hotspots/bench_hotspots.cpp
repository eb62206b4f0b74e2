// Hotspot methods on seeded clustered points in a national-size BNG window (the engine alone).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "roadsafe/hotspots/cluster_sites.hpp"
#include "roadsafe/hotspots/dbscan.hpp"
#include "roadsafe/hotspots/gi_star.hpp"
#include "roadsafe/hotspots/kernel_density.hpp"
#include "roadsafe/hotspots/spatial_weights.hpp"

namespace {

struct Points {
    std::vector<double> x, y;
};

// n points: 70% around 500 seeded "towns" (sd 2 km, junction clumps of sd 30 m), 30% uniform.
Points clustered(std::size_t n, std::uint64_t seed = 1) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> ux(100000, 650000), uy(10000, 1200000), u01(0, 1);
    std::normal_distribution<double> town(0, 2000), junction(0, 30);
    std::vector<double> tx(500), ty(500), jx(20000), jy(20000);
    for (std::size_t t = 0; t < tx.size(); ++t) { tx[t] = ux(rng); ty[t] = uy(rng); }
    for (std::size_t j = 0; j < jx.size(); ++j) { jx[j] = tx[j % 500] + town(rng); jy[j] = ty[j % 500] + town(rng); }
    Points p;
    p.x.resize(n);
    p.y.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (u01(rng) < 0.3) { p.x[i] = ux(rng); p.y[i] = uy(rng); continue; }
        const std::size_t j = rng() % jx.size();
        p.x[i] = jx[j] + junction(rng);
        p.y[i] = jy[j] + junction(rng);
    }
    return p;
}

void BM_ClusterSites(benchmark::State& state) {
    const Points p = clustered(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(roadsafe::hotspots::find_cluster_sites(p.x, p.y, {50, 5, 5}));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ClusterSites)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_Dbscan(benchmark::State& state) {
    const Points p = clustered(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(roadsafe::hotspots::dbscan(p.x, p.y, 50, 5));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Dbscan)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

void BM_GiStarDistanceBand(benchmark::State& state) {
    const Points p = clustered(static_cast<std::size_t>(state.range(0)), 2);
    std::vector<double> v(p.x.size());
    std::mt19937_64 rng(3);
    std::poisson_distribution<int> pois(3.0);
    for (auto& e : v) e = pois(rng);
    const auto w = roadsafe::hotspots::distance_band_weights(p.x, p.y, 500, true);
    for (auto _ : state) benchmark::DoNotOptimize(roadsafe::hotspots::gi_star(w, v, {999, 0, 0}));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GiStarDistanceBand)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_KdeQuartic(benchmark::State& state) {
    const Points p = clustered(static_cast<std::size_t>(state.range(0)));
    const auto g = roadsafe::hotspots::GridSpec::covering(p.x, p.y, 500, 300);
    roadsafe::hotspots::KdeOptions o;
    for (auto _ : state) benchmark::DoNotOptimize(roadsafe::hotspots::kernel_density(p.x, p.y, {}, g, o));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_KdeQuartic)->Arg(10000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace
