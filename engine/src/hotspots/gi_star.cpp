#include "roadsafe/hotspots/gi_star.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <thread>
#include <type_traits>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/hotspots/false_discovery_rate.hpp"

namespace roadsafe::hotspots {

namespace {

double normal_sf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

// Uniform 32-bit words from one stream, two per 64-bit output.
class Words32 {
public:
    explicit Words32(Random rng) : rng_(rng) {}
    std::uint32_t next() {
        if (held_) {
            held_ = false;
            return static_cast<std::uint32_t>(last_ >> 32);
        }
        last_ = rng_.next();
        held_ = true;
        return static_cast<std::uint32_t>(last_);
    }
    // Uniform in [0, m), unbiased: Lemire's multiply-and-reject on 32 bits.
    std::uint32_t below(std::uint32_t m) {
        std::uint64_t p = std::uint64_t{next()} * m;
        auto low = static_cast<std::uint32_t>(p);
        if (low < m) [[unlikely]] {
            const std::uint32_t floor = (0u - m) % m;
            while (low < floor) {
                p = std::uint64_t{next()} * m;
                low = static_cast<std::uint32_t>(p);
            }
        }
        return static_cast<std::uint32_t>(p >> 32);
    }

private:
    Random rng_;
    std::uint64_t last_ = 0;
    bool held_ = false;
};

// One thread's scratch for drawing units without replacement: a unit is taken in the current draw
// when its mark equals the draw's stamp, so a new draw costs one increment, not a clear.
struct Marks {
    explicit Marks(std::size_t n) : mark(n, 0) {}
    std::uint32_t next_stamp() {
        if (++stamp == 0) [[unlikely]] restart();
        return stamp;
    }
    // After 2^32 - 1 draws the stamps wrap: clear the marks and start again at 1.
    std::uint32_t restart() {
        std::fill(mark.begin(), mark.end(), 0);
        return stamp = 1;
    }
    std::vector<std::uint32_t> mark;
    std::uint32_t stamp = 0;
    std::vector<std::uint32_t> drawn;
};

// Lemire's multiply-and-reject on a block of random words: word * n picks a unit in [0, n) (the high
// half) unless the low half falls below floor = 2^bits mod n, when the word becomes `rejected`, so
// that every unit stays equally likely. Kept out of line: inlined, GCC widens the 16-bit multiplies to
// 32 bits (twice the instructions a word).
[[gnu::noinline]] void map_to_units(std::uint16_t* words, std::size_t count, std::uint16_t n, std::uint16_t floor,
                                     std::uint16_t rejected) {
    for (std::size_t k = 0; k < count; ++k) {  // vectorised: SSE2 pmullw / pmulhuw, 8 words at a time
        const std::uint16_t w = words[k];
        const auto low = static_cast<std::uint16_t>(std::uint32_t{w} * n);  // unsigned: no int overflow
        const auto high = static_cast<std::uint16_t>((std::uint32_t{w} * n) >> 16);
        words[k] = low < floor ? rejected : high;
    }
}

void map_to_units(std::uint32_t* words, std::size_t count, std::uint32_t n, std::uint32_t floor, std::uint32_t rejected) {
    for (std::size_t k = 0; k < count; ++k) {
        const std::uint64_t m = std::uint64_t{words[k]} * n;
        words[k] = static_cast<std::uint32_t>(m) < floor ? rejected : static_cast<std::uint32_t>(m >> 32);
    }
}

// Uniform draws of a unit in [0, n) for unit i, from its own stream; a rejected word comes out as i
// itself, which the caller keeps marked as taken, so it is drawn again like a repeat. Made a block at
// a time: 16-bit words (four from each 64-bit output) when n is small enough that few are rejected,
// else 32-bit.
template <typename Word>
class UnitDraws {
public:
    UnitDraws(FastRandom rng, std::uint32_t n, std::uint32_t i, std::size_t k)
        : rng_(rng), n_(n), i_(i), floor_(static_cast<Word>(((Product{1} << kBits) - n) % n)),
          words_(std::max<std::size_t>(1024, 4 * k)) {}
    // The caller walks the block with its own pointer `d` (the first block: refill()). Returns a pointer
    // with at least `count` (<= 4k) draws readable from it on: `d` itself, or the start of a new block.
    const Word* ensure(const Word* d, std::size_t count) {
        return static_cast<std::size_t>(end() - d) >= count ? d : refill();
    }
    const Word* end() const { return words_.data() + words_.size(); }  // fixed: the block never moves
    const Word* refill() {
        // Local copies: memcpy may write anywhere as far as the compiler knows, so members would be
        // reloaded and the generator's state stored again for every output.
        Word* const out = words_.data();
        const std::size_t size = words_.size();
        FastRandom rng = rng_;
        for (std::size_t k = 0; k < size; k += kPerOutput) {
            const std::uint64_t v = rng.next();
            if constexpr (std::endian::native == std::endian::little) {
                std::memcpy(out + k, &v, sizeof v);  // the same words as the shifts below, in one store
            } else {
                for (std::size_t b = 0; b < kPerOutput; ++b) out[k + b] = static_cast<Word>(v >> (kBits * b));
            }
        }
        rng_ = rng;
        map_to_units(out, size, static_cast<Word>(n_), floor_, static_cast<Word>(i_));
        return out;
    }

private:
    using Product = std::conditional_t<sizeof(Word) == 2, std::uint32_t, std::uint64_t>;
    static constexpr unsigned kBits = 8 * sizeof(Word);
    static constexpr std::size_t kPerOutput = 64 / kBits;
    FastRandom rng_;
    std::uint32_t n_, i_;
    Word floor_;
    std::vector<Word> words_;
};

// 16-bit words when n fits and under 1 word in 64 is rejected.
bool sixteen_bit_words(std::size_t n) { return n <= 0xFFFF && (0x10000 % n) < 0x10000 / 64; }

// One unit's conditional permutations: x_i stays, its k other neighbours get values drawn without
// replacement from the other n - 1 units.
struct UnitPermutations {
    std::size_t i;
    std::span<const double> other_weights;  // the weights of i's neighbours other than itself
    double self_term;                       // w_ii x_i
    double observed_lag;                    // sum_j w_ij x_j
    double observed_others;                 // sum over the other neighbours of x_j
};

// i (or a rejected word) or a unit already taken: draw again until a free unit comes (rare, so kept out
// of the drawing loop).
template <typename Word>
[[gnu::noinline]] std::uint32_t redraw(UnitDraws<Word>& draws, const Word*& d, std::size_t left,
                                       const std::uint32_t* mark, std::uint32_t stamp) {
    for (;;) {
        d = draws.ensure(d, left);
        const std::uint32_t t = *d++;
        if (mark[t] != stamp) return t;
    }
}

// Equal weights on the other neighbours: the self term and the common weight are the same in every
// draw, so only the sum of the drawn values is compared with the observed one. T is double, or
// std::int32_t when every value is a whole number (exact, and a shorter add chain).
// Out of line so that the drawing loop keeps its variables in registers.
template <typename T, typename Sum, typename Word>
[[gnu::noinline]] std::size_t count_reaching_equal_weights(const UnitPermutations& u, const T* x, std::size_t n,
                                                           std::size_t perms, std::uint64_t seed, Marks& marks) {
    const std::size_t k = u.other_weights.size();
    const auto i32 = static_cast<std::uint32_t>(u.i);
    const auto n32 = static_cast<std::uint32_t>(n);
    // A positive weight: a draw reaches the observed G* when its sum is at least the observed; negative: at most.
    const Sum sign = u.other_weights[0] > 0 ? 1 : -1;
    const Sum signed_need = sign * static_cast<Sum>(u.observed_others);
    std::uint32_t* mark = marks.mark.data();
    std::size_t reaching = 0;
    if (k * 4 < n) {
        // Few neighbours (the usual case): draw from all n units, again when the draw is i, a unit
        // already taken or a rejected word (all rare).
        UnitDraws<Word> draws(FastRandom::for_stream(seed, u.i), n32, i32, k);
        const Word* d = draws.refill();
        const Word* const end = draws.end();
        std::uint32_t stamp = marks.stamp;  // a local copy stays in a register
        const Sum need = static_cast<Sum>(u.observed_others);
        // One loop for each direction, so that the comparison is not a multiply in the loop.
        auto run = [&](auto at_least) {
            for (std::size_t p = 0; p < perms; ++p) {
                if (++stamp == 0) [[unlikely]] stamp = marks.restart();
                mark[i32] = stamp;
                if (static_cast<std::size_t>(end - d) < k) d = draws.refill();
                Sum drawn = 0;
                auto draw = [&](std::size_t left) {
                    std::uint32_t t = *d++;
                    if (mark[t] == stamp) [[unlikely]] {
                        const Word* moved = d;  // d's own address never escapes, so it stays in a register
                        t = redraw(draws, moved, left, mark, stamp);
                        d = moved;
                    }
                    mark[t] = stamp;
                    drawn += x[t];
                };
                std::size_t left = k;  // draws still to make, counting down
                for (; left >= 2; left -= 2) {  // two draws a turn: half the loop's own instructions
                    draw(left);
                    draw(left - 1);
                }
                if (left == 1) draw(1);
                if constexpr (decltype(at_least)::value) reaching += drawn >= need;
                else reaching += drawn <= need;
            }
        };
        if (sign > 0) run(std::true_type{});
        else run(std::false_type{});
        marks.stamp = stamp;
        return reaching;
    }
    // Many: Floyd's algorithm over the n - 1 others (exactly k words).
    Words32 words(Random::for_stream(seed, u.i));
    for (std::size_t p = 0; p < perms; ++p) {
        const std::uint32_t stamp = marks.next_stamp();
        Sum drawn = 0;
        for (auto j = static_cast<std::uint32_t>(n - 1 - k); j < n32 - 1; ++j) {
            std::uint32_t t = words.below(j + 1);
            if (mark[t] == stamp) t = j;
            mark[t] = stamp;
            drawn += x[t + (t >= i32)];
        }
        reaching += sign * drawn >= signed_need;
    }
    return reaching;
}

// Unequal weights: the a-th drawn value goes with the a-th weight, so the order of the draw matters.
std::size_t count_reaching_weighted(const UnitPermutations& u, std::span<const double> x, std::size_t perms,
                                    std::uint64_t seed, Marks& marks) {
    const std::size_t n = x.size(), k = u.other_weights.size();
    const auto i32 = static_cast<std::uint32_t>(u.i);
    const auto n32 = static_cast<std::uint32_t>(n);
    Words32 words(Random::for_stream(seed, u.i));
    std::uint32_t* mark = marks.mark.data();
    auto& drawn = marks.drawn;
    std::size_t reaching = 0;
    for (std::size_t p = 0; p < perms; ++p) {
        const std::uint32_t stamp = marks.next_stamp();
        drawn.clear();
        if (k * 4 < n) {  // sequential draws: the ordered sample is uniform
            mark[i32] = stamp;
            for (std::size_t a = 0; a < k; ++a) {
                std::uint32_t t;
                do t = words.below(n32);
                while (mark[t] == stamp);
                mark[t] = stamp;
                drawn.push_back(t);
            }
        } else {  // Floyd's set, then shuffled
            for (auto j = static_cast<std::uint32_t>(n - 1 - k); j < n32 - 1; ++j) {
                std::uint32_t t = words.below(j + 1);
                if (mark[t] == stamp) t = j;
                mark[t] = stamp;
                drawn.push_back(t + (t >= i32));
            }
            for (auto a = static_cast<std::uint32_t>(k); a > 1; --a) std::swap(drawn[a - 1], drawn[words.below(a)]);
        }
        double lag = u.self_term;
        for (std::size_t a = 0; a < k; ++a) lag += u.other_weights[a] * x[drawn[a]];
        reaching += lag >= u.observed_lag;
    }
    return reaching;
}

// Values as 32-bit integers when every one is a whole number small enough (collision counts), else empty.
std::vector<std::int32_t> whole_values(std::span<const double> x) {
    std::vector<std::int32_t> out;
    out.reserve(x.size());
    for (double v : x) {
        if (!(std::fabs(v) < 2147483647.0) || v != std::trunc(v)) return {};
        out.push_back(static_cast<std::int32_t>(v));
    }
    return out;
}

}  // namespace

GiStarResult gi_star(const SpatialWeights& w, std::span<const double> x, const GiStarOptions& options) {
    const std::size_t n = x.size();
    if (w.rows() != n) throw Error(ErrorCode::InvalidInput, "weights and values must cover the same units");
    if (n < 3) throw Error(ErrorCode::InvalidInput, "Gi* needs at least 3 units");
    if (n > std::numeric_limits<std::uint32_t>::max())
        throw Error(ErrorCode::InvalidInput, "Gi* takes at most 4,294,967,295 units");
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
    std::vector<double> lag(n), others(n);
    for (std::size_t i = 0; i < n; ++i) {
        double card = 0;
        for (std::size_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
            const double term = w.weights[k] * x[w.neighbours[k]];
            lag[i] += term;
            if (w.neighbours[k] != i) others[i] += x[w.neighbours[k]];
            card += w.weights[k];
        }
        r.g[i] = lag[i] / sum;
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
    // Blocks of units handed out as threads free up (the machine may be shared); each unit draws from
    // its own stream, so which thread runs it does not matter.
    const std::vector<std::int32_t> whole = whole_values(x);
    const bool short_words = sixteen_bit_words(n);
    constexpr std::size_t kBlock = 32;
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    std::atomic<std::size_t> next_block{0};
    run_parts(threads, [&](unsigned) {
        Marks marks(n);
        std::vector<double> other_w;
        for (std::size_t b; (b = next_block.fetch_add(1, std::memory_order_relaxed)) < blocks;) {
            for (std::size_t i = b * kBlock, end = std::min(n, i + kBlock); i < end; ++i) {
                other_w.clear();
                double self_term = 0;
                for (std::size_t k = w.offsets[i]; k < w.offsets[i + 1]; ++k) {
                    if (w.neighbours[k] == i) self_term = w.weights[k] * x[i];
                    else other_w.push_back(w.weights[k]);
                }
                if (other_w.empty()) {  // nothing to permute: every draw equals the observed G*, so p is 1 / (P + 1)
                    r.p_sim[i] = 1.0 / static_cast<double>(perms + 1);
                    continue;
                }
                const UnitPermutations u{i, other_w, self_term, lag[i], others[i]};
                const bool equal = std::all_of(other_w.begin(), other_w.end(),
                                               [&](double wk) { return wk == other_w[0]; });
                std::size_t reaching;
                if (!equal) reaching = count_reaching_weighted(u, x, perms, options.seed, marks);
                else if (other_w[0] == 0) reaching = perms;
                else if (!whole.empty() && short_words)
                    reaching = count_reaching_equal_weights<std::int32_t, std::int64_t, std::uint16_t>(
                        u, whole.data(), n, perms, options.seed, marks);
                else if (!whole.empty())
                    reaching = count_reaching_equal_weights<std::int32_t, std::int64_t, std::uint32_t>(
                        u, whole.data(), n, perms, options.seed, marks);
                else if (short_words)
                    reaching = count_reaching_equal_weights<double, double, std::uint16_t>(u, x.data(), n, perms,
                                                                                           options.seed, marks);
                else
                    reaching = count_reaching_equal_weights<double, double, std::uint32_t>(u, x.data(), n, perms,
                                                                                           options.seed, marks);
                const std::size_t folded = std::min(reaching, perms - reaching);
                r.p_sim[i] = static_cast<double>(folded + 1) / static_cast<double>(perms + 1);
            }
        }
    });
    r.q_sim = benjamini_hochberg(r.p_sim);
    return r;
}

}  // namespace roadsafe::hotspots
