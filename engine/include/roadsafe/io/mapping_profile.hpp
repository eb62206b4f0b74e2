#pragma once
// A declarative column-mapping profile for a local authority's own export (datasets/profiles/README.md).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "roadsafe/io/csv_line.hpp"

namespace roadsafe::io {

// A source column: by header (the k-th with that header), by 1-based position, or a constant.
struct SourceRef {
    std::string header;      // empty when by position or constant
    int occurrence = 1;      // Name#k
    int position = 0;        // @k (1-based), 0 = by header
    std::optional<std::string> constant;  // =value
    std::string describe() const;
};

struct FieldMapping {
    std::string field;      // target field name
    SourceRef source;
    std::string transform;  // "", int, float, text, date, time, values, yn
    std::string argument;   // the date format for `date`, `hmm` for `time`
    int profile_line = 0;
};

struct RowMapping {
    std::string table;  // "collision" or "vehicle"
    std::optional<SourceRef> present;  // the row exists when this column is not empty
    std::vector<FieldMapping> fields;
};

struct MappingProfile {
    std::string path;
    std::string name;
    TextEncoding encoding = TextEncoding::Utf8;
    std::map<std::string, std::string> constants;
    std::map<std::string, double> placeholders;  // field -> placeholder coordinate value
    std::vector<RowMapping> rows;                // [collision], [vehicle 1], ...
    std::map<std::string, std::vector<std::pair<std::string, int>>> values;  // field -> (label, code)
};

// Parses a profile file; `name_or_path` may name a shipped profile ("cambridgeshire_insight")
// when `shipped_dir` is given. Throws Error(InvalidInput) naming the profile's line on a bad entry.
MappingProfile load_mapping_profile(const std::string& path);
MappingProfile parse_mapping_profile(const std::string& text, const std::string& path);

}  // namespace roadsafe::io
