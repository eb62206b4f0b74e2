// Planar KDE: the quartic grid integrates to the total weight; the Gaussian kernel by hand; GeoTIFF.
#include <gtest/gtest.h>

#include <gdal.h>

#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include "roadsafe/hotspots/kernel_density.hpp"
#include "roadsafe/io/geotiff_writer.hpp"
#include "../test_support.hpp"

using namespace roadsafe::hotspots;

TEST(KernelDensity, QuarticIntegratesToTotalWeight) {
    std::vector<double> x{1000, 1200, 1210}, y{5000, 5100, 4900}, w{1, 2, 0.5};
    const GridSpec g = GridSpec::covering(x, y, 5, 400);
    KdeOptions o;
    o.bandwidth = 300;
    const std::vector<double> d = kernel_density(x, y, w, g, o);
    const double integral = std::accumulate(d.begin(), d.end(), 0.0) * g.cell * g.cell;
    EXPECT_NEAR(integral, 3.5, 3.5 * 1e-3);
    // At a point's own location (a cell centre) the quartic peak is 3 / (pi h^2) w.
    std::vector<double> x1{2.5}, y1{2.5};
    GridSpec one{0, 5, 5, 1, 1};
    EXPECT_NEAR(kernel_density(x1, y1, {}, one, o)[0], 3.0 / (std::numbers::pi * 300.0 * 300.0), 1e-18);
}

TEST(KernelDensity, GaussianByHandAndThreadIndependent) {
    std::vector<double> x{0, 100}, y{0, 0};
    GridSpec g{-200, 200, 100, 4, 4};  // centres at -150, -50, 50, 150
    KdeOptions o;
    o.kernel = Kernel::Gaussian;
    o.bandwidth = 80;
    o.threads = 1;
    const std::vector<double> d1 = kernel_density(x, y, {}, g, o);
    o.threads = 3;
    EXPECT_EQ(kernel_density(x, y, {}, g, o), d1);
    // Cell (col 2, row 1): centre (50, 50). Squared distances to both points: 50^2 + 50^2 = 5000.
    const double k = 1.0 / (2 * std::numbers::pi * 6400) * std::exp(-0.5 * 5000 / 6400);
    EXPECT_NEAR(d1[1 * 4 + 2], 2 * k, 1e-18);
    // Cell (col 0, row 0): centre (-150, 150): 150^2 + 150^2 = 45000 and 250^2 + 150^2 = 85000.
    const double k0 = (std::exp(-0.5 * 45000 / 6400) + std::exp(-0.5 * 85000 / 6400)) / (2 * std::numbers::pi * 6400);
    EXPECT_NEAR(d1[0], k0, 1e-18);
}

TEST(KernelDensity, GeoTiffRoundTrip) {
    roadsafe::test::ScratchDir dir;
    const std::string path = dir.file("kde.tif");
    std::vector<double> v{1, 2, 3, 4, 5, 6};
    roadsafe::io::write_geotiff(path, v, {500000, 300000, 50, 3, 2});
    GDALDatasetH ds = GDALOpen(path.c_str(), GA_ReadOnly);
    ASSERT_NE(ds, nullptr);
    double t[6];
    GDALGetGeoTransform(ds, t);
    EXPECT_DOUBLE_EQ(t[0], 500000);
    EXPECT_DOUBLE_EQ(t[3], 300000);
    EXPECT_DOUBLE_EQ(t[5], -50);
    EXPECT_NE(std::string(GDALGetProjectionRef(ds)).find("27700"), std::string::npos);
    double back[6];
    ASSERT_EQ(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Read, 0, 0, 3, 2, back, 3, 2, GDT_Float64, 0, 0), CE_None);
    EXPECT_EQ(std::vector<double>(back, back + 6), v);
    GDALClose(ds);
}
