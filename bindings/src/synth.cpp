// Python binding of the synthetic STATS19 generator: roadsafe._engine.synth.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <cstdint>
#include <filesystem>

#include "roadsafe/synth/stats19_generator.hpp"
#include "roadsafe/synth/trauma_generator.hpp"

namespace py = pybind11;

namespace {

// A column of the records dict as a std::vector (a copy: the generator owns its input).
template <typename T>
std::vector<T> column(const py::dict& records, const char* name) {
    if (!records.contains(name)) throw py::key_error(std::string("records has no column ") + name);
    const auto a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(records[name]);
    if (!a) throw py::type_error(std::string("records[") + name + "] is not a numeric array");
    return std::vector<T>(a.data(), a.data() + a.size());
}

std::vector<std::string> strings(const py::dict& records, const char* name) {
    if (!records.contains(name)) throw py::key_error(std::string("records has no column ") + name);
    return records[name].cast<std::vector<std::string>>();
}

py::dict trauma_files(const roadsafe::synth::TraumaSynthFiles& f) {
    py::dict out;
    out["patients_path"] = f.patients.string();
    out["injuries_path"] = f.injuries.string();
    out["truth_path"] = f.truth.string();
    out["patients"] = f.n_patients;
    out["with_police_record"] = f.n_with_police_record;
    out["injuries"] = f.n_injuries;
    out["police_records"] = f.n_police_records;
    return out;
}

roadsafe::synth::TraumaSynthOptions trauma_options(std::uint64_t seed, double noise) {
    roadsafe::synth::TraumaSynthOptions o;
    o.seed = seed;
    o.noise = noise;
    return o;
}

// The columns both kinds of police record start with: when and where.
template <typename PoliceRecords>
void read_place_and_time(const py::dict& records, PoliceRecords& p) {
    p.datetime = column<std::int64_t>(records, "datetime");
    p.time_known = column<std::uint8_t>(records, "time_known");
    p.easting = column<double>(records, "easting");
    p.northing = column<double>(records, "northing");
}

// Writes the registry without the interpreter lock and returns its paths and counts.
template <typename PoliceRecords>
py::dict write_trauma(const std::filesystem::path& directory, const PoliceRecords& p, std::uint64_t seed,
                      double noise) {
    roadsafe::synth::TraumaSynthFiles files;
    {
        py::gil_scoped_release release;
        files = roadsafe::synth::write_trauma_synthetic(directory, p, trauma_options(seed, noise));
    }
    return trauma_files(files);
}

}  // namespace


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

    synth.def(
        "write_trauma_from_casualties",
        [](const std::filesystem::path& directory, const py::dict& records, std::uint64_t seed, double noise) {
            roadsafe::synth::PoliceCasualties p;
            read_place_and_time(records, p);
            p.age = column<double>(records, "age");
            p.sex = column<std::int8_t>(records, "sex");
            p.road_user = column<std::int8_t>(records, "road_user");
            p.severity = column<std::int8_t>(records, "severity");
            p.collision_index = strings(records, "collision_index");
            p.collision_reference = strings(records, "collision_reference");
            p.casualty_reference = strings(records, "casualty_reference");
            return write_trauma(directory, p, seed, noise);
        },
        py::arg("directory"), py::arg("records"), py::arg("seed") = 0, py::arg("noise") = 1.0,
        R"doc(Write trauma.csv, injuries.csv and truth.csv for police casualties. `records`: a dict of
equal-length columns: datetime (int64 minutes since 1970, int64 min missing), time_known (bool),
easting, northing, age (float, NaN missing), sex (int8: 0 M, 1 F, 2 U, -1), road_user (int8, the
ROAD_USERS order), severity (int8: 0 fatal, 1 serious, 2 slight, -1), collision_index,
collision_reference, casualty_reference (lists of str). Returns the paths and counts. Use
roadsafe.generate_trauma.)doc");
    synth.def(
        "write_trauma_from_collisions",
        [](const std::filesystem::path& directory, const py::dict& records, std::uint64_t seed, double noise) {
            roadsafe::synth::PoliceCollisions p;
            read_place_and_time(records, p);
            p.severity = column<std::int8_t>(records, "severity");
            p.involved = column<std::uint8_t>(records, "involved");
            p.n_casualties = column<double>(records, "n_casualties");
            if (records.contains("pedestrian_age")) p.pedestrian_age = column<double>(records, "pedestrian_age");
            if (records.contains("pedestrian_sex")) p.pedestrian_sex = column<std::int8_t>(records, "pedestrian_sex");
            p.collision_index = strings(records, "collision_index");
            p.collision_reference = strings(records, "collision_reference");
            return write_trauma(directory, p, seed, noise);
        },
        py::arg("directory"), py::arg("records"), py::arg("seed") = 0, py::arg("noise") = 1.0,
        R"doc(Write trauma.csv, injuries.csv and truth.csv for collisions without casualty records.
`records`: datetime, time_known, easting, northing, severity (as for casualties), involved (uint8
bit mask over ROAD_USERS), n_casualties (float, NaN unknown), collision_index, collision_reference;
optionally pedestrian_age (float, NaN unknown) and pedestrian_sex (int8, as sex): the first
pedestrian's, taken by the collision's pedestrian patient. Use roadsafe.generate_trauma.)doc");
}
