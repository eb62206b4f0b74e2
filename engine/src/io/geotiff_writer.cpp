#include "roadsafe/io/geotiff_writer.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <memory>
#include <mutex>

#include "roadsafe/core/error.hpp"

namespace roadsafe::io {

void write_geotiff(const std::string& path, std::span<const double> values, const RasterGeometry& g, int epsg,
                   const std::string& description) {
    if (g.cols == 0 || g.rows == 0 || values.size() != g.cols * g.rows)
        throw Error(ErrorCode::InvalidInput, "raster values do not match its rows x cols");
    static std::once_flag registered;
    std::call_once(registered, [] { GDALAllRegister(); });
    GDALDriverH driver = GDALGetDriverByName("GTiff");
    if (!driver) throw Error(ErrorCode::Io, "GDAL has no GTiff driver", {path, 0, {}, {}});
    char** options = nullptr;
    options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
    options = CSLSetNameValue(options, "PREDICTOR", "3");
    options = CSLSetNameValue(options, "TILED", "YES");
    GDALDatasetH ds = GDALCreate(driver, path.c_str(), static_cast<int>(g.cols), static_cast<int>(g.rows), 1,
                                 GDT_Float64, options);
    CSLDestroy(options);
    if (!ds) throw Error(ErrorCode::Io, std::string("cannot create GeoTIFF: ") + CPLGetLastErrorMsg(), {path, 0, {}, {}});
    std::unique_ptr<void, void (*)(void*)> guard(ds, [](void* d) { GDALClose(static_cast<GDALDatasetH>(d)); });
    double transform[6] = {g.x0, g.cell, 0, g.y1, 0, -g.cell};
    GDALSetGeoTransform(ds, transform);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
    if (OSRImportFromEPSG(srs, epsg) == OGRERR_NONE) {
        char* wkt = nullptr;
        OSRExportToWkt(srs, &wkt);
        GDALSetProjection(ds, wkt);
        CPLFree(wkt);
    }
    OSRDestroySpatialReference(srs);
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    if (!description.empty()) GDALSetDescription(band, description.c_str());
    if (GDALRasterIO(band, GF_Write, 0, 0, static_cast<int>(g.cols), static_cast<int>(g.rows),
                     const_cast<double*>(values.data()), static_cast<int>(g.cols), static_cast<int>(g.rows), GDT_Float64,
                     0, 0) != CE_None)
        throw Error(ErrorCode::Io, std::string("cannot write GeoTIFF: ") + CPLGetLastErrorMsg(), {path, 0, {}, {}});
    guard.reset();
    // GDALClose flushes; an error on flush shows up as the last error.
}

}  // namespace roadsafe::io
