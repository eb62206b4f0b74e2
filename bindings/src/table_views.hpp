#pragma once
// Engine tables and load reports as Python objects, shared by every binding that returns a table.
// Columns cross as read-only numpy views of the engine's buffers that keep their owner alive.
#include <pybind11/pybind11.h>

#include <memory>

#include "roadsafe/core/table.hpp"
#include "roadsafe/io/load_report.hpp"

namespace roadsafe_bindings {

// Whatever owns the buffers (a Dataset, a trauma registry...), held by every view made from it.
using Owner = std::shared_ptr<const void>;

// [(name, type, values)] for every column, as roadsafe._columns.to_dataframe reads them. values: a numpy
// view for int, float, date and time; (offsets, chars) views for text; (positions, labels) for category.
pybind11::list table_columns(const Owner& owner, const roadsafe::Table& table);

// [(file, table, generation, rows_read, rows_loaded, rows_rejected, rows_duplicate)]
pybind11::list report_files(const roadsafe::io::LoadReport& report);

// [(file, line, table, column, value, reason, outcome)], one tuple per entry (slow for millions: see below).
pybind11::list report_entries(const roadsafe::io::LoadReport& report);

// The entries column by column, as roadsafe.io.load_report reads them: {"file", "table", "column", "reason",
// "outcome": (codes, labels); "line", "related_file", "related_line": codes; "value": (offsets, chars)}, each
// array a read-only view of the report's buffers. A reason with related_file >= 0 goes on " FILE:LINE".
pybind11::dict report_entry_columns(const Owner& owner, const roadsafe::io::LoadReport& report);

}  // namespace roadsafe_bindings
