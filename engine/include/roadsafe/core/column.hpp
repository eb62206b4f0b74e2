#pragma once
// Columnar storage: one typed buffer per column (struct of arrays), shared with Python without copying.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace roadsafe {

enum class ColumnType {
    Int,       // integer; missing = kMissingInt
    Float,     // double; missing = NaN
    Text,      // UTF-8 text; missing = empty
    Category,  // integer code with labels; missing = kMissingInt
    Date,      // days since 1970-01-01; missing = kMissingInt
    Time,      // minutes since midnight; missing = kMissingInt
};

const char* column_type_name(ColumnType type) noexcept;

inline constexpr std::int32_t kMissingInt = std::numeric_limits<std::int32_t>::min();
inline const double kMissingFloat = std::numeric_limits<double>::quiet_NaN();

// Code -> label, in code order. Shared by every column of the same field.
struct Categories {
    std::vector<std::pair<std::int32_t, std::string>> labels;  // sorted by code
    const std::string* find(std::int32_t code) const;
    // Whether `code` has a label: a table look-up once build_lookup() has run (the parser's hot path).
    bool contains(std::int32_t code) const {
        if (lookup_.empty()) return find(code) != nullptr;
        const std::int64_t i = std::int64_t(code) - lookup_min_;
        return i >= 0 && i < std::int64_t(lookup_.size()) && lookup_[std::size_t(i)];
    }
    void build_lookup();
    // The code whose label this is, whatever its case ("Fatal", "FATAL" -> 1), for files that write labels
    // where the data guide writes codes; nullopt for no label, or one two codes share. After build_lookup().
    std::optional<std::int32_t> code_of(std::string_view label) const;

private:
    std::vector<std::uint8_t> lookup_;
    std::int32_t lookup_min_ = 0;
    std::unordered_map<std::string, std::int32_t> by_label_;  // lower-case label -> code
};

// Text stored as one character buffer and n+1 offsets, so a column is two allocations.
class TextBuffer {
public:
    TextBuffer() { offsets_.push_back(0); }
    void append(std::string_view s) {
        chars_.insert(chars_.end(), s.begin(), s.end());
        offsets_.push_back(chars_.size());
    }
    void append_missing() { offsets_.push_back(chars_.size()); }
    void append_buffer(const TextBuffer& other);
    std::size_t size() const { return offsets_.size() - 1; }
    std::string_view at(std::size_t i) const {
        return {chars_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
    }
    const std::vector<char>& chars() const { return chars_; }
    const std::vector<std::uint64_t>& offsets() const { return offsets_; }
    void reserve(std::size_t rows, std::size_t bytes) {
        offsets_.reserve(rows + 1);
        chars_.reserve(bytes);
    }

private:
    std::vector<char> chars_;
    std::vector<std::uint64_t> offsets_;
};

struct Column {
    std::string name;
    ColumnType type = ColumnType::Int;
    std::vector<std::int32_t> ints;  // Int, Category, Date, Time
    std::vector<double> floats;      // Float
    TextBuffer text;                 // Text
    std::shared_ptr<const Categories> categories;  // Category only

    std::size_t size() const;
    bool is_missing(std::size_t row) const;
    void append_missing();
    void reserve(std::size_t rows);
    // Appends every row of `other` (same name and type) to this column.
    void append_column(const Column& other);
    // Keeps the rows whose flag is true, in order.
    void filter(const std::vector<char>& keep);
};

}  // namespace roadsafe
