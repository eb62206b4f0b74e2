// CategoryPositions: codes as positions into labels, unlisted codes labelled in the order rows first show them.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "roadsafe/core/category_positions.hpp"

using namespace roadsafe;

namespace {
Column category_column(std::vector<std::int32_t> codes, std::vector<std::pair<std::int32_t, std::string>> labels) {
    Column c;
    c.name = "c";
    c.type = ColumnType::Category;
    c.ints = std::move(codes);
    auto categories = std::make_shared<Categories>();
    categories->labels = std::move(labels);
    c.categories = categories;
    return c;
}

template <typename T>
std::vector<int> written(CategoryPositions& p, std::size_t rows) {
    std::vector<T> out(rows);
    EXPECT_TRUE(p.write(out.data()));
    return {out.begin(), out.end()};
}
}  // namespace

TEST(CategoryPositions, ListedCodesAndMissing) {
    const Column c = category_column({3, 1, kMissingInt, 2, 3}, {{1, "one"}, {2, "two"}, {3, "three"}});
    CategoryPositions p(c);
    EXPECT_EQ(written<std::int8_t>(p, 5), (std::vector<int>{2, 0, -1, 1, 2}));
    EXPECT_EQ(p.labels(), (std::vector<std::string>{"one", "two", "three"}));
}

TEST(CategoryPositions, UnlistedCodesFollowInOrderOfFirstRow) {
    // 0 and 99 outside the listed codes 1 and 3; 2 in the gap between them.
    const Column c = category_column({99, 1, 0, kMissingInt, 99, 2, 3, 0, 2}, {{1, "one"}, {3, "three"}});
    CategoryPositions p(c);
    EXPECT_EQ(written<std::int8_t>(p, 9), (std::vector<int>{2, 0, 3, -1, 2, 4, 1, 3, 4}));
    EXPECT_EQ(p.labels(), (std::vector<std::string>{"one", "three", "code 99 (not in the data guide)",
                                                    "code 0 (not in the data guide)", "code 2 (not in the data guide)"}));
}

TEST(CategoryPositions, CodesFarApartAreStillLabelled) {
    // A range too wide for one table: the unlisted codes are found by hash, with the same answer.
    const Column c = category_column({5, 2'000'000'000, -7, 2'000'000'000, kMissingInt, 1}, {{1, "one"}});
    CategoryPositions p(c);
    EXPECT_EQ(written<std::int8_t>(p, 6), (std::vector<int>{1, 2, 3, 2, -1, 0}));
    EXPECT_EQ(p.labels(), (std::vector<std::string>{"one", "code 5 (not in the data guide)",
                                                    "code 2000000000 (not in the data guide)",
                                                    "code -7 (not in the data guide)"}));
}

TEST(CategoryPositions, TooManyUnlistedCodesForTheWidthAreWrittenWider) {
    std::vector<std::int32_t> codes;
    for (std::int32_t i = 0; i < 300; ++i) codes.push_back(i);
    codes.push_back(kMissingInt);
    const Column c = category_column(codes, {{0, "zero"}});
    CategoryPositions p(c);
    std::vector<std::int8_t> narrow(codes.size());
    EXPECT_FALSE(p.write(narrow.data()));
    const auto wide = written<std::int16_t>(p, codes.size());
    for (int i = 0; i < 300; ++i) EXPECT_EQ(wide[std::size_t(i)], i);
    EXPECT_EQ(wide.back(), -1);
    ASSERT_EQ(p.labels().size(), 300u);
    EXPECT_EQ(p.labels()[299], "code 299 (not in the data guide)");
}

TEST(CategoryPositions, EveryValueMissing) {
    const Column c = category_column({kMissingInt, kMissingInt}, {{4, "four"}, {6, "six"}});
    CategoryPositions p(c);
    EXPECT_EQ(written<std::int8_t>(p, 2), (std::vector<int>{-1, -1}));
    EXPECT_EQ(p.labels(), (std::vector<std::string>{"four", "six"}));
}
