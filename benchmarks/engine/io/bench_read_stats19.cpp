// Reading generated national-scale DfT files (collision, vehicle and casualty) with 1 and 2 threads.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>

#include "roadsafe/io/read_stats19.hpp"
#include "roadsafe/synth/stats19_generator.hpp"

namespace {

const roadsafe::synth::Stats19SynthFiles& files(std::int64_t collisions) {
    static std::map<std::int64_t, roadsafe::synth::Stats19SynthFiles> cache;
    auto it = cache.find(collisions);
    if (it == cache.end()) {
        const auto dir = std::filesystem::temp_directory_path() / ("roadsafe-bench-io-" + std::to_string(collisions));
        roadsafe::synth::Stats19SynthOptions options;
        options.collisions_per_year = collisions;
        options.seed = 7;
        it = cache.emplace(collisions, roadsafe::synth::write_stats19_synthetic(dir, options)).first;
    }
    return it->second;
}

void BM_read_stats19(benchmark::State& state) {
    const auto& f = files(state.range(0));
    roadsafe::io::ReadOptions options;
    options.threads = static_cast<int>(state.range(1));
    std::uintmax_t bytes = 0;
    for (const auto& p : {f.collisions, f.vehicles, f.casualties}) bytes += std::filesystem::file_size(p);
    for (auto _ : state) {
        auto ds = roadsafe::io::read_stats19({f.collisions.string(), f.vehicles.string(), f.casualties.string()}, options);
        benchmark::DoNotOptimize(ds.collisions.rows());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
    state.counters["collisions"] = static_cast<double>(f.n_collisions);
}

}  // namespace

BENCHMARK(BM_read_stats19)->ArgsProduct({{10000, 100000}, {1, 2}})->Unit(benchmark::kMillisecond)->UseRealTime();
