#include "roadsafe/geo/snapping.hpp"

// Boost.Geometry is included here only, to keep its template instantiation in one translation unit.
#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cmath>
#include <iterator>
#include <limits>
#include <thread>
#include <tuple>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"

namespace roadsafe::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BSegment = bg::model::segment<BPoint>;
using SegmentValue = std::pair<BSegment, std::size_t>;  // segment, index of its first vertex in vx/vy

struct SegmentIndex::Impl {
    bgi::rtree<SegmentValue, bgi::quadratic<16>> tree;
    std::vector<std::size_t> vertex_edge;  // the edge of each vertex of RoadNetwork::vx
};

SegmentIndex::SegmentIndex(const RoadNetwork& network) : network_(network), impl_(new Impl) {
    std::vector<SegmentValue> values;
    impl_->vertex_edge.assign(network.vx.size(), 0);
    for (std::size_t f = 0; f < network.edges.size(); ++f) {
        const RoadEdge& e = network.edges[f];
        for (std::size_t k = e.first; k < e.first + e.count; ++k) impl_->vertex_edge[k] = f;
        for (std::size_t k = e.first; k + 1 < e.first + e.count; ++k)
            values.emplace_back(
                BSegment(BPoint(network.vx[k], network.vy[k]), BPoint(network.vx[k + 1], network.vy[k + 1])), k);
    }
    impl_->tree = bgi::rtree<SegmentValue, bgi::quadratic<16>>(values.begin(), values.end());  // bulk-loaded (packed)
}

SegmentIndex::~SegmentIndex() {
    delete impl_;
}

bool SegmentIndex::nearest(double px, double py, std::size_t& edge, double& offset, double& distance) const {
    if (impl_->tree.empty()) return false;
    // A few nearest segments, so that exact ties can be broken by edge index and offset.
    std::vector<SegmentValue> found;
    impl_->tree.query(bgi::nearest(BPoint(px, py), 8), std::back_inserter(found));
    const auto& vx = network_.vx;
    const auto& vy = network_.vy;
    bool have = false;
    for (const auto& [segment, k] : found) {
        const double ax = vx[k], ay = vy[k], dx = vx[k + 1] - ax, dy = vy[k + 1] - ay;
        const double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;
        t = std::clamp(t, 0.0, 1.0);
        const double qx = ax + t * dx, qy = ay + t * dy;
        const double d = std::hypot(px - qx, py - qy);
        const std::size_t f = impl_->vertex_edge[k];
        const double off = network_.vm[k] + t * (network_.vm[k + 1] - network_.vm[k]);
        if (!have || std::tie(d, f, off) < std::tie(distance, edge, offset)) {
            distance = d;
            edge = f;
            offset = off;
            have = true;
        }
    }
    return have;
}

SnapResult snap_points(const RoadNetwork& network, std::span<const double> x, std::span<const double> y,
                       double max_distance, unsigned threads) {
    if (x.size() != y.size()) throw Error(ErrorCode::InvalidInput, "x and y must have the same length");
    if (!(max_distance >= 0))
        throw Error(ErrorCode::InvalidInput, "the snapping distance must be a non-negative number of metres");
    const std::size_t n = x.size();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    SnapResult r;
    r.status.assign(n, SnapStatus::NoLocation);
    r.edge.assign(n, -1);
    r.offset.assign(n, nan);
    r.distance.assign(n, nan);
    r.x.assign(n, nan);
    r.y.assign(n, nan);
    const SegmentIndex index(network);
    auto work = [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
            std::size_t f = 0;
            double off = 0, d = 0;
            if (!index.nearest(x[i], y[i], f, off, d)) {
                r.status[i] = SnapStatus::NoRoad;
                continue;
            }
            r.distance[i] = d;
            if (d > max_distance) {
                r.status[i] = SnapStatus::TooFar;
                continue;
            }
            r.status[i] = SnapStatus::Snapped;
            r.edge[i] = static_cast<std::int64_t>(f);
            r.offset[i] = off;
            network.point_at(f, off, r.x[i], r.y[i]);
        }
    };
    unsigned t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    t = static_cast<unsigned>(std::min<std::size_t>(t, std::max<std::size_t>(1, n / 1024)));
    for_each_range(n, t, work);
    for (auto s : r.status) {
        r.snapped += s == SnapStatus::Snapped;
        r.no_location += s == SnapStatus::NoLocation;
        r.too_far += s == SnapStatus::TooFar;
    }
    return r;
}

}  // namespace roadsafe::geo
