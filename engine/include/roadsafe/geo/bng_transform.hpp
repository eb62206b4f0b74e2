#pragma once
// British National Grid (EPSG:27700) <-> WGS84 (EPSG:4326) through PROJ. PROJ uses Ordnance
// Survey's OSTN15 grid (about 0.1 m) when uk_os_OSTN15_NTv2_OSGBtoETRS.tif is installed, else the
// Helmert "OSGB36 to WGS 84 (6)" (about 2 m). Each call returns the name of the operation used.
#include <cstddef>
#include <string>

namespace roadsafe::geo {

// Transforms `count` points in place of the outputs; NaN inputs give NaN outputs.
std::string bng_to_wgs84(const double* easting, const double* northing, double* longitude, double* latitude,
                         std::size_t count);
std::string wgs84_to_bng(const double* longitude, const double* latitude, double* easting, double* northing,
                         std::size_t count);

}  // namespace roadsafe::geo
