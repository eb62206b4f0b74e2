#pragma once
// Category codes as positions into a list of labels, the form pandas and Arrow dictionaries use.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "roadsafe/core/column.hpp"

namespace roadsafe {

// Codes the column's categories do not list keep a visible label, "code N (not in the data guide)",
// instead of being lost; they follow the listed labels in the order the rows first show them.
class CategoryPositions {
public:
    explicit CategoryPositions(const Column& column);
    // The labels: the column's labels in code order, then those of the unlisted codes met so far.
    const std::vector<std::string>& labels() const { return labels_; }
    // Writes each row's position (-1 where the value is missing) to `out`, in one pass, as the
    // narrow type pandas keeps category codes in. Returns false, having written only part, when an
    // unlisted code makes a position too large for T: write again with a wider T.
    template <typename T>
    bool write(T* out);

private:
    static constexpr std::int32_t kUnseen = -2;  // in the widened table: a code not listed, not met yet
    void widen_to_codes();

    const Column& column_;
    std::vector<std::string> labels_;
    std::int32_t lo_ = 0;                            // code of position_[0]
    std::vector<std::int32_t> position_;            // code - lo_ -> position (-1: not listed)
    std::unordered_map<std::int32_t, std::int32_t> unlisted_;  // codes outside [lo_, lo_ + size) met so far
    bool widened_ = false;  // widen_to_codes has run
    bool dense_ = false;    // the table covers every code of the column, and a last slot for missing values
};

extern template bool CategoryPositions::write<std::int8_t>(std::int8_t*);
extern template bool CategoryPositions::write<std::int16_t>(std::int16_t*);
extern template bool CategoryPositions::write<std::int32_t>(std::int32_t*);

}  // namespace roadsafe
