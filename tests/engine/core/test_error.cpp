// The engine's error type: a closed set of codes and messages that say where.
#include <gtest/gtest.h>

#include "roadsafe/core/error.hpp"

using namespace roadsafe;

TEST(Error, LocatedMessageHasTheKnownParts) {
    EXPECT_EQ(format_located_message({"a.csv", 12, "date", "31/02/2019"}, "not a valid calendar date"),
              "a.csv:12: column 'date': value '31/02/2019': not a valid calendar date");
    EXPECT_EQ(format_located_message({"a.csv", 0, "", ""}, "the file is empty"), "a.csv: the file is empty");
    EXPECT_EQ(format_located_message({"a.csv", 3, "Ref", ""}, "empty key"), "a.csv:3: column 'Ref': empty key");
    EXPECT_EQ(format_located_message({}, "no input files given"), "no input files given");
    EXPECT_EQ(format_located_message({"", 0, "", "x"}, "m"), "value 'x': m");
}

TEST(Error, CarriesCodeAndLocation) {
    const Error e(ErrorCode::Encoding, "bad bytes", {"f.csv", 7, "lsoa", "\\xE9"});
    EXPECT_EQ(e.code(), ErrorCode::Encoding);
    EXPECT_EQ(e.where().file, "f.csv");
    EXPECT_EQ(e.where().line, 7);
    EXPECT_EQ(e.where().column, "lsoa");
    EXPECT_EQ(e.where().value, "\\xE9");
    EXPECT_STREQ(e.what(), "f.csv:7: column 'lsoa': value '\\xE9': bad bytes");
    const std::runtime_error& base = e;  // catchable as a standard exception
    EXPECT_STREQ(base.what(), e.what());
}

TEST(Error, CodeNames) {
    EXPECT_STREQ(error_code_name(ErrorCode::InvalidInput), "InvalidInput");
    EXPECT_STREQ(error_code_name(ErrorCode::SchemaMismatch), "SchemaMismatch");
    EXPECT_STREQ(error_code_name(ErrorCode::Encoding), "Encoding");
    EXPECT_STREQ(error_code_name(ErrorCode::Io), "Io");
    EXPECT_STREQ(error_code_name(ErrorCode::Projection), "Projection");
    EXPECT_STREQ(error_code_name(ErrorCode::NotConverged), "NotConverged");
    EXPECT_STREQ(error_code_name(ErrorCode::Cancelled), "Cancelled");
}
