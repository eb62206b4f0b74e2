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

// One direction's transformation, built once: creating it (the database lookups of
// proj_create_crs_to_crs) costs milliseconds, far more than transforming a file's points.
struct Transformation {
    std::unique_ptr<PJ_CONTEXT, ContextDeleter> ctx;
    std::unique_ptr<PJ, PjDeleter> pj;

    Transformation(const char* from, const char* to) : ctx(proj_context_create()) {
        // Points PROJ cannot take become NaN here and are reported by the reader; PROJ's own
        // "tmerc: Invalid latitude" lines on stderr would only confuse a user.
        proj_log_level(ctx.get(), PJ_LOG_NONE);
        std::unique_ptr<PJ, PjDeleter> raw(proj_create_crs_to_crs(ctx.get(), from, to, nullptr));
        if (!raw)
            throw Error(ErrorCode::Projection, std::string("PROJ cannot create the transformation ") + from + " -> " + to);
        // Longitude/easting first, whatever the CRS's axis order.
        pj.reset(proj_normalize_for_visualization(ctx.get(), raw.get()));
        if (!pj) throw Error(ErrorCode::Projection, "PROJ cannot normalise the axis order");
    }
};

// A PJ and its context may be used by one thread at a time, so each thread keeps its own,
// built on its first call and destroyed when the thread ends.
const Transformation& cached(bool to_wgs84) {
    thread_local std::unique_ptr<Transformation> bng_to_wgs, wgs_to_bng;
    std::unique_ptr<Transformation>& slot = to_wgs84 ? bng_to_wgs : wgs_to_bng;
    if (!slot)
        slot = to_wgs84 ? std::make_unique<Transformation>("EPSG:27700", "EPSG:4326")
                        : std::make_unique<Transformation>("EPSG:4326", "EPSG:27700");
    return *slot;
}

std::string transform(bool to_wgs84, const double* x_in, const double* y_in, double* x_out, double* y_out,
                      std::size_t count) {
    PJ* pj = cached(to_wgs84).pj.get();
    std::string operation;
    for (std::size_t i = 0; i < count; ++i) {
        if (std::isnan(x_in[i]) || std::isnan(y_in[i])) {
            x_out[i] = y_out[i] = std::nan("");
            continue;
        }
        PJ_COORD c = proj_coord(x_in[i], y_in[i], 0, 0);
        PJ_COORD r = proj_trans(pj, PJ_FWD, c);
        if (r.xy.x == HUGE_VAL || std::isinf(r.xy.x)) {
            x_out[i] = y_out[i] = std::nan("");
            continue;
        }
        x_out[i] = r.xy.x;
        y_out[i] = r.xy.y;
        if (operation.empty()) {
            if (PJ* op = proj_trans_get_last_used_operation(pj)) {
                const char* description = proj_pj_info(op).description;
                operation = description ? description : "";
                proj_destroy(op);
            }
        }
    }
    return operation;
}

}  // namespace

std::string bng_to_wgs84(const double* easting, const double* northing, double* longitude, double* latitude,
                         std::size_t count) {
    return transform(true, easting, northing, longitude, latitude, count);
}

std::string wgs84_to_bng(const double* longitude, const double* latitude, double* easting, double* northing,
                         std::size_t count) {
    return transform(false, longitude, latitude, easting, northing, count);
}

}  // namespace roadsafe::geo
