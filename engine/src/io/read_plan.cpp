#include "read_plan.hpp"

#include <algorithm>

#include "roadsafe/core/error.hpp"
#include "roadsafe/io/csv_line.hpp"

namespace roadsafe::io {

namespace {

std::string fold(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

ParseKind kind_for_type(ColumnType type) {
    switch (type) {
        case ColumnType::Int: return ParseKind::Int;
        case ColumnType::Float: return ParseKind::Float;
        case ColumnType::Text: return ParseKind::Text;
        case ColumnType::Category: return ParseKind::Category;
        case ColumnType::Date: return ParseKind::Date;
        case ColumnType::Time: return ParseKind::Time;
    }
    return ParseKind::Text;
}

bool is_key_field(Stats19Table table, std::string_view field) {
    return field == "collision_index" || (table == Stats19Table::Vehicle && field == "vehicle_reference") ||
           (table == Stats19Table::Casualty && field == "casualty_reference");
}

// Adds (or finds) the output column for a field in the plan's template table.
int output_column(FilePlan& plan, Stats19Table table, const std::string& name, ColumnType type,
                  std::shared_ptr<const Categories> categories) {
    Table& t = plan.templates[table_slot(table)];
    Column& c = t.add(name, type);
    if (!c.categories) c.categories = std::move(categories);
    for (std::size_t i = 0; i < t.columns().size(); ++i)
        if (&t.columns()[i] == &c) return static_cast<int>(i);
    return -1;
}

void finish_row_plans(FilePlan& plan) {
    for (auto& row : plan.rows) {
        for (std::size_t i = 0; i < row.bindings.size(); ++i)
            if (row.bindings[i].is_key && row.bindings[i].source >= 0) row.key_bindings.push_back(static_cast<int>(i));
        const Table& t = plan.templates[table_slot(row.table)];
        for (std::size_t i = 0; i < t.columns().size(); ++i) {
            const bool bound = std::any_of(row.bindings.begin(), row.bindings.end(),
                                           [&](const Binding& b) { return b.column == static_cast<int>(i); });
            if (!bound) row.unbound_columns.push_back(static_cast<int>(i));
        }
    }
}

}  // namespace

const int* ValueMap::find(std::string_view label) const {
    if (auto it = exact.find(std::string(label)); it != exact.end()) return &it->second;
    if (auto it = folded.find(fold(label)); it != folded.end()) return &it->second;
    return nullptr;
}

FilePlan plan_dft_file(const std::string& file, const std::vector<std::string_view>& header) {
    FilePlan plan;
    plan.file = file;
    plan.field_count = header.size();
    std::vector<std::string> names;
    for (auto h : header) names.push_back(normalise_header(h));
    auto has = [&](const char* n) { return std::find(names.begin(), names.end(), n) != names.end(); };

    if (!has("collision_index") && !has("accident_index"))
        throw Error(ErrorCode::SchemaMismatch,
                    "not a STATS19 file: the header has no collision_index (or accident_index) column",
                    {file, 1, "", escape_bytes((header.empty() ? std::string_view() : header.front()).substr(0, 60))});
    plan.main_table = has("casualty_reference") ? Stats19Table::Casualty
                      : has("vehicle_reference") ? Stats19Table::Vehicle
                                                 : Stats19Table::Collision;
    const bool legacy = !has("collision_index");
    const bool capitalised = std::any_of(header.begin(), header.end(),
                                         [](std::string_view h) { return trim(h) == "Accident_Index"; });
    plan.generation = !legacy ? "2024+" : capitalised ? "pre-2021" : "2021-2023";

    const auto& schema = Stats19Schema::instance();
    RowPlan& row = plan.rows.emplace_back();
    row.table = plan.main_table;
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const FieldSpec* spec = schema.match_header(plan.main_table, names[i], legacy);
        const std::string target = spec ? spec->name : names[i];
        // The reader fills these itself: a file's own (a table written back from a Dataset) is set aside.
        const bool reader_owned = std::find(kReaderColumns.begin(), kReaderColumns.end(), target) != kReaderColumns.end();
        if (target.empty() || reader_owned || std::find(seen.begin(), seen.end(), target) != seen.end()) {
            plan.column_entries.push_back({file, 1, stats19_table_name(plan.main_table), std::string(header[i]), "",
                                           target.empty()   ? "empty header"
                                           : reader_owned ? "filled by the reader for every row, so this file's own is "
                                                            "not loaded"
                                                          : "the column repeats field '" + target + "'",
                                           Outcome::ColumnNotLoaded});
            continue;
        }
        seen.push_back(target);
        Binding b;
        b.source = static_cast<int>(i);
        b.header = std::string(trim(header[i]));
        b.field = target;
        const ColumnType type = spec ? spec->type : ColumnType::Text;  // unknown columns kept as text
        b.kind = kind_for_type(type);
        b.categories = spec && spec->categories && !spec->categories->labels.empty() ? spec->categories.get() : nullptr;
        b.is_key = is_key_field(plan.main_table, target);
        b.column = output_column(plan, plan.main_table, target, type, spec ? spec->categories : nullptr);
        row.bindings.push_back(std::move(b));
    }
    finish_row_plans(plan);
    return plan;
}

namespace {

int resolve_source(const SourceRef& ref, const std::vector<std::string_view>& header, const std::string& file,
                   const MappingProfile& profile, int profile_line) {
    if (ref.constant) return -1;
    if (ref.position > 0) {
        if (static_cast<std::size_t>(ref.position) > header.size())
            throw Error(ErrorCode::SchemaMismatch,
                        "mapping profile " + profile.path + " line " + std::to_string(profile_line) +
                            ": column @" + std::to_string(ref.position) + " is past the file's " +
                            std::to_string(header.size()) + " columns",
                        {file, 1, ref.describe(), ""});
        return ref.position - 1;
    }
    int seen = 0;
    for (std::size_t i = 0; i < header.size(); ++i)
        if (trim(header[i]) == ref.header && ++seen == ref.occurrence) return static_cast<int>(i);
    throw Error(ErrorCode::SchemaMismatch,
                "mapping profile " + profile.path + " line " + std::to_string(profile_line) + ": the file has no column '" +
                    ref.describe() + "'",
                {file, 1, ref.describe(), ""});
}

// Where a parse writes its values and where a column keeps them: codes and numbers of days or
// minutes in ints, measurements in floats, text as text.
enum class Storage { Ints, Floats, Text };
Storage storage_of(ColumnType type) {
    return type == ColumnType::Float ? Storage::Floats : type == ColumnType::Text ? Storage::Text : Storage::Ints;
}
Storage storage_of(ParseKind kind) {
    return kind == ParseKind::Float ? Storage::Floats : kind == ParseKind::Text ? Storage::Text : Storage::Ints;
}

ColumnType type_for_transform(const std::string& transform) {
    if (transform == "int" || transform == "yn") return ColumnType::Int;
    if (transform == "float") return ColumnType::Float;
    if (transform == "values") return ColumnType::Category;
    if (transform == "date") return ColumnType::Date;
    if (transform == "time") return ColumnType::Time;
    return ColumnType::Text;
}

}  // namespace

FilePlan plan_profile_file(const std::string& file, const std::vector<std::string_view>& header,
                           const MappingProfile& profile) {
    FilePlan plan;
    plan.file = file;
    plan.field_count = header.size();
    plan.generation = "profile: " + profile.name;
    plan.encoding = profile.encoding;
    plan.main_table = Stats19Table::Collision;
    const auto& schema = Stats19Schema::instance();
    std::vector<char> used(header.size(), 0);
    std::map<std::string, const ValueMap*> value_maps;

    auto value_map_for = [&](const std::string& field, const FieldSpec* spec) {
        if (auto it = value_maps.find(field); it != value_maps.end()) return it->second;
        auto map = std::make_unique<ValueMap>();
        if (auto it = profile.values.find(field); it != profile.values.end())
            for (const auto& [label, code] : it->second) {
                map->exact.emplace(label, code);
                map->folded.emplace(fold(label), code);
            }
        if (spec && spec->categories)  // the data guide's own labels are accepted too
            for (const auto& [code, label] : spec->categories->labels) map->folded.emplace(fold(label), code);
        value_maps[field] = map.get();
        plan.value_maps.push_back(std::move(map));
        return value_maps[field];
    };

    auto bind = [&](RowPlan& row, const FieldMapping& m) {
        const FieldSpec* spec = schema.find(row.table, m.field);
        Binding b;
        b.field = m.field;
        b.source = resolve_source(m.source, header, file, profile, m.profile_line);
        if (b.source >= 0) used[static_cast<std::size_t>(b.source)] = 1;
        b.constant = m.source.constant.value_or("");
        b.header = m.source.describe();
        b.is_key = is_key_field(row.table, m.field);
        ColumnType type = spec ? spec->type : type_for_transform(m.transform);
        std::shared_ptr<const Categories> categories = spec ? spec->categories : nullptr;
        if (m.transform.empty()) {
            b.kind = kind_for_type(type);
        } else if (m.transform == "values") {
            b.kind = ParseKind::Values;
            b.values = value_map_for(m.field, spec);
            if (!spec) {  // an extra category: its labels are the profile's keys
                auto cats = std::make_shared<Categories>();
                if (auto it = profile.values.find(m.field); it != profile.values.end())
                    for (const auto& [label, code] : it->second)
                        if (code != -1 && !cats->find(code)) {  // -1 is loaded as missing
                            cats->labels.emplace_back(code, label);
                            std::sort(cats->labels.begin(), cats->labels.end());
                        }
                categories = std::move(cats);
            }
        } else if (m.transform == "yn") {
            b.kind = ParseKind::YesNo;
        } else if (m.transform == "date") {
            b.kind = ParseKind::DateFormat;
            b.date_format = m.argument;
        } else if (m.transform == "time") {
            b.kind = ParseKind::TimeHmm;
        } else {
            b.kind = kind_for_type(type_for_transform(m.transform));
            if (!spec) type = type_for_transform(m.transform);
        }
        // A transform whose values the field's column cannot hold (text into a coded field, say) would
        // fill another column than the table's rows (found by fuzz_mapping_profile).
        if (storage_of(b.kind) != storage_of(type))
            throw Error(ErrorCode::InvalidInput,
                        "mapping profile: '" + m.field + "' is of type " + column_type_name(type) + "; the `" +
                            m.transform + "` transform cannot fill it",
                        {profile.path, m.profile_line, "", m.transform});
        b.categories = (type == ColumnType::Category && spec && categories && !categories->labels.empty())
                           ? categories.get() : nullptr;
        b.column = output_column(plan, row.table, m.field, type, categories);
        row.bindings.push_back(std::move(b));
    };

    const FieldMapping* collision_index = nullptr;
    for (const auto& section : profile.rows) {
        RowPlan& row = plan.rows.emplace_back();
        row.table = section.table == "vehicle" ? Stats19Table::Vehicle : Stats19Table::Collision;
        if (section.present) {
            row.present_source = resolve_source(*section.present, header, file, profile, 0);
            used[static_cast<std::size_t>(row.present_source)] = 1;
        }
        for (const auto& m : section.fields) {
            if (row.table == Stats19Table::Collision && m.field == "collision_index") collision_index = &m;
            bind(row, m);
        }
        if (row.table == Stats19Table::Collision) {
            for (const auto& [field, value] : profile.constants) {
                FieldMapping m;
                m.field = field;
                m.source.constant = value;
                bind(row, m);
            }
        } else if (collision_index) {
            bind(row, *collision_index);  // vehicles join their collision by its index
        }
    }
    if (!collision_index)
        throw Error(ErrorCode::InvalidInput, "mapping profile: [collision] must map collision_index", {profile.path, 0, "", ""});
    for (std::size_t i = 0; i < header.size(); ++i)
        if (!used[i])
            plan.column_entries.push_back({file, 1, "collision", std::string(header[i]), "",
                                           "no entry of profile '" + profile.name + "' uses this column",
                                           Outcome::ColumnNotLoaded});
    finish_row_plans(plan);
    return plan;
}

}  // namespace roadsafe::io
