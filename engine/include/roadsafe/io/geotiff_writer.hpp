#pragma once
// A single-band Float64 GeoTIFF in British National Grid (EPSG:27700), written through GDAL.
#include <cstddef>
#include <span>
#include <string>

namespace roadsafe::io {

struct RasterGeometry {
    double x0 = 0, y1 = 0;  // west and north edges, metres
    double cell = 1;        // square cells, metres
    std::size_t cols = 0, rows = 0;
};

// `values` row-major, row 0 at the north edge. `epsg` defaults to British National Grid.
// Throws roadsafe::Error (Io) when GDAL cannot create or write the file.
void write_geotiff(const std::string& path, std::span<const double> values, const RasterGeometry& geometry,
                   int epsg = 27700, const std::string& description = {});

}  // namespace roadsafe::io
