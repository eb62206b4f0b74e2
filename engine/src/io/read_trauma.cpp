#include "roadsafe/io/read_trauma.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/io/csv_line.hpp"
#include "roadsafe/io/csv_text.hpp"
#include "roadsafe/io/injury_scores.hpp"
#include "roadsafe/io/virtual_file.hpp"

namespace roadsafe::io {

namespace {

constexpr std::int64_t kMinutesPerDay = 24 * 60;
constexpr const char* kDatetimeReason = "not an ISO 8601 date and time (YYYY-MM-DDTHH:MM)";

enum class Field {
    TraumaId, ArrivalDatetime, IncidentDatetime, Age, Sex, RoadUser, IncidentEasting, IncidentNorthing,
    HospitalCode, HospitalEasting, HospitalNorthing, Mais, Iss, Outcome30d, LosDays,
};

struct FieldSpec {
    Field field;
    const char* name;
    ColumnType type;
    bool required;
};

constexpr std::array<FieldSpec, 15> kPatientFields{{
    {Field::TraumaId, "trauma_id", ColumnType::Text, true},
    {Field::ArrivalDatetime, "arrival_datetime", ColumnType::Int, true},
    {Field::IncidentDatetime, "incident_datetime", ColumnType::Int, false},
    {Field::Age, "age", ColumnType::Float, false},
    {Field::Sex, "sex", ColumnType::Category, false},
    {Field::RoadUser, "road_user", ColumnType::Category, false},
    {Field::IncidentEasting, "incident_easting", ColumnType::Float, false},
    {Field::IncidentNorthing, "incident_northing", ColumnType::Float, false},
    {Field::HospitalCode, "hospital_code", ColumnType::Text, false},
    {Field::HospitalEasting, "hospital_easting", ColumnType::Float, false},
    {Field::HospitalNorthing, "hospital_northing", ColumnType::Float, false},
    {Field::Mais, "mais", ColumnType::Int, false},
    {Field::Iss, "iss", ColumnType::Int, false},
    {Field::Outcome30d, "outcome_30d", ColumnType::Category, false},
    {Field::LosDays, "los_days", ColumnType::Float, false},
}};

template <std::size_t N>
std::shared_ptr<const Categories> make_categories(const char* const (&labels)[N]) {
    auto c = std::make_shared<Categories>();
    for (std::size_t i = 0; i < N; ++i) c->labels.emplace_back(std::int32_t(i), labels[i]);
    return c;
}

bool equals_ci(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

template <std::size_t N>
std::int32_t label_code(std::string_view value, const char* const (&labels)[N]) {
    for (std::size_t i = 0; i < N; ++i)
        if (equals_ci(value, labels[i])) return std::int32_t(i);
    return kMissingInt;
}

template <std::size_t N>
std::string label_list(const char* const (&labels)[N]) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(labels[i]);
    return out;
}

std::optional<double> parse_number(std::string_view s) {
    double v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<int> parse_integer(std::string_view s) {
    int v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// One input file's bytes and lines.
struct CsvInput {
    std::string file;
    std::unique_ptr<InputBytes> bytes;
    std::unique_ptr<CsvText> csv;  // the bytes as CSV text (decoded, its separator)
    std::string_view body;  // after the header line
    std::vector<std::string> header;
};

CsvInput open_csv(const std::string& path) {
    CsvInput in;
    // A named member of an archive ("/vsizip/a.zip/b.csv") is read as it is; anything else is expanded.
    const bool member = path.rfind("/vsi", 0) == 0 && path.size() > 4 && path.substr(path.size() - 4) == ".csv";
    const auto files = member ? std::vector<std::string>{path} : expand_input_path(path);
    if (files.size() > 1)
        throw Error(ErrorCode::InvalidInput,
                    "the zip archive holds " + std::to_string(files.size()) + " CSV files; name one, e.g. " + files.front(),
                    {path, 0, "", ""});
    in.file = files.front();
    in.bytes = std::make_unique<InputBytes>(in.file);
    in.csv = std::make_unique<CsvText>(in.file, in.bytes->view());
    if (!in.csv->problem().empty()) throw Error(ErrorCode::SchemaMismatch, in.csv->problem(), {in.file, 0, "", ""});
    const std::string_view text = in.csv->text();
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw Error(ErrorCode::InvalidInput, "the file is empty", {in.file, 0, "", ""});
    if (text.substr(0, 65536).find('\0') != std::string_view::npos)
        throw Error(ErrorCode::SchemaMismatch, "not a CSV text file: it contains binary data", {in.file, 0, "", ""});
    const std::size_t nl = text.find('\n');
    std::string_view header_line = text.substr(0, nl);
    if (!header_line.empty() && header_line.back() == '\r') header_line.remove_suffix(1);
    if (!is_valid_utf8(header_line))
        throw Error(ErrorCode::Encoding, "the header is not valid UTF-8", {in.file, 1, "", escape_bytes(header_line.substr(0, 80))});
    std::vector<std::string_view> fields;
    std::string scratch;
    if (!split_csv_line(header_line, fields, scratch, in.csv->separator()))
        throw Error(ErrorCode::SchemaMismatch, "the header has an unclosed quote", {in.file, 1, "", escape_bytes(header_line.substr(0, 80))});
    for (auto f : fields) in.header.emplace_back(trim(f));
    in.body = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    return in;
}

// Column positions of a file's header in the order of `names`; throws on unknown, repeated or
// missing required columns.
std::vector<int> match_header(const CsvInput& in, const std::vector<std::pair<const char*, bool>>& names,
                              const char* what) {
    std::vector<int> position(names.size(), -1);
    for (std::size_t c = 0; c < in.header.size(); ++c) {
        const std::string& h = in.header[c];
        const auto it = std::find_if(names.begin(), names.end(), [&](const auto& n) { return h == n.first; });
        if (it == names.end()) {
            std::string known;
            for (const auto& n : names) known += (known.empty() ? "" : ", ") + std::string(n.first);
            throw Error(ErrorCode::SchemaMismatch,
                        std::string("unknown column in a ") + what + " file; the columns are: " + known,
                        {in.file, 1, h, h});
        }
        auto& slot = position[std::size_t(it - names.begin())];
        if (slot >= 0) throw Error(ErrorCode::SchemaMismatch, "the column appears twice in the header", {in.file, 1, h, h});
        slot = int(c);
    }
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i].second && position[i] < 0)
            throw Error(ErrorCode::SchemaMismatch,
                        std::string("the header has no ") + names[i].first + " column (required in a " + what + " file)",
                        {in.file, 1, names[i].first, ""});
    return position;
}

// Calls `row(line_number, fields)` for every non-empty data line that splits into the header's
// number of fields; reports the others through `reject`.
template <typename Row, typename Reject>
void for_each_row(const CsvInput& in, FileSummary& summary, Row&& row, Reject&& reject) {
    std::string_view body = in.body;
    std::int64_t line_no = 1;
    std::vector<std::string_view> fields;
    std::string scratch;
    auto without_cr = [](std::string_view s) { return !s.empty() && s.back() == '\r' ? s.substr(0, s.size() - 1) : s; };
    while (!body.empty()) {
        std::size_t nl = body.find('\n');
        std::string_view line = without_cr(body.substr(0, nl));
        const std::int64_t first_line = ++line_no;  // a record spanning lines is numbered by its first
        std::int64_t quote_line = 0;
        bool stray = false;
        bool split = split_csv_line(line, fields, scratch, in.csv->separator());
        if (!split) {
            // A quoted field may hold line breaks (RFC 4180): the record runs on to the first line
            // break outside quotes. A quote never closed rejects the record up to the end of the
            // quote's line, and reading resumes on the next line.
            std::size_t open_quote;
            nl = find_record_end(body, 0, open_quote, in.csv->separator());
            if (nl >= body.size()) nl = std::string_view::npos;  // the last record, with no line break after it
            if (open_quote != std::string_view::npos) {
                nl = body.find('\n', open_quote);
                quote_line = first_line + std::count(body.begin(), body.begin() + std::ptrdiff_t(open_quote), '\n');
            } else if (const std::size_t cut = stray_quote_cut(body.substr(0, nl), in.header.size(), in.csv->separator());
                       cut != std::string_view::npos) {
                nl = cut;  // a stray quote: this line alone is rejected, and reading resumes on the next
                stray = true;
            }
            line = without_cr(body.substr(0, nl));
            line_no += std::count(line.begin(), line.end(), '\n');
            if (quote_line == 0 && !stray) split = split_csv_line(line, fields, scratch, in.csv->separator());
        }
        body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // a blank line is not a row
        ++summary.rows_read;
        if (!is_valid_utf8(line)) {
            reject(first_line, "", escape_bytes(line.substr(0, 200)), "bytes are not valid UTF-8");
            continue;
        }
        if (!split) {
            reject(first_line, "", std::string(line.substr(0, 200)),
                   stray ? std::string("a quote in this line is not closed on it, and the next line is a whole row: "
                                       "a stray quote, so this line is not read")
                         : "a quoted field opened on line " + std::to_string(quote_line) +
                               " is not closed before the end of the file");
            continue;
        }
        if (fields.size() != in.header.size()) {
            reject(first_line, "", std::string(line.substr(0, 200)),
                   "expected " + std::to_string(in.header.size()) + " fields, found " + std::to_string(fields.size()));
            continue;
        }
        for (auto& f : fields) f = trim(f);
        row(first_line, fields);
    }
}

class Reporter {
public:
    Reporter(LoadReport& report, bool strict) : report_(report), strict_(strict) {}
    void add(const std::string& file, std::int64_t line, const char* table, std::string column, std::string value,
             std::string reason, Outcome outcome) {
        if (strict_) {
            const ErrorCode code = reason.find("UTF-8") != std::string::npos ? ErrorCode::Encoding : ErrorCode::InvalidInput;
            throw Error(code, reason, {file, line, column, value});
        }
        report_.entries.add({file, line, table, column, value, reason, outcome});
    }

private:
    LoadReport& report_;
    bool strict_;
};

std::string format_number(int v) { return std::to_string(v); }
// Minutes since 1970 stored in an Int column (years ~ -2100 .. 6000).
bool fits_column(std::int64_t minutes) { return minutes > kMissingInt && minutes <= std::numeric_limits<std::int32_t>::max(); }
std::string format_score(std::int32_t v) { return v == kMissingInt ? "unknown" : std::to_string(v); }

}  // namespace

bool parse_iso_datetime(std::string_view s, std::int64_t& minutes) noexcept {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (s.size() < 16 || !digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
        !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, hour) || s[13] != ':' ||
        !digits(s, 14, 2, minute))
        return false;
    std::size_t pos = 16;
    if (pos < s.size()) {
        if (s[pos] != ':' || !digits(s, pos + 1, 2, second)) return false;
        pos += 3;
        if (pos < s.size()) {
            if (s[pos] != '.' || pos + 1 == s.size()) return false;
            for (++pos; pos < s.size(); ++pos)
                if (s[pos] < '0' || s[pos] > '9') return false;
        }
    }
    if (!is_valid_date(year, month, day) || hour > 23 || minute > 59 || second > 59) return false;
    minutes = std::int64_t(days_from_civil(year, month, day)) * kMinutesPerDay + hour * 60 + minute;
    return true;
}

std::string format_iso_datetime(std::int64_t minutes) {
    std::int64_t days = minutes / kMinutesPerDay;
    std::int64_t rest = minutes % kMinutesPerDay;
    if (rest < 0) {
        rest += kMinutesPerDay;
        --days;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "T%02d:%02d", int(rest / 60), int(rest % 60));
    return format_iso_date(std::int32_t(days)) + buf;
}

TraumaRegistry read_trauma(const std::string& patients_path, const std::string& injuries_path,
                           const TraumaReadOptions& options) {
    TraumaRegistry out;
    Reporter reporter(out.report, options.strict);

    // ---- patients -------------------------------------------------------------------------
    const CsvInput pin = open_csv(patients_path);
    std::vector<std::pair<const char*, bool>> names;
    for (const auto& f : kPatientFields) names.emplace_back(f.name, f.required);
    const std::vector<int> position = match_header(pin, names, "trauma registry patient");

    const auto sex_categories = make_categories(kSexLabels);
    const auto road_user_categories = make_categories(kRoadUserLabels);
    const auto outcome_categories = make_categories(kOutcomeLabels);
    Table& patients = out.patients;
    // Every column is added before any pointer to one is taken (adding may move the columns).
    for (const auto& f : kPatientFields) patients.add(f.name, f.type);
    patients.add("source_line", ColumnType::Int);
    if (!injuries_path.empty()) patients.add("mais_source", ColumnType::Category);
    std::array<Column*, kPatientFields.size()> column{};
    for (std::size_t i = 0; i < kPatientFields.size(); ++i) {
        column[i] = patients.find(kPatientFields[i].name);
        if (kPatientFields[i].field == Field::Sex) column[i]->categories = sex_categories;
        if (kPatientFields[i].field == Field::RoadUser) column[i]->categories = road_user_categories;
        if (kPatientFields[i].field == Field::Outcome30d) column[i]->categories = outcome_categories;
    }
    Column& source_line = *patients.find("source_line");
    auto col = [&](Field f) -> Column& { return *column[std::size_t(f)]; };
    auto header_of = [&](Field f) { return std::string(kPatientFields[std::size_t(f)].name); };

    FileSummary psum{pin.file, "patient", "trauma registry"};
    std::unordered_map<std::string, std::int64_t> first_line;  // trauma_id -> line of the loaded patient
    std::unordered_map<std::string, std::int32_t> row_of_id;
    std::unordered_map<std::string, std::int64_t> rejected_line;  // trauma_id of a rejected patient row -> its line

    for_each_row(
        pin, psum,
        [&](std::int64_t line, const std::vector<std::string_view>& fields) {
            auto value = [&](Field f) -> std::string_view {
                const int p = position[std::size_t(f)];
                return p < 0 ? std::string_view() : fields[std::size_t(p)];
            };
            auto reject = [&](Field f, std::string_view v, std::string reason) {
                ++psum.rows_rejected;
                if (!value(Field::TraumaId).empty()) rejected_line.emplace(std::string(value(Field::TraumaId)), line);
                reporter.add(pin.file, line, "patient", header_of(f), std::string(v), std::move(reason), Outcome::RowRejected);
            };
            const std::string_view id = value(Field::TraumaId);
            if (id.empty()) return reject(Field::TraumaId, id, "trauma_id is empty");
            const std::string_view arrival_text = value(Field::ArrivalDatetime);
            std::int64_t arrival = 0;
            if (arrival_text.empty()) return reject(Field::ArrivalDatetime, arrival_text, "arrival_datetime is missing (it is required)");
            if (!parse_iso_datetime(arrival_text, arrival) || !fits_column(arrival))
                return reject(Field::ArrivalDatetime, arrival_text, kDatetimeReason);
            const std::string key(id);
            if (const auto it = first_line.find(key); it != first_line.end()) {
                ++psum.rows_duplicate;
                reporter.add(pin.file, line, "patient", "trauma_id", key,
                             "duplicate trauma_id: the patient at line " + std::to_string(it->second) + " is kept",
                             Outcome::DuplicateSkipped);
                return;
            }
            first_line.emplace(key, line);
            row_of_id.emplace(key, std::int32_t(patients.rows()));
            ++psum.rows_loaded;
            auto bad = [&](Field f, std::string_view v, std::string reason) {
                reporter.add(pin.file, line, "patient", header_of(f), std::string(v), std::move(reason), Outcome::ValueMissing);
            };

            col(Field::TraumaId).text.append(id);
            col(Field::ArrivalDatetime).ints.push_back(std::int32_t(arrival));
            source_line.ints.push_back(std::int32_t(line));

            {  // incident datetime
                const std::string_view v = value(Field::IncidentDatetime);
                std::int64_t t = 0;
                std::int32_t stored = kMissingInt;
                if (!v.empty()) {
                    if (!parse_iso_datetime(v, t) || !fits_column(t)) bad(Field::IncidentDatetime, v, kDatetimeReason);
                    else {
                        stored = std::int32_t(t);
                        if (t > arrival)
                            reporter.add(pin.file, line, "patient", "incident_datetime", std::string(v),
                                         "incident_datetime is after arrival_datetime (" + std::string(arrival_text) + ")",
                                         Outcome::RowFlagged);
                    }
                }
                col(Field::IncidentDatetime).ints.push_back(stored);
            }
            {  // age
                const std::string_view v = value(Field::Age);
                double age = kMissingFloat;
                if (!v.empty()) {
                    const auto a = parse_number(v);
                    if (!a) bad(Field::Age, v, "age is not a number");
                    else if (*a < 0 || *a > 120) bad(Field::Age, v, "age is outside 0-120 years");
                    else age = *a;
                }
                col(Field::Age).floats.push_back(age);
            }
            auto coded = [&](Field f, auto const& labels) {
                const std::string_view v = value(f);
                std::int32_t code = kMissingInt;
                if (!v.empty()) {
                    code = label_code(v, labels);
                    if (code == kMissingInt) bad(f, v, header_of(f) + " is not one of " + label_list(labels));
                }
                col(f).ints.push_back(code);
            };
            coded(Field::Sex, kSexLabels);
            coded(Field::RoadUser, kRoadUserLabels);
            // A coordinate pair: each inside the grid's range, and both or neither.
            auto pair = [&](Field fe, Field fn) {
                bool reported = false;  // one problem per pair: a bad value already explains the pair's loss
                auto one = [&](Field f, double max) {
                    const std::string_view v = value(f);
                    if (v.empty()) return kMissingFloat;
                    const auto x = parse_number(v);
                    if (!x) {
                        bad(f, v, header_of(f) + " is not a number");
                        reported = true;
                        return kMissingFloat;
                    }
                    if (*x < 0 || *x > max) {
                        bad(f, v, header_of(f) + " is outside the British National Grid (0-" +
                                      std::to_string(int(max)) + " m)");
                        reported = true;
                        return kMissingFloat;
                    }
                    return *x;
                };
                double e = one(fe, 700000), n = one(fn, 1300000);
                if (std::isnan(e) != std::isnan(n)) {
                    if (reported) {
                        col(fe).floats.push_back(kMissingFloat);
                        col(fn).floats.push_back(kMissingFloat);
                        return;
                    }
                    const Field given = std::isnan(e) ? fn : fe, other = std::isnan(e) ? fe : fn;
                    bad(given, value(given), header_of(given) + " without a valid " + header_of(other));
                    e = n = kMissingFloat;
                }
                col(fe).floats.push_back(e);
                col(fn).floats.push_back(n);
            };
            pair(Field::IncidentEasting, Field::IncidentNorthing);
            col(Field::HospitalCode).text.append(value(Field::HospitalCode));
            pair(Field::HospitalEasting, Field::HospitalNorthing);
            auto score = [&](Field f, int lo, int hi) {
                const std::string_view v = value(f);
                std::int32_t s = kMissingInt;
                if (!v.empty()) {
                    const auto x = parse_integer(v);
                    if (!x || *x < lo || *x > hi)
                        bad(f, v, header_of(f) + " is not an integer " + format_number(lo) + "-" + format_number(hi));
                    else s = *x;
                }
                col(f).ints.push_back(s);
                return s;
            };
            const std::int32_t mais = score(Field::Mais, 1, 6);
            const std::int32_t iss = score(Field::Iss, 0, 75);
            if (mais != kMissingInt && iss != kMissingInt) {
                // ISS = up to three squares, each at most MAIS^2, one of them MAIS^2; MAIS 6 means ISS 75.
                const bool possible = mais == 6 ? iss == 75 : (iss >= mais * mais && iss <= 3 * mais * mais);
                if (!possible)
                    reporter.add(pin.file, line, "patient", "iss", std::string(value(Field::Iss)),
                                 "iss " + std::to_string(iss) + " is not possible with mais " + std::to_string(mais),
                                 Outcome::RowFlagged);
            }
            coded(Field::Outcome30d, kOutcomeLabels);
            {
                const std::string_view v = value(Field::LosDays);
                double los = kMissingFloat;
                if (!v.empty()) {
                    const auto x = parse_number(v);
                    if (!x || *x < 0) bad(Field::LosDays, v, "los_days is not a number of days >= 0");
                    else los = *x;
                }
                col(Field::LosDays).floats.push_back(los);
            }
        },
        [&](std::int64_t line, const std::string& column_name, std::string value, std::string reason) {
            ++psum.rows_rejected;
            reporter.add(pin.file, line, "patient", column_name, std::move(value), std::move(reason), Outcome::RowRejected);
        });
    out.report.files.push_back(psum);
    if (injuries_path.empty()) return out;

    // ---- injuries -------------------------------------------------------------------------
    const CsvInput iin = open_csv(injuries_path);
    const std::vector<int> ipos = match_header(
        iin, {{"trauma_id", true}, {"ais_code", false}, {"ais_severity", true}, {"iss_region", true}}, "trauma registry injuries");
    Table& injuries = out.injuries;
    for (const char* name : {"trauma_id", "ais_code"}) injuries.add(name, ColumnType::Text);
    for (const char* name : {"ais_severity", "iss_region", "patient_row", "source_line"}) injuries.add(name, ColumnType::Int);
    Column& i_id = *injuries.find("trauma_id");
    Column& i_code = *injuries.find("ais_code");
    Column& i_sev = *injuries.find("ais_severity");
    Column& i_region = *injuries.find("iss_region");
    Column& i_patient = *injuries.find("patient_row");
    Column& i_line = *injuries.find("source_line");
    FileSummary isum{iin.file, "injury", "trauma registry"};
    for_each_row(
        iin, isum,
        [&](std::int64_t line, const std::vector<std::string_view>& fields) {
            auto value = [&](std::size_t k) { return ipos[k] < 0 ? std::string_view() : fields[std::size_t(ipos[k])]; };
            auto reject = [&](const char* column_name, std::string_view v, std::string reason) {
                ++isum.rows_rejected;
                reporter.add(iin.file, line, "injury", column_name, std::string(v), std::move(reason), Outcome::RowRejected);
            };
            const std::string_view id = value(0);
            if (id.empty()) return reject("trauma_id", id, "trauma_id is empty");
            const auto it = row_of_id.find(std::string(id));
            if (it == row_of_id.end()) {
                const auto r = rejected_line.find(std::string(id));
                if (r != rejected_line.end())
                    return reject("trauma_id", id, "the patient row of this trauma_id (line " + std::to_string(r->second) +
                                                       " of the patient file) was rejected");
                return reject("trauma_id", id, "no patient with this trauma_id in the patient file");
            }
            const auto sev = parse_integer(value(2));
            if (!sev || !((*sev >= 1 && *sev <= 6) || *sev == 9))
                return reject("ais_severity", value(2), "ais_severity is not 1-6 or 9 (unknown)");
            const auto region = parse_integer(value(3));
            if (!region || *region < 1 || *region > 6) return reject("iss_region", value(3), "iss_region is not an integer 1-6");
            ++isum.rows_loaded;
            i_id.text.append(id);
            i_code.text.append(value(1));
            i_sev.ints.push_back(*sev);
            i_region.ints.push_back(*region);
            i_patient.ints.push_back(it->second);
            i_line.ints.push_back(std::int32_t(line));
        },
        [&](std::int64_t line, const std::string& column_name, std::string value, std::string reason) {
            ++isum.rows_rejected;
            reporter.add(iin.file, line, "injury", column_name, std::move(value), std::move(reason), Outcome::RowRejected);
        });
    out.report.files.push_back(isum);

    // ---- MAIS / ISS from the injuries (kept), checked against the patient file -----------
    const std::size_t n = patients.rows();
    std::vector<std::vector<Injury>> by_patient(n);
    for (std::size_t r = 0; r < injuries.rows(); ++r)
        by_patient[std::size_t(i_patient.ints[r])].push_back({i_sev.ints[r], i_region.ints[r]});
    Column& mais = col(Field::Mais);
    Column& iss = col(Field::Iss);
    Column& source = *patients.find("mais_source");
    static constexpr const char* kSourceLabels[] = {"injuries", "patient file"};
    source.categories = make_categories(kSourceLabels);
    for (std::size_t p = 0; p < n; ++p) {
        if (by_patient[p].empty()) {
            source.ints.push_back(mais.ints[p] == kMissingInt && iss.ints[p] == kMissingInt ? kMissingInt : 1);
            continue;
        }
        source.ints.push_back(0);
        const InjuryScores s = injury_scores(by_patient[p]);
        const std::int32_t derived[2] = {s.mais < 0 ? kMissingInt : s.mais, s.iss < 0 ? kMissingInt : s.iss};
        Column* columns[2] = {&mais, &iss};
        const char* labels[2] = {"mais", "iss"};
        for (int k = 0; k < 2; ++k) {
            std::int32_t& given = columns[k]->ints[p];
            if (given != kMissingInt && given != derived[k])
                reporter.add(pin.file, source_line.ints[p], "patient", labels[k], std::to_string(given),
                             std::string(labels[k]) + " " + std::to_string(given) + " in the patient file, " +
                                 format_score(derived[k]) + " from the injuries file (the injuries' value is kept)",
                             Outcome::RowFlagged);
            given = derived[k];
        }
    }
    return out;
}

}  // namespace roadsafe::io
