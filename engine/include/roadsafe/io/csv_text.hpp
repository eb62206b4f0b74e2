#pragma once
// What an input file holds, as the CSV text the readers split. Analysts' files are not always
// comma-separated UTF-8: a UTF-16 export is decoded by its byte-order mark, a spreadsheet
// (.xlsx, .ods, .xls) has one sheet read through GDAL, and the separator (comma, semicolon or
// tab) is taken from the header line. A plain CSV file is not copied.
#include <string>
#include <string_view>
#include <vector>

namespace roadsafe::io {

class CsvText {
public:
    // `bytes` must outlive this object. `sheet` names a spreadsheet's sheet; by default the first whose
    // first row names one of `key_columns` (lower case) is read, else the first with rows.
    CsvText(const std::string& file, std::string_view bytes, const std::string& sheet = "",
            const std::vector<std::string>& key_columns = {});
    CsvText(const CsvText&) = delete;
    CsvText& operator=(const CsvText&) = delete;

    std::string_view text() const { return text_; }  // without a UTF-8 byte-order mark
    char separator() const { return separator_; }
    // How the text was obtained when it is not the file's own bytes ("sheet 'Collisions' of a spreadsheet").
    const std::string& origin() const { return origin_; }
    // Why the file could not be turned into text ("" when it could); the readers report it as unreadable.
    const std::string& problem() const { return problem_; }

private:
    void read_sheet(const std::string& file, const std::string& sheet, const std::vector<std::string>& key_columns);
    std::string_view bytes_;  // the file's own
    std::string owned_;
    std::string_view text_;
    char separator_ = ',';
    std::string origin_;
    std::string problem_;
};

// The separator of a header line: whichever of comma, semicolon and tab occurs most outside
// quotes (a comma on a tie, and when there is none of them: a one-column file).
char header_separator(std::string_view header_line) noexcept;
// UTF-16 text (little- or big-endian, after its byte-order mark) as UTF-8; unpaired surrogates become U+FFFD.
std::string utf16_to_utf8(std::string_view bytes, bool big_endian);

}  // namespace roadsafe::io
