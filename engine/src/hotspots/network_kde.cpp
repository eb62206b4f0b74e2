#include "roadsafe/hotspots/network_kde.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <mutex>
#include <numbers>
#include <string>
#include <thread>
#include <utility>

#include "roadsafe/core/error.hpp"

namespace roadsafe::hotspots {

double network_kernel(NetworkKernel kernel, double d, double h) {
    d = std::abs(d);
    if (!(d < h)) return 0.0;
    const double u = d / h;
    switch (kernel) {
        case NetworkKernel::Quartic: {
            const double a = 1.0 - u * u;
            return 15.0 / (16.0 * h) * a * a;
        }
        case NetworkKernel::Triangular:
            return (1.0 - u) / h;
        case NetworkKernel::Gaussian: {
            const double s = h / 3.0;
            // erf(3 / sqrt 2): the mass of a normal within 3 standard deviations
            const double mass = std::erf(3.0 / std::numbers::sqrt2);
            return std::exp(-0.5 * d * d / (s * s)) / (s * std::sqrt(2.0 * std::numbers::pi) * mass);
        }
    }
    return 0.0;
}

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
constexpr std::size_t block_events = 512;  // fixed, so block sums do not depend on the thread count

// A step of a walk from an event: at `node`, `dist` metres from the event along the walk, carrying
// `share` of the kernel, having arrived along `edge`.
struct Walk {
    std::size_t node;
    double dist, share;
    std::size_t edge;
};

// One thread's scratch space, reset after each event (only what the event touched).
struct Workspace {
    std::vector<Walk> walk;
    std::vector<double> dist, alpha;
    std::vector<std::size_t> parent;
    std::vector<std::size_t> touched;  // nodes with a finite distance
    std::vector<std::size_t> edge_stamp;
    std::size_t stamp = 0;
    std::vector<std::pair<double, std::size_t>> heap;
    std::vector<double> acc;  // this block's sums per lixel
    std::vector<std::size_t> lixel_touched;
    std::vector<char> lixel_seen;

    Workspace(std::size_t nodes, std::size_t edges, std::size_t lixels) {
        // assigned in the body: GCC 12 warns (-Wfree-nonheap-object) on the member-initialiser form
        dist.assign(nodes, inf);
        alpha.assign(nodes, 0.0);
        parent.assign(nodes, none);
        edge_stamp.assign(edges, 0);
        acc.assign(lixels, 0.0);
        lixel_seen.assign(lixels, 0);
    }
};

class Estimator {
public:
    Estimator(const geo::RoadNetwork& net, const geo::Lixels& lix, const NetworkKdeOptions& o)
        : net_(net), lix_(lix), o_(o) {}

    // Adds event (edge e, offset t, weight w) to ws.acc.
    void add_event(Workspace& ws, std::size_t e, double t, double w) const {
        const double h = o_.bandwidth;
        const geo::RoadEdge& ev = net_.edges[e];
        t = std::clamp(t, 0.0, ev.length);
        ++ws.stamp;
        relax(ws, ev.from, t, 1.0, e);
        relax(ws, ev.to, ev.length - t, 1.0, e);
        auto& heap = ws.heap;
        const auto later = std::greater<>();
        while (!heap.empty()) {
            std::pop_heap(heap.begin(), heap.end(), later);
            const auto [d, v] = heap.back();
            heap.pop_back();
            if (d > ws.dist[v]) continue;
            const std::size_t deg = net_.degree(v);
            if (deg <= 1) continue;  // a dead end: nothing leaves it
            const double a = ws.alpha[v] / static_cast<double>(deg - 1);
            for (std::size_t k = net_.adjacency_offsets[v]; k < net_.adjacency_offsets[v + 1]; ++k) {
                const std::size_t g = net_.adjacency[k];
                if (g == ws.parent[v]) continue;
                const geo::RoadEdge& eg = net_.edges[g];
                const std::size_t u = eg.from == v ? eg.to : eg.from;
                const double nd = d + eg.length;
                if (nd < h && nd < ws.dist[u]) relax(ws, u, nd, a, g);
            }
        }
        // Every edge with a reached end, and the event's own edge.
        add_edge(ws, e, e, t, w);
        for (std::size_t v : ws.touched)
            for (std::size_t k = net_.adjacency_offsets[v]; k < net_.adjacency_offsets[v + 1]; ++k)
                add_edge(ws, net_.adjacency[k], e, t, w);
        for (std::size_t v : ws.touched) {
            ws.dist[v] = inf;
            ws.alpha[v] = 0.0;
            ws.parent[v] = none;
        }
        ws.touched.clear();
    }

    // Okabe's equal split over every path: a depth-first walk from the event that never turns back,
    // dividing the share by (degree - 1) at each node passed, until the bandwidth is used up.
    void add_event_all_paths(Workspace& ws, std::size_t e, double t, double w) const {
        const double h = o_.bandwidth;
        const geo::RoadEdge& ev = net_.edges[e];
        t = std::clamp(t, 0.0, ev.length);
        for (std::size_t j = lix_.edge_offsets[e]; j < lix_.edge_offsets[e + 1]; ++j)
            add(ws, j, w * network_kernel(o_.kernel, lix_.middle(j) - t, h));
        auto& stack = ws.walk;
        stack.clear();
        if (t < h) stack.push_back({ev.from, t, 1.0, e});
        if (ev.length - t < h) stack.push_back({ev.to, ev.length - t, 1.0, e});
        while (!stack.empty()) {
            const Walk at = stack.back();
            stack.pop_back();
            const std::size_t deg = net_.degree(at.node);
            if (deg <= 1) continue;  // a dead end absorbs what reaches it
            const double share = at.share / static_cast<double>(deg - 1);
            bool loop_seen = false;
            for (std::size_t k = net_.adjacency_offsets[at.node]; k < net_.adjacency_offsets[at.node + 1]; ++k) {
                const std::size_t f = net_.adjacency[k];
                const geo::RoadEdge& ef = net_.edges[f];
                // A loop is listed twice: entered forwards the first time, backwards the second.
                bool forward = ef.from == at.node;
                if (ef.from == ef.to) {
                    forward = !loop_seen;
                    loop_seen = true;
                }
                if (f == at.edge) continue;  // no U-turn (a loop just travelled is not re-entered)
                for (std::size_t j = lix_.edge_offsets[f]; j < lix_.edge_offsets[f + 1]; ++j) {
                    const double along = forward ? lix_.middle(j) : ef.length - lix_.middle(j);
                    if (at.dist + along < h) add(ws, j, w * share * network_kernel(o_.kernel, at.dist + along, h));
                }
                const double nd = at.dist + ef.length;
                if (nd < h) stack.push_back({forward ? ef.to : ef.from, nd, share, f});
            }
        }
    }

private:
    static void add(Workspace& ws, std::size_t j, double v) {
        if (v == 0.0) return;
        if (!ws.lixel_seen[j]) {
            ws.lixel_seen[j] = 1;
            ws.lixel_touched.push_back(j);
        }
        ws.acc[j] += v;
    }

    void relax(Workspace& ws, std::size_t v, double d, double alpha, std::size_t via) const {
        if (!(d < o_.bandwidth) || !(d < ws.dist[v])) return;
        if (ws.dist[v] == inf) ws.touched.push_back(v);
        ws.dist[v] = d;
        ws.alpha[v] = alpha;
        ws.parent[v] = via;
        ws.heap.emplace_back(d, v);
        std::push_heap(ws.heap.begin(), ws.heap.end(), std::greater<>());
    }

    void add_edge(Workspace& ws, std::size_t f, std::size_t e, double t, double w) const {
        if (ws.edge_stamp[f] == ws.stamp) return;
        ws.edge_stamp[f] = ws.stamp;
        const double h = o_.bandwidth;
        const geo::RoadEdge& ef = net_.edges[f];
        const double L = ef.length;
        // Entering f from an end is allowed unless that end was reached through f itself (a U-turn).
        const double da = ws.parent[ef.from] != f ? ws.dist[ef.from] : inf;
        const double db = ws.parent[ef.to] != f ? ws.dist[ef.to] : inf;
        const bool split = o_.method == NkdeMethod::Discontinuous;
        const double fa = split && da < inf ? ws.alpha[ef.from] / static_cast<double>(net_.degree(ef.from) - 1) : 1.0;
        const double fb = split && db < inf ? ws.alpha[ef.to] / static_cast<double>(net_.degree(ef.to) - 1) : 1.0;
        for (std::size_t j = lix_.edge_offsets[f]; j < lix_.edge_offsets[f + 1]; ++j) {
            const double m = lix_.middle(j);
            double best = inf, factor = 1.0;
            if (f == e) best = std::abs(m - t);
            if (da + m < best) {
                best = da + m;
                factor = fa;
            }
            if (db + (L - m) < best) {
                best = db + (L - m);
                factor = fb;
            }
            if (!(best < h)) continue;
            const double k = w * factor * network_kernel(o_.kernel, best, h);
            if (k == 0.0) continue;
            if (!ws.lixel_seen[j]) {
                ws.lixel_seen[j] = 1;
                ws.lixel_touched.push_back(j);
            }
            ws.acc[j] += k;
        }
    }

    const geo::RoadNetwork& net_;
    const geo::Lixels& lix_;
    const NetworkKdeOptions& o_;
};

}  // namespace

std::vector<double> network_kde(const geo::RoadNetwork& network, const geo::Lixels& lixels,
                                std::span<const std::int64_t> edge, std::span<const double> offset,
                                std::span<const double> weight, const NetworkKdeOptions& o) {
    if (edge.size() != offset.size()) throw Error(ErrorCode::InvalidInput, "edge and offset must have the same length");
    if (!weight.empty() && weight.size() != edge.size())
        throw Error(ErrorCode::InvalidInput, "weight must have one value per event");
    if (!(o.bandwidth > 0) || !std::isfinite(o.bandwidth))
        throw Error(ErrorCode::InvalidInput, "bandwidth must be a positive number of metres");
    if (lixels.edge_offsets.size() != network.edges.size() + 1)
        throw Error(ErrorCode::InvalidInput, "the lixels were not made from this network");
    for (std::size_t i = 0; i < edge.size(); ++i) {
        if (edge[i] >= static_cast<std::int64_t>(network.edges.size()))
            throw Error(ErrorCode::InvalidInput, "event " + std::to_string(i) + " is on edge " +
                                                     std::to_string(edge[i]) + " but the network has " +
                                                     std::to_string(network.edges.size()) + " edges");
        if (edge[i] >= 0 && !std::isfinite(offset[i]))
            throw Error(ErrorCode::InvalidInput, "event " + std::to_string(i) + " has no offset along its edge");
    }
    const std::size_t n = edge.size();
    const std::size_t blocks = (n + block_events - 1) / block_events;
    // Each block's sums are added to the density in block order, as soon as every earlier block is
    // in, so at most a few blocks wait in memory whatever the number of events.
    std::vector<std::vector<std::pair<std::size_t, double>>> block_sums(blocks);
    std::vector<char> ready(blocks, 0);
    std::vector<double> density(lixels.size(), 0.0);
    std::size_t merged = 0;
    std::mutex merge_mutex;
    const Estimator est(network, lixels, o);
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        Workspace ws(network.nodes(), network.edges.size(), lixels.size());
        for (std::size_t b = next++; b < blocks; b = next++) {
            const std::size_t end = std::min(n, (b + 1) * block_events);
            for (std::size_t i = b * block_events; i < end; ++i) {
                const double w = weight.empty() ? 1.0 : weight[i];
                if (edge[i] < 0 || w == 0 || !std::isfinite(w)) continue;
                if (o.method == NkdeMethod::DiscontinuousAllPaths)
                    est.add_event_all_paths(ws, static_cast<std::size_t>(edge[i]), offset[i], w);
                else
                    est.add_event(ws, static_cast<std::size_t>(edge[i]), offset[i], w);
            }
            std::sort(ws.lixel_touched.begin(), ws.lixel_touched.end());
            auto& out = block_sums[b];
            out.reserve(ws.lixel_touched.size());
            for (std::size_t j : ws.lixel_touched) {
                out.emplace_back(j, ws.acc[j]);
                ws.acc[j] = 0.0;
                ws.lixel_seen[j] = 0;
            }
            ws.lixel_touched.clear();
            std::lock_guard<std::mutex> lock(merge_mutex);
            ready[b] = 1;
            for (; merged < blocks && ready[merged]; ++merged) {
                for (const auto& [j, v] : block_sums[merged]) density[j] += v;
                std::vector<std::pair<std::size_t, double>>().swap(block_sums[merged]);
            }
        }
    };
    unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(blocks, 1)));
    if (threads <= 1) {
        work();
    } else {
        std::vector<std::thread> pool;
        for (unsigned k = 0; k < threads; ++k) pool.emplace_back(work);
        for (auto& th : pool) th.join();
    }
    return density;
}

}  // namespace roadsafe::hotspots
