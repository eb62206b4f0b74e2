#pragma once
// A road network graph in projected metres (EPSG:27700 for GB), built from line geometries.
//
// Lines come from any GDAL vector source (GeoPackage, Shapefile, GeoJSON, GeoJSON sequences,
// FlatGeobuf, ...) through read_road_lines(), reprojected to the target CRS when the layer's CRS
// differs, or from coordinate arrays (a GeoDataFrame converted in Python). build_road_network()
// then makes the topology: coordinates are snapped to a small grid (1 cm by default) and a node is
// placed at every line end and at every interior vertex that appears more than once (two OSM ways
// cross where they share a node, with identical coordinates; a closed way meets itself). Lines are
// split at nodes into edges, each keeping its polyline, its length and the line it came from.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace roadsafe::geo {

// A feature of a source that gave no line, and why ("empty geometry", "not a line: Point", ...).
struct SkippedFeature {
    std::string source;
    std::int64_t fid = -1;
    std::string reason;
};

// Polylines with their source attributes. Line i has vertices [offsets[i], offsets[i + 1]); a
// MultiLineString feature gives one line per part, each with the feature's FID and fields.
struct RoadLines {
    std::vector<double> x, y;
    std::vector<std::size_t> offsets{0};
    std::vector<std::int64_t> fid;                 // source FID of each line
    std::vector<std::uint32_t> source;             // index into `sources` of each line
    std::vector<std::string> sources;              // the paths read
    std::vector<std::string> field_names;          // the attributes kept, in the order asked
    std::vector<std::vector<std::string>> fields;  // fields[k][line]; "" where null or absent
    std::vector<SkippedFeature> skipped;
    std::size_t features_read = 0;
    std::string source_crs;  // the (first) layer's CRS name, "" when it has none

    std::size_t size() const noexcept { return offsets.size() - 1; }
    // Appends one line (no attributes); used to build networks from arrays.
    void add_line(std::span<const double> lx, std::span<const double> ly, std::int64_t fid_value = -1);
};

struct ReadRoadOptions {
    std::string layer;                      // "" = the first layer
    std::vector<std::string> fields;        // attributes to keep when present (others are ignored)
    std::string unique_field;               // when set, later features repeating a value are skipped ("duplicate")
    int target_epsg = 27700;                // lines are reprojected into this CRS when the layer's differs
    bool assume_wgs84_without_crs = false;  // a layer without CRS is taken as EPSG:4326 (else: as the target CRS)
};

// Reads every line feature of each source. A path that GDAL cannot open as given is retried as a
// GeoJSON sequence ("GeoJSONSeq:path"). Throws Error(Io) when a source cannot be opened or has no
// such layer, Error(Projection) when its CRS cannot be transformed to the target.
RoadLines read_road_lines(const std::vector<std::string>& sources, const ReadRoadOptions& options = {});

struct RoadEdge {
    std::size_t from = 0, to = 0;  // node indices; from == to for a closed loop
    double length = 0;             // metres along the polyline
    std::size_t line = 0;          // the RoadLines line it is part of
    std::size_t first = 0;         // its vertices are RoadNetwork::vx/vy [first, first + count)
    std::size_t count = 0;         // >= 2
};

// A line that gave no edge ("fewer than 2 distinct vertices", "non-finite coordinate").
struct SkippedLine {
    std::size_t line = 0;
    std::string reason;
};

struct RoadNetwork {
    std::vector<double> node_x, node_y;
    std::vector<RoadEdge> edges;
    std::vector<double> vx, vy;                  // edge polylines, from node first
    std::vector<double> vm;                      // distance along its edge of each vertex (0 at the from node)
    std::vector<std::size_t> adjacency_offsets;  // node v's incident edges: adjacency[offsets[v] .. offsets[v+1])
    std::vector<std::size_t> adjacency;          // edge indices; a loop appears twice
    std::vector<SkippedLine> skipped;
    double snap = 0.01;

    std::size_t nodes() const noexcept { return node_x.size(); }
    std::size_t degree(std::size_t node) const noexcept {
        return adjacency_offsets[node + 1] - adjacency_offsets[node];
    }
    double total_length() const noexcept;
    // The point at `offset` metres from the edge's from-node (clamped to the edge).
    void point_at(std::size_t edge, double offset, double& x, double& y) const;
    // Appends the part of the edge's polyline between offsets a <= b (both ends included).
    void sub_line(std::size_t edge, double a, double b, std::vector<double>& x, std::vector<double>& y) const;
};

// Builds the graph. `snap` (metres, > 0) is the grid coordinates are rounded to before matching.
RoadNetwork build_road_network(const RoadLines& lines, double snap = 0.01);

}  // namespace roadsafe::geo
