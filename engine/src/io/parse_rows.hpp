#pragma once
// Internal: parsing a run of CSV lines with a FilePlan. Called concurrently on separate chunks;
// no allocation per row beyond the growth of the output columns.
#include <array>
#include <string_view>
#include <vector>

#include "read_plan.hpp"

namespace roadsafe::io {

struct ChunkResult {
    std::array<Table, 3> tables;       // by Stats19Table, each with a trailing `source_line` column
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
ChunkResult parse_rows(const FilePlan& plan, std::string_view text, bool stop_at_first_problem,
                       bool quoted_line_breaks = false, std::int64_t lines_before = 0);

}  // namespace roadsafe::io
