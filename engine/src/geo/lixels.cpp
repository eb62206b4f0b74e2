#include "roadsafe/geo/lixels.hpp"

#include <cmath>

#include "roadsafe/core/error.hpp"

namespace roadsafe::geo {

Lixels make_lixels(const RoadNetwork& net, double lixel) {
    if (!(lixel > 0) || !std::isfinite(lixel))
        throw Error(ErrorCode::InvalidInput, "lixel length must be a positive number of metres");
    double total = 0;
    for (const auto& e : net.edges) total += std::ceil(e.length / lixel);
    if (total > 2e8)
        throw Error(ErrorCode::InvalidInput, "the network would have more than 200 million lixels: use longer lixels");
    Lixels out;
    const auto n = static_cast<std::size_t>(total);
    out.edge.reserve(n);
    out.start.reserve(n);
    out.end.reserve(n);
    out.mid_x.reserve(n);
    out.mid_y.reserve(n);
    out.edge_offsets.reserve(net.edges.size() + 1);
    out.edge_offsets.push_back(0);
    for (std::size_t f = 0; f < net.edges.size(); ++f) {
        const double len = net.edges[f].length;
        const auto k = static_cast<std::size_t>(std::max(1.0, std::ceil(len / lixel)));
        const double step = len / static_cast<double>(k);
        for (std::size_t i = 0; i < k; ++i) {
            const double a = step * static_cast<double>(i);
            const double b = i + 1 == k ? len : step * static_cast<double>(i + 1);
            double x, y;
            net.point_at(f, 0.5 * (a + b), x, y);
            out.edge.push_back(f);
            out.start.push_back(a);
            out.end.push_back(b);
            out.mid_x.push_back(x);
            out.mid_y.push_back(y);
        }
        out.edge_offsets.push_back(out.edge.size());
    }
    return out;
}

void lixel_geometry(const RoadNetwork& net, const Lixels& lixels, std::vector<double>& x, std::vector<double>& y,
                    std::vector<std::size_t>& offsets) {
    x.clear();
    y.clear();
    offsets.assign(1, 0);
    for (std::size_t i = 0; i < lixels.size(); ++i) {
        net.sub_line(lixels.edge[i], lixels.start[i], lixels.end[i], x, y);
        offsets.push_back(x.size());
    }
}

}  // namespace roadsafe::geo
