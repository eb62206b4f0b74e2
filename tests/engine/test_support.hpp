#pragma once
// Shared helpers for the engine tests: fixture paths, a scratch directory, report look-ups.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "caught_error.hpp"
#include "roadsafe/core/table.hpp"
#include "roadsafe/io/dataset.hpp"

namespace roadsafe::test {

inline std::string stats19_fixture(const std::string& name) {
    return std::string(ROADSAFE_TEST_DATA) + "/stats19/" + name;
}
inline std::string malformed_fixture(const std::string& name) {
    return std::string(ROADSAFE_TEST_DATA) + "/malformed/" + name;
}
inline std::string dataset_path(const std::string& name) {
    return std::string(ROADSAFE_DATASETS) + "/" + name;
}

// A fresh directory under the system temp dir, removed with everything in it at scope exit.
class ScratchDir {
public:
    ScratchDir() {
        std::random_device rd;
        const auto base = std::filesystem::temp_directory_path();
        do {
            path_ = base / ("roadsafe_test_" + std::to_string(rd()));
        } while (std::filesystem::exists(path_));
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

inline std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The entries of the report whose outcome is `outcome`.
inline std::vector<io::ReportEntry> entries_with(const io::LoadReport& report, io::Outcome outcome) {
    std::vector<io::ReportEntry> out;
    for (const auto& e : report.entries)
        if (e.outcome == outcome) out.push_back(e);
    return out;
}

// Every row read is loaded, rejected or skipped as a duplicate: nothing is lost silently.
// Every field of a report entry equals the expected one.
inline void expect_entry(const io::ReportEntry& got, const io::ReportEntry& want) {
    EXPECT_EQ(got.file, want.file);
    EXPECT_EQ(got.line, want.line);
    EXPECT_EQ(got.table, want.table);
    EXPECT_EQ(got.column, want.column);
    EXPECT_EQ(got.value, want.value);
    EXPECT_EQ(got.reason, want.reason);
    EXPECT_EQ(got.outcome, want.outcome) << io::outcome_name(got.outcome);
}

inline void expect_rows_accounted(const io::LoadReport& report) {
    for (const auto& f : report.files)
        EXPECT_EQ(f.rows_read, f.rows_loaded + f.rows_rejected + f.rows_duplicate) << f.file;
}

inline std::vector<std::string> column_names(const Table& t) {
    std::vector<std::string> names;
    for (const auto& c : t.columns()) names.push_back(c.name);
    return names;
}

inline std::string text_at(const Table& t, std::string_view column, std::size_t row) {
    return std::string(t.at(column).text.at(row));
}

inline std::int32_t int_at(const Table& t, std::string_view column, std::size_t row) {
    return t.at(column).ints.at(row);
}

inline double float_at(const Table& t, std::string_view column, std::size_t row) {
    return t.at(column).floats.at(row);
}

}  // namespace roadsafe::test
