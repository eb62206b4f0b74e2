#include "roadsafe/io/load_report.hpp"

#include <algorithm>

#include "roadsafe/io/csv_line.hpp"

namespace roadsafe::io {

namespace {

bool is_printable_ascii(std::string_view s) noexcept {
    for (const unsigned char c : s)
        if (c < 0x20 || c >= 0x7F) return false;
    return true;
}

}  // namespace

const char* outcome_name(Outcome outcome) noexcept {
    switch (outcome) {
        case Outcome::RowRejected: return "row rejected";
        case Outcome::ValueMissing: return "value set missing";
        case Outcome::RowFlagged: return "row loaded, flagged";
        case Outcome::DuplicateSkipped: return "duplicate not loaded";
        case Outcome::ColumnNotLoaded: return "column not loaded";
    }
    return "unknown";
}

StringIds& StringIds::operator=(const StringIds& other) {
    if (this != &other) {
        strings_ = other.strings_;
        index();
    }
    return *this;
}

void StringIds::index() {
    ids_.clear();
    last_ = -1;
    known_ = {};
    for (std::size_t i = 0; i < strings_.size(); ++i) ids_.emplace(strings_[i], static_cast<std::int32_t>(i));
}

std::int32_t StringIds::id(std::string_view s) {
    // Entries come in runs (one file, one table, one reason): the last string found is compared before hashing.
    if (last_ >= 0 && strings_[static_cast<std::size_t>(last_)] == s) return last_;
    if (const auto it = ids_.find(s); it != ids_.end()) return last_ = it->second;
    last_ = static_cast<std::int32_t>(strings_.size());
    ids_.emplace(strings_.emplace_back(s), last_);
    return last_;
}

std::int32_t StringIds::id_of_stable(std::string_view s) {
    const auto address = reinterpret_cast<std::uintptr_t>(s.data());
    KnownText& known = known_[((address ^ s.size()) * 0x9E3779B97F4A7C15ULL) >> 58];  // 64 slots
    if (known.data == s.data() && known.size == s.size()) return known.id;
    known = {s.data(), s.size(), id(s)};
    return known.id;
}

void ReportEntries::append_value(std::string_view value, ValueBytes bytes) {
    // Values crossing into Python must be UTF-8: raw bytes, and text that is not, are written printable.
    if (bytes == ValueBytes::RawInput ? is_printable_ascii(value) : is_valid_utf8(value))
        columns_.value_chars.append(value);
    else
        append_escaped_bytes(value, columns_.value_chars);
    columns_.value_offsets.push_back(static_cast<std::int64_t>(columns_.value_chars.size()));
}

template <bool kStableTexts>
void ReportEntries::add_entry(const EntryFields& e, ValueBytes bytes) {
    const auto id = [](StringIds& ids, std::string_view s) { return kStableTexts ? ids.id_of_stable(s) : ids.id(s); };
    Columns& c = columns_;
    c.file.push_back(id(files_, e.file));
    c.line.push_back(e.line);
    c.table.push_back(id(tables_, e.table));
    c.column.push_back(id(column_names_, e.column));
    c.reason.push_back(id(reasons_, e.reason));
    c.outcome.push_back(static_cast<std::uint8_t>(e.outcome));
    c.related_file.push_back(e.related_file.empty() ? -1 : files_.id(e.related_file));
    c.related_line.push_back(e.related_line);
    append_value(e.value, bytes);
}

void ReportEntries::add(const EntryFields& e, ValueBytes bytes) { add_entry<false>(e, bytes); }

void ReportEntries::add_stable_texts(const EntryFields& e, ValueBytes bytes) { add_entry<true>(e, bytes); }

void ReportEntries::push_back(const ReportEntry& e) {
    add({e.file, e.line, e.table, e.column, e.value, e.reason, e.outcome});
}

void ReportEntries::reserve_more(std::size_t entries, std::size_t value_bytes) {
    // At least doubling, so that reserving before each of many files does not copy the columns each time.
    auto grow = [](auto& v, std::size_t more) {
        if (v.size() + more > v.capacity()) v.reserve(std::max(v.size() + more, 2 * v.capacity()));
    };
    Columns& c = columns_;
    for (auto* ids : {&c.file, &c.table, &c.column, &c.reason, &c.related_file}) grow(*ids, entries);
    grow(c.line, entries);
    grow(c.related_line, entries);
    grow(c.outcome, entries);
    grow(c.value_offsets, entries);
    grow(c.value_chars, value_bytes);
}

void ReportEntries::append(const ReportEntries& other, std::int64_t line_offset) {
    // The other's ids become this report's: a few distinct strings each, mapped once.
    auto ids_of = [](const StringIds& from, StringIds& to) {
        std::vector<std::int32_t> map;
        map.reserve(from.size());
        for (const auto& s : from.strings()) map.push_back(to.id(s));
        return map;
    };
    const auto files = ids_of(other.files_, files_), tables = ids_of(other.tables_, tables_),
               column_names = ids_of(other.column_names_, column_names_), reasons = ids_of(other.reasons_, reasons_);
    const Columns& o = other.columns_;
    Columns& c = columns_;
    const std::size_t before = size(), n = other.size();
    // resize, not reserve: reserving the exact size on every append would copy the columns each time
    // (reserve_more reserves once for many appends).
    auto remap = [&](const std::vector<std::int32_t>& from, const std::vector<std::int32_t>& map,
                     std::vector<std::int32_t>& to) {
        to.resize(before + n);
        for (std::size_t i = 0; i < n; ++i) to[before + i] = from[i] < 0 ? from[i] : map[static_cast<std::size_t>(from[i])];
    };
    remap(o.file, files, c.file);
    remap(o.table, tables, c.table);
    remap(o.column, column_names, c.column);
    remap(o.reason, reasons, c.reason);
    remap(o.related_file, files, c.related_file);
    c.line.resize(before + n);
    for (std::size_t i = 0; i < n; ++i) c.line[before + i] = o.line[i] + line_offset;
    c.related_line.insert(c.related_line.end(), o.related_line.begin(), o.related_line.end());  // file-wide already
    c.outcome.insert(c.outcome.end(), o.outcome.begin(), o.outcome.end());
    const auto chars_before = static_cast<std::int64_t>(c.value_chars.size());
    c.value_chars.append(o.value_chars);
    c.value_offsets.resize(before + n + 1);
    for (std::size_t i = 1; i <= n; ++i) c.value_offsets[before + i] = o.value_offsets[i] + chars_before;
}

ReportEntry ReportEntries::operator[](std::size_t i) const {
    const Columns& c = columns_;
    ReportEntry e;
    e.file = files_[c.file[i]];
    e.line = c.line[i];
    e.table = tables_[c.table[i]];
    e.column = column_names_[c.column[i]];
    const auto begin = static_cast<std::size_t>(c.value_offsets[i]);
    e.value = c.value_chars.substr(begin, static_cast<std::size_t>(c.value_offsets[i + 1]) - begin);
    e.reason = reasons_[c.reason[i]];
    if (c.related_file[i] >= 0) e.reason += " " + files_[c.related_file[i]] + ":" + std::to_string(c.related_line[i]);
    e.outcome = outcome(i);
    return e;
}

}  // namespace roadsafe::io
