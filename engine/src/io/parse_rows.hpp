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
    std::vector<ReportEntry> entries;  // line numbers relative to the chunk's first line (1-based)
    std::int64_t lines = 0;            // physical lines consumed
    std::int64_t rows_read = 0;
    std::int64_t rows_loaded = 0;
    std::int64_t rows_rejected = 0;
};

// Parses `text` (whole lines). With `stop_at_first_problem`, parsing ends at the first report entry.
ChunkResult parse_rows(const FilePlan& plan, std::string_view text, bool stop_at_first_problem);

}  // namespace roadsafe::io
