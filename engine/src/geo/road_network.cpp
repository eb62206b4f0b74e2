#include "roadsafe/geo/road_network.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "roadsafe/core/error.hpp"

namespace roadsafe::geo {

namespace {

struct DatasetCloser {
    void operator()(void* d) const { GDALClose(static_cast<GDALDatasetH>(d)); }
};
struct SrsDeleter {
    void operator()(void* s) const { OSRDestroySpatialReference(static_cast<OGRSpatialReferenceH>(s)); }
};
struct TransformDeleter {
    void operator()(void* t) const { OCTDestroyCoordinateTransformation(static_cast<OGRCoordinateTransformationH>(t)); }
};
struct FeatureDeleter {
    void operator()(void* f) const { OGR_F_Destroy(static_cast<OGRFeatureH>(f)); }
};
struct GeometryDeleter {
    void operator()(void* g) const { OGR_G_DestroyGeometry(static_cast<OGRGeometryH>(g)); }
};

std::string last_gdal_error() {
    const char* m = CPLGetLastErrorMsg();
    return m && *m ? m : "unknown GDAL error";
}

GDALDatasetH open_vector(const std::string& path) {
    static std::once_flag registered;
    std::call_once(registered, [] { GDALAllRegister(); });
    const unsigned flags = GDAL_OF_VECTOR | GDAL_OF_READONLY;
    CPLErrorReset();
    GDALDatasetH ds = GDALOpenEx(path.c_str(), flags, nullptr, nullptr, nullptr);
    // A GeoJSON sequence with a plain .geojson name may not be recognised by content.
    if (!ds && path.rfind("GeoJSONSeq:", 0) != 0)
        ds = GDALOpenEx(("GeoJSONSeq:" + path).c_str(), flags, nullptr, nullptr, nullptr);
    return ds;
}

}  // namespace

void RoadLines::add_line(std::span<const double> lx, std::span<const double> ly, std::int64_t fid_value) {
    if (lx.size() != ly.size()) throw Error(ErrorCode::InvalidInput, "a line's x and y must have the same length");
    x.insert(x.end(), lx.begin(), lx.end());
    y.insert(y.end(), ly.begin(), ly.end());
    offsets.push_back(x.size());
    fid.push_back(fid_value);
    source.push_back(0);
    for (auto& f : fields) f.emplace_back();
}

RoadLines read_road_lines(const std::vector<std::string>& sources, const ReadRoadOptions& o) {
    RoadLines out;
    out.field_names = o.fields;
    out.fields.resize(o.fields.size());
    std::unordered_set<std::string> seen;
    std::unique_ptr<void, SrsDeleter> target(OSRNewSpatialReference(nullptr));
    if (OSRImportFromEPSG(static_cast<OGRSpatialReferenceH>(target.get()), o.target_epsg) != OGRERR_NONE)
        throw Error(ErrorCode::Projection, "unknown target CRS EPSG:" + std::to_string(o.target_epsg));
    OSRSetAxisMappingStrategy(static_cast<OGRSpatialReferenceH>(target.get()), OAMS_TRADITIONAL_GIS_ORDER);

    // GDAL's warnings (e.g. a GeoPackage version note) would go to stderr; errors still surface below.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    struct PopHandler {
        ~PopHandler() { CPLPopErrorHandler(); }
    } pop_handler;
    for (std::size_t s = 0; s < sources.size(); ++s) {
        const std::string& path = sources[s];
        std::unique_ptr<void, DatasetCloser> ds(open_vector(path));
        if (!ds) throw Error(ErrorCode::Io, "cannot open the road network: " + last_gdal_error(), {path, 0, {}, {}});
        auto h = static_cast<GDALDatasetH>(ds.get());
        OGRLayerH layer = o.layer.empty() ? GDALDatasetGetLayer(h, 0) : GDALDatasetGetLayerByName(h, o.layer.c_str());
        if (!layer) {
            std::string names;
            for (int i = 0; i < GDALDatasetGetLayerCount(h); ++i)
                names += (i ? ", " : "") + std::string(OGR_L_GetName(GDALDatasetGetLayer(h, i)));
            throw Error(ErrorCode::Io, "no layer '" + o.layer + "' (layers: " + (names.empty() ? "none" : names) + ")",
                        {path, 0, "layer", o.layer});
        }
        out.sources.push_back(path);
        OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
        std::vector<int> field_index;
        for (const auto& f : o.fields) field_index.push_back(OGR_FD_GetFieldIndex(defn, f.c_str()));
        const int unique_index = o.unique_field.empty() ? -1 : OGR_FD_GetFieldIndex(defn, o.unique_field.c_str());

        // Transformation into the target CRS, when the layer's CRS differs.
        std::unique_ptr<void, SrsDeleter> src;
        if (OGRSpatialReferenceH layer_srs = OGR_L_GetSpatialRef(layer)) {
            src.reset(OSRClone(layer_srs));
        } else if (o.assume_wgs84_without_crs) {
            src.reset(OSRNewSpatialReference(nullptr));
            OSRImportFromEPSG(static_cast<OGRSpatialReferenceH>(src.get()), 4326);
        }
        std::unique_ptr<void, TransformDeleter> ct;
        if (src) {
            auto srs = static_cast<OGRSpatialReferenceH>(src.get());
            OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
            if (out.source_crs.empty() && OSRGetName(srs)) out.source_crs = OSRGetName(srs);
            if (!OSRIsSame(srs, static_cast<OGRSpatialReferenceH>(target.get()))) {
                CPLErrorReset();
                ct.reset(OCTNewCoordinateTransformation(srs, static_cast<OGRSpatialReferenceH>(target.get())));
                if (!ct)
                    throw Error(ErrorCode::Projection,
                                "cannot transform the road network's CRS to EPSG:" + std::to_string(o.target_epsg) +
                                    ": " + last_gdal_error(),
                                {path, 0, {}, {}});
            }
        }

        std::vector<double> px, py;
        auto skip = [&](std::int64_t fid, std::string reason) {
            out.skipped.push_back({path, fid, std::move(reason)});
        };
        OGR_L_ResetReading(layer);
        while (OGRFeatureH raw = OGR_L_GetNextFeature(layer)) {
            std::unique_ptr<void, FeatureDeleter> feature(raw);
            ++out.features_read;
            const std::int64_t fid = OGR_F_GetFID(raw);
            if (unique_index >= 0 && OGR_F_IsFieldSetAndNotNull(raw, unique_index)) {
                std::string key = OGR_F_GetFieldAsString(raw, unique_index);
                if (!seen.insert(key).second) {
                    skip(fid, "duplicate " + o.unique_field + " " + key);
                    continue;
                }
            }
            OGRGeometryH geom = OGR_F_GetGeometryRef(raw);
            if (!geom || OGR_G_IsEmpty(geom)) {
                skip(fid, "empty geometry");
                continue;
            }
            OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(geom));
            std::unique_ptr<void, GeometryDeleter> linear;
            if (type != wkbLineString && type != wkbMultiLineString &&
                (OGR_GT_IsSubClassOf(type, wkbCurve) || OGR_GT_IsSubClassOf(type, wkbMultiCurve))) {
                linear.reset(OGR_G_GetLinearGeometry(geom, 0, nullptr));  // circular arcs -> line strings
                if (linear) {
                    geom = static_cast<OGRGeometryH>(linear.get());
                    type = wkbFlatten(OGR_G_GetGeometryType(geom));
                }
            }
            std::vector<OGRGeometryH> parts;
            if (type == wkbLineString) {
                parts.push_back(geom);
            } else if (type == wkbMultiLineString) {
                for (int i = 0; i < OGR_G_GetGeometryCount(geom); ++i) parts.push_back(OGR_G_GetGeometryRef(geom, i));
            } else {
                skip(fid, std::string("not a line: ") + OGRGeometryTypeToName(type));
                continue;
            }
            for (OGRGeometryH part : parts) {
                const int n = OGR_G_GetPointCount(part);
                if (n < 2) {
                    skip(fid, "a line with fewer than 2 points");
                    continue;
                }
                px.assign(static_cast<std::size_t>(n), 0.0);
                py.assign(static_cast<std::size_t>(n), 0.0);
                OGR_G_GetPoints(part, px.data(), sizeof(double), py.data(), sizeof(double), nullptr, 0);
                if (ct && !OCTTransform(static_cast<OGRCoordinateTransformationH>(ct.get()), n, px.data(), py.data(),
                                        nullptr)) {
                    skip(fid, "cannot reproject");
                    continue;
                }
                bool finite = true;
                for (std::size_t i = 0; i < px.size(); ++i)
                    finite = finite && std::isfinite(px[i]) && std::isfinite(py[i]);
                if (!finite) {
                    skip(fid, "non-finite coordinate");
                    continue;
                }
                out.x.insert(out.x.end(), px.begin(), px.end());
                out.y.insert(out.y.end(), py.begin(), py.end());
                out.offsets.push_back(out.x.size());
                out.fid.push_back(fid);
                out.source.push_back(static_cast<std::uint32_t>(out.sources.size() - 1));
                for (std::size_t k = 0; k < field_index.size(); ++k) {
                    const int fi = field_index[k];
                    out.fields[k].emplace_back(
                        fi >= 0 && OGR_F_IsFieldSetAndNotNull(raw, fi) ? OGR_F_GetFieldAsString(raw, fi) : "");
                }
            }
        }
    }
    return out;
}

double RoadNetwork::total_length() const noexcept {
    double s = 0;
    for (const auto& e : edges) s += e.length;
    return s;
}

void RoadNetwork::point_at(std::size_t edge, double offset, double& x, double& y) const {
    const RoadEdge& e = edges[edge];
    const auto m0 = vm.begin() + static_cast<std::ptrdiff_t>(e.first);
    const auto m1 = m0 + static_cast<std::ptrdiff_t>(e.count);
    offset = std::clamp(offset, 0.0, e.length);
    // the segment [k, k+1] holding the offset
    auto it = std::upper_bound(m0 + 1, m1, offset);
    if (it == m1) --it;
    const std::size_t k = static_cast<std::size_t>(it - vm.begin()) - 1;
    const double seg = vm[k + 1] - vm[k];
    const double t = seg > 0 ? (offset - vm[k]) / seg : 0.0;
    x = vx[k] + t * (vx[k + 1] - vx[k]);
    y = vy[k] + t * (vy[k + 1] - vy[k]);
}

void RoadNetwork::sub_line(std::size_t edge, double a, double b, std::vector<double>& x, std::vector<double>& y) const {
    const RoadEdge& e = edges[edge];
    double px, py;
    point_at(edge, a, px, py);
    x.push_back(px);
    y.push_back(py);
    for (std::size_t k = e.first + 1; k + 1 < e.first + e.count; ++k) {
        if (vm[k] <= a) continue;
        if (vm[k] >= b) break;
        x.push_back(vx[k]);
        y.push_back(vy[k]);
    }
    point_at(edge, b, px, py);
    x.push_back(px);
    y.push_back(py);
}

RoadNetwork build_road_network(const RoadLines& lines, double snap) {
    if (!(snap > 0) || !std::isfinite(snap))
        throw Error(ErrorCode::InvalidInput, "snap must be a positive number of metres");
    if (lines.offsets.empty() || lines.offsets.back() != lines.x.size() || lines.x.size() != lines.y.size())
        throw Error(ErrorCode::InvalidInput, "line offsets do not match the coordinates");
    RoadNetwork net;
    net.snap = snap;
    // 1. Snap to the grid and drop repeated consecutive vertices.
    std::vector<std::int64_t> kx, ky;
    std::vector<std::size_t> clean_offsets{0}, clean_line;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::size_t b = lines.offsets[i], e = lines.offsets[i + 1];
        bool finite = true;
        for (std::size_t j = b; j < e; ++j) finite = finite && std::isfinite(lines.x[j]) && std::isfinite(lines.y[j]);
        if (!finite) {
            net.skipped.push_back({i, "non-finite coordinate"});
            continue;
        }
        const std::size_t start = kx.size();
        for (std::size_t j = b; j < e; ++j) {
            const auto qx = static_cast<std::int64_t>(std::llround(lines.x[j] / snap));
            const auto qy = static_cast<std::int64_t>(std::llround(lines.y[j] / snap));
            if (kx.size() > start && kx.back() == qx && ky.back() == qy) continue;
            kx.push_back(qx);
            ky.push_back(qy);
        }
        if (kx.size() - start < 2) {
            kx.resize(start);
            ky.resize(start);
            net.skipped.push_back({i, "fewer than 2 distinct vertices"});
            continue;
        }
        clean_offsets.push_back(kx.size());
        clean_line.push_back(i);
    }
    // 2. Group identical vertices (a sort, so the result does not depend on hashing).
    const std::size_t nv = kx.size();
    std::vector<std::size_t> order(nv);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return std::tie(kx[a], ky[a], a) < std::tie(kx[b], ky[b], b); });
    std::vector<std::size_t> group(nv), group_count;
    for (std::size_t r = 0; r < nv; ++r) {
        const std::size_t v = order[r];
        if (r == 0 || kx[v] != kx[order[r - 1]] || ky[v] != ky[order[r - 1]]) group_count.push_back(0);
        group[v] = group_count.size() - 1;
        ++group_count.back();
    }
    // 3. Nodes at line ends and shared vertices, numbered in order of first appearance.
    constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
    std::vector<std::size_t> node_of_group(group_count.size(), none);
    auto node_for = [&](std::size_t v) {
        std::size_t& n = node_of_group[group[v]];
        if (n == none) {
            n = net.node_x.size();
            net.node_x.push_back(static_cast<double>(kx[v]) * snap);
            net.node_y.push_back(static_cast<double>(ky[v]) * snap);
        }
        return n;
    };
    // 4. Split each line at its nodes.
    for (std::size_t c = 0; c + 1 < clean_offsets.size(); ++c) {
        const std::size_t b = clean_offsets[c], e = clean_offsets[c + 1];
        RoadEdge edge;
        edge.line = clean_line[c];
        edge.from = node_for(b);
        edge.first = net.vx.size();
        double length = 0;
        auto push_vertex = [&](std::size_t v) {
            const double x = static_cast<double>(kx[v]) * snap, y = static_cast<double>(ky[v]) * snap;
            if (net.vx.size() > edge.first) length += std::hypot(x - net.vx.back(), y - net.vy.back());
            net.vx.push_back(x);
            net.vy.push_back(y);
            net.vm.push_back(length);
        };
        push_vertex(b);
        for (std::size_t v = b + 1; v < e; ++v) {
            push_vertex(v);
            if (v + 1 == e || group_count[group[v]] >= 2) {
                edge.to = node_for(v);
                edge.count = net.vx.size() - edge.first;
                edge.length = length;
                net.edges.push_back(edge);
                if (v + 1 < e) {  // the next edge starts here
                    edge.from = edge.to;
                    edge.first = net.vx.size();
                    length = 0;
                    push_vertex(v);
                }
            }
        }
    }
    // 5. Incident edges of each node (CSR).
    net.adjacency_offsets.assign(net.nodes() + 1, 0);
    for (const auto& e : net.edges) {
        ++net.adjacency_offsets[e.from + 1];
        ++net.adjacency_offsets[e.to + 1];
    }
    for (std::size_t v = 0; v < net.nodes(); ++v) net.adjacency_offsets[v + 1] += net.adjacency_offsets[v];
    net.adjacency.resize(net.adjacency_offsets.back());
    std::vector<std::size_t> fill(net.adjacency_offsets.begin(), net.adjacency_offsets.end() - 1);
    for (std::size_t i = 0; i < net.edges.size(); ++i) {
        net.adjacency[fill[net.edges[i].from]++] = i;
        net.adjacency[fill[net.edges[i].to]++] = i;
    }
    return net;
}

}  // namespace roadsafe::geo
