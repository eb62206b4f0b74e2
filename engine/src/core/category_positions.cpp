#include "roadsafe/core/category_positions.hpp"

#include <algorithm>
#include <limits>

namespace roadsafe {

CategoryPositions::CategoryPositions(const Column& column) : column_(column) {
    if (!column.categories || column.categories->labels.empty()) return;
    const auto& labels = column.categories->labels;  // sorted by code
    lo_ = labels.front().first;
    // A dense table from code to position: listed codes are small integers (the widest, districts, < 1000).
    position_.assign(std::size_t(std::int64_t(labels.back().first) - lo_) + 1, -1);
    labels_.reserve(labels.size());
    for (const auto& [code, label] : labels) {
        position_[std::size_t(code - lo_)] = std::int32_t(labels_.size());
        labels_.push_back(label);
    }
}

template <typename T>
bool CategoryPositions::write(T* out) {
    const std::vector<std::int32_t>& codes = column_.ints;
    const auto size = static_cast<std::uint64_t>(position_.size());
    if (unlisted_.empty()) {
        // The usual case, every code listed: a table look-up per row with no branch to mispredict (a
        // missing value, far below lo_, wraps to a huge offset and reads as -1 like an unlisted code,
        // which is told apart afterwards). Listed positions fit T, chosen for the listed labels.
        // Locals, not members: `out` may be a char type, which the compiler must assume aliases them.
        const std::int32_t* const code_of = codes.data();
        const std::int32_t* const table = position_.data();
        const std::int64_t lo = lo_;
        const std::size_t rows = codes.size();
        bool unlisted = false;
        for (std::size_t i = 0; i < rows; ++i) {
            const std::int32_t code = code_of[i];
            const auto at = static_cast<std::uint64_t>(std::int64_t(code) - lo);
            const std::int32_t pos = at < size ? table[at] : -1;
            unlisted |= pos < 0 && code != kMissingInt;
            out[i] = static_cast<T>(pos);
        }
        if (!unlisted) return true;
    }
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const std::int32_t code = codes[i];
        if (code == kMissingInt) {
            out[i] = T(-1);
            continue;
        }
        const auto at = static_cast<std::uint64_t>(std::int64_t(code) - lo_);  // below lo_ wraps to a huge value
        std::int32_t pos = at < size ? position_[at] : -1;
        if (pos < 0) {  // a code the data guide does not list: rare, so looked up by hash
            auto [it, added] = unlisted_.try_emplace(code, std::int32_t(labels_.size()));
            if (added) labels_.push_back("code " + std::to_string(code) + " (not in the data guide)");
            pos = it->second;
            if (at < size) position_[at] = pos;
        }
        if (pos > std::numeric_limits<T>::max()) return false;
        out[i] = static_cast<T>(pos);
    }
    return true;
}

template bool CategoryPositions::write<std::int8_t>(std::int8_t*);
template bool CategoryPositions::write<std::int16_t>(std::int16_t*);
template bool CategoryPositions::write<std::int32_t>(std::int32_t*);

}  // namespace roadsafe
