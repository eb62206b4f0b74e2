#pragma once
// What a load did with every input row: rows read / loaded / rejected per file, and one entry per
// problem with file, line, column, value and reason. Nothing is dropped without an entry here.
#include <array>
#include <cstdint>
#include <deque>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace roadsafe::io {

enum class Outcome : std::uint8_t {
    RowRejected,      // the row is not in the tables
    ValueMissing,     // the row is loaded; this value is set missing
    RowFlagged,       // the row and value are loaded, with a warning (unknown code, placeholder location)
    DuplicateSkipped, // the row repeats one already loaded (same key) and is not loaded again
    ColumnNotLoaded,  // a whole source column was not loaded (line 1)
};
inline constexpr int kOutcomeCount = 5;
const char* outcome_name(Outcome outcome) noexcept;

// One entry as text, as it is read back from the report (the report stores entries column by column).
struct ReportEntry {
    std::string file;
    std::int64_t line = 0;
    std::string table;   // collision, vehicle or casualty
    std::string column;  // source header (or field name)
    std::string value;
    std::string reason;
    Outcome outcome = Outcome::RowRejected;
};

// One entry to add, as views (copied into the report's columns by ReportEntries::add). A reason that names
// another place of the input ("already loaded from FILE:LINE") gives that place apart: `reason` is then the
// text before it ("already loaded from"), kept once for all such entries.
struct EntryFields {
    std::string_view file;
    std::int64_t line = 0;
    std::string_view table;
    std::string_view column;
    std::string_view value;
    std::string_view reason;
    Outcome outcome = Outcome::RowRejected;
    std::string_view related_file = {};  // the place the reason names, if any
    std::int64_t related_line = 0;
};

// How an entry's value is stored: raw input bytes are made printable (bytes outside printable ASCII
// become \xHH, as escape_bytes writes them); other values (already text) are kept as given.
enum class ValueBytes : std::uint8_t { Text, RawInput };

// Distinct strings, each given a small id in order of first appearance.
class StringIds {
public:
    StringIds() = default;
    StringIds(const StringIds& other) : strings_(other.strings_) { index(); }
    StringIds& operator=(const StringIds& other);
    StringIds(StringIds&&) noexcept = default;  // a deque moved keeps its strings where they are
    StringIds& operator=(StringIds&&) noexcept = default;

    std::int32_t id(std::string_view s);
    // As id(), for a text that stays where it is, unchanged, while these ids are made (a parse's file, table,
    // column and reason texts): known again by its address and length, its characters not compared.
    std::int32_t id_of_stable(std::string_view s);
    const std::string& operator[](std::int32_t id) const { return strings_[static_cast<std::size_t>(id)]; }
    std::size_t size() const noexcept { return strings_.size(); }
    const std::deque<std::string>& strings() const noexcept { return strings_; }

private:
    void index();  // the map, from the strings (after a copy: the map's keys view this object's strings)

    std::deque<std::string> strings_;  // a deque: adding never moves the strings the map's keys view
    std::unordered_map<std::string_view, std::int32_t> ids_;
    std::int32_t last_ = -1;  // the id found last
    struct KnownText {
        const char* data = nullptr;
        std::size_t size = 0;
        std::int32_t id = -1;
    };
    std::array<KnownText, 64> known_{};  // id_of_stable's texts, by a slot of their address
};

// The report's entries, column by column: per entry only integers (ids of the file, table, column and
// reason, each text kept once; the value's place in one shared buffer). Millions of flagged values cost
// some 40 bytes each and no allocation of their own; entries are read back as ReportEntry, formatted then.
class ReportEntries {
public:
    // The columns, one element per entry (value_offsets: one more, into value_chars).
    struct Columns {
        std::vector<std::int32_t> file, table, column, reason;
        std::vector<std::int64_t> line;
        std::vector<std::uint8_t> outcome;  // Outcome
        std::vector<std::int64_t> value_offsets{0};
        std::string value_chars;
        std::vector<std::int32_t> related_file;  // -1: the reason names no other place
        std::vector<std::int64_t> related_line;
    };

    void add(const EntryFields& e, ValueBytes bytes = ValueBytes::Text);
    // As add(), when the file, table, column and reason texts stay where they are, unchanged, while entries
    // are added (StringIds::id_of_stable): a parse's millions of flagged values name a few texts.
    void add_stable_texts(const EntryFields& e, ValueBytes bytes = ValueBytes::Text);
    void push_back(const ReportEntry& e);
    // Room for `entries` more entries with `value_bytes` more bytes of values (before appending many chunks).
    void reserve_more(std::size_t entries, std::size_t value_bytes);
    // Appends `other`'s entries, their lines shifted by `line_offset` (a chunk's lines made file-wide; the
    // places reasons name are file-wide already).
    void append(const ReportEntries& other, std::int64_t line_offset = 0);

    std::size_t size() const noexcept { return columns_.line.size(); }
    bool empty() const noexcept { return columns_.line.empty(); }
    Outcome outcome(std::size_t i) const { return static_cast<Outcome>(columns_.outcome[i]); }
    ReportEntry operator[](std::size_t i) const;
    ReportEntry front() const { return (*this)[0]; }

    const Columns& columns() const noexcept { return columns_; }
    const StringIds& files() const noexcept { return files_; }
    const StringIds& tables() const noexcept { return tables_; }
    const StringIds& column_names() const noexcept { return column_names_; }
    const StringIds& reasons() const noexcept { return reasons_; }

    // Entries read in order, each formatted as a ReportEntry.
    class const_iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = ReportEntry;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = ReportEntry;
        const_iterator(const ReportEntries* entries, std::size_t i) : entries_(entries), i_(i) {}
        ReportEntry operator*() const { return (*entries_)[i_]; }
        const_iterator& operator++() {
            ++i_;
            return *this;
        }
        bool operator==(const const_iterator& o) const { return i_ == o.i_; }
        bool operator!=(const const_iterator& o) const { return i_ != o.i_; }

    private:
        const ReportEntries* entries_;
        std::size_t i_;
    };
    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, size()}; }

private:
    void append_value(std::string_view value, ValueBytes bytes);
    template <bool kStableTexts>
    void add_entry(const EntryFields& e, ValueBytes bytes);

    Columns columns_;
    StringIds files_, tables_, column_names_, reasons_;
};

struct FileSummary {
    std::string file;
    std::string table;       // collision, vehicle or casualty
    std::string generation;  // "2024+", "2021-2023", "pre-2021" or "profile: <name>", then how the file was
                             // read when not as comma-separated UTF-8 (", sheet 'X' of a spreadsheet")
    std::int64_t rows_read = 0;
    std::int64_t rows_loaded = 0;
    std::int64_t rows_rejected = 0;    // malformed rows
    std::int64_t rows_duplicate = 0;   // rows whose key was already loaded
};

struct LoadReport {
    std::vector<FileSummary> files;
    ReportEntries entries;
    std::string coordinate_transformation;  // the PROJ operation used to fill coordinates, if any
    std::vector<std::pair<std::string, double>> timings;  // seconds per stage, for benchmarks and diagnosis
};

}  // namespace roadsafe::io
