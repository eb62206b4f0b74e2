// Reading STATS19 files; the tables cross into Python as numpy views of the engine's buffers.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>

#include "roadsafe/io/read_stats19.hpp"

namespace py = pybind11;
using roadsafe::Column;
using roadsafe::ColumnType;
using roadsafe::Table;
using roadsafe::io::Dataset;

namespace {

// A numpy array over `data` that keeps the whole Dataset alive (no copy).
template <typename T>
py::array view(const std::vector<T>& data, const std::shared_ptr<Dataset>& owner) {
    auto* holder = new std::shared_ptr<Dataset>(owner);
    py::capsule base(holder, [](void* p) { delete static_cast<std::shared_ptr<Dataset>*>(p); });
    return py::array_t<T>({static_cast<py::ssize_t>(data.size())}, {static_cast<py::ssize_t>(sizeof(T))}, data.data(), base);
}

py::array text_array(const Column& c) {
    const std::size_t n = c.size();
    py::array out(py::dtype("O"), std::vector<py::ssize_t>{static_cast<py::ssize_t>(n)});
    auto** ptr = static_cast<PyObject**>(out.mutable_data());
    for (std::size_t i = 0; i < n; ++i) {
        const auto s = c.text.at(i);
        PyObject* o = s.empty() ? Py_NewRef(Py_None)
                                : PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
        if (!o) throw py::error_already_set();
        Py_XDECREF(ptr[i]);
        ptr[i] = o;
    }
    return out;
}

// [(name, type, values, categories or None)] for every column of a table.
py::list table_columns(const std::shared_ptr<Dataset>& ds, const Table& t) {
    py::list out;
    for (const Column& c : t.columns()) {
        py::object values;
        switch (c.type) {
            case ColumnType::Float: values = view(c.floats, ds); break;
            case ColumnType::Text: values = text_array(c); break;
            default: values = view(c.ints, ds); break;
        }
        py::object categories = py::none();
        if (c.categories) {
            py::list labels;
            for (const auto& [code, label] : c.categories->labels) labels.append(py::make_tuple(code, label));
            categories = labels;
        }
        out.append(py::make_tuple(c.name, roadsafe::column_type_name(c.type), values, categories));
    }
    return out;
}

}  // namespace

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
        .def_property_readonly("report_files",
                               [](const Dataset& ds) {
                                   py::list out;
                                   for (const auto& f : ds.report.files)
                                       out.append(py::make_tuple(f.file, f.table, f.generation, f.rows_read,
                                                                 f.rows_loaded, f.rows_rejected, f.rows_duplicate));
                                   return out;
                               })
        .def_property_readonly("report_entries",
                               [](const Dataset& ds) {
                                   py::list out;
                                   for (const auto& e : ds.report.entries)
                                       out.append(py::make_tuple(e.file, e.line, e.table, e.column, e.value, e.reason,
                                                                 roadsafe::io::outcome_name(e.outcome)));
                                   return out;
                               })
        .def_property_readonly("coordinate_transformation",
                               [](const Dataset& ds) { return ds.report.coordinate_transformation; });

    m.def(
        "read_stats19",
        [](const std::vector<std::string>& paths, const std::string& profile, bool strict, int threads,
           std::function<bool(double, std::string)> progress) {
            roadsafe::io::ReadOptions options;
            options.profile = profile;
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
        py::arg("progress") = nullptr);
}
