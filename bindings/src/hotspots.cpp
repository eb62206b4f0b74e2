// Python binding of the hotspot methods: roadsafe._engine.hotspots.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "roadsafe/core/error.hpp"
#include "roadsafe/hotspots/cluster_sites.hpp"
#include "roadsafe/hotspots/dbscan.hpp"
#include "roadsafe/hotspots/empirical_bayes.hpp"
#include "roadsafe/hotspots/false_discovery_rate.hpp"
#include "roadsafe/hotspots/gi_star.hpp"
#include "roadsafe/hotspots/kernel_density.hpp"
#include "roadsafe/hotspots/spatial_weights.hpp"
#include "roadsafe/io/geotiff_writer.hpp"

namespace py = pybind11;
namespace hs = roadsafe::hotspots;

namespace {

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

std::span<const double> view(const DoubleArray& a) {
    if (a.ndim() != 1) throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "expected a 1-D array");
    return {a.data(), static_cast<std::size_t>(a.size())};
}

std::span<const double> view(const std::optional<DoubleArray>& a) {
    return a ? view(*a) : std::span<const double>{};
}

template <typename T>
py::array_t<T> to_array(const std::vector<T>& v) {
    py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), out.mutable_data());
    return out;
}

hs::Kernel parse_kernel(const std::string& name) {
    if (name == "quartic") return hs::Kernel::Quartic;
    if (name == "gaussian") return hs::Kernel::Gaussian;
    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "kernel must be 'quartic' or 'gaussian', got '" + name + "'");
}

}  // namespace

void init_hotspots(py::module_& m) {
    py::module_ h = m.def_submodule("hotspots", "Cluster sites, DBSCAN, Getis-Ord Gi*, planar kernel density and Empirical Bayes.");

    h.def(
        "reference_priors",
        [](const DoubleArray& counts, const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& group,
           std::int32_t n_groups) {
            const auto priors = hs::reference_priors(view(counts), {group.data(), static_cast<std::size_t>(group.size())},
                                                     n_groups);
            std::vector<double> mean, variance, k;
            for (const auto& p : priors) {
                mean.push_back(p.mean);
                variance.push_back(p.variance);
                k.push_back(p.k);
            }
            py::dict out;
            out["mean"] = to_array(mean);
            out["variance"] = to_array(variance);
            out["k"] = to_array(k);
            return out;
        },
        py::arg("counts"), py::arg("group"), py::arg("n_groups"),
        "Method-of-moments negative-binomial prior (mean, variance, k) of each reference group.");
    h.def(
        "empirical_bayes",
        [](const DoubleArray& counts, const DoubleArray& prior_mean, const DoubleArray& k, double confidence) {
            const auto eb = hs::empirical_bayes(view(counts), view(prior_mean), view(k), confidence);
            py::dict out;
            out["weight"] = to_array(eb.weight);
            out["estimate"] = to_array(eb.estimate);
            out["lower"] = to_array(eb.lower);
            out["upper"] = to_array(eb.upper);
            out["psi"] = to_array(eb.psi);
            return out;
        },
        py::arg("counts"), py::arg("prior_mean"), py::arg("k"), py::arg("confidence") = 0.95,
        "Empirical Bayes estimate (w mu + (1 - w) x), its posterior interval and PSI for each site.");

    h.def(
        "cluster_sites",
        [](const DoubleArray& x, const DoubleArray& y, double radius, std::int64_t min_collisions) {
            hs::ClusterSiteResult r;
            {
                py::gil_scoped_release release;
                r = hs::find_cluster_sites(view(x), view(y), {radius, min_collisions, 0});
            }
            std::vector<std::int64_t> id, seed, n, offsets{0}, members;
            std::vector<double> sx, sy, cx, cy;
            for (const auto& s : r.sites) {
                id.push_back(s.id);
                seed.push_back(static_cast<std::int64_t>(s.seed));
                n.push_back(static_cast<std::int64_t>(s.members.size()));
                sx.push_back(s.seed_x);
                sy.push_back(s.seed_y);
                cx.push_back(s.centroid_x);
                cy.push_back(s.centroid_y);
                for (auto j : s.members) members.push_back(static_cast<std::int64_t>(j));
                offsets.push_back(static_cast<std::int64_t>(members.size()));
            }
            py::dict d;
            d["site_of"] = to_array(r.site_of);
            d["skipped"] = r.skipped;
            d["site_id"] = to_array(id);
            d["seed"] = to_array(seed);
            d["n"] = to_array(n);
            d["seed_x"] = to_array(sx);
            d["seed_y"] = to_array(sy);
            d["centroid_x"] = to_array(cx);
            d["centroid_y"] = to_array(cy);
            d["member_offsets"] = to_array(offsets);
            d["members"] = to_array(members);
            return d;
        },
        py::arg("x"), py::arg("y"), py::arg("radius") = 50.0, py::arg("min_collisions") = 5,
        R"doc(Cluster sites: min_collisions or more points within radius metres, seeded densest first,
non-overlapping. Returns a dict of arrays (site_of per point: site id, 0 none, -1 no location).)doc");

    h.def(
        "dbscan",
        [](const DoubleArray& x, const DoubleArray& y, double eps, double min_samples,
           const std::optional<DoubleArray>& weight) {
            hs::DbscanResult r;
            {
                py::gil_scoped_release release;
                r = hs::dbscan(view(x), view(y), eps, min_samples, view(weight));
            }
            py::dict d;
            d["labels"] = to_array(r.labels);
            d["core"] = to_array(r.core);
            d["clusters"] = r.clusters;
            return d;
        },
        py::arg("x"), py::arg("y"), py::arg("eps"), py::arg("min_samples"), py::arg("weight") = py::none(),
        R"doc(DBSCAN with scikit-learn's semantics (labels equal to sklearn's). Labels -1 noise, -2 no location.)doc");

    h.def(
        "gi_star",
        [](const DoubleArray& x, const DoubleArray& y, const DoubleArray& values, std::optional<double> distance,
           std::optional<std::size_t> k, const std::string& transform, std::size_t permutations, std::uint64_t seed,
           unsigned threads) {
            if (distance.has_value() == k.has_value())
                throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "give exactly one of distance and k");
            if (transform != "B" && transform != "R")
                throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "transform must be 'B' (binary) or 'R' (row-standardised)");
            hs::GiStarResult r;
            std::vector<double> cardinality;
            {
                py::gil_scoped_release release;
                hs::SpatialWeights w = distance ? hs::distance_band_weights(view(x), view(y), *distance, true)
                                                : hs::knn_weights(view(x), view(y), *k, true);
                for (std::size_t i = 0; i < w.rows(); ++i)
                    cardinality.push_back(static_cast<double>(w.offsets[i + 1] - w.offsets[i]));
                if (transform == "R") w.row_standardise();
                r = hs::gi_star(w, view(values), {permutations, seed, threads});
            }
            py::dict d;
            d["g"] = to_array(r.g);
            d["expected"] = to_array(r.expected);
            d["variance"] = to_array(r.variance);
            d["z"] = to_array(r.z);
            d["p_norm"] = to_array(r.p_norm);
            d["p_sim"] = to_array(r.p_sim);
            d["q_sim"] = to_array(r.q_sim);
            d["q_norm"] = to_array(r.q_norm);
            d["neighbours"] = to_array(cardinality);
            return d;
        },
        py::arg("x"), py::arg("y"), py::arg("values"), py::arg("distance") = py::none(), py::arg("k") = py::none(),
        py::arg("transform") = "B", py::arg("permutations") = 999, py::arg("seed") = 0, py::arg("threads") = 0,
        R"doc(Getis-Ord Gi* (self included) with distance-band or k-nearest binary weights, esda's analytic
moments, seeded conditional-permutation pseudo p-values and Benjamini-Hochberg q-values.)doc");

    h.def(
        "benjamini_hochberg",
        [](const DoubleArray& p) { return to_array(hs::benjamini_hochberg(view(p))); }, py::arg("p"),
        "Benjamini-Hochberg q-values (NaN stays NaN).");

    h.def(
        "kde",
        [](const DoubleArray& x, const DoubleArray& y, const std::optional<DoubleArray>& weight, double cell,
           double bandwidth, const std::string& kernel, double margin, double gaussian_cutoff, unsigned threads) {
            const hs::GridSpec g = hs::GridSpec::covering(view(x), view(y), cell, margin);
            hs::KdeOptions o;
            o.kernel = parse_kernel(kernel);
            o.bandwidth = bandwidth;
            o.gaussian_cutoff = gaussian_cutoff;
            o.threads = threads;
            std::vector<double> dens;
            {
                py::gil_scoped_release release;
                dens = hs::kernel_density(view(x), view(y), view(weight), g, o);
            }
            py::array_t<double> grid({static_cast<py::ssize_t>(g.rows), static_cast<py::ssize_t>(g.cols)});
            std::copy(dens.begin(), dens.end(), grid.mutable_data());
            py::dict d;
            d["density"] = grid;
            d["x0"] = g.x0;
            d["y1"] = g.y1;
            d["cell"] = g.cell;
            return d;
        },
        py::arg("x"), py::arg("y"), py::arg("weight") = py::none(), py::arg("cell") = 50.0, py::arg("bandwidth") = 300.0,
        py::arg("kernel") = "quartic", py::arg("margin") = 300.0, py::arg("gaussian_cutoff") = 8.0, py::arg("threads") = 0,
        R"doc(Planar KDE onto the grid covering the points plus margin: dict with density (rows x cols, row 0
north, per square metre), x0 (west edge), y1 (north edge) and cell.)doc");

    h.def(
        "write_geotiff",
        [](const std::string& path, const py::array_t<double, py::array::c_style | py::array::forcecast>& values,
           double x0, double y1, double cell, int epsg, const std::string& description) {
            if (values.ndim() != 2) throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "values must be 2-D");
            roadsafe::io::RasterGeometry g{x0, y1, cell, static_cast<std::size_t>(values.shape(1)),
                                           static_cast<std::size_t>(values.shape(0))};
            py::gil_scoped_release release;
            roadsafe::io::write_geotiff(path, {values.data(), static_cast<std::size_t>(values.size())}, g, epsg, description);
        },
        py::arg("path"), py::arg("values"), py::arg("x0"), py::arg("y1"), py::arg("cell"), py::arg("epsg") = 27700,
        py::arg("description") = "", "Write a single-band Float64 GeoTIFF (row 0 at the north edge) through GDAL.");
}
