#pragma once
// A table: named columns of equal length.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "roadsafe/core/column.hpp"

namespace roadsafe {

class Table {
public:
    std::size_t rows() const { return columns_.empty() ? 0 : columns_.front().size(); }
    std::size_t column_count() const { return columns_.size(); }
    const std::vector<Column>& columns() const { return columns_; }
    std::vector<Column>& columns() { return columns_; }

    Column* find(std::string_view name);
    const Column* find(std::string_view name) const;
    // The column called `name`; throws InvalidInput when there is none.
    const Column& at(std::string_view name) const;
    // Adds an empty column (or returns the existing one of that name and type).
    Column& add(std::string name, ColumnType type);
    // Appends every row of `other`; columns missing on either side are filled with missing values.
    void append_table(const Table& other) { append_tables({&other}); }
    // Appends every row of each part in order, spreading the columns over `threads` threads.
    void append_tables(const std::vector<const Table*>& parts, unsigned threads = 1);
    void filter(const std::vector<char>& keep);
    void reserve(std::size_t rows);

private:
    std::vector<Column> columns_;
};

}  // namespace roadsafe
