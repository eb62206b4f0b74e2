// libFuzzer target: the CSV line splitter and record finder, with the promises their header makes
// checked on every input (a broken promise traps: a finding like a crash).
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "roadsafe/io/csv_line.hpp"

namespace {
using roadsafe::fuzz::require;
bool inside(std::string_view part, std::string_view whole) {
    return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace roadsafe::io;
    const std::string_view text = roadsafe::fuzz::as_text(data, size);

    // Every record of the text, as the readers walk it: each ends at a line break or the end.
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t open_quote = 0;
        const std::size_t end = find_record_end(text, pos, open_quote);
        require(end >= pos && end <= text.size());
        require(end == text.size() || text[end] == '\n');
        require(open_quote == std::string_view::npos || (open_quote >= pos && open_quote < text.size()));
        const std::string_view record = text.substr(pos, end - pos);
        const std::size_t cut = stray_quote_cut(record, 3);
        require(cut == std::string_view::npos || (cut < record.size() && record[cut] == '\n'));
        pos = end + 1;
    }

    // Each physical line split into fields: views into the line or the scratch buffer only.
    std::vector<std::string_view> fields;
    std::string scratch;
    std::string_view rest = text;
    while (true) {
        const std::size_t nl = rest.find('\n');
        const std::string_view line = rest.substr(0, nl);
        const bool closed = split_csv_line(line, fields, scratch);
        require(!closed || !fields.empty());
        for (const auto f : fields) require(inside(f, line) || inside(f, scratch));
        if (closed && line.find('"') == std::string_view::npos) {
            std::size_t commas = 0;
            for (char c : line) commas += c == ',';
            require(fields.size() == commas + 1);
        }
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
    }

    std::string utf8;
    append_latin1_as_utf8(text, utf8);
    require(is_valid_utf8(utf8));
    require(!is_ascii(text) || utf8 == text);
    (void)not_text_reason(text);
    (void)escape_bytes(text);
    (void)trim(text);
    return 0;
}
