// Network KDE: densities computed by hand on a line, a T-junction and a grid; equal (1e-9) to a
// brute-force reference on seeded random graphs (Floyd-Warshall on a graph densified at every lixel
// midpoint and event, for the simple estimator; explicit path enumeration on random trees for
// Okabe's discontinuous estimator along shortest paths, and on graphs with cycles for the all-paths
// version); independent of the thread count; kernels integrate to 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "../road_lines_support.hpp"
#include "../test_support.hpp"
#include "roadsafe/geo/lixels.hpp"
#include "roadsafe/geo/road_network.hpp"
#include "roadsafe/hotspots/network_kde.hpp"

using namespace roadsafe;
using namespace roadsafe::geo;
using namespace roadsafe::hotspots;

namespace {

RoadNetwork network_of(const std::vector<std::vector<std::pair<double, double>>>& polylines) {
    return build_road_network(test::road_lines_of(polylines));
}

double quartic(double d, double h) {
    return d < h ? 15.0 / (16.0 * h) * std::pow(1 - (d / h) * (d / h), 2) : 0.0;
}

NetworkKdeOptions options(NkdeMethod m, double h, NetworkKernel k = NetworkKernel::Quartic, unsigned threads = 1) {
    NetworkKdeOptions o;
    o.method = m;
    o.bandwidth = h;
    o.kernel = k;
    o.threads = threads;
    return o;
}

// The lixel of `edge` whose midpoint is nearest to `offset`.
std::size_t lixel_at(const Lixels& lx, std::size_t edge, double offset) {
    std::size_t best = lx.edge_offsets[edge];
    for (std::size_t j = lx.edge_offsets[edge]; j < lx.edge_offsets[edge + 1]; ++j)
        if (std::abs(lx.middle(j) - offset) < std::abs(lx.middle(best) - offset)) best = j;
    return best;
}

double integral(const std::vector<double>& d, const Lixels& lx) {
    double s = 0;
    for (std::size_t j = 0; j < lx.size(); ++j) s += d[j] * lx.length(j);
    return s;
}

}  // namespace

TEST(NetworkKernel, HandValuesAndUnitIntegral) {
    const double h = 300;
    EXPECT_DOUBLE_EQ(network_kernel(NetworkKernel::Quartic, 0, h), 15.0 / 4800.0);
    EXPECT_DOUBLE_EQ(network_kernel(NetworkKernel::Quartic, 150, h), 15.0 / 4800.0 * 0.5625);
    EXPECT_DOUBLE_EQ(network_kernel(NetworkKernel::Triangular, 75, h), 0.75 / 300.0);
    EXPECT_EQ(network_kernel(NetworkKernel::Quartic, 300, h), 0.0);
    EXPECT_EQ(network_kernel(NetworkKernel::Gaussian, 300.0001, h), 0.0);
    for (auto k : {NetworkKernel::Quartic, NetworkKernel::Triangular, NetworkKernel::Gaussian}) {
        double s = 0;  // midpoint rule on [-h, h] with 1 cm steps
        const int n = 60000;
        for (int i = 0; i < n; ++i) s += network_kernel(k, -h + (i + 0.5) * (2 * h / n), h) * (2 * h / n);
        EXPECT_NEAR(s, 1.0, 1e-8);
    }
}

TEST(NetworkKde, LineByHandAndIntegral) {
    // One straight 1000 m road, 20 m lixels, an event of weight 2 at 500 m.
    const RoadNetwork net = network_of({{{0, 0}, {1000, 0}}});
    const Lixels lx = make_lixels(net, 20);
    ASSERT_EQ(lx.size(), 50u);
    std::vector<std::int64_t> edge{0};
    std::vector<double> off{500}, w{2};
    for (auto m : {NkdeMethod::Simple, NkdeMethod::Discontinuous}) {
        const auto d = network_kde(net, lx, edge, off, w, options(m, 300));
        EXPECT_DOUBLE_EQ(d[24], 2 * quartic(10, 300));   // midpoint 490
        EXPECT_DOUBLE_EQ(d[30], 2 * quartic(110, 300));  // midpoint 610
        EXPECT_EQ(d[9], 0.0);                            // midpoint 190: beyond the bandwidth
        EXPECT_NEAR(integral(d, lx), 2.0, 2e-4);         // midpoint rule on 20 m lixels
    }
    // A degree-2 node changes nothing: the same road as two ways meeting at 400 m.
    const RoadNetwork two = network_of({{{0, 0}, {400, 0}}, {{400, 0}, {1000, 0}}});
    const Lixels lx2 = make_lixels(two, 20);
    std::vector<std::int64_t> e2{1};
    std::vector<double> o2{100};
    const auto d1 = network_kde(net, lx, edge, off, w, options(NkdeMethod::Discontinuous, 300));
    const auto d2 = network_kde(two, lx2, e2, o2, w, options(NkdeMethod::Discontinuous, 300));
    for (std::size_t j = 0; j < 50; ++j) EXPECT_NEAR(d2[j], d1[j], 1e-15) << j;
}

TEST(NetworkKde, TJunctionSimpleCopiesDiscontinuousSplits) {
    // Three 400 m arms meet at C = (0, 0): west (edge 0, from the west end), east (edge 1), north (edge 2).
    const RoadNetwork net = network_of({{{-400, 0}, {0, 0}}, {{0, 0}, {400, 0}}, {{0, 0}, {0, 400}}});
    ASSERT_EQ(net.edges.size(), 3u);
    const Lixels lx = make_lixels(net, 20);
    std::vector<std::int64_t> edge{0};
    std::vector<double> off{350};  // 50 m west of C
    const double h = 200;
    const auto s = network_kde(net, lx, edge, off, {}, options(NkdeMethod::Simple, h));
    const auto k = network_kde(net, lx, edge, off, {}, options(NkdeMethod::Discontinuous, h));
    const std::size_t north = lixel_at(lx, 2, 30), east = lixel_at(lx, 1, 70), west = lixel_at(lx, 0, 290);
    EXPECT_DOUBLE_EQ(s[north], quartic(80, h));      // 50 m to C, then 30 m north
    EXPECT_DOUBLE_EQ(k[north], quartic(80, h) / 2);  // split between the 2 roads leaving C
    EXPECT_DOUBLE_EQ(s[east], quartic(120, h));
    EXPECT_DOUBLE_EQ(k[east], quartic(120, h) / 2);
    EXPECT_DOUBLE_EQ(s[west], quartic(60, h));
    EXPECT_DOUBLE_EQ(k[west], quartic(60, h));
    // Okabe's estimator keeps the unit mass; the simple one adds the mass beyond C once more.
    double beyond = 0;  // mass of K beyond 50 m on one side
    const int n = 100000;
    for (int i = 0; i < n; ++i) beyond += quartic(50 + (i + 0.5) * (150.0 / n), h) * (150.0 / n);
    EXPECT_NEAR(integral(k, lx), 1.0, 1e-3);
    EXPECT_NEAR(integral(s, lx), 1.0 + beyond, 1e-3);
}

TEST(NetworkKde, GridDistancesAndDiscontinuousSplitByHand) {
    // A 3 x 3 grid of nodes 100 m apart (12 edges); an event on the middle of the bottom-left edge.
    std::vector<std::vector<std::pair<double, double>>> roads;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 2; ++j) {
            roads.push_back({{100.0 * j, 100.0 * i}, {100.0 * (j + 1), 100.0 * i}});  // horizontal
            roads.push_back({{100.0 * i, 100.0 * j}, {100.0 * i, 100.0 * (j + 1)}});  // vertical
        }
    const RoadNetwork net = network_of(roads);
    ASSERT_EQ(net.nodes(), 9u);
    ASSERT_EQ(net.edges.size(), 12u);
    const Lixels lx = make_lixels(net, 10);
    std::vector<std::int64_t> edge{0};  // (0,0)-(100,0)
    std::vector<double> off{50};
    const double h = 400;
    const auto s = network_kde(net, lx, edge, off, {}, options(NkdeMethod::Simple, h, NetworkKernel::Triangular));
    const auto k =
        network_kde(net, lx, edge, off, {}, options(NkdeMethod::Discontinuous, h, NetworkKernel::Triangular));
    auto tri = [&](double d) { return d < h ? (1 - d / h) / h : 0.0; };
    // The edge (100,0)-(200,0): from (100,0), reached at 50 m; node (100,0) has degree 3.
    std::size_t f = 0;
    for (std::size_t i = 0; i < net.edges.size(); ++i)
        if (net.node_x[net.edges[i].from] == 100 && net.node_y[net.edges[i].from] == 0 &&
            net.node_x[net.edges[i].to] == 200)
            f = i;
    const std::size_t j = lixel_at(lx, f, 35);
    EXPECT_DOUBLE_EQ(s[j], tri(85));
    EXPECT_DOUBLE_EQ(k[j], tri(85) / 2);
    // The far corner edge (200,100)-(200,200): shortest path 50 + 100 + 100 + 35 (via (100,0), (200,0),
    // (200,100)) for the lixel 35 m up it; the discontinuous share along it is 1/2 * 1/1 * 1/2.
    for (std::size_t i = 0; i < net.edges.size(); ++i)
        if (net.node_x[net.edges[i].from] == 200 && net.node_y[net.edges[i].from] == 100 &&
            net.node_y[net.edges[i].to] == 200)
            f = i;
    const std::size_t c = lixel_at(lx, f, 35);
    EXPECT_DOUBLE_EQ(s[c], tri(285));
    EXPECT_DOUBLE_EQ(k[c], tri(285) / 4);
}

// ---------------------------------------------------------------------------------------------
// Brute-force references

namespace {

struct RandomCase {
    RoadNetwork net;
    std::vector<std::int64_t> edge;
    std::vector<double> offset, weight;
};

// Straight roads between random points; a tree (each node joined to an earlier one) or a graph with
// extra edges making cycles.
RandomCase random_case(std::uint64_t seed, bool tree, std::size_t nodes, std::size_t events) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> coord(0, 800), unit(0, 1);
    std::vector<double> px(nodes), py(nodes);
    for (std::size_t i = 0; i < nodes; ++i) {
        px[i] = std::round(coord(rng));
        py[i] = std::round(coord(rng));
    }
    RoadLines lines;
    auto join = [&](std::size_t a, std::size_t b) {
        std::vector<double> x{px[a], px[b]}, y{py[a], py[b]};
        lines.add_line(x, y);
    };
    for (std::size_t i = 1; i < nodes; ++i) join(std::uniform_int_distribution<std::size_t>(0, i - 1)(rng), i);
    if (!tree)
        for (std::size_t k = 0; k < nodes / 2; ++k) {
            const std::size_t a = std::uniform_int_distribution<std::size_t>(0, nodes - 1)(rng);
            const std::size_t b = std::uniform_int_distribution<std::size_t>(0, nodes - 1)(rng);
            if (a != b) join(a, b);
        }
    RandomCase c{build_road_network(lines), {}, {}, {}};
    for (std::size_t i = 0; i < events; ++i) {
        const auto f = std::uniform_int_distribution<std::size_t>(0, c.net.edges.size() - 1)(rng);
        c.edge.push_back(static_cast<std::int64_t>(f));
        c.offset.push_back(unit(rng) * c.net.edges[f].length);
        c.weight.push_back(0.5 + unit(rng));
    }
    return c;
}

// Simple estimator by Floyd-Warshall on the network densified at every node, lixel midpoint and event.
std::vector<double> floyd_warshall_reference(const RandomCase& c, const Lixels& lx, double h) {
    const std::size_t nn = c.net.nodes();
    std::vector<std::vector<std::pair<double, std::size_t>>> on_edge(c.net.edges.size());  // (offset, point id)
    std::size_t points = nn;
    std::vector<std::size_t> mid_id(lx.size()), event_id(c.edge.size());
    for (std::size_t j = 0; j < lx.size(); ++j) {
        mid_id[j] = points++;
        on_edge[lx.edge[j]].emplace_back(lx.middle(j), mid_id[j]);
    }
    for (std::size_t i = 0; i < c.edge.size(); ++i) {
        event_id[i] = points++;
        on_edge[static_cast<std::size_t>(c.edge[i])].emplace_back(c.offset[i], event_id[i]);
    }
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> d(points * points, inf);
    for (std::size_t p = 0; p < points; ++p) d[p * points + p] = 0;
    auto link = [&](std::size_t a, std::size_t b, double len) {
        d[a * points + b] = std::min(d[a * points + b], len);
        d[b * points + a] = std::min(d[b * points + a], len);
    };
    for (std::size_t f = 0; f < c.net.edges.size(); ++f) {
        auto pts = on_edge[f];
        pts.emplace_back(0.0, c.net.edges[f].from);
        pts.emplace_back(c.net.edges[f].length, c.net.edges[f].to);
        std::sort(pts.begin(), pts.end());
        for (std::size_t k = 0; k + 1 < pts.size(); ++k)
            link(pts[k].second, pts[k + 1].second, pts[k + 1].first - pts[k].first);
    }
    for (std::size_t k = 0; k < points; ++k)
        for (std::size_t a = 0; a < points; ++a) {
            const double dak = d[a * points + k];
            if (dak == inf) continue;
            for (std::size_t b = 0; b < points; ++b)
                d[a * points + b] = std::min(d[a * points + b], dak + d[k * points + b]);
        }
    std::vector<double> out(lx.size(), 0.0);
    for (std::size_t j = 0; j < lx.size(); ++j)
        for (std::size_t i = 0; i < c.edge.size(); ++i)
            out[j] += c.weight[i] * quartic(d[event_id[i] * points + mid_id[j]], h);
    return out;
}

// Okabe's discontinuous estimator by enumerating every path from each event on a tree: leaving the
// event both ways, entering each further edge from a node of degree g with the share divided by g - 1.
std::vector<double> path_enumeration_reference(const RandomCase& c, const Lixels& lx, double h) {
    std::vector<double> out(lx.size(), 0.0);
    const RoadNetwork& net = c.net;
    for (std::size_t i = 0; i < c.edge.size(); ++i) {
        const auto e = static_cast<std::size_t>(c.edge[i]);
        const double t = c.offset[i], w = c.weight[i];
        for (std::size_t j = lx.edge_offsets[e]; j < lx.edge_offsets[e + 1]; ++j)
            out[j] += w * quartic(std::abs(lx.middle(j) - t), h);
        // walk(node, distance so far, share, edge arrived by)
        std::function<void(std::size_t, double, double, std::size_t)> walk = [&](std::size_t v, double dist,
                                                                                 double share, std::size_t from_edge) {
            const std::size_t deg = net.degree(v);
            if (dist >= h || deg <= 1) return;
            const double s = share / static_cast<double>(deg - 1);
            for (std::size_t k = net.adjacency_offsets[v]; k < net.adjacency_offsets[v + 1]; ++k) {
                const std::size_t f = net.adjacency[k];
                if (f == from_edge) continue;
                const bool forward = net.edges[f].from == v;
                for (std::size_t j = lx.edge_offsets[f]; j < lx.edge_offsets[f + 1]; ++j) {
                    const double along = forward ? lx.middle(j) : net.edges[f].length - lx.middle(j);
                    out[j] += w * s * quartic(dist + along, h);
                }
                walk(forward ? net.edges[f].to : net.edges[f].from, dist + net.edges[f].length, s, f);
            }
        };
        walk(net.edges[e].from, t, 1.0, e);
        walk(net.edges[e].to, net.edges[e].length - t, 1.0, e);
    }
    return out;
}

// The largest reference density: the random-graph comparisons are relative to it.
double peak_of(const std::vector<double>& want) {
    double peak = 0;
    for (double v : want) peak = std::max(peak, v);
    return peak;
}

// Every lixel's density within `tolerance` of the reference's.
void expect_near_each_lixel(const std::vector<double>& got, const std::vector<double>& want, double tolerance,
                            std::uint64_t seed) {
    for (std::size_t j = 0; j < want.size(); ++j)
        EXPECT_NEAR(got[j], want[j], tolerance) << "seed " << seed << " lixel " << j;
}

}  // namespace

TEST(NetworkKde, SimpleEqualsFloydWarshallOnRandomGraphs) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        const RandomCase c = random_case(seed, false, 14, 12);
        const Lixels lx = make_lixels(c.net, 40);
        const auto got = network_kde(c.net, lx, c.edge, c.offset, c.weight, options(NkdeMethod::Simple, 350));
        const auto want = floyd_warshall_reference(c, lx, 350);
        const double peak = peak_of(want);
        ASSERT_GT(peak, 0);
        expect_near_each_lixel(got, want, 1e-9 * peak, seed);
    }
}

TEST(NetworkKde, DiscontinuousEqualsPathEnumerationOnRandomTrees) {
    for (std::uint64_t seed = 11; seed <= 16; ++seed) {
        const RandomCase c = random_case(seed, true, 16, 12);
        const Lixels lx = make_lixels(c.net, 30);
        const auto got = network_kde(c.net, lx, c.edge, c.offset, c.weight, options(NkdeMethod::Discontinuous, 400));
        const auto want = path_enumeration_reference(c, lx, 400);
        const double peak = peak_of(want);
        ASSERT_GT(peak, 0);
        expect_near_each_lixel(got, want, 1e-9 * peak, seed);
    }
}

TEST(NetworkKde, AllPathsEqualsPathEnumerationOnGraphsWithCycles) {
    for (std::uint64_t seed = 21; seed <= 26; ++seed) {
        const RandomCase c = random_case(seed, false, 12, 10);
        const Lixels lx = make_lixels(c.net, 30);
        const auto all =
            network_kde(c.net, lx, c.edge, c.offset, c.weight, options(NkdeMethod::DiscontinuousAllPaths, 500));
        const auto shortest =
            network_kde(c.net, lx, c.edge, c.offset, c.weight, options(NkdeMethod::Discontinuous, 500));
        const auto want = path_enumeration_reference(c, lx, 500);
        const double peak = peak_of(want);
        ASSERT_GT(peak, 0);
        for (std::size_t j = 0; j < lx.size(); ++j) {
            EXPECT_NEAR(all[j], want[j], 1e-9 * peak) << "seed " << seed << " lixel " << j;
            // the shortest-path share is one of the terms of the sum over paths
            EXPECT_LE(shortest[j], all[j] + 1e-12 * peak) << "seed " << seed << " lixel " << j;
        }
    }
    // On a tree the two are the same estimator.
    const RandomCase t = random_case(31, true, 16, 12);
    const Lixels lt = make_lixels(t.net, 30);
    const auto a = network_kde(t.net, lt, t.edge, t.offset, t.weight, options(NkdeMethod::DiscontinuousAllPaths, 400));
    const auto b = network_kde(t.net, lt, t.edge, t.offset, t.weight, options(NkdeMethod::Discontinuous, 400));
    for (std::size_t j = 0; j < lt.size(); ++j) EXPECT_NEAR(a[j], b[j], 1e-12 * (1 + b[j])) << j;
}

TEST(NetworkKde, ResultDoesNotDependOnThreadCount) {
    const RandomCase c = random_case(99, false, 40, 1500);  // three blocks of events
    const Lixels lx = make_lixels(c.net, 25);
    for (auto m : {NkdeMethod::Simple, NkdeMethod::Discontinuous, NkdeMethod::DiscontinuousAllPaths}) {
        const auto one =
            network_kde(c.net, lx, c.edge, c.offset, c.weight, options(m, 300, NetworkKernel::Gaussian, 1));
        EXPECT_EQ(network_kde(c.net, lx, c.edge, c.offset, c.weight, options(m, 300, NetworkKernel::Gaussian, 2)), one);
        EXPECT_EQ(network_kde(c.net, lx, c.edge, c.offset, c.weight, options(m, 300, NetworkKernel::Gaussian, 3)), one);
    }
}

TEST(NetworkKde, UnplacedEventsIgnoredAndBadInputsRejected) {
    const RoadNetwork net = network_of({{{0, 0}, {100, 0}}});
    const Lixels lx = make_lixels(net, 20);
    std::vector<std::int64_t> edge{-1, 0};
    std::vector<double> off{std::nan(""), 50};
    std::vector<std::int64_t> just{0};
    std::vector<double> off1{50};
    EXPECT_EQ(network_kde(net, lx, edge, off, {}, options(NkdeMethod::Simple, 100)),
              network_kde(net, lx, just, off1, {}, options(NkdeMethod::Simple, 100)));
    std::vector<std::int64_t> bad{3};
    const Error e = test::caught_error([&] { network_kde(net, lx, bad, off1, {}, options(NkdeMethod::Simple, 100)); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    EXPECT_STREQ(e.what(), "event 0 is on edge 3 but the network has 1 edges");
    EXPECT_EQ(test::caught_error([&] { network_kde(net, lx, just, off1, {}, options(NkdeMethod::Simple, 0)); }).code(),
              ErrorCode::InvalidInput);
    std::vector<double> w2{1, 2};
    EXPECT_EQ(
        test::caught_error([&] { network_kde(net, lx, just, off1, w2, options(NkdeMethod::Simple, 100)); }).code(),
        ErrorCode::InvalidInput);
}
