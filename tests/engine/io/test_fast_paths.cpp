// The reader's fast paths (plain decimals, DD/MM/YYYY dates, one- and two-digit codes) give what the
// general path gives, and chunks written straight into the output tables keep every row in order when
// some lines leave gaps (rejected or blank lines).
#include <gtest/gtest.h>

#include <charconv>
#include <cstdio>
#include <random>

#include "../test_support.hpp"
#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/io/read_stats19.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

const std::string kHeader =
    "collision_index,collision_year,collision_ref_no,date,time,collision_severity,number_of_vehicles,longitude,latitude\n";

// A decimal of `digits` digits after the point (0: none), as a spreadsheet or DfT writes it.
std::string decimal(std::mt19937_64& rng, double low, double high, int digits) {
    const double v = std::uniform_real_distribution<double>(low, high)(rng);
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, v);
    return text;
}

double from_chars_value(const std::string& s) {
    double v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

}  // namespace

TEST(FastPaths, DecimalsAreReadAsFromCharsReadsThemToTheLastBit) {
    ScratchDir dir;
    const std::string path = dir.file("decimals.csv");
    std::mt19937_64 rng(7);
    std::vector<std::string> lon, lat;
    std::string text = kHeader;
    for (int i = 0; i < 4000; ++i) {
        // 0 to 17 digits after the point: up to 15 digits in all take the fast path, more the general one.
        lon.push_back(decimal(rng, -3.0, -0.5, i % 18));
        lat.push_back(decimal(rng, 51.0, 54.0, (i / 18) % 18));
        if (i % 7 == 0 && i % 18 != 0) lon.back() = "-0." + lon.back().substr(lon.back().find('.') + 1);
        text += std::to_string(i + 1) + ",2015," + std::to_string(i + 1) + ",01/02/2015,10:00,3,1," + lon.back() + "," +
                lat.back() + "\n";
    }
    write_bytes(path, text);
    const Dataset ds = read_stats19({path});
    ASSERT_EQ(ds.collisions.rows(), lon.size());
    for (std::size_t i = 0; i < lon.size(); ++i) {
        ASSERT_EQ(float_at(ds.collisions, "longitude", i), from_chars_value(lon[i])) << lon[i];
        ASSERT_EQ(float_at(ds.collisions, "latitude", i), from_chars_value(lat[i])) << lat[i];
    }
}

TEST(FastPaths, DatesAndCodesReadAsTheGeneralPathReadsThem) {
    ScratchDir dir;
    const std::string path = dir.file("dates.csv");
    write_bytes(path, kHeader + "1,2015,1,29/02/2016,10:00,1,1,-1.5,52.5\n"   // DD/MM/YYYY: the fast path
                                "2,2015,2,3/4/2015,10:00,2,12,-1.5,52.5\n"    // D/M/YYYY: the general one
                                "3,2015,3,31/04/2015,10:00,3,123,-1.5,52.5\n"  // no 31 April
                                "4,2015,4,2015-04-30,10:00,3,07,-1.5,52.5\n"
                                "5,2015,5,30/4/15,10:00,3,0,-1.5,52.5\n"
                                "6,2015,6,30/04/2015,10:00,-1,,-1.5,52.5\n");  // -1 and nothing: missing, unreported
    const Dataset ds = read_stats19({path});
    ASSERT_EQ(ds.collisions.rows(), 6u);
    EXPECT_EQ(int_at(ds.collisions, "date", 0), days_from_civil(2016, 2, 29));
    EXPECT_EQ(int_at(ds.collisions, "date", 1), days_from_civil(2015, 4, 3));
    EXPECT_EQ(int_at(ds.collisions, "date", 2), kMissingInt);
    EXPECT_EQ(int_at(ds.collisions, "date", 3), days_from_civil(2015, 4, 30));
    EXPECT_EQ(int_at(ds.collisions, "date", 4), days_from_civil(2015, 4, 30));
    const std::vector<std::int32_t> vehicles{1, 12, 123, 7, 0, kMissingInt};
    for (std::size_t i = 0; i < vehicles.size(); ++i) EXPECT_EQ(int_at(ds.collisions, "number_of_vehicles", i), vehicles[i]);
    EXPECT_EQ(int_at(ds.collisions, "collision_severity", 5), kMissingInt);
    EXPECT_EQ(int_at(ds.collisions, "collision_severity", 0), 1);
    ASSERT_EQ(ds.report.entries.size(), 1u);
    EXPECT_EQ(ds.report.entries[0].reason, "not a valid calendar date");
    EXPECT_EQ(ds.report.entries[0].line, 4);
}

TEST(FastPaths, ChunksWithGapsKeepEveryRowInOrderWithItsLine) {
    // About 2.4 MB: cut into several chunks per thread. Every 997th line has a field too few (rejected) and
    // every 1999th is blank, so most chunks fill fewer rows than they have lines.
    ScratchDir dir;
    const std::string path = dir.file("gaps.csv");
    std::string text = kHeader;
    std::vector<std::int32_t> lines;
    for (int line = 2; line < 40000; ++line) {
        if (line % 1999 == 0) {
            text += "\n";
        } else if (line % 997 == 0) {
            text += std::to_string(line) + ",2015,1,01/02/2015,10:00,3\n";
        } else {
            text += std::to_string(line) + ",2015,1,01/02/2015,10:00,3," + std::to_string(line % 50 + 1) + ",-1.25,52." +
                    std::to_string(line % 900 + 100) + "\n";
            lines.push_back(line);
        }
    }
    write_bytes(path, text);
    for (int threads : {1, 2, 3}) {
        ReadOptions options;
        options.threads = threads;
        const Dataset ds = read_stats19({path}, options);
        ASSERT_EQ(ds.collisions.rows(), lines.size());
        for (std::size_t i = 0; i < lines.size(); ++i) {
            ASSERT_EQ(int_at(ds.collisions, "source_line", i), lines[i]);
            ASSERT_EQ(ds.collisions.at("collision_index").text.at(i), std::to_string(lines[i]));
            ASSERT_EQ(int_at(ds.collisions, "number_of_vehicles", i), lines[i] % 50 + 1);
            ASSERT_EQ(float_at(ds.collisions, "latitude", i), 52 + (lines[i] % 900 + 100) / 1000.0);
        }
        EXPECT_EQ(ds.report.files[0].rows_rejected, 40);  // 997, 1994, ..., 39880
    }
}
