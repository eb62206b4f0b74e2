// Benchmark of the synthetic trauma registry: a national year of police casualties (133k, the size
// of one generated DfT-format year, severities in its shares) -> ~20k registry patients, written to
// a temporary directory per iteration.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "../bench_support.hpp"
#include "roadsafe/synth/trauma_generator.hpp"

namespace {

void BM_WriteTraumaSynthetic(benchmark::State& state) {
    const roadsafe::bench::BenchDir dir("roadsafe_bench_trauma_");
    const auto police = roadsafe::bench::national_year(state.range(0), 1);
    roadsafe::synth::TraumaSynthOptions options;
    options.seed = 1;
    std::int64_t patients = 0;
    for (auto _ : state) {
        const auto files = roadsafe::synth::write_trauma_synthetic(dir.path(), police, options);
        patients += files.n_patients;
    }
    state.SetItemsProcessed(patients);  // registry patients written
    state.counters["police_casualties"] = static_cast<double>(state.range(0));
}

BENCHMARK(BM_WriteTraumaSynthetic)->Arg(133000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
