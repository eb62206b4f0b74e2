#include "parse_rows.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "roadsafe/core/civil_date.hpp"
#include "date_order.hpp"
#include "roadsafe/io/csv_line.hpp"

namespace roadsafe::io {

namespace {

enum class Status { Ok, Missing, Bad, Flagged };

struct Parsed {
    Status status = Status::Ok;
    const char* reason = nullptr;  // static text for Bad / Flagged
};

bool is_missing_token(std::string_view s) { return s.empty() || s == "NULL" || s == "NA" || s == "-1"; }

// "2.01501E+12": how a spreadsheet shows a long number (one digit, a point, E+): the digits it dropped
// are gone. Real keys hold an E too ("20151313E0037"), but never this shape.
bool is_scientific_notation(std::string_view s) {
    if (s.size() < 4 || s[0] < '0' || s[0] > '9') return false;
    std::size_t i = 1;
    if (s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
    if (i + 2 >= s.size() || (s[i] != 'E' && s[i] != 'e') || s[i + 1] != '+') return false;
    const std::string_view exponent = s.substr(i + 2);
    return !exponent.empty() && exponent.find_first_not_of("0123456789") == std::string_view::npos;
}

// "1,234" or "532,180.5": thousands separators, as a spreadsheet's number format writes them.
bool has_thousands_separators(std::string_view s) {
    if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    if (const auto point = s.find('.'); point != std::string_view::npos) s = s.substr(0, point);
    const auto first = s.find(',');
    if (first == std::string_view::npos || first == 0 || first > 3) return false;
    for (std::size_t i = first; i < s.size(); i += 4)
        if (s[i] != ',' || i + 4 > s.size() || s.substr(i + 1, 3).find_first_not_of("0123456789") != std::string_view::npos)
            return false;
    return s.substr(0, first).find_first_not_of("0123456789") == std::string_view::npos;
}

constexpr const char* kScientificReason =
    "a number in scientific notation, as a spreadsheet shows long numbers: its digits are lost; export the column "
    "formatted as text";
constexpr const char* kThousandsReason = "a number with thousands separators: save it without them";
constexpr const char* kNotInGuideReason = "code is not in the data guide's list for this field";

const char* not_integer_reason(std::string_view s) {
    return is_scientific_notation(s) ? kScientificReason : has_thousands_separators(s) ? kThousandsReason : "not an integer";
}

// A field of 1 to 9 plain digits, the shape of nearly every coded STATS19 value: read without the
// general path (trim, missing tokens, from_chars), which gives the same value for it.
inline bool parse_plain_digits(std::string_view s, std::int32_t& out) {
    const auto digit = [](char c) { return static_cast<std::uint32_t>(static_cast<unsigned char>(c) - '0'); };
    if (s.size() == 1) {  // most codes are one or two digits: read without the loop
        out = static_cast<std::int32_t>(digit(s[0]));
        return digit(s[0]) <= 9;
    }
    if (s.size() == 2) {
        out = static_cast<std::int32_t>(digit(s[0]) * 10 + digit(s[1]));
        return digit(s[0]) <= 9 && digit(s[1]) <= 9;
    }
    if (s.empty() || s.size() > 9) return false;
    std::uint32_t v = 0;
    for (const char c : s) {
        const auto d = static_cast<std::uint32_t>(static_cast<unsigned char>(c) - '0');
        if (d > 9) return false;
        v = v * 10 + d;
    }
    out = static_cast<std::int32_t>(v);
    return true;
}

// A plain decimal ("-1.234567", "532180.5") of at most 15 digits: the digits as an integer, exact in a
// double, divided by an exact power of ten, which IEEE rounds correctly, as from_chars does.
inline bool parse_plain_decimal(std::string_view s, double& out) {
    static constexpr double kPowers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    std::size_t i = !s.empty() && s[0] == '-';
    std::uint64_t digits = 0;
    int count = 0, after_point = -1;
    for (; i < s.size(); ++i) {
        const auto d = static_cast<std::uint32_t>(static_cast<unsigned char>(s[i]) - '0');
        if (d <= 9) {
            digits = digits * 10 + d;
            ++count;
            if (after_point >= 0) ++after_point;
        } else if (s[i] == '.' && after_point < 0) {
            after_point = 0;
        } else {
            return false;
        }
    }
    if (count == 0 || count > 15) return false;
    const double value = double(digits) / kPowers[after_point > 0 ? after_point : 0];
    out = s[0] == '-' ? -value : value;
    return true;
}

template <typename T>
bool parse_number(std::string_view s, T& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
}

// DD/MM/YYYY (or MM/DD/YYYY when the file writes month first), a two-digit year, or YYYY-MM-DD; a time
// after the date in the same field ("12/01/2015 10:45", "2015-01-12T10:45:00") is left to the time field.
Parsed parse_date_dft(std::string_view s, bool month_first, std::int32_t& out) {
    int y = 0, m = 0, d = 0;
    if (s.size() == 10 && s[2] == '/' && s[5] == '/' && parse_digits(s.substr(0, 2), d) && parse_digits(s.substr(3, 2), m) &&
        parse_digits(s.substr(6, 4), y)) {  // DD/MM/YYYY, as DfT writes: read without the general path
        if (month_first) std::swap(d, m);
        if (!is_valid_date(y, m, d)) return {Status::Bad, "not a valid calendar date"};
        out = days_from_civil(y, m, d);
        return {};
    }
    if (const auto space = s.find_first_of(" T"); space != std::string_view::npos && space >= 6) s = s.substr(0, space);
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {  // YYYY-MM-DD
        if (!parse_digits(s.substr(0, 4), y) || !parse_digits(s.substr(5, 2), m) || !parse_digits(s.substr(8, 2), d))
            return {Status::Bad, "not a date (DD/MM/YYYY or YYYY-MM-DD)"};
    } else {
        const auto parts = day_month_parts(s);
        const auto year = s.substr(s.find_last_of("/-.") + 1);
        if (!parts || !parse_digits(year, y)) return {Status::Bad, "not a date (DD/MM/YYYY or YYYY-MM-DD)"};
        if (year.size() == 2) y += y >= 79 ? 1900 : 2000;  // STATS19 begins in 1979
        d = month_first ? parts->second : parts->first;
        m = month_first ? parts->first : parts->second;
    }
    if (!is_valid_date(y, m, d)) return {Status::Bad, "not a valid calendar date"};
    out = days_from_civil(y, m, d);
    return {};
}

Parsed parse_date_format(std::string_view s, std::string_view format, std::int32_t& out) {
    int y = -1, m = -1, d = -1;
    std::size_t i = 0;
    for (std::size_t f = 0; f < format.size(); ++f) {
        if (format[f] == '%' && f + 1 < format.size()) {
            const char spec = format[++f];
            const std::size_t width = spec == 'Y' ? 4 : 2;
            int* target = spec == 'Y' ? &y : spec == 'm' ? &m : spec == 'd' ? &d : nullptr;
            if (!target || i + width > s.size() || !parse_digits(s.substr(i, width), *target))
                return {Status::Bad, "does not match the profile's date format"};
            i += width;
        } else {
            if (i >= s.size() || s[i] != format[f]) return {Status::Bad, "does not match the profile's date format"};
            ++i;
        }
    }
    if (i != s.size() || y < 0 || m < 0 || d < 0) return {Status::Bad, "does not match the profile's date format"};
    if (!is_valid_date(y, m, d)) return {Status::Bad, "not a valid calendar date"};
    out = days_from_civil(y, m, d);
    return {};
}

Parsed parse_time_dft(std::string_view s, std::int32_t& out) {
    const auto colon = s.find(':');
    int h = 0, mi = 0;
    if (colon == std::string_view::npos || !parse_digits(s.substr(0, colon), h)) return {Status::Bad, "not a time (HH:MM)"};
    std::string_view rest = s.substr(colon + 1);
    if (rest.size() == 5 && rest[2] == ':') rest = rest.substr(0, 2);  // HH:MM:SS
    if (rest.size() != 2 || !parse_digits(rest, mi)) return {Status::Bad, "not a time (HH:MM)"};
    if (h > 23 || mi > 59) return {Status::Bad, "not a valid time of day"};
    out = h * 60 + mi;
    return {};
}

Parsed parse_time_hmm(std::string_view s, std::int32_t& out) {
    int v = 0;
    if (!parse_digits(s, v)) return {Status::Bad, "not a time written as HMM"};
    if (v / 100 > 23 || v % 100 > 59) return {Status::Bad, "not a valid time of day"};
    out = (v / 100) * 60 + v % 100;
    return {};
}

// A bound field with what its fast path needs at hand: a coded field of plain digits, nearly every STATS19
// value, is read, checked and stored without the general path.
struct FieldOp {
    std::int32_t* ints = nullptr;  // the column's region; set for an Int or Category field read from the file
    const Categories* categories = nullptr;
    std::size_t source = 0;
};

// One loop for both modes, compiled twice: the line-by-line fast path carries no trace of the
// quote-aware one (sharing one compiled loop cost it about 10 %).
template <bool kQuotedLineBreaks>
ChunkResult parse_records(const FilePlan& plan, std::string_view text, const ChunkOutput& out,
                          bool stop_at_first_problem, std::int64_t lines_before) {
    ChunkResult result;
    // Text is kept by the chunk (its length is not known ahead) and appended in order after the parse;
    // reserved once, as growing by reallocation costs more than parsing.
    const std::size_t lines = out.lines;
    std::array<std::size_t, 3> plans_per_table{};
    for (const RowPlan& row : plan.rows) ++plans_per_table[table_slot(row.table)];
    for (std::size_t t = 0; t < 3; ++t) {
        result.text[t] = plan.templates[t];
        for (Column& c : result.text[t].columns())
            if (c.type == ColumnType::Text) c.reserve(lines * plans_per_table[t]);
    }
    std::vector<std::vector<FieldOp>> ops(plan.rows.size());  // by row plan, one per binding
    for (std::size_t i = 0; i < plan.rows.size(); ++i)
        for (const Binding& b : plan.rows[i].bindings) {
            FieldOp& op = ops[i].emplace_back();
            if ((b.kind == ParseKind::Int || b.kind == ParseKind::Category) && b.source >= 0) {
                op.ints = out.tables[table_slot(plan.rows[i].table)].ints[static_cast<std::size_t>(b.column)];
                op.categories = b.categories;
                op.source = static_cast<std::size_t>(b.source);
            }
        }
    LineFields fields;
    std::vector<std::string_view> quoted_fields;  // a line with quotes, split by split_csv_line
    std::string scratch, converted;
    std::int64_t line_no = 0;

    // A value's entry names the plan's texts and a fixed reason, which stay where they are through the
    // parse; a row's reason may be made for it.
    auto report = [&](const Binding* b, std::string_view value, std::string_view reason, Outcome outcome,
                      Stats19Table table) {
        const EntryFields e{plan.file, line_no, stats19_table_name(table), b ? std::string_view(b->header) : "",
                            value.substr(0, 200), reason, outcome};
        if (b) result.entries.add_stable_texts(e, ValueBytes::RawInput);
        else result.entries.add(e, ValueBytes::RawInput);
    };

    std::size_t pos = 0;
    std::int64_t next_line = 1;  // quote-aware mode: the line the next record starts on
    while (pos < text.size()) {
        if (stop_at_first_problem && !result.entries.empty()) break;
        std::size_t end;
        bool split = false;  // the fields are cut already
        std::int64_t quote_line = 0;  // the line of a quote never closed
        bool stray_quote = false;     // a quote that would swallow the lines after it
        if constexpr (kQuotedLineBreaks) {
            std::size_t open_quote;
            end = find_record_end(text, pos, open_quote, plan.separator);
            if (open_quote == std::string_view::npos && end > pos) {
                const std::size_t cut = stray_quote_cut(text.substr(pos, end - pos), plan.field_count, plan.separator);
                if (cut != std::string_view::npos) {  // read on from the next line: nothing after it is lost
                    end = pos + cut;
                    stray_quote = true;
                }
            }
            if (open_quote != std::string_view::npos) {
                // Open to the end of the file: the record is rejected up to the end of the quote's
                // line, and reading resumes on the next line so the rows after it are not lost.
                end = text.find('\n', open_quote);
                quote_line = lines_before + next_line + std::count(text.begin() + std::ptrdiff_t(pos),
                                                                   text.begin() + std::ptrdiff_t(open_quote), '\n');
            }
        } else {
            end = split_unquoted_line(text, pos, fields, plan.separator);  // the common case: one pass
            split = end != std::string_view::npos;
            if (!split) end = text.find('\n', pos);
        }
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        if constexpr (kQuotedLineBreaks) {
            line_no = next_line;  // a record spanning lines is numbered by its first line
            next_line += 1 + std::count(line.begin(), line.end(), '\n');
        } else {
            ++line_no;
        }
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
            if (split) fields.back().remove_suffix(1);
        }
        if (line.empty()) continue;
        ++result.rows_read;

        bool split_quoted = true;
        if (!split) {
            split_quoted = split_csv_line(line, quoted_fields, scratch, plan.separator);
            fields.assign(quoted_fields);
        }
        if (!split_quoted) {
            if constexpr (kQuotedLineBreaks) {
                report(nullptr, line,
                       stray_quote ? std::string("a quote in this line is not closed on it, and the next line is a "
                                                 "whole row: a stray quote, so this line is not read")
                                   : "a quoted field opened on line " + std::to_string(quote_line) +
                                         " is not closed before the end of the file",
                       Outcome::RowRejected, plan.main_table);
                ++result.rows_rejected;
                continue;
            } else {
                // Perhaps a line break inside quotes: the caller parses the file again, quote-aware.
                result.unclosed_quote = true;
                report(nullptr, line, "a quoted field is not closed before the end of the line", Outcome::RowRejected,
                       plan.main_table);
                ++result.rows_rejected;
                break;
            }
        }
        if (line == plan.header_line) {  // files joined end to end: the second one's header
            report(nullptr, line, "the header line again (files joined end to end?): not a row", Outcome::RowRejected,
                   plan.main_table);
            ++result.rows_rejected;
            continue;
        }
        if (fields.size() != plan.field_count) {
            report(nullptr, line,
                   "expected " + std::to_string(plan.field_count) + " fields, found " + std::to_string(fields.size()),
                   Outcome::RowRejected, plan.main_table);
            ++result.rows_rejected;
            continue;
        }

        bool main_row_loaded = false;
        bool main_row_rejected = false;
        for (std::size_t row_index = 0; row_index < plan.rows.size(); ++row_index) {
            const RowPlan& row = plan.rows[row_index];
            if (row.present_source >= 0 && trim(fields[static_cast<std::size_t>(row.present_source)]).empty()) continue;
            // Keys first: a row without its key cannot be joined or deduplicated, so it is rejected.
            const Binding* bad_key = nullptr;
            const char* bad_key_reason = nullptr;
            for (int k : row.key_bindings) {
                const Binding& b = row.bindings[static_cast<std::size_t>(k)];
                const std::string_view key = trim(fields[static_cast<std::size_t>(b.source)]);
                if (is_missing_token(key)) {
                    bad_key = &b;
                    bad_key_reason = "a key field is empty; the row cannot be joined";
                } else if (is_scientific_notation(key)) {  // rows whose keys lost digits would merge
                    bad_key = &b;
                    bad_key_reason = kScientificReason;
                }
            }
            if (bad_key) {
                report(bad_key, fields[static_cast<std::size_t>(bad_key->source)], bad_key_reason, Outcome::RowRejected,
                       row.table);
                if (row.table == plan.main_table) main_row_rejected = true;
                continue;
            }
            const std::size_t slot = table_slot(row.table);
            const TableRegion& region = out.tables[slot];
            auto& text_columns = result.text[slot].columns();
            const std::size_t r = result.rows[slot];  // this row's place in the chunk's region
            const FieldOp* op = ops[row_index].data();
            for (const Binding& b : row.bindings) {
                if (const FieldOp& fast = *op++; fast.ints) {
                    const std::string_view field = fields[fast.source];
                    std::int32_t v;
                    if (parse_plain_digits(field, v) && (!fast.categories || fast.categories->contains(v))) {
                        fast.ints[r] = v;
                        continue;
                    }
                    if (field.empty() || (field.size() == 2 && field[0] == '-' && field[1] == '1')) {
                        fast.ints[r] = kMissingInt;  // DfT's "data missing or out of range", or nothing
                        continue;
                    }
                }
                std::string_view raw = b.source >= 0 ? fields[static_cast<std::size_t>(b.source)] : std::string_view(b.constant);
                std::string_view s = trim(raw);
                const auto c = static_cast<std::size_t>(b.column);
                Parsed p;
                switch (b.kind) {
                    case ParseKind::Int:
                    case ParseKind::Category: {
                        std::int32_t v = 0;
                        if (parse_plain_digits(raw, v)) {
                            if (b.categories && !b.categories->contains(v))
                                p = {Status::Flagged, kNotInGuideReason};
                        } else if (is_missing_token(s)) p.status = Status::Missing;
                        else if (!parse_number(s, v)) {
                            // A label where the guide has a code ("Fatal" for 1) is that code.
                            const auto code = b.categories ? b.categories->code_of(s) : std::nullopt;
                            if (code) v = *code;
                            else p = {Status::Bad, not_integer_reason(s)};
                        } else if (b.categories && !b.categories->contains(v)) {
                            p = {Status::Flagged, kNotInGuideReason};
                        }
                        region.ints[c][r] = p.status == Status::Ok || p.status == Status::Flagged ? v : kMissingInt;
                        break;
                    }
                    case ParseKind::Float: {
                        double v = 0;
                        if (s.empty() || s == "NULL" || s == "NA") p.status = Status::Missing;
                        else if (!parse_plain_decimal(s, v) && (!parse_number(s, v) || !std::isfinite(v)))
                            p = {Status::Bad, has_thousands_separators(s) ? kThousandsReason : "not a number"};
                        region.floats[c][r] = p.status == Status::Ok ? v : kMissingFloat;
                        break;
                    }
                    case ParseKind::Text: {
                        if (is_missing_token(s)) {
                            text_columns[c].text.append_missing();
                        } else if (is_ascii(s)) {
                            text_columns[c].text.append(s);
                        } else if (plan.encoding == TextEncoding::Latin1) {
                            converted.clear();
                            append_latin1_as_utf8(s, converted);
                            text_columns[c].text.append(converted);
                        } else if (is_valid_utf8(s)) {
                            text_columns[c].text.append(s);
                        } else {
                            p = {Status::Bad, "bytes are not valid UTF-8 (the declared encoding)"};
                            text_columns[c].text.append_missing();
                        }
                        break;
                    }
                    case ParseKind::Values: {
                        if (s.empty()) {
                            p.status = Status::Missing;
                        } else {
                            std::string_view label = s;
                            if (plan.encoding == TextEncoding::Latin1 && !is_ascii(s)) {
                                converted.clear();
                                append_latin1_as_utf8(s, converted);
                                label = converted;
                            }
                            const int* code = b.values->find(label);
                            // -1 is the data guide's "data missing or out of range": missing, as in DfT files.
                            if (code) region.ints[c][r] = *code == -1 ? kMissingInt : *code;
                            else p = {Status::Bad, "not in the profile's value map for this field"};
                        }
                        if (p.status != Status::Ok) region.ints[c][r] = kMissingInt;
                        break;
                    }
                    case ParseKind::YesNo: {
                        if (s.empty()) p.status = Status::Missing;
                        else if (s == "Y" || s == "y") region.ints[c][r] = 1;
                        else if (s == "N" || s == "n") region.ints[c][r] = 0;
                        else p = {Status::Bad, "not Y or N"};
                        if (p.status != Status::Ok) region.ints[c][r] = kMissingInt;
                        break;
                    }
                    case ParseKind::Date:
                    case ParseKind::DateFormat: {
                        std::int32_t v = kMissingInt;
                        if (s.empty() || s == "NULL") p.status = Status::Missing;
                        else p = b.kind == ParseKind::Date ? parse_date_dft(s, b.month_first, v) : parse_date_format(s, b.date_format, v);
                        region.ints[c][r] = p.status == Status::Ok ? v : kMissingInt;
                        break;
                    }
                    case ParseKind::Time:
                    case ParseKind::TimeHmm: {
                        std::int32_t v = kMissingInt;
                        if (s.empty() || s == "NULL" || s == "-1") p.status = Status::Missing;
                        else p = b.kind == ParseKind::Time ? parse_time_dft(s, v) : parse_time_hmm(s, v);
                        region.ints[c][r] = p.status == Status::Ok ? v : kMissingInt;
                        break;
                    }
                }
                if (p.status == Status::Bad) report(&b, raw, p.reason, Outcome::ValueMissing, row.table);
                else if (p.status == Status::Flagged) report(&b, raw, p.reason, Outcome::RowFlagged, row.table);
            }
            for (const int u : row.unbound_columns) {
                const auto c = static_cast<std::size_t>(u);
                if (region.ints[c]) region.ints[c][r] = kMissingInt;
                else if (region.floats[c]) region.floats[c][r] = kMissingFloat;
                else text_columns[c].text.append_missing();
            }
            region.source_line[r] = static_cast<std::int32_t>(out.line_base + line_no);
            ++result.rows[slot];
            if (row.table == plan.main_table) main_row_loaded = true;
        }
        if (main_row_loaded) ++result.rows_loaded;
        else if (main_row_rejected) ++result.rows_rejected;
    }
    result.lines = kQuotedLineBreaks ? next_line - 1 : line_no;
    return result;
}

}  // namespace

ChunkResult parse_rows(const FilePlan& plan, std::string_view text, const ChunkOutput& out, bool stop_at_first_problem,
                       bool quoted_line_breaks, std::int64_t lines_before) {
    return quoted_line_breaks ? parse_records<true>(plan, text, out, stop_at_first_problem, lines_before)
                              : parse_records<false>(plan, text, out, stop_at_first_problem, lines_before);
}

}  // namespace roadsafe::io
