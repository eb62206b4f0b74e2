// Benchmark of the synthetic STATS19 generator: one year of 100k collisions (with ~184k vehicles
// and ~133k casualties) written to a temporary directory per iteration.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>

#include "../bench_support.hpp"
#include "roadsafe/synth/stats19_generator.hpp"

namespace {

void BM_WriteStats19Synthetic(benchmark::State& state) {
    namespace fs = std::filesystem;
    const roadsafe::bench::BenchDir dir("roadsafe_bench_synth_");
    roadsafe::synth::Stats19SynthOptions options;
    options.first_year = 2019;
    options.years = 1;
    options.collisions_per_year = state.range(0);
    options.seed = 1;
    std::int64_t bytes = 0, rows = 0;
    for (auto _ : state) {
        const auto files = roadsafe::synth::write_stats19_synthetic(dir.path(), options);
        state.PauseTiming();
        bytes += static_cast<std::int64_t>(fs::file_size(files.collisions) + fs::file_size(files.vehicles) +
                                           fs::file_size(files.casualties));
        rows += files.n_collisions + files.n_vehicles + files.n_casualties;
        state.ResumeTiming();
    }
    state.SetBytesProcessed(bytes);
    state.SetItemsProcessed(rows);  // rows of all three files
    state.counters["collisions"] = static_cast<double>(options.collisions_per_year);
}

BENCHMARK(BM_WriteStats19Synthetic)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
