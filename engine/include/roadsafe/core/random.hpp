#pragma once
// The engine's random numbers: xoshiro256** (Blackman & Vigna) seeded through splitmix64.
// Integer arithmetic only, so a seed gives the same numbers on every platform; independent
// streams per work item make results independent of the thread count.
#include <cstdint>

namespace roadsafe {

inline std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

class Random {
public:
    explicit Random(std::uint64_t seed) {
        for (auto& s : s_) s = splitmix64(seed);
    }
    // Stream `stream` of seed `seed`: one per work item (a unit, a permutation batch).
    static Random for_stream(std::uint64_t seed, std::uint64_t stream) {
        return Random(seed ^ (0xD1B54A32D192ED03ULL * (stream + 1)));
    }
    std::uint64_t next() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    // [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in [0, m), unbiased (Lemire's multiply-and-reject).
    std::uint64_t below(std::uint64_t m) {
        unsigned __int128 p = static_cast<unsigned __int128>(next()) * m;
        auto low = static_cast<std::uint64_t>(p);
        if (low < m) {
            const std::uint64_t floor = (0 - m) % m;
            while (low < floor) {
                p = static_cast<unsigned __int128>(next()) * m;
                low = static_cast<std::uint64_t>(p);
            }
        }
        return static_cast<std::uint64_t>(p >> 64);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

// wyrand (Wang Yi): a Weyl sequence through one 64x64 -> 128-bit multiply, about half xoshiro's
// instructions an output; for loops where drawing is nearly all the work (Gi*'s permutations).
// Integer arithmetic only, like Random; a stream per work item from (seed, stream).
class FastRandom {
public:
    explicit FastRandom(std::uint64_t seed) : state_(splitmix64(seed)) {}
    static FastRandom for_stream(std::uint64_t seed, std::uint64_t stream) {
        return FastRandom(seed ^ (0xD1B54A32D192ED03ULL * (stream + 1)));
    }
    std::uint64_t next() {
        state_ += 0xA0761D6478BD642FULL;
        const unsigned __int128 p = static_cast<unsigned __int128>(state_) * (state_ ^ 0xE7037ED1A0B428DBULL);
        return static_cast<std::uint64_t>(p >> 64) ^ static_cast<std::uint64_t>(p);
    }

private:
    std::uint64_t state_;
};

}  // namespace roadsafe
