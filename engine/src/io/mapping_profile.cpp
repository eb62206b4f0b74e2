#include "roadsafe/io/mapping_profile.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <sstream>

#include "roadsafe/core/error.hpp"
#include "roadsafe/io/csv_line.hpp"
#include "roadsafe/io/stats19_schema.hpp"
#include "roadsafe/io/virtual_file.hpp"

namespace roadsafe::io {

std::string SourceRef::describe() const {
    if (constant) return "=" + *constant;
    if (position > 0) return std::string("@").append(std::to_string(position));  // (avoids GCC 12's false -Wrestrict)
    return occurrence > 1 ? header + "#" + std::to_string(occurrence) : header;
}

namespace {

struct ProfileParser {
    const std::string& path;
    int line_no = 0;

    [[noreturn]] void fail(const std::string& message, const std::string& value = {}) const {
        throw Error(ErrorCode::InvalidInput, "mapping profile: " + message, {path, line_no, "", value});
    }

    int parse_positive(std::string_view s, const std::string& what) const {
        int v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || v < 1) fail(what + " must be a positive integer", std::string(s));
        return v;
    }

    SourceRef parse_source(std::string_view s) const {
        SourceRef ref;
        s = trim(s);
        if (s.empty()) fail("missing source column");
        if (s.front() == '=') {
            ref.constant = std::string(trim(s.substr(1)));
        } else if (s.front() == '@') {
            ref.position = parse_positive(s.substr(1), "a column position @k");
        } else {
            const auto hash = s.rfind('#');
            if (hash != std::string_view::npos && hash + 1 < s.size() &&
                s.find_first_not_of("0123456789", hash + 1) == std::string_view::npos) {
                ref.occurrence = parse_positive(s.substr(hash + 1), "an occurrence Name#k");
                s = s.substr(0, hash);
            }
            ref.header = std::string(trim(s));
        }
        return ref;
    }

    // A date format the reader can follow: %Y, %m and %d once each, anything else literal.
    void check_date_format(const std::string& format) const {
        if (format.empty()) fail("`date` needs a format such as %Y%m%d or %d/%m/%Y");
        int y = 0, m = 0, d = 0;
        for (std::size_t i = 0; i < format.size(); ++i) {
            if (format[i] != '%') continue;
            const char spec = i + 1 < format.size() ? format[++i] : ' ';
            if (spec == 'Y') ++y;
            else if (spec == 'm') ++m;
            else if (spec == 'd') ++d;
            else fail("a date format may use %Y, %m and %d only (as in %d/%m/%Y)", format);
        }
        if (y != 1 || m != 1 || d != 1) fail("a date format needs %Y, %m and %d once each (as in %d/%m/%Y)", format);
    }

    FieldMapping parse_field(const std::string& key, std::string_view value) const {
        FieldMapping m;
        m.field = key;
        m.profile_line = line_no;
        const auto bar = value.find('|');
        m.source = parse_source(value.substr(0, bar));
        if (bar != std::string_view::npos) {
            std::string_view t = trim(value.substr(bar + 1));
            const auto space = t.find(' ');
            m.transform = std::string(t.substr(0, space));
            if (space != std::string_view::npos) m.argument = std::string(trim(t.substr(space + 1)));
            static const char* kKnown[] = {"int", "float", "text", "date", "time", "values", "yn"};
            bool known = false;
            for (const char* k : kKnown) known = known || m.transform == k;
            if (!known) fail("unknown transform '" + m.transform + "' (int, float, text, date, time, values, yn)", m.transform);
            if (m.transform == "date") check_date_format(m.argument);
            if (m.transform == "time" && m.argument != "hmm") fail("`time` supports only `time hmm`", m.argument);
        }
        return m;
    }
};

// Strips a comment: '#' at the start of the line or after whitespace (so "Day#2" is kept).
std::string_view strip_comment(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i)
        if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return line.substr(0, i);
    return line;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The data guide's field a target without a transform was probably meant to be: one a typo away
// ("colision_severity"), or the guide's field it is the end of ("severity" for collision_severity).
const FieldSpec* meant_field(Stats19Table table, const std::string& target) {
    const auto& schema = Stats19Schema::instance();
    if (schema.find(table, target)) return nullptr;
    for (const FieldSpec& f : schema.fields()) {
        if (f.table != table) continue;
        const bool ends_with = f.name.size() > target.size() + 1 &&
                               f.name.compare(f.name.size() - target.size(), target.size(), target) == 0 &&
                               f.name[f.name.size() - target.size() - 1] == '_';
        if (edit_distance(f.name, target) <= 2 || ends_with) return &f;
    }
    return nullptr;
}

// A target a row section may map: each once, never a column the reader fills, in a vehicle section not
// collision_index (the reader gives each vehicle its collision's), and not a near miss of the guide's name.
void check_target(const ProfileParser& parser, const RowMapping& row, const FieldMapping& m) {
    const Stats19Table table = row.table == "collision" ? Stats19Table::Collision : Stats19Table::Vehicle;
    if (m.transform.empty())  // a field of the partnership's own declares its type with a transform
        if (const FieldSpec* meant = meant_field(table, m.field))
            parser.fail("'" + m.field + "' is not a field of the data guide's " + row.table + " table: is it '" +
                            meant->name + "'? (a field of your own needs a transform, e.g. `| text`)",
                        m.field);
    if (std::find(kReaderColumns.begin(), kReaderColumns.end(), m.field) != kReaderColumns.end())
        parser.fail("'" + m.field + "' is filled by the reader and cannot be mapped", m.field);
    if (row.table == "vehicle" && m.field == "collision_index")
        parser.fail("a vehicle section cannot map collision_index: each vehicle takes its collision's", m.field);
    for (const FieldMapping& earlier : row.fields)
        if (earlier.field == m.field)
            parser.fail("'" + m.field + "' is mapped twice in this section (first on line " +
                            std::to_string(earlier.profile_line) + ")",
                        m.field);
}

}  // namespace

MappingProfile parse_mapping_profile(const std::string& text, const std::string& path) {
    MappingProfile profile;
    profile.path = path;
    ProfileParser parser{path};
    std::istringstream in(text);
    std::string raw;
    std::string section;
    RowMapping* rows = nullptr;
    std::vector<std::pair<std::string, int>>* values = nullptr;
    if (const auto nul = text.find('\0'); nul != std::string::npos) {  // a binary file, whatever its first bytes
        parser.line_no = 1 + int(std::count(text.begin(), text.begin() + std::ptrdiff_t(nul), '\n'));
        parser.fail("not a text file (it holds NUL bytes)");
    }
    int collision_line = 0;  // the line of the [collision] header
    std::map<std::string, int> section_lines;   // each section once
    std::map<std::string, int> key_lines;       // each key once in its section
    std::map<std::string, int> constant_lines;  // [constants] entry -> its line
    while (std::getline(in, raw)) {
        ++parser.line_no;
        if (!raw.empty() && raw.back() == '\r') raw.pop_back();
        if (!is_valid_utf8(raw)) parser.fail("not UTF-8 text (save the profile as UTF-8)", escape_bytes(raw.substr(0, 60)));
        std::string_view line = trim(strip_comment(raw));
        if (line.empty()) continue;
        if (line.front() == '[') {
            if (line.back() != ']') parser.fail("a section header must end with ']'", std::string(line));
            section = std::string(trim(line.substr(1, line.size() - 2)));
            if (const auto [it, first] = section_lines.emplace(section, parser.line_no); !first)
                parser.fail("section [" + section + "] is given twice (first on line " + std::to_string(it->second) + ")",
                            section);
            key_lines.clear();
            rows = nullptr;
            values = nullptr;
            if (section == "collision" || section.rfind("vehicle ", 0) == 0) {
                if (section == "collision" && collision_line == 0) collision_line = parser.line_no;
                rows = &profile.rows.emplace_back();
                rows->table = section == "collision" ? "collision" : "vehicle";
            } else if (section.rfind("values ", 0) == 0) {
                values = &profile.values[std::string(trim(std::string_view(section).substr(7)))];
            } else if (section != "profile" && section != "constants" && section != "placeholders") {
                parser.fail("unknown section (profile, constants, placeholders, collision, vehicle N, values FIELD)", section);
            }
            continue;
        }
        // Value labels may contain '=' ("GV >= 7.5t mgw = 21"): there the last '=' separates the code.
        const auto eq = values ? line.rfind('=') : line.find('=');
        if (eq == std::string_view::npos) parser.fail("expected `key = value`", std::string(line));
        const std::string key(trim(line.substr(0, eq)));
        const std::string_view value = trim(line.substr(eq + 1));
        // A field mapped twice is named by check_target; any other key twice is one value lost.
        if (const auto [it, first] = key_lines.emplace(key, parser.line_no); !first && !rows)
            parser.fail("'" + key + "' is given twice in [" + section + "] (first on line " + std::to_string(it->second) +
                            ")",
                        key);
        if (section == "profile") {
            if (key == "name") profile.name = std::string(value);
            else if (key == "encoding") {
                if (value == "utf-8" || value == "utf8") profile.encoding = TextEncoding::Utf8;
                else if (value == "latin-1" || value == "latin1" || value == "cp1252") profile.encoding = TextEncoding::Latin1;
                else parser.fail("encoding must be utf-8 or latin-1", std::string(value));
            } else parser.fail("unknown key in [profile] (name, encoding)", key);
        } else if (section == "constants") {
            profile.constants[key] = std::string(value);
            constant_lines[key] = parser.line_no;
        } else if (section == "placeholders") {
            double v = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
            if (ec != std::errc() || end != value.data() + value.size()) parser.fail("a placeholder must be a number", std::string(value));
            profile.placeholders[key] = v;
        } else if (rows) {
            if (key == "present") {
                // A collision row skipped for an empty column would be neither loaded nor reported.
                if (rows->table == "collision")
                    parser.fail("`present` belongs in a [vehicle N] section: every row of the file is a collision",
                                std::string(value));
                rows->present = parser.parse_source(value);
                if (rows->present->constant)
                    parser.fail("`present` must name a column (the row exists when it is not empty), not a constant",
                                std::string(value));
            } else {
                FieldMapping m = parser.parse_field(key, value);
                check_target(parser, *rows, m);
                rows->fields.push_back(std::move(m));
            }
        } else if (values) {
            int code = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), code);
            if (ec != std::errc() || end != value.data() + value.size()) parser.fail("a value code must be an integer", std::string(value));
            values->emplace_back(key, code);
        } else {
            parser.fail("entry outside any section", std::string(line));
        }
    }
    if (profile.rows.empty() || profile.rows.front().table != "collision")
        throw Error(ErrorCode::InvalidInput, "mapping profile: the first row section must be [collision]", {path, 0, "", ""});
    const auto& collision_fields = profile.rows.front().fields;
    if (std::none_of(collision_fields.begin(), collision_fields.end(),
                     [](const FieldMapping& m) { return m.field == "collision_index"; })) {
        parser.line_no = collision_line;
        parser.fail("[collision] must map collision_index (the key that joins vehicles and casualties)", "[collision]");
    }
    // A constant fills a collision column: mapping that column too, or giving one the reader fills,
    // would give the table two columns of that name (found by fuzz_mapping_profile).
    for (const auto& [field, line] : constant_lines) {
        parser.line_no = line;
        if (std::find(kReaderColumns.begin(), kReaderColumns.end(), field) != kReaderColumns.end())
            parser.fail("'" + field + "' is filled by the reader and cannot be a constant", field);
        for (const FieldMapping& m : collision_fields)
            if (m.field == field)
                parser.fail("'" + field + "' is a constant here and mapped in [collision] on line " +
                                std::to_string(m.profile_line) + ": keep one",
                            field);
    }
    if (profile.name.empty()) profile.name = path;
    return profile;
}

MappingProfile load_mapping_profile(const std::string& path) {
    return parse_mapping_profile(read_virtual_file(path), path);
}

}  // namespace roadsafe::io
