#include "roadsafe/hotspots/cluster_sites.hpp"

#include <algorithm>
#include <cmath>
#include <queue>
#include <tuple>

#include "roadsafe/core/error.hpp"
#include "roadsafe/geo/point_grid.hpp"

namespace roadsafe::hotspots {

ClusterSiteResult find_cluster_sites(std::span<const double> x, std::span<const double> y, const ClusterSiteRule& rule) {
    if (x.size() != y.size()) throw Error(ErrorCode::InvalidInput, "x and y must have the same length");
    if (!(rule.radius > 0) || !std::isfinite(rule.radius))
        throw Error(ErrorCode::InvalidInput, "cluster site radius must be a positive number of metres");
    if (rule.min_collisions < 1) throw Error(ErrorCode::InvalidInput, "min_collisions must be at least 1");
    const std::size_t n = x.size();
    ClusterSiteResult out;
    out.site_of.assign(n, 0);
    const geo::PointGrid grid(x, y, rule.radius);
    const auto min_n = static_cast<std::size_t>(rule.min_collisions);

    // Candidate seeds, densest first; a popped seed whose count has fallen (members taken by an
    // earlier site) is pushed back with its current count, so the order is always by current count.
    struct Seed {
        std::size_t count, index;
        double sx, sy;
    };
    const auto later = [](const Seed& a, const Seed& b) {  // true when a is taken after b
        if (a.count != b.count) return a.count < b.count;
        return std::tie(a.sx, a.sy, a.index) > std::tie(b.sx, b.sy, b.index);
    };
    std::priority_queue<Seed, std::vector<Seed>, decltype(later)> queue(later);
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
            out.site_of[i] = -1;
            ++out.skipped;
            continue;
        }
        std::size_t c = 0;
        grid.for_each_within(x[i], y[i], rule.radius, [&](std::size_t, double) { ++c; });
        if (c >= min_n) queue.push({c, i, x[i], y[i]});
    }
    std::vector<std::size_t> members;
    while (!queue.empty()) {
        const Seed s = queue.top();
        queue.pop();
        if (out.site_of[s.index] != 0) continue;
        members.clear();
        grid.for_each_within(s.sx, s.sy, rule.radius, [&](std::size_t j, double) {
            if (out.site_of[j] == 0) members.push_back(j);
        });
        if (members.size() < s.count) {
            if (members.size() >= min_n) queue.push({members.size(), s.index, s.sx, s.sy});
            continue;
        }
        ClusterSite site;
        site.id = static_cast<std::int64_t>(out.sites.size()) + 1;
        site.seed = s.index;
        site.seed_x = s.sx;
        site.seed_y = s.sy;
        std::sort(members.begin(), members.end());
        double mx = 0, my = 0;
        for (std::size_t j : members) {
            out.site_of[j] = site.id;
            mx += x[j];
            my += y[j];
        }
        site.centroid_x = mx / static_cast<double>(members.size());
        site.centroid_y = my / static_cast<double>(members.size());
        site.members = members;
        out.sites.push_back(std::move(site));
    }
    return out;
}

}  // namespace roadsafe::hotspots
