// Reading STATS19 files; the tables cross into Python as numpy views of the engine's buffers.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>

#include "roadsafe/io/read_stats19.hpp"
#include "table_views.hpp"

namespace py = pybind11;
using roadsafe::io::Dataset;

using roadsafe_bindings::report_entries;
using roadsafe_bindings::report_entry_columns;
using roadsafe_bindings::report_files;
using roadsafe_bindings::table_columns;

void init_io(py::module_& m) {
    py::class_<Dataset, std::shared_ptr<Dataset>>(m, "Dataset")
        .def("columns",
             [](const std::shared_ptr<Dataset>& ds, const std::string& table) {
                 if (table == "collisions") return table_columns(ds, ds->collisions);
                 if (table == "vehicles") return table_columns(ds, ds->vehicles);
                 if (table == "casualties") return table_columns(ds, ds->casualties);
                 throw py::value_error("table must be collisions, vehicles or casualties");
             })
        .def("rows",
             [](const Dataset& ds, const std::string& table) {
                 return table == "collisions" ? ds.collisions.rows()
                        : table == "vehicles" ? ds.vehicles.rows() : ds.casualties.rows();
             })
        .def_property_readonly("report_files", [](const Dataset& ds) { return report_files(ds.report); })
        .def_property_readonly("report_entries", [](const Dataset& ds) { return report_entries(ds.report); })
        .def_property_readonly("report_entry_columns",
                               [](const std::shared_ptr<Dataset>& ds) { return report_entry_columns(ds, ds->report); })
        .def_property_readonly("timings", [](const Dataset& ds) { return ds.report.timings; })
        .def_property_readonly("coordinate_transformation",
                               [](const Dataset& ds) { return ds.report.coordinate_transformation; });

    m.def(
        "read_stats19",
        [](const std::vector<std::string>& paths, const std::string& profile, bool strict, int threads,
           std::function<bool(double, std::string)> progress, const std::string& sheet) {
            roadsafe::io::ReadOptions options;
            options.profile = profile;
            options.sheet = sheet;
            options.strict = strict;
            options.threads = threads;
            if (progress)
                options.progress = [progress](double f, std::string_view stage) {
                    py::gil_scoped_acquire gil;
                    return progress(f, std::string(stage));
                };
            std::shared_ptr<Dataset> ds;
            {
                py::gil_scoped_release release;
                ds = std::make_shared<Dataset>(roadsafe::io::read_stats19(paths, options));
            }
            return ds;
        },
        py::arg("paths"), py::arg("profile") = "", py::arg("strict") = false, py::arg("threads") = 0,
        py::arg("progress") = nullptr, py::arg("sheet") = "");
}
