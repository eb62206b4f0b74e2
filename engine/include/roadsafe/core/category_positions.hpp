#pragma once
// Category codes as positions into a list of labels, the form pandas and Arrow dictionaries use.
#include <cstdint>
#include <string>
#include <vector>

#include "roadsafe/core/column.hpp"

namespace roadsafe {

struct CategoryPositions {
    std::vector<std::int32_t> positions;  // -1 where the value is missing
    std::vector<std::string> labels;      // the column's labels in code order, then any unlisted codes
};

// Codes the column's categories do not list keep a visible label, "code N (not in the data guide)",
// instead of being lost.
CategoryPositions category_positions(const Column& column);

}  // namespace roadsafe
