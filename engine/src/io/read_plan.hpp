#pragma once
// Internal: how each source column of one file becomes values in the STATS19 tables.
// A DfT file has one row plan (its own table); a profile file has a collision plan and
// optionally vehicle plans (wide vehicle columns become vehicle rows).
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include "roadsafe/core/table.hpp"
#include "roadsafe/io/load_report.hpp"
#include "roadsafe/io/mapping_profile.hpp"
#include "roadsafe/io/stats19_schema.hpp"

namespace roadsafe::io {

enum class ParseKind { Int, Float, Text, Category, Date, Time, DateFormat, TimeHmm, Values, YesNo };

// Label -> code lookup for the `values` transform: exact match first, then case-folded.
struct ValueMap {
    std::unordered_map<std::string, int> exact;
    std::unordered_map<std::string, int> folded;
    const int* find(std::string_view label) const;
};

struct Binding {
    int source = -1;             // index of the source field; -1 = constant
    std::string constant;
    std::string header;          // source header, for messages
    std::string field;           // target field
    ParseKind kind = ParseKind::Text;
    std::string date_format;
    bool month_first = false;    // D/M/Y dates of this file are written month first (decided from its values)
    const ValueMap* values = nullptr;
    const Categories* categories = nullptr;  // check codes against these (DfT category fields)
    int column = -1;             // index into the output table's columns
    bool is_key = false;         // an empty key rejects the row
};

struct RowPlan {
    Stats19Table table = Stats19Table::Collision;
    int present_source = -1;     // the row exists only when this source field is not empty
    std::vector<Binding> bindings;
    std::vector<int> unbound_columns;  // output columns this plan fills with missing values
    std::vector<int> key_bindings;     // indexes into `bindings` of the key fields
};

struct FilePlan {
    std::string file;
    std::string generation;
    Stats19Table main_table = Stats19Table::Collision;
    TextEncoding encoding = TextEncoding::Utf8;
    char separator = ',';     // taken from the header line
    std::string header_line;  // as read (a later line equal to it is a second file's header)
    std::size_t field_count = 0;
    std::vector<RowPlan> rows;
    std::array<Table, 3> templates;  // empty output tables (columns, types, categories), by Stats19Table
    std::vector<std::unique_ptr<ValueMap>> value_maps;
    std::vector<ReportEntry> column_entries;  // columns not loaded
};

inline std::size_t table_slot(Stats19Table t) { return static_cast<std::size_t>(t); }

// Plans for a DfT open-data file from its header fields.
FilePlan plan_dft_file(const std::string& file, const std::vector<std::string_view>& header);
// Plans for a local export through a mapping profile.
FilePlan plan_profile_file(const std::string& file, const std::vector<std::string_view>& header,
                           const MappingProfile& profile);

}  // namespace roadsafe::io
