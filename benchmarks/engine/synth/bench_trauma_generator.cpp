// Benchmark of the synthetic trauma registry: a national year of police casualties (133k, the size
// of one generated DfT-format year, severities in its shares) -> ~20k registry patients, written to
// a temporary directory per iteration.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/synth/trauma_generator.hpp"

namespace {

roadsafe::synth::PoliceCasualties national_year(std::int64_t n) {
    roadsafe::synth::PoliceCasualties p;
    roadsafe::Random rng(1);
    const std::int64_t start = std::int64_t(roadsafe::days_from_civil(2019, 1, 1)) * 1440;
    for (std::int64_t i = 0; i < n; ++i) {
        const double u = rng.uniform();
        p.datetime.push_back(start + std::int64_t(rng.below(365 * 1440)));
        p.time_known.push_back(1);
        p.easting.push_back(double(200000 + rng.below(400000)));
        p.northing.push_back(double(50000 + rng.below(800000)));
        p.age.push_back(double(rng.below(90)));
        p.sex.push_back(std::int8_t(rng.below(2)));
        p.road_user.push_back(std::int8_t(rng.below(7)));
        p.severity.push_back(std::int8_t(u < 0.01 ? 0 : u < 0.16 ? 1 : 2));  // ~1% fatal, ~15% serious
        const std::string ref = std::to_string(1000000 + i);
        p.collision_index.push_back(std::string("2019").append(ref));
        p.collision_reference.push_back(ref);
        p.casualty_reference.push_back("1");
    }
    return p;
}

void BM_WriteTraumaSynthetic(benchmark::State& state) {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() /
        ("roadsafe_bench_trauma_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    const auto police = national_year(state.range(0));
    roadsafe::synth::TraumaSynthOptions options;
    options.seed = 1;
    std::int64_t patients = 0;
    for (auto _ : state) {
        const auto files = roadsafe::synth::write_trauma_synthetic(dir, police, options);
        patients += files.n_patients;
    }
    state.SetItemsProcessed(patients);  // registry patients written
    state.counters["police_casualties"] = static_cast<double>(state.range(0));
    std::error_code ec;
    fs::remove_all(dir, ec);
}

BENCHMARK(BM_WriteTraumaSynthetic)->Arg(133000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
