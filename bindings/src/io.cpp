// Reading STATS19 files; the tables cross into Python as numpy views of the engine's buffers.
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <thread>
#include <algorithm>
#include <limits>

#include "roadsafe/core/category_positions.hpp"
#include "roadsafe/core/parallel.hpp"
#include "roadsafe/io/read_stats19.hpp"

namespace py = pybind11;
using roadsafe::Column;
using roadsafe::ColumnType;
using roadsafe::Table;
using roadsafe::io::Dataset;

namespace {

// A read-only numpy array over `data` that keeps the whole Dataset alive (no copy).
template <typename T>
py::array view(const T* data, std::size_t size, const std::shared_ptr<Dataset>& owner) {
    auto* holder = new std::shared_ptr<Dataset>(owner);
    py::capsule base(holder, [](void* p) { delete static_cast<std::shared_ptr<Dataset>*>(p); });
    py::array_t<T> out({static_cast<py::ssize_t>(size)}, {static_cast<py::ssize_t>(sizeof(T))}, data, base);
    py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return out;
}

template <typename T>
py::array view(const std::vector<T>& data, const std::shared_ptr<Dataset>& owner) {
    return view(data.data(), data.size(), owner);
}

// Positions in the narrowest integer type that holds them, as pandas stores category codes.
template <typename T>
py::array narrow(const std::vector<std::int32_t>& positions) {
    py::array_t<T> out(static_cast<py::ssize_t>(positions.size()));
    std::copy(positions.begin(), positions.end(), out.mutable_data());
    return std::move(out);
}

py::tuple category_tuple(const roadsafe::CategoryPositions& c) {
    py::list labels;
    for (const auto& label : c.labels) labels.append(label);
    if (c.labels.size() < 128) return py::make_tuple(narrow<std::int8_t>(c.positions), labels);
    if (c.labels.size() < 32768) return py::make_tuple(narrow<std::int16_t>(c.positions), labels);
    return py::make_tuple(narrow<std::int32_t>(c.positions), labels);
}

// Category positions of every category column, computed on all cores without the interpreter lock.
std::vector<roadsafe::CategoryPositions> all_category_positions(const Table& t) {
    std::vector<const Column*> columns;
    for (const Column& c : t.columns())
        if (c.type == ColumnType::Category) columns.push_back(&c);
    std::vector<roadsafe::CategoryPositions> out(columns.size());
    py::gil_scoped_release release;
    roadsafe::for_each_index(columns.size(), std::thread::hardware_concurrency(),
                             [&](std::size_t i) { out[i] = roadsafe::category_positions(*columns[i]); });
    return out;
}

// [(name, type, values)] for every column of a table. values: a numpy view for int, float, date and
// time; (offsets, chars) views for text; (positions, labels) for category.
py::list table_columns(const std::shared_ptr<Dataset>& ds, const Table& t) {
    const auto categories = all_category_positions(t);
    std::size_t next_category = 0;
    py::list out;
    for (const Column& c : t.columns()) {
        py::object values;
        switch (c.type) {
            case ColumnType::Float: values = view(c.floats, ds); break;
            case ColumnType::Text: values = py::make_tuple(view(c.text.offsets(), ds),
                                                                 view(reinterpret_cast<const std::uint8_t*>(c.text.chars().data()),
                                                                      c.text.chars().size(), ds)); break;
            case ColumnType::Category: values = category_tuple(categories[next_category++]); break;
            default: values = view(c.ints, ds); break;
        }
        out.append(py::make_tuple(c.name, roadsafe::column_type_name(c.type), values));
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
        .def_property_readonly("timings", [](const Dataset& ds) { return ds.report.timings; })
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
