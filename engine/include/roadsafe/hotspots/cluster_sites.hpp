#pragma once
// Cluster sites as UK highway authorities define them: N or more collisions within R metres
// (over Y years; the caller passes only the collisions of the period). Every collision is a
// candidate seed; seeds are taken densest first (count of not-yet-assigned collisions within R,
// ties broken by easting, then northing, then input order) and a site takes every unassigned
// collision within R of its seed, so sites never share a collision. Site IDs are 1-based, in the
// order sites are formed: the same input always gives the same sites and IDs.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace roadsafe::hotspots {

struct ClusterSiteRule {
    double radius = 50;          // metres
    std::int64_t min_collisions = 5;
    double years = 5;            // informational: the caller selects the period

    static ClusterSiteRule urban() { return {50, 5, 5}; }
    static ClusterSiteRule rural() { return {100, 5, 5}; }
    static ClusterSiteRule rural_wide() { return {200, 5, 5}; }
};

struct ClusterSite {
    std::int64_t id = 0;                // 1-based, stable for the same input
    std::size_t seed = 0;               // the seed collision (row index)
    double seed_x = 0, seed_y = 0;      // the circle's centre
    double centroid_x = 0, centroid_y = 0;  // mean of the members
    std::vector<std::size_t> members;   // row indices, ascending
};

struct ClusterSiteResult {
    std::vector<ClusterSite> sites;
    std::vector<std::int64_t> site_of;  // per input row: site id, 0 = none, -1 = no location
    std::size_t skipped = 0;            // rows with a non-finite coordinate
};

ClusterSiteResult find_cluster_sites(std::span<const double> x, std::span<const double> y, const ClusterSiteRule& rule);

}  // namespace roadsafe::hotspots
