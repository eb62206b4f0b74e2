#include "roadsafe/core/table.hpp"

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"

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

void Table::append_tables(const std::vector<const Table*>& parts, unsigned threads) {
    const std::size_t before = rows();
    std::size_t added = 0;
    for (const Table* part : parts) added += part->rows();
    // Create the new columns first, while every existing column still has `before` rows.
    for (const Table* part : parts)
        for (const auto& pc : part->columns_) {
            Column* c = find(pc.name);
            if (!c) {
                c = &add(pc.name, pc.type);
                c->categories = pc.categories;
            } else if (c->type != pc.type) {
                throw Error(ErrorCode::SchemaMismatch, "column '" + pc.name + "' is " + column_type_name(c->type) +
                                                           " in one input and " + column_type_name(pc.type) + " in another");
            }
        }
    // Columns are independent, so threads append different columns.
    for_each_index(columns_.size(), threads, [&](std::size_t i) {
        Column& c = columns_[i];
        if (c.type == ColumnType::Text) {
            std::size_t bytes = c.text.chars().size();
            for (const Table* part : parts)
                if (const Column* pc = part->find(c.name)) bytes += pc->text.chars().size();
            c.text.reserve(before + added, bytes);
        } else {
            c.reserve(before + added);
        }
        for (const Table* part : parts) {
            if (const Column* pc = part->find(c.name)) {
                c.append_column(*pc);
            } else {
                for (std::size_t r = 0; r < part->rows(); ++r) c.append_missing();
            }
        }
    });
}

void Table::reserve(std::size_t rows) {
    for (auto& c : columns_) c.reserve(rows);
}

void Table::filter(const std::vector<char>& keep) {
    for (auto& c : columns_) c.filter(keep);
}

}  // namespace roadsafe
