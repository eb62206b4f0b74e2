#include "roadsafe/core/table.hpp"

#include "roadsafe/core/error.hpp"

namespace roadsafe {

Column* Table::find(std::string_view name) {
    for (auto& c : columns_)
        if (c.name == name) return &c;
    return nullptr;
}

const Column* Table::find(std::string_view name) const {
    for (const auto& c : columns_)
        if (c.name == name) return &c;
    return nullptr;
}

const Column& Table::at(std::string_view name) const {
    if (const Column* c = find(name)) return *c;
    throw Error(ErrorCode::InvalidInput, "no column named '" + std::string(name) + "'");
}

Column& Table::add(std::string name, ColumnType type) {
    if (Column* existing = find(name)) {
        if (existing->type != type)
            throw Error(ErrorCode::SchemaMismatch, "column '" + name + "' is " +
                                                       column_type_name(existing->type) + ", not " +
                                                       column_type_name(type));
        return *existing;
    }
    const std::size_t n = rows();
    Column& c = columns_.emplace_back();
    c.name = std::move(name);
    c.type = type;
    for (std::size_t i = 0; i < n; ++i) c.append_missing();
    return c;
}

void Table::append_table(const Table& other) {
    const std::size_t before = rows();
    const std::size_t added = other.rows();
    // Create the new columns first, while every existing column still has `before` rows.
    for (const auto& oc : other.columns_) {
        if (find(oc.name)) continue;
        Column& c = add(oc.name, oc.type);
        c.categories = oc.categories;
    }
    for (const auto& oc : other.columns_) {
        Column* c = find(oc.name);
        if (c->type != oc.type)
            throw Error(ErrorCode::SchemaMismatch, "column '" + oc.name + "' is " + column_type_name(c->type) +
                                                       " in one input and " + column_type_name(oc.type) + " in another");
        c->append_column(oc);
    }
    for (auto& c : columns_)
        while (c.size() < before + added) c.append_missing();
}

void Table::reserve(std::size_t rows) {
    for (auto& c : columns_) c.reserve(rows);
}

void Table::filter(const std::vector<char>& keep) {
    for (auto& c : columns_) c.filter(keep);
}

}  // namespace roadsafe
