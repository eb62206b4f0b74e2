#pragma once
// Internal: parsing a run of CSV lines with a FilePlan. Called concurrently on separate chunks, each
// writing its numbers straight into its own region of the file's output columns (sized beforehand),
// so a row's values are written once, not parsed into the chunk and copied again.
#include <array>
#include <string_view>
#include <vector>

#include "read_plan.hpp"

namespace roadsafe::io {

// Where a chunk writes one table's rows: per column of the plan's template, the output column's
// numbers from the chunk's first row (nullptr for a text column), and the output's `source_line`.
struct TableRegion {
    std::vector<std::int32_t*> ints;
    std::vector<double*> floats;
    std::int32_t* source_line = nullptr;
};

struct ChunkOutput {
    std::array<TableRegion, 3> tables;  // by Stats19Table; tables the plan has no template for are left empty
    std::int64_t line_base = 0;         // the file's line number of the line before the chunk's first
    std::size_t lines = 0;              // the chunk's lines (what its text columns are reserved for)
};

struct ChunkResult {
    std::array<Table, 3> text;         // by Stats19Table: the template's columns, only the text ones filled
    std::array<std::size_t, 3> rows{};  // rows written into each table's region
    ReportEntries entries;             // line numbers relative to the chunk's first line (1-based)
    std::int64_t lines = 0;            // physical lines consumed
    std::int64_t rows_read = 0;
    std::int64_t rows_loaded = 0;
    std::int64_t rows_rejected = 0;
    bool unclosed_quote = false;       // a line ends inside a quoted field (line by line only)
};

// Parses `text` (whole lines). With `stop_at_first_problem`, parsing ends at the first report entry.
// Line by line (the fast path, safe on chunks cut at any line end) a line that ends inside a quoted
// field sets `unclosed_quote` and ends the parse; with `quoted_line_breaks` (a whole file, read in
// order) a record runs on until a line break outside quotes, and is numbered by its first line.
// `lines_before` (the file's lines before `text`) makes line numbers written inside reasons file-wide.
// The regions of `out` must hold a row for each line of `text` and each row plan of its table.
ChunkResult parse_rows(const FilePlan& plan, std::string_view text, const ChunkOutput& out, bool stop_at_first_problem,
                       bool quoted_line_breaks = false, std::int64_t lines_before = 0);

}  // namespace roadsafe::io
