// CsvText: a file's bytes as the CSV text the readers split (UTF-16 decoded, the separator found,
// a spreadsheet's sheet read through GDAL).
#include <gtest/gtest.h>

#include "roadsafe/io/csv_line.hpp"
#include "roadsafe/io/csv_text.hpp"

using namespace roadsafe::io;

TEST(HeaderSeparator, TheMostFrequentOutsideQuotesCommaOnATie) {
    EXPECT_EQ(header_separator("a,b,c"), ',');
    EXPECT_EQ(header_separator("a;b;c"), ';');
    EXPECT_EQ(header_separator("a\tb\tc"), '\t');
    EXPECT_EQ(header_separator("\"a;b\",c"), ',');     // the semicolon is inside quotes
    EXPECT_EQ(header_separator("\"a,b\";c;d"), ';');
    EXPECT_EQ(header_separator("collision_index"), ',');  // one column
    EXPECT_EQ(header_separator("a;b,c\td"), ',');
}

TEST(Utf16ToUtf8, BothByteOrdersSurrogatePairsAndStrayHalves) {
    EXPECT_EQ(utf16_to_utf8(std::string("a\0,\0\xE9\0", 6), false), "a,\xC3\xA9");
    EXPECT_EQ(utf16_to_utf8(std::string("\0a\0,\0\xE9", 6), true), "a,\xC3\xA9");
    EXPECT_EQ(utf16_to_utf8(std::string("\x3D\xD8\x97\xDE", 4), false), "\xF0\x9F\x9A\x97");  // U+1F697, a car
    EXPECT_EQ(utf16_to_utf8(std::string("\x3D\xD8" "a\0", 4), false), "\xEF\xBF\xBD" "a");  // a lone high half
    EXPECT_EQ(utf16_to_utf8(std::string("a\0b", 3), false), "a");                           // an odd last byte
}

TEST(CsvText, PlainUtf8IsTheFileItselfWithoutItsByteOrderMark) {
    const std::string bytes = "\xEF\xBB\xBF" "a;b\n1;2\n";
    const CsvText csv("x.csv", bytes);
    EXPECT_EQ(csv.text(), "a;b\n1;2\n");
    EXPECT_EQ(csv.text().data(), bytes.data() + 3);  // not copied
    EXPECT_EQ(csv.separator(), ';');
    EXPECT_EQ(csv.origin(), "semicolon-separated");
    EXPECT_TRUE(csv.problem().empty());
}

TEST(CsvText, Utf16IsDecodedAndItsSeparatorFound) {
    const std::u16string text = u"a\tb\r\n\u00e91\t2\r\n";
    std::string bytes = "\xFF\xFE";
    for (char16_t c : text) {
        bytes.push_back(char(c & 0xFF));
        bytes.push_back(char(c >> 8));
    }
    const CsvText csv("x.txt", bytes);
    EXPECT_EQ(csv.text(), "a\tb\r\n\xC3\xA9" "1\t2\r\n");
    EXPECT_EQ(csv.separator(), '\t');
    EXPECT_EQ(csv.origin(), "UTF-16 text, tab-separated");
}

TEST(CsvText, ABrokenSpreadsheetIsAProblemNotAnError) {
    const std::string zip = std::string("PK\x03\x04", 4) + std::string(40, '\0');
    const CsvText csv("/nonexistent/book.xlsx", zip);
    EXPECT_EQ(csv.problem(), "not a CSV text file: a ZIP archive that is not a spreadsheet GDAL can read (.xlsx, "
                             ".ods): save the sheet as CSV (a .zip of CSV files must be named .zip)");
}

TEST(SplitCsvLine, AnySeparatorWithQuotes) {
    std::vector<std::string_view> fields;
    std::string scratch;
    ASSERT_TRUE(split_csv_line("1;\"a;b\";;x", fields, scratch, ';'));
    EXPECT_EQ((std::vector<std::string>(fields.begin(), fields.end())), (std::vector<std::string>{"1", "a;b", "", "x"}));
    ASSERT_TRUE(split_csv_line("1\t2,5\t", fields, scratch, '\t'));
    EXPECT_EQ((std::vector<std::string>(fields.begin(), fields.end())), (std::vector<std::string>{"1", "2,5", ""}));
}
