// Network KDE on a seeded grid "city" (the engine alone): 300 x 300 junctions 80 m apart (about
// 180,000 edges, 14,000 km of road, 720,000 lixels of 20 m), events on random edges, 300 m bandwidth.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "roadsafe/geo/lixels.hpp"
#include "roadsafe/geo/road_network.hpp"
#include "roadsafe/geo/snapping.hpp"
#include "roadsafe/hotspots/network_kde.hpp"

namespace {

struct City {
    roadsafe::geo::RoadNetwork net;
    roadsafe::geo::Lixels lixels;
};

const City& city() {
    static const City c = [] {
        roadsafe::geo::RoadLines lines;
        const int n = 300;
        const double step = 80;
        for (int i = 0; i < n; ++i) {  // one way per grid line, crossing the others at shared vertices
            std::vector<double> x, y;
            for (int j = 0; j < n; ++j) {
                x.push_back(step * j);
                y.push_back(step * i);
            }
            lines.add_line(x, y);
            lines.add_line(y, x);
        }
        City out{roadsafe::geo::build_road_network(lines), {}};
        out.lixels = roadsafe::geo::make_lixels(out.net, 20);
        return out;
    }();
    return c;
}

void BM_NetworkKde(benchmark::State& state) {
    const City& c = city();
    std::mt19937_64 rng(1);
    std::uniform_int_distribution<std::int64_t> edge(0, static_cast<std::int64_t>(c.net.edges.size()) - 1);
    std::uniform_real_distribution<double> u(0, 80);
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<std::int64_t> e(n);
    std::vector<double> off(n);
    for (std::size_t i = 0; i < n; ++i) {
        e[i] = edge(rng);
        off[i] = u(rng);
    }
    roadsafe::hotspots::NetworkKdeOptions o;
    o.method = state.range(1) ? roadsafe::hotspots::NkdeMethod::Discontinuous : roadsafe::hotspots::NkdeMethod::Simple;
    for (auto _ : state) benchmark::DoNotOptimize(roadsafe::hotspots::network_kde(c.net, c.lixels, e, off, {}, o));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_NetworkKde)
    ->Args({10000, 0})
    ->Args({100000, 0})
    ->Args({100000, 1})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_SnapPoints(benchmark::State& state) {
    const City& c = city();
    std::mt19937_64 rng(2);
    std::uniform_real_distribution<double> u(0, 80 * 299);
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = u(rng);
        y[i] = u(rng);
    }
    for (auto _ : state) benchmark::DoNotOptimize(roadsafe::geo::snap_points(c.net, x, y, 50.0));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SnapPoints)->Arg(100000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_BuildRoadNetwork(benchmark::State& state) {
    roadsafe::geo::RoadLines lines;
    for (int i = 0; i < 300; ++i) {
        std::vector<double> x, y;
        for (int j = 0; j < 300; ++j) {
            x.push_back(80.0 * j);
            y.push_back(80.0 * i);
        }
        lines.add_line(x, y);
        lines.add_line(y, x);
    }
    for (auto _ : state) benchmark::DoNotOptimize(roadsafe::geo::build_road_network(lines));
}
BENCHMARK(BM_BuildRoadNetwork)->Unit(benchmark::kMillisecond);

}  // namespace
