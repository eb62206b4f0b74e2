// Columnar tables: TextBuffer, Column, Categories and Table (append with differing columns, filter).
#include <gtest/gtest.h>

#include <cmath>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/table.hpp"
#include "../caught_error.hpp"

using namespace roadsafe;
using roadsafe::test::caught_error;

namespace {
Categories make_categories(std::vector<std::pair<std::int32_t, std::string>> labels) {
    Categories c;
    c.labels = std::move(labels);
    return c;
}

Column make_column(const char* name, ColumnType type) {
    Column c;
    c.name = name;
    c.type = type;
    return c;
}
}  // namespace

TEST(TextBuffer, AppendAtAndMissing) {
    TextBuffer t;
    EXPECT_EQ(t.size(), 0u);
    t.append("E01003131");
    t.append_missing();
    t.append("");
    t.append("caf\xC3\xA9");
    ASSERT_EQ(t.size(), 4u);
    EXPECT_EQ(t.at(0), "E01003131");
    EXPECT_EQ(t.at(1), "");
    EXPECT_EQ(t.at(2), "");
    EXPECT_EQ(t.at(3), "caf\xC3\xA9");
    EXPECT_EQ(t.chars().size(), 9u + 5u);  // one buffer for every value
    EXPECT_EQ(t.offsets().size(), 5u);     // and n + 1 offsets
}

TEST(TextBuffer, AppendBufferShiftsOffsets) {
    TextBuffer a, b;
    a.append("ab");
    a.append("c");
    b.append("");
    b.append("defg");
    a.append_buffer(b);
    ASSERT_EQ(a.size(), 4u);
    EXPECT_EQ(a.at(0), "ab");
    EXPECT_EQ(a.at(1), "c");
    EXPECT_EQ(a.at(2), "");
    EXPECT_EQ(a.at(3), "defg");
    TextBuffer empty;
    a.append_buffer(empty);
    EXPECT_EQ(a.size(), 4u);
    empty.append_buffer(a);
    EXPECT_EQ(empty.at(3), "defg");
}

TEST(TextBuffer, ViewsOfLongTextStayCorrectAfterGrowth) {
    TextBuffer t;
    for (int i = 0; i < 1000; ++i)
        t.append(std::string(static_cast<std::size_t>(i % 17), static_cast<char>('a' + i % 26)));
    for (int i = 0; i < 1000; ++i)
        ASSERT_EQ(t.at(static_cast<std::size_t>(i)),
                  std::string(static_cast<std::size_t>(i % 17), static_cast<char>('a' + i % 26)));
}

TEST(Column, MissingValuesByType) {
    Column i = make_column("speed_limit", ColumnType::Int);
    Column f = make_column("longitude", ColumnType::Float);
    Column s = make_column("lsoa", ColumnType::Text);
    Column d = make_column("date", ColumnType::Date);
    for (Column* c : {&i, &f, &s, &d}) c->append_missing();
    EXPECT_EQ(i.ints[0], kMissingInt);
    EXPECT_TRUE(std::isnan(f.floats[0]));
    EXPECT_EQ(s.text.at(0), "");
    EXPECT_EQ(d.ints[0], kMissingInt);
    for (Column* c : {&i, &f, &s, &d}) {
        EXPECT_EQ(c->size(), 1u) << c->name;
        EXPECT_TRUE(c->is_missing(0)) << c->name;
    }
    i.ints.push_back(30);
    f.floats.push_back(-0.12);
    s.text.append("E01");
    EXPECT_FALSE(i.is_missing(1));
    EXPECT_FALSE(f.is_missing(1));
    EXPECT_FALSE(s.is_missing(1));
    EXPECT_STREQ(column_type_name(ColumnType::Category), "category");
    EXPECT_STREQ(column_type_name(ColumnType::Time), "time");
}

TEST(Column, FilterKeepsFlaggedRowsInOrder) {
    Column s = make_column("name", ColumnType::Text);
    for (const char* v : {"a", "bb", "", "dddd"}) s.text.append(v);
    s.filter({1, 0, 1, 1});
    ASSERT_EQ(s.size(), 3u);
    EXPECT_EQ(s.text.at(0), "a");
    EXPECT_EQ(s.text.at(1), "");
    EXPECT_EQ(s.text.at(2), "dddd");
    Column n = make_column("n", ColumnType::Int);
    n.ints = {1, 2, 3, 4};
    n.filter({0, 1, 0, 1});
    EXPECT_EQ(n.ints, (std::vector<std::int32_t>{2, 4}));
}

TEST(Categories, FindByCode) {
    const Categories c = make_categories({{1, "Fatal"}, {2, "Serious"}, {3, "Slight"}});
    ASSERT_NE(c.find(2), nullptr);
    EXPECT_EQ(*c.find(2), "Serious");
    EXPECT_EQ(c.find(0), nullptr);
    EXPECT_EQ(c.find(4), nullptr);
    EXPECT_EQ(c.find(kMissingInt), nullptr);
    EXPECT_EQ(Categories{}.find(1), nullptr);
}

TEST(Table, AddFindAndAt) {
    Table t;
    EXPECT_EQ(t.rows(), 0u);
    t.add("collision_index", ColumnType::Text).text.append("A1");
    EXPECT_EQ(t.rows(), 1u);
    // A column added later starts with one missing value per existing row.
    Column& speed = t.add("speed_limit", ColumnType::Int);
    EXPECT_EQ(speed.ints, std::vector<std::int32_t>{kMissingInt});
    // Adding an existing name of the same type returns it; of another type is an error.
    EXPECT_EQ(&t.add("speed_limit", ColumnType::Int), t.find("speed_limit"));
    const Error e = caught_error([&] { t.add("speed_limit", ColumnType::Float); });
    EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
    EXPECT_STREQ(e.what(), "column 'speed_limit' is int, not float");
    EXPECT_EQ(t.find("nope"), nullptr);
    const Error missing = caught_error([&] { (void)t.at("nope"); });
    EXPECT_EQ(missing.code(), ErrorCode::InvalidInput);
    EXPECT_STREQ(missing.what(), "no column named 'nope'");
}

TEST(Table, AppendTableWithDifferentColumnsFillsMissing) {
    auto cats = std::make_shared<const Categories>(make_categories({{1, "Fatal"}, {2, "Serious"}, {3, "Slight"}}));
    Table a;
    a.add("collision_index", ColumnType::Text);
    a.add("speed_limit", ColumnType::Int);
    a.add("junction_detail_historic", ColumnType::Category);
    for (int i = 0; i < 2; ++i) {
        a.columns()[0].text.append(i == 0 ? "A1" : "A2");
        a.columns()[1].ints.push_back(30 + 10 * i);
        a.columns()[2].ints.push_back(3);
    }
    Table b;
    b.add("speed_limit", ColumnType::Int).ints = {70, 20, 60};
    Column& sev = b.add("collision_severity", ColumnType::Category);
    sev.ints = {1, 2, 3};
    sev.categories = cats;
    Column& index = b.add("collision_index", ColumnType::Text);
    index.text = TextBuffer();  // add() filled it with 3 missing values; set the 3 real ones
    for (const char* v : {"B1", "B2", "B3"}) index.text.append(v);
    b.add("longitude", ColumnType::Float).floats = {-0.1, 0.2, 0.3};

    a.append_table(b);
    ASSERT_EQ(a.rows(), 5u);
    for (const auto& c : a.columns()) EXPECT_EQ(c.size(), 5u) << c.name;
    // a's columns keep their order; b's new ones follow in b's order.
    std::vector<std::string> names;
    for (const auto& c : a.columns()) names.push_back(c.name);
    EXPECT_EQ(names, (std::vector<std::string>{"collision_index", "speed_limit", "junction_detail_historic",
                                               "collision_severity", "longitude"}));
    EXPECT_EQ(a.at("collision_index").text.at(4), "B3");
    EXPECT_EQ(a.at("speed_limit").ints, (std::vector<std::int32_t>{30, 40, 70, 20, 60}));
    EXPECT_EQ(a.at("junction_detail_historic").ints,
              (std::vector<std::int32_t>{3, 3, kMissingInt, kMissingInt, kMissingInt}));
    EXPECT_EQ(a.at("collision_severity").ints, (std::vector<std::int32_t>{kMissingInt, kMissingInt, 1, 2, 3}));
    EXPECT_EQ(a.at("collision_severity").categories, cats);  // labels come with the new column
    EXPECT_TRUE(std::isnan(a.at("longitude").floats[0]));
    EXPECT_DOUBLE_EQ(a.at("longitude").floats[2], -0.1);

    // Appending to an empty table copies; appending an empty table changes nothing.
    Table empty;
    empty.append_table(a);
    EXPECT_EQ(empty.rows(), 5u);
    EXPECT_EQ(empty.column_count(), 5u);
    a.append_table(Table());
    EXPECT_EQ(a.rows(), 5u);

    a.filter({1, 0, 1, 0, 1});
    EXPECT_EQ(a.rows(), 3u);
    EXPECT_EQ(a.at("collision_index").text.at(1), "B1");
    EXPECT_EQ(a.at("speed_limit").ints, (std::vector<std::int32_t>{30, 70, 60}));
}

TEST(Table, AppendTableWithClashingTypesIsAnError) {
    Table a, b;
    a.add("speed_limit", ColumnType::Int).ints = {30};
    b.add("speed_limit", ColumnType::Text).text.append("30 mph");
    const Error e = caught_error([&] { a.append_table(b); });
    EXPECT_EQ(e.code(), ErrorCode::SchemaMismatch);
    EXPECT_STREQ(e.what(), "column 'speed_limit' is int in one input and text in another");
}
