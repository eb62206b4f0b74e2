#include "roadsafe/core/column.hpp"

#include <algorithm>
#include <cctype>

namespace roadsafe {

const char* column_type_name(ColumnType type) noexcept {
    switch (type) {
        case ColumnType::Int: return "int";
        case ColumnType::Float: return "float";
        case ColumnType::Text: return "text";
        case ColumnType::Category: return "category";
        case ColumnType::Date: return "date";
        case ColumnType::Time: return "time";
    }
    return "unknown";
}

const std::string* Categories::find(std::int32_t code) const {
    auto it = std::lower_bound(labels.begin(), labels.end(), code,
                               [](const auto& entry, std::int32_t c) { return entry.first < c; });
    return (it != labels.end() && it->first == code) ? &it->second : nullptr;
}

void TextBuffer::append_buffer(const TextBuffer& other) {
    const std::uint64_t base = chars_.size();
    chars_.insert(chars_.end(), other.chars_.begin(), other.chars_.end());
    offsets_.reserve(offsets_.size() + other.size());
    for (std::size_t i = 1; i < other.offsets_.size(); ++i) offsets_.push_back(base + other.offsets_[i]);
}

namespace {

std::string lower_case(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

void Categories::build_lookup() {
    by_label_.clear();
    std::unordered_map<std::string, int> uses;
    for (const auto& entry : labels) ++uses[lower_case(entry.second)];
    for (const auto& entry : labels) {
        std::string key = lower_case(entry.second);
        if (uses[key] == 1) by_label_.emplace(std::move(key), entry.first);  // a shared label names no one code
    }
    lookup_.clear();
    if (labels.empty() || labels.back().first - labels.front().first > 1'000'000) return;  // sparse: binary search
    lookup_min_ = labels.front().first;
    lookup_.assign(std::size_t(labels.back().first - lookup_min_) + 1, 0);
    for (const auto& entry : labels) lookup_[std::size_t(entry.first - lookup_min_)] = 1;
}

std::optional<std::int32_t> Categories::code_of(std::string_view label) const {
    auto it = by_label_.find(lower_case(label));
    if (it == by_label_.end()) return std::nullopt;
    return it->second;
}

std::size_t Column::size() const {
    switch (type) {
        case ColumnType::Float: return floats.size();
        case ColumnType::Text: return text.size();
        default: return ints.size();
    }
}

bool Column::is_missing(std::size_t row) const {
    switch (type) {
        case ColumnType::Float: return std::isnan(floats[row]);
        case ColumnType::Text: return text.at(row).empty();
        default: return ints[row] == kMissingInt;
    }
}

void Column::append_missing() {
    switch (type) {
        case ColumnType::Float: floats.push_back(kMissingFloat); break;
        case ColumnType::Text: text.append_missing(); break;
        default: ints.push_back(kMissingInt); break;
    }
}

void Column::reserve(std::size_t rows) {
    switch (type) {
        case ColumnType::Float: floats.reserve(rows); break;
        case ColumnType::Text: text.reserve(rows, rows * 8); break;
        default: ints.reserve(rows); break;
    }
}

void Column::append_column(const Column& other) {
    switch (type) {
        case ColumnType::Float: floats.insert(floats.end(), other.floats.begin(), other.floats.end()); break;
        case ColumnType::Text: text.append_buffer(other.text); break;
        default: ints.insert(ints.end(), other.ints.begin(), other.ints.end()); break;
    }
}

template <typename T>
static void keep_flagged(std::vector<T>& values, const std::vector<char>& keep) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (keep[i]) values[out++] = values[i];
    values.resize(out);
}

void Column::filter(const std::vector<char>& keep) {
    switch (type) {
        case ColumnType::Float: keep_flagged(floats, keep); break;
        case ColumnType::Text: {
            TextBuffer kept;
            for (std::size_t i = 0; i < text.size(); ++i)
                if (keep[i]) kept.append(text.at(i));
            text = std::move(kept);
            break;
        }
        default: keep_flagged(ints, keep); break;
    }
}

}  // namespace roadsafe
