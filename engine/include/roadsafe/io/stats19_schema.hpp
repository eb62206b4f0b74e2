#pragma once
// The STATS19 field schema (datasets/stats19/fields.csv) and the DfT code list
// (datasets/stats19/dft_code_list_2024.csv), both compiled into the engine.
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "roadsafe/core/column.hpp"

namespace roadsafe::io {

enum class Stats19Table { Collision, Vehicle, Casualty };
const char* stats19_table_name(Stats19Table table) noexcept;

// Columns the reader fills for every row (where it came from, its joins, its location check): no file
// or profile supplies them.
inline constexpr std::array<std::string_view, 5> kReaderColumns = {"source_file", "source_line", "collision_row",
                                                                   "vehicle_row", "location_status"};

struct FieldSpec {
    Stats19Table table = Stats19Table::Collision;
    std::string name;  // the data guide's field name (roadsafe's column name)
    ColumnType type = ColumnType::Int;
    std::vector<std::string> aliases;         // other generations' normalised header spellings
    std::vector<std::string> legacy_aliases;  // headers that mean this field only in pre-2024 files
    std::shared_ptr<const Categories> categories;  // labels from the code list (Category fields)
};

class Stats19Schema {
public:
    static const Stats19Schema& instance();

    const std::vector<FieldSpec>& fields() const { return fields_; }
    const FieldSpec* find(Stats19Table table, std::string_view name) const;
    // The field a normalised header names in `table`; legacy files prefer legacy aliases.
    const FieldSpec* match_header(Stats19Table table, std::string_view normalised, bool legacy) const;

private:
    Stats19Schema();
    std::vector<FieldSpec> fields_;
};

// Lower case, outer spaces trimmed, spaces and hyphens to underscores, '(', ')' and '?' removed:
// "Local_Authority_(District)" -> "local_authority_district".
std::string normalise_header(std::string_view header);

}  // namespace roadsafe::io
