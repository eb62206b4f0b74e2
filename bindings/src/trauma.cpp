// Reading a trauma registry; its tables cross into Python as numpy views of the engine's buffers.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>

#include "roadsafe/io/read_trauma.hpp"
#include "table_views.hpp"

namespace py = pybind11;
using roadsafe::io::TraumaRegistry;

using Owner = std::shared_ptr<TraumaRegistry>;
using roadsafe_bindings::report_entries;
using roadsafe_bindings::report_entry_columns;
using roadsafe_bindings::report_files;
using roadsafe_bindings::table_columns;

void init_trauma(py::module_& m) {
    py::class_<TraumaRegistry, std::shared_ptr<TraumaRegistry>>(m, "TraumaRegistry")
        .def("columns",
             [](const Owner& r, const std::string& table) {
                 if (table == "patients") return table_columns(r, r->patients);
                 if (table == "injuries") return table_columns(r, r->injuries);
                 throw py::value_error("table must be patients or injuries");
             })
        .def("rows",
             [](const TraumaRegistry& r, const std::string& table) {
                 if (table == "patients") return r.patients.rows();
                 if (table == "injuries") return r.injuries.rows();
                 throw py::value_error("table must be patients or injuries");
             })
        .def_property_readonly("report_files", [](const TraumaRegistry& r) { return report_files(r.report); })
        .def_property_readonly("report_entries", [](const TraumaRegistry& r) { return report_entries(r.report); })
        .def_property_readonly("report_entry_columns",
                               [](const std::shared_ptr<TraumaRegistry>& r) { return report_entry_columns(r, r->report); })
        .def_property_readonly("coordinate_transformation",
                               [](const TraumaRegistry& r) { return r.report.coordinate_transformation; });

    m.def(
        "read_trauma",
        [](const std::string& patients, const std::string& injuries, bool strict) {
            roadsafe::io::TraumaReadOptions options;
            options.strict = strict;
            std::shared_ptr<TraumaRegistry> out;
            {
                py::gil_scoped_release release;
                out = std::make_shared<TraumaRegistry>(roadsafe::io::read_trauma(patients, injuries, options));
            }
            return out;
        },
        py::arg("patients"), py::arg("injuries") = "", py::arg("strict") = false,
        "Read a trauma-registry patient file and optional injuries file (see roadsafe.read_trauma).");
}
