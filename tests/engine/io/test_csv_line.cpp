// CSV line splitting and the text-encoding helpers the readers use.
#include <gtest/gtest.h>

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
