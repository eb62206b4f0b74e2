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

// Codes the column holds that its labels do not list are given their positions on the rows that show them
// first; the table is widened to every code the column holds (when that range is small) so that this is
// the only row where a code is not simply looked up.
void CategoryPositions::widen_to_codes() {
    constexpr std::int64_t kWidestTable = std::int64_t{1} << 16;
    widened_ = true;
    // Missing values (the least int32) are left out of the minimum by reading them as the greatest.
    std::int32_t lo = std::numeric_limits<std::int32_t>::max(), hi = std::numeric_limits<std::int32_t>::min();
    for (const std::int32_t code : column_.ints) {
        lo = std::min(lo, code == kMissingInt ? std::numeric_limits<std::int32_t>::max() : code);
        hi = std::max(hi, code);
    }
    const bool any = hi != kMissingInt;  // else every value is missing
    std::int64_t first = any ? lo : 0, last = any ? hi : 0;
    if (!position_.empty()) {
        const std::int64_t listed_last = lo_ + std::int64_t(position_.size()) - 1;
        first = any ? std::min<std::int64_t>(first, lo_) : lo_;
        last = any ? std::max(last, listed_last) : listed_last;
    }
    if (last - first + 1 > kWidestTable) return;  // codes far apart: unlisted ones are looked up by hash
    // One slot a code, then the sentinel every offset past the codes (a missing value's) is clamped to.
    std::vector<std::int32_t> wider(static_cast<std::size_t>(last - first + 2), kUnseen);
    for (std::size_t i = 0; i < position_.size(); ++i)
        if (position_[i] >= 0) wider[static_cast<std::size_t>(lo_ - first) + i] = position_[i];
    wider.back() = -1;
    position_ = std::move(wider);
    lo_ = static_cast<std::int32_t>(first);
    dense_ = true;
}

template <typename T>
bool CategoryPositions::write(T* out) {
    const std::vector<std::int32_t>& codes = column_.ints;
    const auto size = static_cast<std::uint64_t>(position_.size());
    if (!widened_ && unlisted_.empty()) {
        // The usual case, every code listed: a table look-up per row with no branch to mispredict (a
        // missing value, far below lo_, wraps to a huge offset and reads as -1 like an unlisted code,
        // which is told apart afterwards). Listed positions fit T, chosen for the listed labels.
        // Locals, not members: `out` may be a char type, which the compiler must assume aliases them.
        const std::int32_t* const code_of = codes.data();
        const std::int32_t* const table = position_.data();
        const std::int64_t lo = lo_;
        const std::size_t rows = codes.size();
        // In blocks: a column with unlisted codes leaves this loop at the first block that shows one.
        constexpr std::size_t kBlock = 4096;
        bool unlisted = false;
        for (std::size_t start = 0; start < rows && !unlisted; start += kBlock) {
            const std::size_t end = std::min(rows, start + kBlock);
            for (std::size_t i = start; i < end; ++i) {
                const std::int32_t code = code_of[i];
                const auto at = static_cast<std::uint64_t>(std::int64_t(code) - lo);
                const std::int32_t pos = at < size ? table[at] : -1;
                unlisted |= pos < 0 && code != kMissingInt;
                out[i] = static_cast<T>(pos);
            }
        }
        if (!unlisted) return true;
    }
    if (!widened_) widen_to_codes();
    if (dense_) {
        // Some codes are unlisted: a table look-up a row, the branch taken once an unlisted code, on its first row.
        // Locals, not members: `out` may be a char type, which the compiler must assume aliases them.
        const std::int32_t* const code_of = column_.ints.data();
        std::int32_t* const table = position_.data();
        const std::int64_t lo = lo_;
        const auto sentinel = static_cast<std::uint64_t>(position_.size() - 1);
        const std::size_t rows = column_.ints.size();
        for (std::size_t i = 0; i < rows; ++i) {
            const std::int32_t code = code_of[i];
            // Below lo (a missing value) wraps to a huge offset, clamped to the sentinel.
            const auto at = std::min(static_cast<std::uint64_t>(std::int64_t(code) - lo), sentinel);
            std::int32_t pos = table[at];
            if (pos == kUnseen) [[unlikely]] {
                pos = std::int32_t(labels_.size());
                labels_.push_back("code " + std::to_string(code) + " (not in the data guide)");
                table[at] = pos;
            }
            out[i] = static_cast<T>(pos);
        }
        // Positions past T's range were written cut: the caller writes again with a wider T.
        return labels_.size() <= std::size_t(std::numeric_limits<T>::max()) + 1;
    }
    for (std::size_t i = 0; i < codes.size(); ++i) {
        const std::int32_t code = codes[i];
        if (code == kMissingInt) {
            out[i] = T(-1);
            continue;
        }
        const auto at = static_cast<std::uint64_t>(std::int64_t(code) - lo_);  // below lo_ wraps to a huge value
        std::int32_t pos = at < size ? position_[at] : -1;
        if (pos < 0) {  // an unlisted code, in a column whose codes are too far apart for one table: by hash
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
