#include "roadsafe/core/category_positions.hpp"

#include <algorithm>
#include <limits>

namespace roadsafe {

CategoryPositions category_positions(const Column& column) {
    std::vector<std::pair<std::int32_t, std::string>> labels;
    if (column.categories) labels = column.categories->labels;
    std::int32_t lo = std::numeric_limits<std::int32_t>::max(), hi = std::numeric_limits<std::int32_t>::min();
    for (const auto& entry : labels) lo = std::min(lo, entry.first), hi = std::max(hi, entry.first);
    for (std::int32_t code : column.ints)
        if (code != kMissingInt) lo = std::min(lo, code), hi = std::max(hi, code);
    CategoryPositions out;
    out.positions.assign(column.ints.size(), -1);
    if (lo <= hi) {
        // A dense table from code to position: codes are small integers (the widest, districts, < 1000).
        std::vector<std::int32_t> position(std::size_t(std::int64_t(hi) - lo) + 1, -1);
        for (std::size_t i = 0; i < labels.size(); ++i) position[std::size_t(labels[i].first - lo)] = std::int32_t(i);
        for (std::size_t i = 0; i < column.ints.size(); ++i) {
            const std::int32_t code = column.ints[i];
            if (code == kMissingInt) continue;
            std::int32_t& pos = position[std::size_t(code - lo)];
            if (pos < 0) {
                pos = static_cast<std::int32_t>(labels.size());
                labels.emplace_back(code, "code " + std::to_string(code) + " (not in the data guide)");
            }
            out.positions[i] = pos;
        }
    }
    out.labels.reserve(labels.size());
    for (auto& entry : labels) out.labels.push_back(std::move(entry.second));
    return out;
}

}  // namespace roadsafe
