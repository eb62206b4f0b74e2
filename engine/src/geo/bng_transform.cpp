#include "roadsafe/geo/bng_transform.hpp"

#include <proj.h>

#include <cmath>
#include <memory>

#include "roadsafe/core/error.hpp"

namespace roadsafe::geo {

namespace {

struct ContextDeleter {
    void operator()(PJ_CONTEXT* c) const { proj_context_destroy(c); }
};
struct PjDeleter {
    void operator()(PJ* p) const { proj_destroy(p); }
};

std::string transform(const char* from, const char* to, const double* x_in, const double* y_in, double* x_out,
                      double* y_out, std::size_t count) {
    std::unique_ptr<PJ_CONTEXT, ContextDeleter> ctx(proj_context_create());
    std::unique_ptr<PJ, PjDeleter> raw(proj_create_crs_to_crs(ctx.get(), from, to, nullptr));
    if (!raw) throw Error(ErrorCode::Projection, std::string("PROJ cannot create the transformation ") + from + " -> " + to);
    // Longitude/easting first, whatever the CRS's axis order.
    std::unique_ptr<PJ, PjDeleter> pj(proj_normalize_for_visualization(ctx.get(), raw.get()));
    if (!pj) throw Error(ErrorCode::Projection, "PROJ cannot normalise the axis order");
    std::string operation;
    for (std::size_t i = 0; i < count; ++i) {
        if (std::isnan(x_in[i]) || std::isnan(y_in[i])) {
            x_out[i] = y_out[i] = std::nan("");
            continue;
        }
        PJ_COORD c = proj_coord(x_in[i], y_in[i], 0, 0);
        PJ_COORD r = proj_trans(pj.get(), PJ_FWD, c);
        if (r.xy.x == HUGE_VAL || std::isinf(r.xy.x)) {
            x_out[i] = y_out[i] = std::nan("");
            continue;
        }
        x_out[i] = r.xy.x;
        y_out[i] = r.xy.y;
        if (operation.empty()) {
            if (PJ* op = proj_trans_get_last_used_operation(pj.get())) {
                operation = proj_pj_info(op).description ? proj_pj_info(op).description : "";
                proj_destroy(op);
            }
        }
    }
    return operation;
}

}  // namespace

std::string bng_to_wgs84(const double* easting, const double* northing, double* longitude, double* latitude,
                         std::size_t count) {
    return transform("EPSG:27700", "EPSG:4326", easting, northing, longitude, latitude, count);
}

std::string wgs84_to_bng(const double* longitude, const double* latitude, double* easting, double* northing,
                         std::size_t count) {
    return transform("EPSG:4326", "EPSG:27700", longitude, latitude, easting, northing, count);
}

}  // namespace roadsafe::geo
