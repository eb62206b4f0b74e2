#include "table_views.hpp"

#include <pybind11/numpy.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "roadsafe/core/category_positions.hpp"
#include "roadsafe/core/parallel.hpp"

namespace py = pybind11;
using roadsafe::Column;
using roadsafe::ColumnType;

namespace roadsafe_bindings {

namespace {

// A read-only numpy array over `data` that keeps `owner` alive (no copy).
template <typename T>
py::array view(const T* data, std::size_t size, const Owner& owner) {
    auto* holder = new Owner(owner);
    py::capsule base(holder, [](void* p) { delete static_cast<Owner*>(p); });
    py::array_t<T> out({static_cast<py::ssize_t>(size)}, {static_cast<py::ssize_t>(sizeof(T))}, data, base);
    py::detail::array_proxy(out.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return out;
}

template <typename T>
py::array view(const std::vector<T>& data, const Owner& owner) {
    return view(data.data(), data.size(), owner);
}

// Category positions of every category column, as pandas stores them: in the narrowest integer type
// that holds them, written on all cores without the interpreter lock, each column in one pass.
std::vector<py::tuple> all_category_positions(const roadsafe::Table& t) {
    std::vector<roadsafe::CategoryPositions> columns;
    for (const Column& c : t.columns())
        if (c.type == ColumnType::Category) columns.emplace_back(c);
    const std::size_t rows = t.rows();
    // The width the listed labels need; an unlisted code may need a wider one (written again below).
    auto width_for = [](std::size_t labels) { return labels < 128 ? 1 : labels < 32768 ? 2 : 4; };
    auto allocate = [&](int width) -> py::array {
        if (width == 1) return py::array_t<std::int8_t>(static_cast<py::ssize_t>(rows));
        if (width == 2) return py::array_t<std::int16_t>(static_cast<py::ssize_t>(rows));
        return py::array_t<std::int32_t>(static_cast<py::ssize_t>(rows));
    };
    auto write = [](roadsafe::CategoryPositions& c, int width, void* out) {
        if (width == 1) return c.write(static_cast<std::int8_t*>(out));
        if (width == 2) return c.write(static_cast<std::int16_t*>(out));
        return c.write(static_cast<std::int32_t*>(out));
    };
    std::vector<py::array> positions;
    std::vector<int> widths;
    std::vector<void*> buffers;
    for (auto& c : columns) {
        widths.push_back(width_for(c.labels().size()));
        positions.push_back(allocate(widths.back()));
        buffers.push_back(positions.back().mutable_data());
    }
    std::vector<char> written(columns.size());
    {
        py::gil_scoped_release release;
        roadsafe::for_each_index(columns.size(), std::thread::hardware_concurrency(), [&](std::size_t i) {
            written[i] = write(columns[i], widths[i], buffers[i]);
        });
    }
    std::vector<py::tuple> out;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        while (!written[i]) {  // unlisted codes outgrew the width: wider, from the start
            widths[i] = widths[i] == 1 ? 2 : 4;
            positions[i] = allocate(widths[i]);
            written[i] = write(columns[i], widths[i], positions[i].mutable_data());
        }
        py::list labels;
        for (const auto& label : columns[i].labels()) labels.append(label);
        out.push_back(py::make_tuple(positions[i], labels));
    }
    return out;
}

}  // namespace

py::list table_columns(const Owner& owner, const roadsafe::Table& table) {
    const auto categories = all_category_positions(table);
    std::size_t next_category = 0;
    py::list out;
    for (const Column& c : table.columns()) {
        py::object values;
        switch (c.type) {
            case ColumnType::Float: values = view(c.floats, owner); break;
            case ColumnType::Text:
                values = py::make_tuple(view(c.text.offsets(), owner),
                                        view(reinterpret_cast<const std::uint8_t*>(c.text.chars().data()),
                                             c.text.chars().size(), owner));
                break;
            case ColumnType::Category: values = categories[next_category++]; break;
            default: values = view(c.ints, owner); break;
        }
        out.append(py::make_tuple(c.name, roadsafe::column_type_name(c.type), values));
    }
    return out;
}

py::list report_files(const roadsafe::io::LoadReport& report) {
    py::list out;
    for (const auto& f : report.files)
        out.append(py::make_tuple(f.file, f.table, f.generation, f.rows_read, f.rows_loaded, f.rows_rejected,
                                  f.rows_duplicate));
    return out;
}

py::list report_entries(const roadsafe::io::LoadReport& report) {
    py::list out;
    for (const auto& e : report.entries)
        out.append(py::make_tuple(e.file, e.line, e.table, e.column, e.value, e.reason,
                                  roadsafe::io::outcome_name(e.outcome)));
    return out;
}

namespace {

py::list labels(const roadsafe::io::StringIds& ids) {
    py::list out;
    for (const auto& s : ids.strings()) out.append(s);
    return out;
}

}  // namespace

py::dict report_entry_columns(const Owner& owner, const roadsafe::io::LoadReport& report) {
    using roadsafe::io::Outcome;
    const auto& entries = report.entries;
    const auto& c = entries.columns();
    py::list outcomes;
    for (int o = 0; o < roadsafe::io::kOutcomeCount; ++o) outcomes.append(roadsafe::io::outcome_name(Outcome(o)));
    py::dict out;
    out["file"] = py::make_tuple(view(c.file, owner), labels(entries.files()));
    out["line"] = view(c.line, owner);
    out["table"] = py::make_tuple(view(c.table, owner), labels(entries.tables()));
    out["column"] = py::make_tuple(view(c.column, owner), labels(entries.column_names()));
    out["value"] = py::make_tuple(view(c.value_offsets, owner),
                                  view(reinterpret_cast<const std::uint8_t*>(c.value_chars.data()),
                                       c.value_chars.size(), owner));
    out["reason"] = py::make_tuple(view(c.reason, owner), labels(entries.reasons()));
    out["outcome"] = py::make_tuple(view(c.outcome, owner), outcomes);
    out["related_file"] = view(c.related_file, owner);
    out["related_line"] = view(c.related_line, owner);
    return out;
}

}  // namespace roadsafe_bindings
