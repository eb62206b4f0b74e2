#pragma once
// Shared helpers for the engine benchmarks: a scratch directory for written files, and a seeded national
// year of police casualties to feed the trauma registry generator and reader.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/synth/trauma_generator.hpp"

namespace roadsafe::bench {

// A fresh path under the system temp dir (named `prefix` + a clock count), removed with everything in
// it at scope exit. The writers being measured create it.
class BenchDir {
public:
    explicit BenchDir(const std::string& prefix)
        : path_(std::filesystem::temp_directory_path() /
                (prefix + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()))) {}
    ~BenchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    BenchDir(const BenchDir&) = delete;
    BenchDir& operator=(const BenchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// `n` police casualties in 2019 over GB, every field known, one per collision, severities in the
// national shares (~1% fatal, ~15% serious).
inline synth::PoliceCasualties national_year(std::int64_t n, std::uint64_t seed) {
    synth::PoliceCasualties p;
    Random rng(seed);
    const std::int64_t start = std::int64_t(days_from_civil(2019, 1, 1)) * 1440;
    for (std::int64_t i = 0; i < n; ++i) {
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
    return p;
}

}  // namespace roadsafe::bench
