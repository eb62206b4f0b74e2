#include "roadsafe/linkage/candidate_pairs.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <thread>

#include "roadsafe/core/parallel.hpp"

namespace roadsafe::linkage {

namespace {

constexpr std::size_t kBlock = 512;  // patients per work item (fixed, so the output order is too)
constexpr double kDay = 1440;

}  // namespace

CandidatePairs find_candidate_pairs(const PoliceRecords& police, const PatientRecords& patients,
                                    const BlockingSettings& b, unsigned threads) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    // Police rows with a date, sorted by time; a date-only row covers [midnight, midnight + 1 day).
    std::vector<std::uint32_t> order;
    order.reserve(police.size());
    for (std::size_t i = 0; i < police.size(); ++i)
        if (!std::isnan(police.time[i])) order.push_back(static_cast<std::uint32_t>(i));
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t c) { return police.time[a] < police.time[c]; });
    // The columns the search reads, in time order, so it walks memory sequentially.
    std::vector<double> start(order.size()), sx(order.size()), sy(order.size());
    std::vector<std::uint8_t> sknown(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        start[k] = police.time[order[k]];
        sx[k] = police.x[order[k]];
        sy[k] = police.y[order[k]];
        sknown[k] = police.time_known[order[k]];
    }

    const std::size_t n = patients.size();
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    std::vector<std::vector<std::uint32_t>> found(blocks);
    std::vector<std::vector<std::size_t>> counts(blocks);
    const double max_d2 = b.max_distance_metres * b.max_distance_metres;
    for_each_index(blocks, threads, [&](std::size_t block) {
        auto& out = found[block];
        auto& cnt = counts[block];
        const std::size_t end = std::min(n, (block + 1) * kBlock);
        for (std::size_t j = block * kBlock; j < end; ++j) {
            const std::size_t before = out.size();
            const double px = patients.x[j], py = patients.y[j];
            const bool located = std::isfinite(px) && std::isfinite(py);
            // Each window is a run of the time-sorted rows [lo, hi); a row in it is a candidate when it
            // starts in [a - 1 day, z], ends at or after a, and (both located) lies within max_distance.
            auto run = [&](double a, double z) {
                const auto lo = std::lower_bound(start.begin(), start.end(), a - kDay) - start.begin();
                const auto hi = std::upper_bound(start.begin(), start.end(), z) - start.begin();
                return std::pair<double, std::pair<std::ptrdiff_t, std::ptrdiff_t>>{a, {lo, std::max(lo, hi)}};
            };
            auto take = [&](double a, std::ptrdiff_t lo, std::ptrdiff_t hi) {
                for (auto k = static_cast<std::size_t>(lo); k < static_cast<std::size_t>(hi); ++k) {
                    if (sknown[k] ? start[k] < a : start[k] + kDay <= a) continue;
                    if (located) {
                        const double dx = sx[k] - px, dy = sy[k] - py;
                        if (dx * dx + dy * dy > max_d2) continue;  // NaN (police not located) passes
                    }
                    out.push_back(order[k]);
                }
            };
            const double arr = patients.arrival[j], inc = patients.incident[j];
            const bool has_a = !std::isnan(arr), has_i = !std::isnan(inc);
            if (has_a && has_i) {
                auto r1 = run(arr - b.arrival_after_minutes, arr + b.arrival_before_minutes);
                auto r2 = run(inc - b.incident_window_minutes, inc + b.incident_window_minutes);
                if (r2.second.first < r1.second.first) std::swap(r1, r2);
                // Two runs merged in time order so no row comes twice: rows of r1 alone use r1's lower
                // time bound, rows of r2 alone r2's; in the overlap either bound admits a row.
                const auto [lo1, hi1] = r1.second;
                const auto [lo2, hi2] = r2.second;
                if (lo2 >= hi1) {
                    take(r1.first, lo1, hi1);
                    take(r2.first, lo2, hi2);
                } else {
                    take(r1.first, lo1, lo2);
                    take(std::min(r1.first, r2.first), lo2, std::min(hi1, hi2));
                    if (hi2 > hi1) take(r2.first, hi1, hi2);
                    else take(r1.first, hi2, hi1);
                }
            } else if (has_a) {
                const auto r = run(arr - b.arrival_after_minutes, arr + b.arrival_before_minutes);
                take(r.first, r.second.first, r.second.second);
            } else if (has_i) {
                const auto r = run(inc - b.incident_window_minutes, inc + b.incident_window_minutes);
                take(r.first, r.second.first, r.second.second);
            }
            cnt.push_back(out.size() - before);
        }
    });
    CandidatePairs pairs;
    std::size_t total = 0;
    for (const auto& f : found) total += f.size();
    pairs.police.reserve(total);
    pairs.patient.reserve(total);
    pairs.patient_offsets.reserve(n + 1);
    pairs.patient_offsets.push_back(0);
    std::size_t j = 0;
    for (std::size_t block = 0; block < blocks; ++block) {
        std::size_t at = 0;
        for (std::size_t c : counts[block]) {
            for (std::size_t k = 0; k < c; ++k) {
                pairs.police.push_back(found[block][at + k]);
                pairs.patient.push_back(static_cast<std::uint32_t>(j));
            }
            at += c;
            ++j;
            pairs.patient_offsets.push_back(pairs.police.size());
        }
    }
    return pairs;
}

}  // namespace roadsafe::linkage
