#pragma once
// What every fuzz target shares: the input bytes as a GDAL in-memory file (the readers take paths,
// and /vsimem/ costs no disk write), and the one exception the engine may throw on bad input.
#include <cpl_vsi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/table.hpp"
#include "roadsafe/io/dataset.hpp"
#include "roadsafe/io/load_report.hpp"

namespace roadsafe::fuzz {

// `bytes` visible as the file `path` for the object's lifetime, without a copy.
class MemoryFile {
public:
    MemoryFile(std::string path, std::string_view bytes) : path_(std::move(path)) {
        // GDAL wants a non-const buffer; without ownership it only reads it.
        auto* data = reinterpret_cast<GByte*>(const_cast<char*>(bytes.data()));
        VSIFCloseL(VSIFileFromMemBuffer(path_.c_str(), data, bytes.size(), FALSE));
    }
    ~MemoryFile() { VSIUnlink(path_.c_str()); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits `text` at its first NUL byte: a target reading two files takes them as "first\0second".
inline std::pair<std::string_view, std::string_view> split_at_nul(std::string_view text, bool& has_second) {
    const std::size_t nul = text.find('\0');
    has_second = nul != std::string_view::npos;
    if (!has_second) return {text, {}};
    return {text.substr(0, nul), text.substr(nul + 1)};
}

// Runs `read`; roadsafe::Error is the documented answer to bad input. Anything else (another
// exception, a sanitizer report, an abort) escapes and is a finding.
template <class Read>
void expect_answer_or_error(Read&& read) {
    try {
        read();
    } catch (const roadsafe::Error&) {
    }
}

// A broken promise of the readers is a finding like a crash.
inline void require(bool promise) {
    if (!promise) __builtin_trap();
}

// What every read promises whatever the input: a table's columns all have its length (columns of
// different lengths were the profile crashes of issue 13), every row read is loaded, rejected or
// skipped as a duplicate (nothing lost without a word), and every join points at a row that exists.
inline void require_consistent(const Table& table) {
    for (const auto& column : table.columns()) require(column.size() == table.rows());
}
inline void require_accounted(const io::LoadReport& report) {
    for (const auto& f : report.files) require(f.rows_read == f.rows_loaded + f.rows_rejected + f.rows_duplicate);
}
// A join column (collision_row, vehicle_row, patient_row) holds a row of its table, or missing.
inline void require_joins(const Table& table, std::string_view column, const Table& target) {
    if (const Column* c = table.find(column))
        for (const std::int32_t row : c->ints) require(row == kMissingInt || (row >= 0 && std::size_t(row) < target.rows()));
}
inline void require_consistent(const io::Dataset& ds) {
    require_consistent(ds.collisions);
    require_consistent(ds.vehicles);
    require_consistent(ds.casualties);
    require_accounted(ds.report);
    require_joins(ds.vehicles, "collision_row", ds.collisions);
    require_joins(ds.casualties, "collision_row", ds.collisions);
    require_joins(ds.casualties, "vehicle_row", ds.vehicles);
}

}  // namespace roadsafe::fuzz
