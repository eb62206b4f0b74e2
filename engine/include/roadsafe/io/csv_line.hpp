#pragma once
// Splitting one CSV line into fields without allocating, and text-encoding checks.
#include <string>
#include <string_view>
#include <vector>

namespace roadsafe::io {

enum class TextEncoding { Utf8, Latin1 };

// Splits `line` (no line terminator) at commas, honouring double quotes ("" inside quotes is a quote).
// Unescaped quoted fields are written to `scratch`, which is resized once to the line's length so
// the views stay valid. Returns false when a quote is not closed before the end of the line.
bool split_csv_line(std::string_view line, std::vector<std::string_view>& fields, std::string& scratch);

inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}
bool is_valid_utf8(std::string_view s) noexcept;
bool is_ascii(std::string_view s) noexcept;
// Appends `s`, read as Latin-1 / Windows-1252, to `out` as UTF-8.
void append_latin1_as_utf8(std::string_view s, std::string& out);
// A printable form of raw bytes for messages: non-ASCII bytes as \xHH.
std::string escape_bytes(std::string_view s);

}  // namespace roadsafe::io
