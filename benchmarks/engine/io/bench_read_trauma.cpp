// Benchmark of the trauma-registry reader on a generated national year (~20k patients, ~52k
// injuries; see bench_trauma_generator.cpp in synth/), MAIS and ISS derived from the injuries.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "../bench_support.hpp"
#include "roadsafe/io/read_trauma.hpp"
#include "roadsafe/synth/trauma_generator.hpp"

namespace {

void BM_ReadTrauma(benchmark::State& state) {
    const roadsafe::bench::BenchDir dir("roadsafe_bench_read_trauma_");
    const auto police = roadsafe::bench::national_year(state.range(0), 2);
    const auto files = roadsafe::synth::write_trauma_synthetic(dir.path(), police);
    std::int64_t rows = 0;
    for (auto _ : state) {
        const auto r = roadsafe::io::read_trauma(files.patients.string(), files.injuries.string());
        rows += std::int64_t(r.patients.rows() + r.injuries.rows());
    }
    state.SetItemsProcessed(rows);  // patient + injury rows
    state.counters["patients"] = static_cast<double>(files.n_patients);
}

BENCHMARK(BM_ReadTrauma)->Arg(133000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
