#include "roadsafe/io/csv_line.hpp"

#include <algorithm>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace roadsafe::io {

namespace {

// Where split_unquoted puts fields: a vector (split_csv_line's), or a LineFields' storage written in place.
struct VectorSink {
    std::vector<std::string_view>& fields;
    void make_room() {}
    void add(const char* p, std::size_t n) { fields.emplace_back(p, n); }
};

struct InPlaceSink {
    std::vector<std::string_view>& views;
    std::string_view* out = views.data();
    std::size_t count = 0, room = views.size();
    // Room for a 16-byte block's fields and the line's last one before each block: no check a field.
    void make_room() {
        if (room - count >= 17) return;
        views.resize(views.size() * 2 + 64);
        out = views.data();
        room = views.size();
    }
    void add(const char* p, std::size_t n) { out[count++] = std::string_view(p, n); }
};

// The common case, text with no quote: fields cut at each separator from `p`, 16 bytes compared at a
// time where SSE2 is there (every x86-64), up to `end` or, with kToLineEnd, the first line break.
// Returns where it stopped (the line break or `end`), or nullptr, having cut some fields, at a quote.
template <bool kToLineEnd, typename Sink>
const char* split_unquoted(const char* p, const char* const end, Sink& fields, char separator) {
    const char* start = p;
    fields.make_room();
#if defined(__SSE2__)
    const __m128i separators = _mm_set1_epi8(separator), quotes = _mm_set1_epi8('"'), breaks = _mm_set1_epi8('\n');
    for (; end - p >= 16; p += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        auto found = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, separators)));
        auto quoted = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quotes)));
        unsigned line_end = 0;
        if constexpr (kToLineEnd) {
            line_end = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, breaks)));
            if (line_end) {  // only what comes before the break is on this line
                const unsigned before = (line_end & (0u - line_end)) - 1;
                found &= before;
                quoted &= before;
            }
        }
        if (quoted) return nullptr;
        fields.make_room();
        for (; found; found &= found - 1) {
            const char* at = p + __builtin_ctz(found);
            fields.add(start, std::size_t(at - start));
            start = at + 1;
        }
        if (line_end) {
            const char* at = p + __builtin_ctz(line_end);
            fields.add(start, std::size_t(at - start));
            return at;
        }
    }
#endif
    for (; p < end; ++p) {
        if (*p == '"') return nullptr;
        if (kToLineEnd && *p == '\n') break;
        if (*p == separator) {
            fields.make_room();
            fields.add(start, std::size_t(p - start));
            start = p + 1;
        }
    }
    fields.make_room();
    fields.add(start, std::size_t(p - start));
    return p;
}

}  // namespace

bool split_csv_line(std::string_view line, std::vector<std::string_view>& fields, std::string& scratch, char separator) {
    fields.clear();
    VectorSink sink{fields};
    if (split_unquoted<false>(line.data(), line.data() + line.size(), sink, separator)) return true;
    fields.clear();
    std::size_t i = 0;
    const std::size_t n = line.size();
    bool scratch_ready = false;
    std::size_t scratch_used = 0;
    while (true) {
        if (i < n && line[i] == '"') {
            // Quoted field: copy unescaped characters to scratch.
            if (!scratch_ready) {
                scratch.resize(n);
                scratch_ready = true;
            }
            const std::size_t start = scratch_used;
            ++i;
            bool closed = false;
            while (i < n) {
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        scratch[scratch_used++] = '"';
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                scratch[scratch_used++] = line[i++];
            }
            if (!closed) return false;
            // Characters between the closing quote and the comma are kept (lenient, like most readers).
            while (i < n && line[i] != separator) scratch[scratch_used++] = line[i++];
            fields.emplace_back(scratch.data() + start, scratch_used - start);
        } else {
            const std::size_t start = i;
            while (i < n && line[i] != separator) ++i;
            fields.push_back(line.substr(start, i - start));
        }
        if (i >= n) break;
        ++i;  // skip the separator
        if (i == n) {
            fields.emplace_back();  // a trailing comma ends with an empty field
            break;
        }
    }
    return true;
}

void LineFields::assign(const std::vector<std::string_view>& fields) {
    if (views_.size() < fields.size()) views_.resize(fields.size());
    std::copy(fields.begin(), fields.end(), views_.begin());
    count_ = fields.size();
}

std::size_t split_unquoted_line(std::string_view text, std::size_t pos, LineFields& fields, char separator) {
    InPlaceSink sink{fields.views_};
    const char* stop = split_unquoted<true>(text.data() + pos, text.data() + text.size(), sink, separator);
    fields.count_ = sink.count;
    return stop ? std::size_t(stop - text.data()) : std::string_view::npos;
}

std::size_t find_record_end(std::string_view text, std::size_t pos, std::size_t& open_quote, char separator) noexcept {
    open_quote = std::string_view::npos;
    const std::size_t n = text.size();
    bool field_start = true;
    std::size_t i = pos;
    while (i < n) {
        const char c = text[i];
        if (field_start && c == '"') {
            const std::size_t opened = i++;
            while (true) {  // inside quotes: line breaks are part of the value; "" is a quote
                const std::size_t q = text.find('"', i);
                if (q == std::string_view::npos) {
                    open_quote = opened;
                    return n;
                }
                i = q + 1;
                if (i < n && text[i] == '"') {
                    ++i;
                    continue;
                }
                break;
            }
            field_start = false;
            continue;
        }
        if (c == '\n') return i;
        field_start = c == separator;
        ++i;
    }
    return n;
}

std::size_t stray_quote_cut(std::string_view record, std::size_t field_count, char separator, std::size_t max_lines) {
    const std::size_t first = record.find('\n');
    if (first == std::string_view::npos) return std::string_view::npos;
    if (std::size_t(std::count(record.begin(), record.end(), '\n')) + 1 > max_lines) return first;
    const std::size_t second_end = record.find('\n', first + 1);
    std::string_view second = record.substr(first + 1, second_end == std::string_view::npos ? std::string_view::npos
                                                                                          : second_end - first - 1);
    if (!second.empty() && second.back() == '\r') second.remove_suffix(1);
    // A value's own line break leaves its closing quote on a later line; a record after a stray quote
    // has none (the quote that ends the swallowing is further down).
    if (second.find('"') != std::string_view::npos) return std::string_view::npos;
    std::vector<std::string_view> fields;
    std::string scratch;
    return split_csv_line(second, fields, scratch, separator) && fields.size() == field_count ? first : std::string_view::npos;
}

std::string not_text_reason(std::string_view sample) {
    // Spreadsheets and UTF-16 never get here: CsvText reads them.
    if (const auto nul = sample.find('\0'); nul != std::string_view::npos)
        return "not a CSV text file: NUL byte at byte " + std::to_string(nul + 1);
    // Cut at the last line end so a UTF-8 sequence split by the sample's end is not a failure.
    if (const auto nl = sample.rfind('\n'); nl != std::string_view::npos) sample = sample.substr(0, nl + 1);
    if (is_valid_utf8(sample)) return {};
    for (std::size_t i = 0; i < sample.size(); ++i) {
        const auto c = static_cast<unsigned char>(sample[i]);
        // Tab, line ends, form feed and the DOS end-of-file mark occur in real text exports.
        const bool control = c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1A;
        const bool undefined_1252 = c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
        if (control || undefined_1252) {
            char byte[8];
            std::snprintf(byte, sizeof byte, "0x%02X", c);
            return std::string("not a CSV text file: not UTF-8 or Windows-1252 text (byte ") + byte + " at byte " +
                   std::to_string(i + 1) + ")";
        }
    }
    return {};
}

bool is_ascii(std::string_view s) noexcept {
    // Eight bytes a test: the values are short, where a byte loop's set-up dominates.
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, s.data() + i, 8);
        if (word & 0x8080808080808080u) return false;
    }
    for (; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
    return true;
}

std::size_t count_line_breaks(std::string_view text) noexcept {
    std::size_t n = 0;
    const char* p = text.data();
    const char* const end = p + text.size();
#if defined(__SSE2__)
    // Each compare's matches (-1 a byte) are summed in 16 byte counters, added up before any can overflow.
    const __m128i breaks = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (end - p >= 16) {
        __m128i counts = zero;
        for (int i = 0; i < 255 && end - p >= 16; ++i, p += 16)
            counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), breaks));
        const __m128i sums = _mm_sad_epu8(counts, zero);
        n += std::size_t(_mm_cvtsi128_si32(sums)) + std::size_t(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
    }
#endif
    for (; p < end; ++p) n += *p == '\n';
    return n;
}

bool is_valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) { ++p; continue; }
        int extra;
        unsigned min;
        if ((c & 0xE0) == 0xC0) { extra = 1; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { extra = 2; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { extra = 3; min = 0x10000; }
        else return false;
        if (end - p <= extra) return false;
        unsigned cp = c & (0x3F >> extra);
        for (int k = 1; k <= extra; ++k) {
            if ((p[k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        p += extra + 1;
    }
    return true;
}

void append_latin1_as_utf8(std::string_view s, std::string& out) {
    // Windows-1252 differs from Latin-1 in 0x80-0x9F; exports from Windows tools use it.
    static constexpr char16_t kCp1252[32] = {
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
    for (unsigned char c : s) {
        unsigned cp = c;
        if (c >= 0x80 && c < 0xA0) cp = kCp1252[c - 0x80];
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }
}

std::string escape_bytes(std::string_view s) {
    std::string out;
    append_escaped_bytes(s, out);
    return out;
}

void append_escaped_bytes(std::string_view s, std::string& out) {
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7F) {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        }
    }
}

}  // namespace roadsafe::io
