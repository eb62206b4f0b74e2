#pragma once
// Seeded generator of national-scale synthetic STATS19 files (collision, vehicle and casualty
// tables) in the DfT open-data CSV layout with `collision_*` column names, for benchmarks and
// tests. Same options -> byte-identical files on the same platform.
//
// The rows are synthetic: locations are drawn around 78 hand-listed GB places, and every
// categorical value is a valid code of the DfT 2024 data guide, drawn from small weighted tables
// whose shares approximate GB reported road casualties 2015-2019 (see the .cpp). Nothing in the
// output describes a real collision.
#include <cstdint>
#include <filesystem>

namespace roadsafe::synth {

struct Stats19SynthOptions {
    int first_year = 2015;                      // 1979 .. 9999 (four digits)
    int years = 1;                              // >= 1; one multi-year file per table
    std::int64_t collisions_per_year = 100000;  // 0 .. 9'999'999 (7-digit serial per police force)
    std::uint64_t seed = 0;
};

struct Stats19SynthFiles {
    std::filesystem::path collisions, vehicles, casualties;
    std::int64_t n_collisions = 0, n_vehicles = 0, n_casualties = 0;
};

// Writes three multi-year files into `directory` (created if absent), replacing files of the same
// names: dft-road-casualty-statistics-collision-synthetic.csv,
// dft-road-casualty-statistics-vehicle-synthetic.csv and
// dft-road-casualty-statistics-casualty-synthetic.csv.
// Throws roadsafe::Error (a std::runtime_error) with ErrorCode::InvalidInput for options out of
// range and ErrorCode::Io, naming the path, when the directory or a file cannot be created or
// written.
Stats19SynthFiles write_stats19_synthetic(const std::filesystem::path& directory, const Stats19SynthOptions& options);

}  // namespace roadsafe::synth
