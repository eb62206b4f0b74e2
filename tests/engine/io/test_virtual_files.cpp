// Compressed inputs through GDAL's virtual file system: a .gz and a .zip (with two CSV files) are
// written at test time with GDAL itself and read back into the same tables as the plain files.
#include <cpl_vsi.h>
#include <gtest/gtest.h>

#include <cmath>

#include "../test_support.hpp"
#include "roadsafe/core/error.hpp"
#include "roadsafe/io/read_stats19.hpp"
#include "roadsafe/io/virtual_file.hpp"

using namespace roadsafe;
using namespace roadsafe::io;
using namespace roadsafe::test;

namespace {

// Writes `bytes` to a GDAL virtual path (/vsigzip/..., /vsizip/.../member.csv).
void write_virtual(const std::string& vsi_path, const std::string& bytes) {
    VSILFILE* f = VSIFOpenL(vsi_path.c_str(), "wb");
    ASSERT_NE(f, nullptr) << vsi_path;
    EXPECT_EQ(VSIFWriteL(bytes.data(), 1, bytes.size(), f), bytes.size());
    EXPECT_EQ(VSIFCloseL(f), 0);
}

// Same columns (names, types, labels) and values; source_file differs by design (it names the path).
void expect_same_table(const Table& a, const Table& b) {
    ASSERT_EQ(column_names(a), column_names(b));
    ASSERT_EQ(a.rows(), b.rows());
    for (std::size_t c = 0; c < a.columns().size(); ++c) {
        const Column& x = a.columns()[c];
        const Column& y = b.columns()[c];
        SCOPED_TRACE(x.name);
        EXPECT_EQ(x.type, y.type);
        if (x.name == "source_file") continue;
        EXPECT_EQ(x.ints, y.ints);
        ASSERT_EQ(x.floats.size(), y.floats.size());
        for (std::size_t i = 0; i < x.floats.size(); ++i)
            EXPECT_TRUE(x.floats[i] == y.floats[i] || (std::isnan(x.floats[i]) && std::isnan(y.floats[i])));
        ASSERT_EQ(x.text.size(), y.text.size());
        for (std::size_t i = 0; i < x.text.size(); ++i) EXPECT_EQ(x.text.at(i), y.text.at(i));
        EXPECT_EQ(x.categories == nullptr, y.categories == nullptr);
        if (x.categories && y.categories) {
            EXPECT_EQ(x.categories->labels.size(), y.categories->labels.size());
        }
    }
}

}  // namespace

TEST(VirtualFiles, GzipFileReadsLikeThePlainFile) {
    ScratchDir dir;
    const std::string plain = stats19_fixture("collisions_pre2021_handmade.csv");
    const std::string gz = dir.file("collisions_pre2021_handmade.csv.gz");
    write_virtual("/vsigzip/" + gz, read_bytes(plain));
    // It is a real gzip stream (magic bytes 1F 8B), not the CSV under another name.
    const std::string raw = read_bytes(gz);
    ASSERT_GE(raw.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(raw[0]), 0x1F);
    EXPECT_EQ(static_cast<unsigned char>(raw[1]), 0x8B);

    EXPECT_EQ(expand_input_path(gz), std::vector<std::string>{"/vsigzip/" + gz});
    const Dataset from_gz = read_stats19({gz});
    const Dataset from_plain = read_stats19({plain});
    ASSERT_EQ(from_gz.report.files.size(), 1u);
    EXPECT_EQ(from_gz.report.files[0].file, "/vsigzip/" + gz);
    EXPECT_EQ(from_gz.report.files[0].generation, "pre-2021");
    EXPECT_EQ(from_gz.report.files[0].rows_loaded, 3);
    expect_same_table(from_gz.collisions, from_plain.collisions);
}

TEST(VirtualFiles, ZipWithTwoCsvFilesReadsLikeThePlainFiles) {
    ScratchDir dir;
    const std::string zip = dir.file("stats19_2023.zip");
    const std::string collisions = stats19_fixture("accidents_sample.csv");
    const std::string casualties = stats19_fixture("casualties_sample.csv");
    write_virtual("/vsizip/" + zip + "/accidents_sample.csv", read_bytes(collisions));
    write_virtual("/vsizip/" + zip + "/casualties_sample.csv", read_bytes(casualties));
    const std::string raw = read_bytes(zip);
    ASSERT_GE(raw.size(), 4u);
    EXPECT_EQ(raw.substr(0, 4), std::string("PK\x03\x04", 4));

    const std::vector<std::string> members = {"/vsizip/" + zip + "/accidents_sample.csv",
                                              "/vsizip/" + zip + "/casualties_sample.csv"};
    EXPECT_EQ(expand_input_path(zip), members);
    const Dataset from_zip = read_stats19({zip});
    const Dataset from_plain = read_stats19({collisions, casualties});
    ASSERT_EQ(from_zip.report.files.size(), 2u);
    EXPECT_EQ(from_zip.report.files[0].file, members[0]);
    EXPECT_EQ(from_zip.report.files[0].table, "collision");
    EXPECT_EQ(from_zip.report.files[1].file, members[1]);
    EXPECT_EQ(from_zip.report.files[1].table, "casualty");
    EXPECT_EQ(from_zip.report.files[1].generation, "2021-2023");
    expect_rows_accounted(from_zip.report);
    expect_same_table(from_zip.collisions, from_plain.collisions);
    expect_same_table(from_zip.casualties, from_plain.casualties);
    EXPECT_EQ(from_zip.report.coordinate_transformation, from_plain.report.coordinate_transformation);
    // Report entries name the member inside the archive.
    EXPECT_EQ(*from_zip.collisions.at("source_file").categories->find(0), members[0]);
}

TEST(VirtualFiles, ZipMembersThatAreNotCsvAreIgnored) {
    ScratchDir dir;
    const std::string zip = dir.file("mixed.zip");
    write_virtual("/vsizip/" + zip + "/README.txt", "not data\n");
    write_virtual("/vsizip/" + zip + "/data/CASUALTIES.CSV", read_bytes(stats19_fixture("casualties_sample_raw.csv")));
    EXPECT_EQ(expand_input_path(zip), std::vector<std::string>{"/vsizip/" + zip + "/data/CASUALTIES.CSV"});
    const Dataset ds = read_stats19({zip});
    EXPECT_EQ(ds.casualties.rows(), 3u);
}

TEST(VirtualFiles, ZipWithoutCsvIsAnIoError) {
    ScratchDir dir;
    const std::string zip = dir.file("no_csv.zip");
    write_virtual("/vsizip/" + zip + "/README.txt", "nothing here\n");
    const Error e = caught_error([&] { (void)read_stats19({zip}); });
    EXPECT_EQ(e.code(), ErrorCode::Io);
    EXPECT_EQ(std::string(e.what()), zip + ": no .csv file inside this zip archive (or it cannot be opened)");
}

TEST(VirtualFiles, FileThatIsNotAZipIsAnIoError) {
    ScratchDir dir;
    const std::string zip = dir.file("fake.zip");
    write_bytes(zip, read_bytes(stats19_fixture("accidents_sample.csv")));
    const Error e = caught_error([&] { (void)read_stats19({zip}); });
    EXPECT_EQ(e.code(), ErrorCode::Io);
    EXPECT_EQ(std::string(e.what()), zip + ": no .csv file inside this zip archive (or it cannot be opened)");
}

TEST(VirtualFiles, FileThatIsNotGzipIsAnIoError) {
    ScratchDir dir;
    const std::string gz = dir.file("fake.csv.gz");
    write_bytes(gz, read_bytes(stats19_fixture("accidents_sample.csv")));
    const Error e = caught_error([&] { (void)read_stats19({gz}); });
    EXPECT_EQ(e.code(), ErrorCode::Io);
    EXPECT_EQ(std::string(e.what()), "/vsigzip/" + gz + ": cannot open as gzip: not a gzip file, or a damaged one");
}

TEST(VirtualFiles, MissingGzipFileIsAnIoError) {
    const std::string gz = malformed_fixture("no_such_file.csv.gz");
    const Error e = caught_error([&] { (void)read_stats19({gz}); });
    EXPECT_EQ(e.code(), ErrorCode::Io);
    EXPECT_EQ(std::string(e.what()), "/vsigzip/" + gz + ": cannot open file (does it exist?)");
}

TEST(VirtualFiles, ReadVirtualFileOfAPlainPath) {
    const std::string path = stats19_fixture("casualties_sample_raw.csv");
    EXPECT_EQ(read_virtual_file(path), read_bytes(path));
    EXPECT_EQ(expand_input_path(path), std::vector<std::string>{path});
}
