#pragma once
// Snapping points (collisions) onto the nearest road of a network, through a Boost.Geometry R-tree
// over the network's segments. A point farther than `max_distance` from every road is not forced
// onto one: it is reported with the distance to the nearest road.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "roadsafe/geo/road_network.hpp"

namespace roadsafe::geo {

enum class SnapStatus : std::int8_t {
    Snapped = 0,
    NoLocation = 1,  // a non-finite coordinate
    TooFar = 2,      // the nearest road is farther than max_distance
    NoRoad = 3,      // the network has no edge
};

struct SnapResult {
    std::vector<SnapStatus> status;  // per point
    std::vector<std::int64_t> edge;  // the edge snapped to, -1 when not snapped
    std::vector<double> offset;      // metres along the edge from its from-node (NaN when not snapped)
    std::vector<double> distance;    // distance to the nearest road (NaN without location or road)
    std::vector<double> x, y;        // the snapped point (NaN when not snapped)
    std::size_t snapped = 0, no_location = 0, too_far = 0;
};

// The index is built once per network; queries are thread-safe.
class SegmentIndex {
public:
    explicit SegmentIndex(const RoadNetwork& network);
    ~SegmentIndex();
    SegmentIndex(const SegmentIndex&) = delete;
    SegmentIndex& operator=(const SegmentIndex&) = delete;

    // The nearest segment to (px, py): its edge, the offset of the nearest point along that edge and
    // the distance; false when the network is empty. Ties go to the lowest edge index then offset.
    bool nearest(double px, double py, std::size_t& edge, double& offset, double& distance) const;

private:
    struct Impl;
    const RoadNetwork& network_;
    Impl* impl_;
};

// Throws Error(InvalidInput) when x and y differ in length or max_distance is negative or NaN.
SnapResult snap_points(const RoadNetwork& network, std::span<const double> x, std::span<const double> y,
                       double max_distance = 50.0, unsigned threads = 0);

}  // namespace roadsafe::geo
