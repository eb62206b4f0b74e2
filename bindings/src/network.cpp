// Python binding of the road network, snapping, lixels and network KDE: roadsafe._engine.network.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "roadsafe/core/error.hpp"
#include "roadsafe/geo/lixels.hpp"
#include "roadsafe/geo/road_network.hpp"
#include "roadsafe/geo/snapping.hpp"
#include "roadsafe/hotspots/network_kde.hpp"

namespace py = pybind11;
namespace geo = roadsafe::geo;
namespace hs = roadsafe::hotspots;

namespace {

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;

template <typename A>
auto view1d(const A& a) {
    if (a.ndim() != 1) throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "expected a 1-D array");
    return std::span(a.data(), static_cast<std::size_t>(a.size()));
}

template <typename T>
py::array_t<T> to_array(const std::vector<T>& v) {
    py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), out.mutable_data());
    return out;
}

template <typename T, typename F>
py::array_t<T> column(std::size_t n, F&& f) {
    py::array_t<T> out(static_cast<py::ssize_t>(n));
    T* p = out.mutable_data();
    for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<T>(f(i));
    return out;
}

hs::NetworkKernel parse_kernel(const std::string& name) {
    if (name == "quartic") return hs::NetworkKernel::Quartic;
    if (name == "triangular") return hs::NetworkKernel::Triangular;
    if (name == "gaussian") return hs::NetworkKernel::Gaussian;
    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput,
                          "kernel must be 'quartic', 'triangular' or 'gaussian', got '" + name + "'");
}

hs::NkdeMethod parse_method(const std::string& name) {
    if (name == "simple") return hs::NkdeMethod::Simple;
    if (name == "discontinuous") return hs::NkdeMethod::Discontinuous;
    if (name == "discontinuous_all_paths") return hs::NkdeMethod::DiscontinuousAllPaths;
    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput,
                          "method must be 'simple', 'discontinuous' or 'discontinuous_all_paths', got '" + name + "'");
}

}  // namespace

void init_network(py::module_& m) {
    py::module_ n = m.def_submodule("network", "Road networks read through GDAL, snapping, lixels and network KDE.");

    py::class_<geo::RoadLines>(n, "RoadLines", "Polylines (EPSG:27700 metres) with their source FIDs and attributes.")
        .def_static(
            "from_arrays",
            [](const DoubleArray& x, const DoubleArray& y, const Int64Array& offsets) {
                auto xs = view1d(x), ys = view1d(y);
                auto off = view1d(offsets);
                if (xs.size() != ys.size())
                    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "x and y must have the same length");
                if (off.empty() || off.front() != 0 || off.back() != static_cast<std::int64_t>(xs.size()))
                    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "offsets must run from 0 to len(x)");
                geo::RoadLines lines;
                for (std::size_t i = 0; i + 1 < off.size(); ++i) {
                    if (off[i + 1] < off[i])
                        throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "offsets must not decrease");
                    const auto b = static_cast<std::size_t>(off[i]), e = static_cast<std::size_t>(off[i + 1]);
                    lines.add_line(xs.subspan(b, e - b), ys.subspan(b, e - b), static_cast<std::int64_t>(i));
                }
                return lines;
            },
            py::arg("x"), py::arg("y"), py::arg("offsets"),
            "Lines from flat coordinates: line i is [offsets[i], offsets[i + 1]); its fid is i.")
        .def("__len__", &geo::RoadLines::size)
        .def_property_readonly("x", [](const geo::RoadLines& l) { return to_array(l.x); })
        .def_property_readonly("y", [](const geo::RoadLines& l) { return to_array(l.y); })
        .def_property_readonly("offsets",
                               [](const geo::RoadLines& l) {
                                   return column<std::int64_t>(l.offsets.size(),
                                                               [&](std::size_t i) { return l.offsets[i]; });
                               })
        .def_property_readonly("fid", [](const geo::RoadLines& l) { return to_array(l.fid); })
        .def_property_readonly("source", [](const geo::RoadLines& l) { return to_array(l.source); })
        .def_readonly("sources", &geo::RoadLines::sources)
        .def_readonly("field_names", &geo::RoadLines::field_names)
        .def(
            "field",
            [](const geo::RoadLines& l, const std::string& name) {
                for (std::size_t k = 0; k < l.field_names.size(); ++k)
                    if (l.field_names[k] == name) return l.fields[k];
                throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "no field '" + name + "' was read");
            },
            py::arg("name"), "The values of a kept attribute, one per line ('' where null).")
        .def_property_readonly("skipped",
                               [](const geo::RoadLines& l) {
                                   std::vector<std::tuple<std::string, std::int64_t, std::string>> out;
                                   for (const auto& s : l.skipped) out.emplace_back(s.source, s.fid, s.reason);
                                   return out;
                               })
        .def_readonly("features_read", &geo::RoadLines::features_read)
        .def_readonly("source_crs", &geo::RoadLines::source_crs);

    n.def(
        "read_road_lines",
        [](const std::vector<std::string>& sources, const std::string& layer, const std::vector<std::string>& fields,
           const std::string& unique_field, int target_epsg) {
            geo::ReadRoadOptions o;
            o.layer = layer;
            o.fields = fields;
            o.unique_field = unique_field;
            o.target_epsg = target_epsg;
            py::gil_scoped_release release;
            return geo::read_road_lines(sources, o);
        },
        py::arg("sources"), py::arg("layer") = "", py::arg("fields") = std::vector<std::string>{},
        py::arg("unique_field") = "", py::arg("target_epsg") = 27700,
        R"doc(Read the line features of GDAL vector sources (GeoPackage, Shapefile, GeoJSON, GeoJSON sequences...),
reprojected to target_epsg; MultiLineStrings give one line per part; features without a line are in .skipped.)doc");

    py::class_<geo::RoadNetwork>(n, "RoadNetwork", "A road graph: nodes, edges with polylines and lengths (metres).")
        .def_property_readonly("nodes", &geo::RoadNetwork::nodes)
        .def_property_readonly("edge_count", [](const geo::RoadNetwork& g) { return g.edges.size(); })
        .def_property_readonly("node_x", [](const geo::RoadNetwork& g) { return to_array(g.node_x); })
        .def_property_readonly("node_y", [](const geo::RoadNetwork& g) { return to_array(g.node_y); })
        .def_property_readonly("edge_from",
                               [](const geo::RoadNetwork& g) {
                                   return column<std::int64_t>(g.edges.size(),
                                                               [&](std::size_t i) { return g.edges[i].from; });
                               })
        .def_property_readonly("edge_to",
                               [](const geo::RoadNetwork& g) {
                                   return column<std::int64_t>(g.edges.size(),
                                                               [&](std::size_t i) { return g.edges[i].to; });
                               })
        .def_property_readonly("edge_length",
                               [](const geo::RoadNetwork& g) {
                                   return column<double>(g.edges.size(),
                                                         [&](std::size_t i) { return g.edges[i].length; });
                               })
        .def_property_readonly("edge_line",
                               [](const geo::RoadNetwork& g) {
                                   return column<std::int64_t>(g.edges.size(),
                                                               [&](std::size_t i) { return g.edges[i].line; });
                               })
        .def_property_readonly("degree",
                               [](const geo::RoadNetwork& g) {
                                   return column<std::int64_t>(g.nodes(), [&](std::size_t i) { return g.degree(i); });
                               })
        .def_property_readonly("skipped",
                               [](const geo::RoadNetwork& g) {
                                   std::vector<std::pair<std::size_t, std::string>> out;
                                   for (const auto& s : g.skipped) out.emplace_back(s.line, s.reason);
                                   return out;
                               })
        .def_property_readonly("total_length", &geo::RoadNetwork::total_length)
        .def("__repr__", [](const geo::RoadNetwork& g) {
            return "RoadNetwork: " + std::to_string(g.nodes()) + " nodes, " + std::to_string(g.edges.size()) +
                   " edges, " + std::to_string(static_cast<long long>(g.total_length() / 1000.0)) + " km";
        });

    n.def(
        "build_road_network",
        [](const geo::RoadLines& lines, double snap) {
            py::gil_scoped_release release;
            return geo::build_road_network(lines, snap);
        },
        py::arg("lines"), py::arg("snap") = 0.01,
        "Topology: nodes at line ends and at vertices shared after snapping to `snap` metres; edges between nodes.");

    n.def(
        "snap_points",
        [](const geo::RoadNetwork& g, const DoubleArray& x, const DoubleArray& y, double max_distance,
           unsigned threads) {
            geo::SnapResult r;
            {
                py::gil_scoped_release release;
                r = geo::snap_points(g, view1d(x), view1d(y), max_distance, threads);
            }
            py::dict d;
            d["status"] = column<std::int8_t>(r.status.size(),
                                              [&](std::size_t i) { return static_cast<std::int8_t>(r.status[i]); });
            d["edge"] = to_array(r.edge);
            d["offset"] = to_array(r.offset);
            d["distance"] = to_array(r.distance);
            d["x"] = to_array(r.x);
            d["y"] = to_array(r.y);
            return d;
        },
        py::arg("network"), py::arg("x"), py::arg("y"), py::arg("max_distance") = 50.0, py::arg("threads") = 0,
        R"doc(Nearest road of each point (R-tree over segments). status: 0 snapped, 1 no location, 2 farther than
max_distance, 3 empty network; distance to the nearest road is given whenever there is one.)doc");

    py::class_<geo::Lixels>(n, "Lixels", "Edges cut into equal pieces no longer than the lixel length.")
        .def("__len__", &geo::Lixels::size)
        .def_property_readonly("edge",
                               [](const geo::Lixels& l) {
                                   return column<std::int64_t>(l.size(), [&](std::size_t i) { return l.edge[i]; });
                               })
        .def_property_readonly("start", [](const geo::Lixels& l) { return to_array(l.start); })
        .def_property_readonly("end", [](const geo::Lixels& l) { return to_array(l.end); })
        .def_property_readonly("mid_x", [](const geo::Lixels& l) { return to_array(l.mid_x); })
        .def_property_readonly("mid_y", [](const geo::Lixels& l) { return to_array(l.mid_y); });

    n.def(
        "make_lixels",
        [](const geo::RoadNetwork& g, double lixel) {
            py::gil_scoped_release release;
            return geo::make_lixels(g, lixel);
        },
        py::arg("network"), py::arg("lixel") = 20.0, "Cut every edge into ceil(length / lixel) equal lixels.");

    n.def(
        "lixel_geometry",
        [](const geo::RoadNetwork& g, const geo::Lixels& l) {
            std::vector<double> x, y;
            std::vector<std::size_t> off;
            {
                py::gil_scoped_release release;
                geo::lixel_geometry(g, l, x, y, off);
            }
            return py::make_tuple(to_array(x), to_array(y),
                                  column<std::int64_t>(off.size(), [&](std::size_t i) { return off[i]; }));
        },
        py::arg("network"), py::arg("lixels"), "Each lixel's polyline as (x, y, offsets).");

    n.def(
        "network_kernel",
        [](const std::string& kernel, double d, double h) { return hs::network_kernel(parse_kernel(kernel), d, h); },
        py::arg("kernel"), py::arg("d"), py::arg("bandwidth"),
        "The 1-D kernel K(d) used by network_kde (integrates to 1).");

    n.def(
        "network_kde",
        [](const geo::RoadNetwork& g, const geo::Lixels& l, const Int64Array& edge, const DoubleArray& offset,
           const std::optional<DoubleArray>& weight, double bandwidth, const std::string& kernel,
           const std::string& method, unsigned threads) {
            hs::NetworkKdeOptions o;
            o.bandwidth = bandwidth;
            o.kernel = parse_kernel(kernel);
            o.method = parse_method(method);
            o.threads = threads;
            std::vector<double> dens;
            {
                py::gil_scoped_release release;
                dens = hs::network_kde(g, l, view1d(edge), view1d(offset),
                                       weight ? view1d(*weight) : std::span<const double>{}, o);
            }
            return to_array(dens);
        },
        py::arg("network"), py::arg("lixels"), py::arg("edge"), py::arg("offset"), py::arg("weight") = py::none(),
        py::arg("bandwidth") = 300.0, py::arg("kernel") = "quartic", py::arg("method") = "simple",
        py::arg("threads") = 0,
        R"doc(Network KDE at lixel midpoints, per metre: 'simple', 'discontinuous' (Okabe equal split along shortest
paths) or 'discontinuous_all_paths' (Okabe's equal split summed over every path; exponential cost), kernel
'quartic', 'triangular' or 'gaussian' (truncated at the bandwidth). Events with edge < 0 are ignored.)doc");
}
