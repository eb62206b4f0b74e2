// CSV line splitting and the text-encoding helpers the readers use.
#include <gtest/gtest.h>

#include <utility>

#include "roadsafe/io/csv_line.hpp"

using namespace roadsafe::io;

namespace {

std::vector<std::string> split(std::string_view line, bool* ok = nullptr) {
    std::vector<std::string_view> fields;
    std::string scratch;
    const bool closed = split_csv_line(line, fields, scratch);
    if (ok) *ok = closed;
    return {fields.begin(), fields.end()};
}

using Fields = std::vector<std::string>;

}  // namespace

TEST(SplitCsvLine, PlainFields) {
    EXPECT_EQ(split("a,b,c"), (Fields{"a", "b", "c"}));
    EXPECT_EQ(split("2021411040768,2021,,-1"), (Fields{"2021411040768", "2021", "", "-1"}));
    EXPECT_EQ(split(" a , b "), (Fields{" a ", " b "}));  // spaces are kept; readers trim
}

TEST(SplitCsvLine, EmptyLineIsOneEmptyField) {
    EXPECT_EQ(split(""), (Fields{""}));
    EXPECT_EQ(split(","), (Fields{"", ""}));
    EXPECT_EQ(split(",,"), (Fields{"", "", ""}));
}

TEST(SplitCsvLine, TrailingCommaEndsWithAnEmptyField) {
    EXPECT_EQ(split("a,b,"), (Fields{"a", "b", ""}));
    EXPECT_EQ(split("\"a\","), (Fields{"a", ""}));
}

TEST(SplitCsvLine, QuotedCommasAndEscapedQuotes) {
    EXPECT_EQ(split("1,\"Not at,or within 20m of, junction\",Did not skid"),
              (Fields{"1", "Not at,or within 20m of, junction", "Did not skid"}));
    EXPECT_EQ(split("\"He said \"\"stop\"\"\",x"), (Fields{"He said \"stop\"", "x"}));
    EXPECT_EQ(split("\"\""), (Fields{""}));
    EXPECT_EQ(split("\"\"\"\""), (Fields{"\""}));
    EXPECT_EQ(split("\"a\",\"b\",\"c\""), (Fields{"a", "b", "c"}));
    // Text after a closing quote is kept, as most readers do.
    EXPECT_EQ(split("\"a\"b,c"), (Fields{"ab", "c"}));
    // A quote inside an unquoted field is an ordinary character.
    EXPECT_EQ(split("5\" pipe,x"), (Fields{"5\" pipe", "x"}));
}

TEST(SplitCsvLine, UnclosedQuoteIsReported) {
    bool ok = true;
    (void)split("a,\"b,c", &ok);
    EXPECT_FALSE(ok);
    (void)split("\"", &ok);
    EXPECT_FALSE(ok);
    (void)split("\"a\"\"", &ok);  // the last quote pair is an escaped quote, so the field is still open
    EXPECT_FALSE(ok);
    (void)split("\"a\"", &ok);
    EXPECT_TRUE(ok);
}

TEST(SplitCsvLine, FieldsStayValidWhileScratchIsKept) {
    std::vector<std::string_view> fields;
    std::string scratch;
    ASSERT_TRUE(split_csv_line("\"x,1\",\"y\"\"2\",plain,\"z\"", fields, scratch));
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[0], "x,1");
    EXPECT_EQ(fields[1], "y\"2");
    EXPECT_EQ(fields[2], "plain");
    EXPECT_EQ(fields[3], "z");
    // The vector is reused: a second call replaces the fields.
    ASSERT_TRUE(split_csv_line("only", fields, scratch));
    EXPECT_EQ(fields, (std::vector<std::string_view>{"only"}));
}

TEST(Trim, SpacesAndTabsOnly) {
    EXPECT_EQ(trim("  a b\t"), "a b");
    EXPECT_EQ(trim("\t\t"), "");
    EXPECT_EQ(trim(""), "");
    EXPECT_EQ(trim("x\r"), "x\r");
}

TEST(Utf8, ValidSequences) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ASCII"));
    EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9"));       // U+00E9
    EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC"));      // U+20AC euro
    EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x9A\x97"));  // U+1F697 car
    EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBD"));      // U+FFFD
    EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
    EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
}

TEST(Utf8, InvalidSequences) {
    EXPECT_FALSE(is_valid_utf8("caf\xE9"));               // Latin-1 e-acute
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));              // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));              // overlong U+007F
    EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));          // overlong, 3 bytes
    EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));      // overlong, 4 bytes
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));          // U+D800, a surrogate
    EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));          // U+DFFF, a surrogate
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));      // U+110000, past the last code point
    EXPECT_FALSE(is_valid_utf8("\xC3"));                  // truncated at the end
    EXPECT_FALSE(is_valid_utf8("\xE2\x82"));              // truncated at the end
    EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x9A"));          // truncated at the end
    EXPECT_FALSE(is_valid_utf8("\xE2\x82x"));             // continuation byte missing
    EXPECT_FALSE(is_valid_utf8("\x80"));                  // lone continuation byte
    EXPECT_FALSE(is_valid_utf8("\xF8\x88\x80\x80\x80"));  // 5-byte form
    EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Latin1, ConvertsToUtf8) {
    std::string out;
    append_latin1_as_utf8("caf\xE9", out);
    EXPECT_EQ(out, "caf\xC3\xA9");
    EXPECT_TRUE(is_valid_utf8(out));
    out.clear();
    append_latin1_as_utf8("CAF\xC9", out);  // the Cambridgeshire export's byte
    EXPECT_EQ(out, "CAF\xC3\x89");
    out = "prefix ";
    append_latin1_as_utf8(
        "\xA3"
        "5",
        out);  // pound sign, appended
    EXPECT_EQ(out,
              "prefix \xC2\xA3"
              "5");
    out.clear();
    append_latin1_as_utf8("\xFF", out);
    EXPECT_EQ(out, "\xC3\xBF");
}

TEST(Latin1, Windows1252RangeIsDecodedAsCp1252) {
    std::string out;
    append_latin1_as_utf8("\x80", out);  // euro sign in cp1252
    EXPECT_EQ(out, "\xE2\x82\xAC");
    out.clear();
    append_latin1_as_utf8("\x93quoted\x94", out);  // curly quotes
    EXPECT_EQ(out, "\xE2\x80\x9Cquoted\xE2\x80\x9D");
    out.clear();
    append_latin1_as_utf8("\x81", out);  // undefined in cp1252: the replacement character
    EXPECT_EQ(out, "\xEF\xBF\xBD");
    EXPECT_TRUE(is_valid_utf8(out));
}

TEST(EscapeBytes, NonPrintableAsHex) {
    EXPECT_EQ(escape_bytes("E01031\xE9"
                           "482"),
              "E01031\\xE9482");
    EXPECT_EQ(escape_bytes("a\tb\r"), "a\\x09b\\x0D");
    EXPECT_EQ(escape_bytes(std::string_view("\x00", 1)), "\\x00");
    EXPECT_EQ(escape_bytes("plain"), "plain");
    EXPECT_TRUE(is_ascii("plain, text"));
    EXPECT_FALSE(is_ascii("caf\xC3\xA9"));
}

namespace {

// The record starting at `pos`, with the offset of a quote left open (npos when none).
std::pair<std::string, std::size_t> record(std::string_view text, std::size_t pos = 0) {
    std::size_t open = 0;
    const std::size_t end = find_record_end(text, pos, open);
    return {std::string(text.substr(pos, end - pos)), open};
}

constexpr std::size_t kNone = std::string_view::npos;

}  // namespace

TEST(FindRecordEnd, EndsAtTheFirstLineBreakOutsideQuotes) {
    EXPECT_EQ(record("a,b\nc,d\n"), std::make_pair(std::string("a,b"), kNone));
    EXPECT_EQ(record("a,b\nc,d\n", 4), std::make_pair(std::string("c,d"), kNone));
    EXPECT_EQ(record("a,b"), std::make_pair(std::string("a,b"), kNone));  // no line end at the end of the text
    EXPECT_EQ(record("a,\"x\ny\",b\nnext"), std::make_pair(std::string("a,\"x\ny\",b"), kNone));
    EXPECT_EQ(record("\"x\r\ny\"\r\nnext"), std::make_pair(std::string("\"x\r\ny\"\r"), kNone));
    // An escaped quote does not close the field; two quoted fields in a row.
    EXPECT_EQ(record("\"say \"\"hi\"\"\nthere\",\"2\n\"\nnext"),
              std::make_pair(std::string("\"say \"\"hi\"\"\nthere\",\"2\n\""), kNone));
}

TEST(FindRecordEnd, QuotesOpenOnlyAtTheStartOfAField) {
    // As in split_csv_line: 5" is a plain value, and text after a closing quote is kept as it is.
    EXPECT_EQ(record("a,5\" tyre\nb"), std::make_pair(std::string("a,5\" tyre"), kNone));
    EXPECT_EQ(record("\"a\"b\"c\nd"), std::make_pair(std::string("\"a\"b\"c"), kNone));
}

TEST(FindRecordEnd, AQuoteNeverClosedIsReportedAtItsOffset) {
    EXPECT_EQ(record("a,\"b\nc,d\n"), std::make_pair(std::string("a,\"b\nc,d\n"), std::size_t{2}));
    EXPECT_EQ(record("a,\"b\"\"\n"), std::make_pair(std::string("a,\"b\"\"\n"), std::size_t{2}));
}

TEST(FindRecordEnd, SplitsLikeSplitCsvLine) {
    bool ok = false;
    const auto [text, open] = record("1,\"A10 NORTHBOUND\nMILL RD, \"\"THE BRIDGE\"\"\",3\n2,x,y");
    ASSERT_EQ(open, kNone);
    EXPECT_EQ(split(text, &ok), (Fields{"1", "A10 NORTHBOUND\nMILL RD, \"THE BRIDGE\"", "3"}));
    EXPECT_TRUE(ok);
}

TEST(NotTextReason, TextIsText) {
    EXPECT_EQ(not_text_reason("a,b\r\nc,d\n"), "");
    EXPECT_EQ(not_text_reason("caf\xC3\xA9,\t\f\x1A\n"), "");    // UTF-8, tab, form feed, DOS end of file
    EXPECT_EQ(not_text_reason("caf\xE9,\x80\x9F\n"), "");          // Windows-1252
    EXPECT_EQ(not_text_reason("a\n\xC3"), "");                      // a UTF-8 sequence cut by the sample's end
}

TEST(NotTextReason, NulAndControlBytesAreNotText) {
    EXPECT_EQ(not_text_reason(std::string_view("\x89PNG\r\n\x1A\n\0\0", 10)), "not a CSV text file: NUL byte at byte 9");
    EXPECT_EQ(not_text_reason("ab\xE9\x01"), "not a CSV text file: not UTF-8 or Windows-1252 text (byte 0x01 at byte 4)");
    EXPECT_EQ(not_text_reason("ab\x81\n"), "not a CSV text file: not UTF-8 or Windows-1252 text (byte 0x81 at byte 3)");
}

TEST(SplitUnquotedLine, SplitsToTheLineEndInOnePass) {
    LineFields fields;
    // Fields across the 16-byte blocks the scan compares at a time, the line break inside a block.
    const std::string text = "2015010000001,525130,180050,-0.198465,51.505538,1\n2015,b\r\nlast,,";
    const std::size_t first_end = text.find('\n');
    EXPECT_EQ(split_unquoted_line(text, 0, fields), first_end);
    EXPECT_EQ(Fields(fields.begin(), fields.end()),
              (Fields{"2015010000001", "525130", "180050", "-0.198465", "51.505538", "1"}));
    // A '\r' before the '\n' stays on the last field (the reader strips it with the line's).
    const std::size_t second_end = text.find('\n', first_end + 1);
    EXPECT_EQ(split_unquoted_line(text, first_end + 1, fields), second_end);
    EXPECT_EQ(Fields(fields.begin(), fields.end()), (Fields{"2015", "b\r"}));
    // The last line, with no line break: to the end of the text, a trailing separator an empty field.
    EXPECT_EQ(split_unquoted_line(text, second_end + 1, fields), text.size());
    EXPECT_EQ(Fields(fields.begin(), fields.end()), (Fields{"last", "", ""}));
    // An empty line is one empty field, as split_csv_line gives it.
    EXPECT_EQ(split_unquoted_line("\nx", 0, fields), 0u);
    EXPECT_EQ(Fields(fields.begin(), fields.end()), (Fields{""}));
    // Semicolons, when the file is separated by them.
    EXPECT_EQ(split_unquoted_line("a;b,c;d\n", 0, fields, ';'), 7u);
    EXPECT_EQ(Fields(fields.begin(), fields.end()), (Fields{"a", "b,c", "d"}));
}

TEST(SplitUnquotedLine, AQuoteLeavesTheLineToSplitCsvLine) {
    LineFields fields;
    EXPECT_EQ(split_unquoted_line("a,\"b,c\"\n", 0, fields), std::string_view::npos);
    // Also when the quote is beyond the first 16 bytes, and on a later line it is not seen.
    EXPECT_EQ(split_unquoted_line("0123456789,0123456789,\"x\"\n", 0, fields), std::string_view::npos);
    EXPECT_EQ(split_unquoted_line("0123456789,0123456789,x\n\"q\",0123456789", 0, fields), 23u);
    EXPECT_EQ(Fields(fields.begin(), fields.end()), (Fields{"0123456789", "0123456789", "x"}));
}
