#include "roadsafe/linkage/assignment.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "roadsafe/core/error.hpp"

namespace roadsafe::linkage {

namespace {

// Minimum-cost assignment of every row of an n x m matrix (n <= m) to a distinct column: the
// Hungarian method with potentials, O(n^2 m). Returns the column of each row.
std::vector<std::size_t> hungarian(const std::vector<double>& cost, std::size_t n, std::size_t m) {
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
    std::vector<std::size_t> p(m + 1, 0), way(m + 1, 0);
    for (std::size_t i = 1; i <= n; ++i) {
        p[0] = i;
        std::size_t j0 = 0;
        std::vector<double> minv(m + 1, inf);
        std::vector<char> used(m + 1, 0);
        do {
            used[j0] = 1;
            const std::size_t i0 = p[j0];
            double delta = inf;
            std::size_t j1 = 0;
            for (std::size_t j = 1; j <= m; ++j) {
                if (used[j]) continue;
                const double cur = cost[(i0 - 1) * m + (j - 1)] - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (std::size_t j = 0; j <= m; ++j) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            const std::size_t j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0 != 0);
    }
    std::vector<std::size_t> column(n, 0);
    for (std::size_t j = 1; j <= m; ++j)
        if (p[j] != 0) column[p[j] - 1] = j - 1;
    return column;
}

struct DisjointSets {
    std::vector<std::size_t> parent;
    explicit DisjointSets(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t{0}); }
    std::size_t find(std::size_t a) {
        while (parent[a] != a) a = parent[a] = parent[parent[a]];
        return a;
    }
    void join(std::size_t a, std::size_t b) {
        a = find(a);
        b = find(b);
        if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
};

// Edges in the order greedy takes them: weight descending, then patient, then police row.
void sort_greedy(std::vector<std::size_t>& edges, std::span<const std::uint32_t> police,
                 std::span<const std::uint32_t> patient, std::span<const double> weight) {
    std::sort(edges.begin(), edges.end(), [&](std::size_t a, std::size_t b) {
        if (weight[a] != weight[b]) return weight[a] > weight[b];
        if (patient[a] != patient[b]) return patient[a] < patient[b];
        return police[a] < police[b];
    });
}

}  // namespace

std::vector<std::size_t> assign_links(std::span<const std::uint32_t> police, std::span<const std::uint32_t> patient,
                                      std::span<const double> weight, std::span<const double> probability, Unit unit,
                                      double min_probability, std::size_t max_exact) {
    const std::size_t n = police.size();
    if (patient.size() != n || weight.size() != n || probability.size() != n)
        throw Error(ErrorCode::InvalidInput, "police, patient, weight and probability must have the same length");
    std::vector<std::size_t> chosen;
    if (unit == Unit::Collision) {
        // Each patient's best pair; a collision may take several patients, so there is nothing to trade.
        std::unordered_map<std::uint32_t, std::size_t> best;
        for (std::size_t k = 0; k < n; ++k) {
            if (!(probability[k] >= min_probability)) continue;
            auto [it, fresh] = best.try_emplace(patient[k], k);
            const std::size_t b = it->second;
            if (!fresh && (weight[k] > weight[b] || (weight[k] == weight[b] && police[k] < police[b]))) it->second = k;
        }
        for (const auto& [j, k] : best) chosen.push_back(k);
        std::sort(chosen.begin(), chosen.end());
        return chosen;
    }
    // Casualty level: one-to-one. Maximising the total weight over pairs of positive weight is the
    // most likely joint assignment (a pair of weight <= 0 is no likelier linked than not). Greedy by
    // weight would get this wrong for fellow casualties: a patient who fits casualty A slightly better
    // than B can take A from another patient who fits only A, leaving that patient with a poor B.
    std::vector<std::size_t> positive;
    for (std::size_t k = 0; k < n; ++k)
        if (probability[k] >= min_probability && weight[k] > 0) positive.push_back(k);
    std::vector<std::uint32_t> rows(positive.size()), cols(positive.size());
    for (std::size_t e = 0; e < positive.size(); ++e) {
        rows[e] = police[positive[e]];
        cols[e] = patient[positive[e]];
    }
    std::vector<std::uint32_t> row_ids(rows), col_ids(cols);
    std::sort(row_ids.begin(), row_ids.end());
    row_ids.erase(std::unique(row_ids.begin(), row_ids.end()), row_ids.end());
    std::sort(col_ids.begin(), col_ids.end());
    col_ids.erase(std::unique(col_ids.begin(), col_ids.end()), col_ids.end());
    auto row_of = [&](std::uint32_t id) {
        return static_cast<std::size_t>(std::lower_bound(row_ids.begin(), row_ids.end(), id) - row_ids.begin());
    };
    auto col_of = [&](std::uint32_t id) {
        return row_ids.size() +
               static_cast<std::size_t>(std::lower_bound(col_ids.begin(), col_ids.end(), id) - col_ids.begin());
    };
    DisjointSets sets(row_ids.size() + col_ids.size());
    for (std::size_t e = 0; e < positive.size(); ++e) sets.join(row_of(rows[e]), col_of(cols[e]));
    std::unordered_map<std::size_t, std::vector<std::size_t>> components;  // root -> edges (indices into positive)
    std::vector<std::size_t> roots;
    for (std::size_t e = 0; e < positive.size(); ++e) {
        const std::size_t r = sets.find(row_of(rows[e]));
        auto [it, fresh] = components.try_emplace(r);
        if (fresh) roots.push_back(r);
        it->second.push_back(e);
    }
    std::sort(roots.begin(), roots.end());
    std::vector<char> police_taken(row_ids.size(), 0), patient_taken(col_ids.size(), 0);
    for (std::size_t root : roots) {
        const auto& edges = components[root];
        if (edges.size() == 1) {
            chosen.push_back(positive[edges[0]]);
            continue;
        }
        std::vector<std::size_t> r_local, c_local;
        for (std::size_t e : edges) {
            r_local.push_back(row_of(rows[e]));
            c_local.push_back(col_of(cols[e]) - row_ids.size());
        }
        std::vector<std::size_t> r_ids(r_local), c_ids(c_local);
        std::sort(r_ids.begin(), r_ids.end());
        r_ids.erase(std::unique(r_ids.begin(), r_ids.end()), r_ids.end());
        std::sort(c_ids.begin(), c_ids.end());
        c_ids.erase(std::unique(c_ids.begin(), c_ids.end()), c_ids.end());
        if (r_ids.size() > max_exact || c_ids.size() > max_exact) {
            std::vector<std::size_t> order;
            for (std::size_t e : edges) order.push_back(positive[e]);
            sort_greedy(order, police, patient, weight);
            for (std::size_t k : order) {
                const std::size_t a = row_of(police[k]), b = col_of(patient[k]) - row_ids.size();
                if (police_taken[a] || patient_taken[b]) continue;
                police_taken[a] = patient_taken[b] = 1;
                chosen.push_back(k);
            }
            continue;
        }
        // Rows = the smaller side; a missing edge costs 0 (the same as leaving both unlinked).
        const bool transpose = r_ids.size() > c_ids.size();
        const std::size_t nr = transpose ? c_ids.size() : r_ids.size(), nc = transpose ? r_ids.size() : c_ids.size();
        std::vector<double> cost(nr * nc, 0.0);
        std::vector<std::size_t> edge_at(nr * nc, static_cast<std::size_t>(-1));
        for (std::size_t q = 0; q < edges.size(); ++q) {
            const std::size_t a = static_cast<std::size_t>(
                std::lower_bound(r_ids.begin(), r_ids.end(), r_local[q]) - r_ids.begin());
            const std::size_t b = static_cast<std::size_t>(
                std::lower_bound(c_ids.begin(), c_ids.end(), c_local[q]) - c_ids.begin());
            const std::size_t cell = transpose ? b * nc + a : a * nc + b;
            cost[cell] = -weight[positive[edges[q]]];
            edge_at[cell] = positive[edges[q]];
        }
        const auto column = hungarian(cost, nr, nc);
        for (std::size_t a = 0; a < nr; ++a) {
            const std::size_t k = edge_at[a * nc + column[a]];
            if (k == static_cast<std::size_t>(-1)) continue;
            chosen.push_back(k);
        }
    }
    // Then pairs of weight <= 0 (kept for clerical review), greedily, where both ends are still free.
    std::unordered_map<std::uint32_t, char> taken_police, taken_patient;
    for (std::size_t k : chosen) {
        taken_police[police[k]] = 1;
        taken_patient[patient[k]] = 1;
    }
    std::vector<std::size_t> rest;
    for (std::size_t k = 0; k < n; ++k)
        if (probability[k] >= min_probability && !(weight[k] > 0)) rest.push_back(k);
    sort_greedy(rest, police, patient, weight);
    for (std::size_t k : rest) {
        if (taken_police.count(police[k]) || taken_patient.count(patient[k])) continue;
        taken_police[police[k]] = 1;
        taken_patient[patient[k]] = 1;
        chosen.push_back(k);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

}  // namespace roadsafe::linkage
