// Python binding of the synthetic STATS19 generator: roadsafe._engine.synth.
#include <pybind11/pybind11.h>
#include <pybind11/stl/filesystem.h>

#include <cstdint>
#include <filesystem>

#include "roadsafe/synth/stats19_generator.hpp"

namespace py = pybind11;

void init_synth(py::module_& m) {
    py::module_ synth = m.def_submodule("synth", "Seeded synthetic STATS19 files in the DfT open-data CSV layout.");
    synth.def(
        "write_stats19_synthetic",
        [](const std::filesystem::path& directory, int first_year, int years, std::int64_t collisions_per_year,
           std::uint64_t seed) {
            roadsafe::synth::Stats19SynthOptions options;
            options.first_year = first_year;
            options.years = years;
            options.collisions_per_year = collisions_per_year;
            options.seed = seed;
            roadsafe::synth::Stats19SynthFiles files;
            {
                py::gil_scoped_release release;
                files = roadsafe::synth::write_stats19_synthetic(directory, options);
            }
            py::dict out;
            out["collisions"] = files.collisions.string();
            out["vehicles"] = files.vehicles.string();
            out["casualties"] = files.casualties.string();
            out["n_collisions"] = files.n_collisions;
            out["n_vehicles"] = files.n_vehicles;
            out["n_casualties"] = files.n_casualties;
            return out;
        },
        py::arg("directory"), py::arg("first_year") = 2015, py::arg("years") = 1,
        py::arg("collisions_per_year") = 100000, py::arg("seed") = 0,
        R"doc(Write synthetic collision, vehicle and casualty CSV files into `directory` (created if
absent) and return a dict with their paths (keys collisions, vehicles, casualties) and row counts
(n_collisions, n_vehicles, n_casualties). The same arguments give byte-identical files. The
collision_index is {year}{police_force:02d}{7-digit serial}; all categorical values are valid DfT
codes; distributions approximate GB reported collisions 2015-2019. The GIL is released while the
files are written.)doc");
}
