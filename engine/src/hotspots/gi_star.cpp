#include "roadsafe/hotspots/gi_star.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/hotspots/false_discovery_rate.hpp"

namespace roadsafe::hotspots {

namespace {

double normal_sf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

GiStarResult gi_star(const SpatialWeights& w, std::span<const double> x, const GiStarOptions& options) {
    const std::size_t n = x.size();
    if (w.rows() != n) throw Error(ErrorCode::InvalidInput, "weights and values must cover the same units");
    if (n < 3) throw Error(ErrorCode::InvalidInput, "Gi* needs at least 3 units");
    double sum = 0, sum2 = 0;
    for (double v : x) {
        if (!std::isfinite(v)) throw Error(ErrorCode::InvalidInput, "values must be finite");
        sum += v;
        sum2 += v * v;
    }
    if (sum == 0) throw Error(ErrorCode::InvalidInput, "Gi* needs values whose sum is not zero");
    const double nd = static_cast<double>(n);
    const double mean = sum / nd;
    const double var = sum2 / nd - mean * mean;

    GiStarResult r;
    r.g.resize(n);
    r.expected.resize(n);
    r.variance.resize(n);
    r.z.resize(n);
    r.p_norm.resize(n);
    std::vector<std::size_t> self_pos(n, SIZE_MAX);
    for (std::size_t i = 0; i < n; ++i) {
        double lag = 0, card = 0;
        for (std::size_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
            lag += w.weights[k] * x[w.neighbours[k]];
            card += w.weights[k];
            if (w.neighbours[k] == i) self_pos[i] = k;
        }
        r.g[i] = lag / sum;
        r.expected[i] = card / nd;
        r.variance[i] = card * (nd - card) / (nd - 1) / (nd * nd) * var / (mean * mean);
        r.z[i] = (r.g[i] - r.expected[i]) / std::sqrt(r.variance[i]);
        r.p_norm[i] = normal_sf(std::fabs(r.z[i]));
    }
    std::vector<double> two_sided(n);
    for (std::size_t i = 0; i < n; ++i) two_sided[i] = std::min(1.0, 2 * r.p_norm[i]);
    r.q_norm = benjamini_hochberg(two_sided);

    const std::size_t perms = options.permutations;
    r.p_sim.assign(n, std::numeric_limits<double>::quiet_NaN());
    if (perms == 0) {
        r.q_sim = r.p_sim;
        return r;
    }
    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, n / 64)));
    auto work = [&](std::size_t begin, std::size_t end) {
        std::vector<std::uint32_t> mark(n, 0);  // stamp-based membership for Floyd's sampling
        std::uint32_t stamp = 0;
        std::vector<std::size_t> drawn;
        std::vector<double> other_w;
        for (std::size_t i = begin; i < end; ++i) {
            other_w.clear();
            double self_term = 0;
            for (std::size_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
                if (k == self_pos[i]) self_term = w.weights[k] * x[i];
                else other_w.push_back(w.weights[k]);
            }
            const std::size_t kk = other_w.size();
            if (kk == 0) {  // nothing to permute: every draw equals the observed G*, so p is 1 / (P + 1)
                r.p_sim[i] = 1.0 / static_cast<double>(perms + 1);
                continue;
            }
            const bool equal_weights = std::all_of(other_w.begin(), other_w.end(),
                                                   [&](double wk) { return wk == other_w[0]; });
            Random rng = Random::for_stream(options.seed, i);
            std::size_t larger = 0;
            // Few neighbours (the usual case): draw one by one, redrawing repeats; the ordered sample is
            // uniform, so unequal weights need no shuffle. Many: Floyd's algorithm, shuffled when weights differ.
            const bool by_rejection = kk <= 16 && kk * 4 < n;
            for (std::size_t p = 0; p < perms; ++p) {
                drawn.clear();
                if (by_rejection) {
                    for (std::size_t a = 0; a < kk; ++a) {
                        std::size_t t;
                        do t = static_cast<std::size_t>(rng.below(n - 1));
                        while (std::find(drawn.begin(), drawn.end(), t) != drawn.end());
                        drawn.push_back(t);
                    }
                } else {
                    if (++stamp == 0) {
                        std::fill(mark.begin(), mark.end(), 0);
                        stamp = 1;
                    }
                    for (std::size_t j = n - 1 - kk; j < n - 1; ++j) {
                        std::size_t t = static_cast<std::size_t>(rng.below(j + 1));
                        if (mark[t] == stamp) t = j;
                        mark[t] = stamp;
                        drawn.push_back(t);
                    }
                    if (!equal_weights)
                        for (std::size_t a = kk; a > 1; --a) std::swap(drawn[a - 1], drawn[rng.below(a)]);
                }
                double lag = self_term;
                if (equal_weights) {  // one multiply for the drawn values' sum
                    double drawn_sum = 0;
                    for (std::size_t t : drawn) drawn_sum += x[t < i ? t : t + 1];
                    lag += other_w[0] * drawn_sum;
                } else {
                    for (std::size_t a = 0; a < kk; ++a) {
                        const std::size_t unit = drawn[a] < i ? drawn[a] : drawn[a] + 1;
                        lag += other_w[a] * x[unit];
                    }
                }
                if (lag / sum >= r.g[i]) ++larger;
            }
            const std::size_t folded = std::min(larger, perms - larger);
            r.p_sim[i] = static_cast<double>(folded + 1) / static_cast<double>(perms + 1);
        }
    };
    for_each_range(n, threads, work);
    r.q_sim = benjamini_hochberg(r.p_sim);
    return r;
}

}  // namespace roadsafe::hotspots
