// Benchmark of the trauma-registry reader on a generated national year (~20k patients, ~52k
// injuries; see bench_trauma_generator.cpp in synth/), MAIS and ISS derived from the injuries.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/io/read_trauma.hpp"
#include "roadsafe/synth/trauma_generator.hpp"

namespace {

void BM_ReadTrauma(benchmark::State& state) {
    namespace fs = std::filesystem;
    const fs::path dir =
        fs::temp_directory_path() /
        ("roadsafe_bench_read_trauma_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    roadsafe::synth::PoliceCasualties p;
    roadsafe::Random rng(2);
    const std::int64_t start = std::int64_t(roadsafe::days_from_civil(2019, 1, 1)) * 1440;
    for (std::int64_t i = 0; i < state.range(0); ++i) {
        const double u = rng.uniform();
        p.datetime.push_back(start + std::int64_t(rng.below(365 * 1440)));
        p.time_known.push_back(1);
        p.easting.push_back(double(200000 + rng.below(400000)));
        p.northing.push_back(double(50000 + rng.below(800000)));
        p.age.push_back(double(rng.below(90)));
        p.sex.push_back(std::int8_t(rng.below(2)));
        p.road_user.push_back(std::int8_t(rng.below(7)));
        p.severity.push_back(std::int8_t(u < 0.01 ? 0 : u < 0.16 ? 1 : 2));
        const std::string ref = std::to_string(1000000 + i);
        p.collision_index.push_back(std::string("2019").append(ref));
        p.collision_reference.push_back(ref);
        p.casualty_reference.push_back("1");
    }
    const auto files = roadsafe::synth::write_trauma_synthetic(dir, p);
    std::int64_t rows = 0;
    for (auto _ : state) {
        const auto r = roadsafe::io::read_trauma(files.patients.string(), files.injuries.string());
        rows += std::int64_t(r.patients.rows() + r.injuries.rows());
    }
    state.SetItemsProcessed(rows);  // patient + injury rows
    state.counters["patients"] = static_cast<double>(files.n_patients);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

BENCHMARK(BM_ReadTrauma)->Arg(133000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
