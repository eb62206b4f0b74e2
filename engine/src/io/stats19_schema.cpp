#include "roadsafe/io/stats19_schema.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

#include "roadsafe/core/error.hpp"
#include "roadsafe/io/csv_line.hpp"

extern const char* const roadsafe_embedded_code_list;
extern const char* const roadsafe_embedded_fields;

namespace roadsafe::io {

const char* stats19_table_name(Stats19Table table) noexcept {
    switch (table) {
        case Stats19Table::Collision: return "collision";
        case Stats19Table::Vehicle: return "vehicle";
        case Stats19Table::Casualty: return "casualty";
    }
    return "unknown";
}

std::string normalise_header(std::string_view header) {
    std::string out;
    for (char c : trim(header)) {
        if (c == '(' || c == ')' || c == '?') continue;
        if (c == ' ' || c == '-') c = '_';
        out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    }
    return out;
}

namespace {

Stats19Table table_from_name(std::string_view name) {
    if (name == "vehicle") return Stats19Table::Vehicle;
    if (name == "casualty") return Stats19Table::Casualty;
    return Stats19Table::Collision;  // the code list files junction_detail code 19 under an empty table
}

ColumnType type_from_name(std::string_view name) {
    if (name == "index" || name == "text") return ColumnType::Text;
    if (name == "float") return ColumnType::Float;
    if (name == "category") return ColumnType::Category;
    if (name == "date") return ColumnType::Date;
    if (name == "time") return ColumnType::Time;
    if (name == "int") return ColumnType::Int;
    throw Error(ErrorCode::SchemaMismatch, "unknown field type '" + std::string(name) + "' in fields.csv");
}

template <typename Fn>
void for_each_csv_row(const char* text, Fn&& fn) {
    std::istringstream in(text);
    std::string line, scratch;
    std::vector<std::string_view> fields;
    bool header = true;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (header) { header = false; continue; }
        if (line.empty() || !split_csv_line(line, fields, scratch)) continue;
        fn(fields);
    }
}

std::vector<std::string> split_list(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        const auto pos = s.find(';');
        out.emplace_back(s.substr(0, pos));
        if (pos == std::string_view::npos) break;
        s.remove_prefix(pos + 1);
    }
    return out;
}

}  // namespace

Stats19Schema::Stats19Schema() {
    // Labels: (table, guide field name) -> code -> label. -1 is "missing", never a code.
    std::map<std::pair<Stats19Table, std::string>, std::map<std::int32_t, std::string>> labels;
    for_each_csv_row(roadsafe_embedded_code_list, [&](const std::vector<std::string_view>& f) {
        if (f.size() < 4) return;
        const std::string_view code_text = trim(f[2]);
        std::int32_t code = 0;
        const auto [end, ec] = std::from_chars(code_text.data(), code_text.data() + code_text.size(), code);
        if (ec != std::errc() || end != code_text.data() + code_text.size() || code == -1) return;
        labels[{table_from_name(f[0]), std::string(f[1])}].emplace(code, std::string(trim(f[3])));
    });
    for_each_csv_row(roadsafe_embedded_fields, [&](const std::vector<std::string_view>& f) {
        if (f.size() < 4) return;
        FieldSpec spec;
        spec.table = table_from_name(f[0]);
        spec.name = std::string(f[1]);
        spec.type = type_from_name(f[2]);
        for (auto& alias : split_list(f[3])) {
            if (alias.rfind("legacy:", 0) == 0)
                spec.legacy_aliases.push_back(normalise_header(alias.substr(7)));
            else
                spec.aliases.push_back(normalise_header(alias));
        }
        if (spec.type == ColumnType::Category) {
            auto cats = std::make_shared<Categories>();
            auto it = labels.find({spec.table, spec.name});
            if (it != labels.end()) {
                // Labels must name one code each: the guide reuses a few district names for old and
                // new codes ("Cardiff" is 699 and 741), so repeats carry their code.
                std::map<std::string, int> seen;
                for (auto& [code, label] : it->second)
                    cats->labels.emplace_back(code, seen[label]++ ? label + " (code " + std::to_string(code) + ")" : label);
            }
            cats->build_lookup();
            spec.categories = std::move(cats);
        }
        fields_.push_back(std::move(spec));
    });
}

const Stats19Schema& Stats19Schema::instance() {
    static const Stats19Schema schema;
    return schema;
}

const FieldSpec* Stats19Schema::find(Stats19Table table, std::string_view name) const {
    for (const auto& f : fields_)
        if (f.table == table && f.name == name) return &f;
    return nullptr;
}

const FieldSpec* Stats19Schema::match_header(Stats19Table table, std::string_view normalised,
                                             bool legacy) const {
    if (legacy)
        for (const auto& f : fields_)
            if (f.table == table &&
                std::find(f.legacy_aliases.begin(), f.legacy_aliases.end(), normalised) != f.legacy_aliases.end())
                return &f;
    for (const auto& f : fields_)
        if (f.table == table && f.name == normalised) return &f;
    for (const auto& f : fields_)
        if (f.table == table && std::find(f.aliases.begin(), f.aliases.end(), normalised) != f.aliases.end())
            return &f;
    return nullptr;
}

}  // namespace roadsafe::io
