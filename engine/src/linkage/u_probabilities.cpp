#include "roadsafe/linkage/u_probabilities.hpp"

#include <algorithm>
#include <cmath>
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

constexpr double kWeek = 7 * 1440;
constexpr std::array<double, 4> kShifts{-2 * kWeek, -kWeek, kWeek, 2 * kWeek};

// Time-level counts of every police record against every patient moved by each of kShifts. Only the
// records within a window of the moved times are compared one by one; the rest are "further apart"
// or "incident further, arrival otherwise", by the window's construction.
std::vector<std::uint64_t> shifted_time_counts(const PoliceRecords& police, const PatientRecords& patients,
                                               const LevelThresholds& t, unsigned threads) {
    std::vector<double> known, dated;  // sorted times; midnights of date-only records
    for (std::size_t i = 0; i < police.size(); ++i) {
        if (std::isnan(police.time[i])) continue;
        (police.time_known[i] ? known : dated).push_back(police.time[i]);
    }
    std::sort(known.begin(), known.end());
    std::sort(dated.begin(), dated.end());
    const std::size_t levels = level_counts()[0];
    constexpr std::size_t kBlock = 1024;
    const std::size_t n = patients.size(), blocks = (n + kBlock - 1) / kBlock;
    std::vector<std::vector<std::uint64_t>> per_block(blocks, std::vector<std::uint64_t>(levels, 0));
    const double late = t.arrival_minutes.back(), window = t.incident_minutes.back() + 20;
    for_each_index(blocks, threads, [&](std::size_t b) {
        auto& counts = per_block[b];
        for (std::size_t j = b * kBlock; j < std::min(n, (b + 1) * kBlock); ++j) {
            for (double shift : kShifts) {
                const double inc = patients.incident[j] + shift, arr = patients.arrival[j] + shift;
                if (std::isnan(inc) && std::isnan(arr)) continue;
                double lo = std::isnan(arr) ? inc - window : arr - late;
                double hi = std::isnan(arr) ? inc + window : arr + 60;
                if (!std::isnan(inc)) lo = std::min(lo, inc - window), hi = std::max(hi, inc + window);
                const auto first = std::lower_bound(known.begin(), known.end(), lo);
                const auto last = std::upper_bound(first, known.end(), hi);
                for (auto it = first; it != last; ++it) ++counts[time_level(*it, true, inc, arr, t)];
                const auto before = static_cast<std::uint64_t>(first - known.begin());
                const auto after = static_cast<std::uint64_t>(known.end() - last);
                if (!std::isnan(inc) || std::isnan(arr)) {
                    counts[std::isnan(arr) ? 17 : 6] += before + after;
                } else {
                    counts[17] += before;  // the collision more than a day before the arrival
                    counts[7] += after;    // the collision after the arrival
                }
                const double day = std::isnan(inc) ? arr : inc;
                const auto d_first = std::lower_bound(dated.begin(), dated.end(), day - 2880);
                const auto d_last = std::upper_bound(d_first, dated.end(), day + 1440);
                for (auto it = d_first; it != d_last; ++it) ++counts[time_level(*it, false, inc, arr, t)];
                counts[17] += static_cast<std::uint64_t>(dated.size()) -
                              static_cast<std::uint64_t>(d_last - d_first);
            }
        }
    });
    std::vector<std::uint64_t> out(levels, 0);
    for (const auto& c : per_block)
        for (std::size_t l = 0; l < levels; ++l) out[l] += c[l];
    return out;
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
            if (!far_apart_in_time(l[0])) continue;  // possibly a match
            for (std::size_t c = 1; c < kComparisons; ++c) ++counts[c][l[c]];
        }
    });
    for (const auto& c : per_chunk) add(out.counts, c);
    out.counts[0] = shifted_time_counts(police, patients, thresholds, threads);
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
            if ((users >> k) & 1u && !(users & more_vulnerable(k))) f[static_cast<std::size_t>(k)] += 1;
    }
    if (known > 0)
        for (double& v : f) v /= known;
    return f;
}

std::vector<double> time_density(const PoliceRecords& police, const PatientRecords& patients, unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<double> known;
    for (std::size_t i = 0; i < police.size(); ++i)
        if (police.time_known[i] && !std::isnan(police.time[i])) known.push_back(police.time[i]);
    std::sort(known.begin(), known.end());
    std::vector<double> out(patients.size(), 1.0);
    if (known.size() < 2 || known.back() <= known.front()) return out;
    constexpr double kHalfWindow = 120, kPrior = 4;
    constexpr int kWeeks = 8;
    const double expected = 2 * kWeeks * 2 * kHalfWindow * static_cast<double>(known.size()) /
                            (known.back() - known.front());
    for_each_index(patients.size(), threads, [&](std::size_t j) {
        const double at = std::isnan(patients.incident[j]) ? patients.arrival[j] - 60 : patients.incident[j];
        if (std::isnan(at)) return;
        double count = 0;
        for (int w = -kWeeks; w <= kWeeks; ++w) {
            if (w == 0) continue;
            const double c = at + w * kWeek;
            count += static_cast<double>(std::upper_bound(known.begin(), known.end(), c + kHalfWindow) -
                                         std::lower_bound(known.begin(), known.end(), c - kHalfWindow));
        }
        out[j] = (count + kPrior) / (expected + kPrior);
    });
    // The average u already averages over the patients' hours: scale so the patients' mean is 1.
    double sum = 0;
    for (double r : out) sum += r;
    const double mean = sum / static_cast<double>(out.size());
    if (mean > 0)
        for (double& r : out) r /= mean;
    return out;
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
