#pragma once
// DBSCAN on points in projected metres, with scikit-learn's semantics: the eps-neighbourhood is
// inclusive (distance <= eps) and contains the point itself; a point is core when its
// neighbourhood holds at least min_samples points (or sample weight); clusters are grown from core
// points in input order, so a border point reachable from several clusters joins the one whose
// lowest-index core point comes first, and clusters are numbered 0, 1, ... in that order. The labels
// therefore equal sklearn.cluster.DBSCAN(eps, min_samples).fit(X).labels_ exactly.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace roadsafe::hotspots {

struct DbscanResult {
    std::vector<std::int64_t> labels;  // cluster 0.., -1 noise, -2 no location (non-finite coordinate)
    std::vector<std::uint8_t> core;    // 1 for core points
    std::int64_t clusters = 0;
};

// `weight` is empty (every point counts 1) or one non-negative weight per point.
DbscanResult dbscan(std::span<const double> x, std::span<const double> y, double eps, double min_samples,
                    std::span<const double> weight = {});

}  // namespace roadsafe::hotspots
