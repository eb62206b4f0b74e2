#pragma once
// What a load did with every input row: rows read / loaded / rejected per file, and one entry per
// problem with file, line, column, value and reason. Nothing is dropped without an entry here.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace roadsafe::io {

enum class Outcome {
    RowRejected,      // the row is not in the tables
    ValueMissing,     // the row is loaded; this value is set missing
    RowFlagged,       // the row and value are loaded, with a warning (unknown code, placeholder location)
    DuplicateSkipped, // the row repeats one already loaded (same key) and is not loaded again
    ColumnNotLoaded,  // a whole source column was not loaded (line 1)
};
const char* outcome_name(Outcome outcome) noexcept;

struct ReportEntry {
    std::string file;
    std::int64_t line = 0;
    std::string table;   // collision, vehicle or casualty
    std::string column;  // source header (or field name)
    std::string value;
    std::string reason;
    Outcome outcome = Outcome::RowRejected;
};

struct FileSummary {
    std::string file;
    std::string table;       // collision, vehicle or casualty
    std::string generation;  // "2024+", "2021-2023", "pre-2021" or "profile: <name>", then how the file was
                             // read when not as comma-separated UTF-8 (", sheet 'X' of a spreadsheet")
    std::int64_t rows_read = 0;
    std::int64_t rows_loaded = 0;
    std::int64_t rows_rejected = 0;    // malformed rows
    std::int64_t rows_duplicate = 0;   // rows whose key was already loaded
};

struct LoadReport {
    std::vector<FileSummary> files;
    std::vector<ReportEntry> entries;
    std::string coordinate_transformation;  // the PROJ operation used to fill coordinates, if any
    std::vector<std::pair<std::string, double>> timings;  // seconds per stage, for benchmarks and diagnosis
};

}  // namespace roadsafe::io
