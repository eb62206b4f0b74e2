#include "roadsafe/linkage/u_probabilities.hpp"

#include <algorithm>
#include <thread>

#include "roadsafe/core/parallel.hpp"
#include "roadsafe/core/random.hpp"

namespace roadsafe::linkage {

namespace {

constexpr std::uint64_t kChunk = 1 << 16;

using Counts = std::vector<std::vector<std::uint64_t>>;

Counts empty_counts() {
    Counts c(kComparisons);
    const auto levels = level_counts();
    for (std::size_t k = 0; k < kComparisons; ++k) c[k].assign(levels[k], 0);
    return c;
}

void add(Counts& to, const Counts& from) {
    for (std::size_t c = 0; c < to.size(); ++c)
        for (std::size_t l = 0; l < to[c].size(); ++l) to[c][l] += from[c][l];
}

}  // namespace

UEstimate estimate_u(const PoliceRecords& police, const PatientRecords& patients, const LevelThresholds& thresholds,
                     std::uint64_t max_pairs, std::uint64_t seed, unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    const std::uint64_t np = police.size(), nq = patients.size();
    UEstimate out;
    out.counts = empty_counts();
    if (np == 0 || nq == 0 || max_pairs == 0) {
        out.u.resize(kComparisons);
        for (std::size_t c = 0; c < kComparisons; ++c) out.u[c].assign(out.counts[c].size(), 0.0);
        return out;
    }
    // Every pair when there are few enough (exact u); otherwise max_pairs random ones.
    const bool all = np * nq <= max_pairs;
    const std::uint64_t total = all ? np * nq : max_pairs;
    const std::uint64_t chunks = (total + kChunk - 1) / kChunk;
    std::vector<Counts> per_chunk(chunks, empty_counts());
    for_each_index(chunks, threads, [&](std::size_t chunk) {
        Random rng = Random::for_stream(seed, chunk);
        auto& counts = per_chunk[chunk];
        const std::uint64_t first = chunk * kChunk, last = std::min(total, first + kChunk);
        for (std::uint64_t k = first; k < last; ++k) {
            const std::uint64_t i = all ? k / nq : rng.below(np);
            const std::uint64_t j = all ? k % nq : rng.below(nq);
            const PairLevels l = compare_pair(police, i, patients, j, thresholds);
            for (std::size_t c = 0; c < kComparisons; ++c) ++counts[c][l[c]];
        }
    });
    for (const auto& c : per_chunk) add(out.counts, c);
    out.pairs = total;
    out.u.resize(kComparisons);
    for (std::size_t c = 0; c < kComparisons; ++c) {
        const auto& cnt = out.counts[c];
        const double levels = static_cast<double>(cnt.size() - 1);
        double non_null = 0;
        for (std::size_t l = 1; l < cnt.size(); ++l) non_null += static_cast<double>(cnt[l]);
        out.u[c].assign(cnt.size(), 0.0);
        for (std::size_t l = 1; l < cnt.size(); ++l)
            out.u[c][l] = (static_cast<double>(cnt[l]) + 0.5) / (non_null + 0.5 * levels);
    }
    return out;
}

std::vector<double> road_user_frequencies(const PoliceRecords& police) {
    std::vector<double> f(32, 0.0);
    double known = 0;
    for (std::uint32_t users : police.road_users) {
        if (users == 0) continue;
        known += 1;
        for (int k = 0; k < 32; ++k)
            if ((users >> k) & 1u) f[static_cast<std::size_t>(k)] += 1;
    }
    if (known > 0)
        for (double& v : f) v /= known;
    return f;
}

std::array<double, 3> sex_frequencies(const PoliceRecords& police) {
    std::array<double, 3> f{};
    double known = 0;
    for (std::int8_t s : police.sex)
        if (s > 0) {
            f[static_cast<std::size_t>(s)] += 1;
            known += 1;
        }
    if (known > 0)
        for (double& v : f) v /= known;
    return f;
}

}  // namespace roadsafe::linkage
