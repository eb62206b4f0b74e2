#pragma once
// Splitting one CSV line into fields without allocating, and text-encoding checks.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace roadsafe::io {

enum class TextEncoding { Utf8, Latin1 };

// Splits `line` (no line terminator) at `separator` (a comma, or a semicolon or tab), honouring double quotes ("" inside quotes is a quote).
// Unescaped quoted fields are written to `scratch`, which is resized once to the line's length so
// the views stay valid. Returns false when a quote is not closed before the end of the line.
bool split_csv_line(std::string_view line, std::vector<std::string_view>& fields, std::string& scratch,
                    char separator = ',');

// The fields of one line, written in place: `views` only grows (each line overwrites it), and the line's
// fields are the first size() of them. Splitting millions of lines, a field costs one store.
class LineFields {
public:
    std::size_t size() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }
    std::string_view operator[](std::size_t i) const { return views_[i]; }
    std::string_view& back() { return views_[count_ - 1]; }
    const std::string_view* begin() const noexcept { return views_.data(); }
    const std::string_view* end() const noexcept { return views_.data() + count_; }
    // Takes the fields split_csv_line gave.
    void assign(const std::vector<std::string_view>& fields);

private:
    friend std::size_t split_unquoted_line(std::string_view, std::size_t, LineFields&, char);
    std::vector<std::string_view> views_;
    std::size_t count_ = 0;
};

// Finds the end of the line starting at `pos` in `text` and splits it, in one pass, when it holds no
// quote: returns the offset of its '\n' (or text.size()), with `fields` as split_csv_line gives them
// (a '\r' before the '\n' is left at the end of the last field). Returns npos at a quote: split the
// line with split_csv_line then.
std::size_t split_unquoted_line(std::string_view text, std::size_t pos, LineFields& fields, char separator = ',');

// Where the CSV record starting at `pos` ends when a quoted field may hold line breaks (RFC 4180):
// the offset of the first '\n' outside quotes, or text.size(). Quotes open only at the start of a
// field, as in split_csv_line, so the record splits the same way there. When a quote is still open
// at the end of `text`, `open_quote` is set to its offset (otherwise std::string_view::npos).
std::size_t find_record_end(std::string_view text, std::size_t pos, std::size_t& open_quote,
                            char separator = ',') noexcept;

// A record that runs over several lines because of a stray quote, not a line break inside a value:
// its second line is a whole record of `field_count` fields with no quote in it, or it runs over more
// than `max_lines` lines. Returns the offset of the record's first line break then (where to cut it), else npos.
std::size_t stray_quote_cut(std::string_view record, std::size_t field_count, char separator = ',',
                            std::size_t max_lines = 20);

// Why the start of a file is not CSV text, or "" when it is: a NUL byte, or bytes that are neither
// UTF-8 nor Windows-1252 text (control characters, or bytes Windows-1252 leaves undefined).
// Offsets in the reason are 1-based bytes from the start of `sample`.
std::string not_text_reason(std::string_view sample);

inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}
bool is_valid_utf8(std::string_view s) noexcept;
bool is_ascii(std::string_view s) noexcept;
// The number of '\n' in `text`, 16 bytes a compare where SSE2 is there.
std::size_t count_line_breaks(std::string_view text) noexcept;
// Appends `s`, read as Latin-1 / Windows-1252, to `out` as UTF-8.
void append_latin1_as_utf8(std::string_view s, std::string& out);
// A printable form of raw bytes for messages: non-ASCII bytes as \xHH.
std::string escape_bytes(std::string_view s);
// The same, appended to `out` (no allocation of its own).
void append_escaped_bytes(std::string_view s, std::string& out);

}  // namespace roadsafe::io
