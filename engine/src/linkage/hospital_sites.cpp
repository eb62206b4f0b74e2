#include "roadsafe/linkage/hospital_sites.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace roadsafe::linkage {

namespace {

std::int32_t nearest_site(const HospitalSites& s, double px, double py) {
    double best = std::numeric_limits<double>::infinity();
    std::int32_t k_best = -1;
    for (std::size_t k = 0; k < s.x.size(); ++k) {
        const double d = (px - s.x[k]) * (px - s.x[k]) + (py - s.y[k]) * (py - s.y[k]);
        if (d < best) {
            best = d;
            k_best = static_cast<std::int32_t>(k);
        }
    }
    return k_best;
}

}  // namespace

HospitalSites find_hospital_sites(const PoliceRecords& police, const PatientRecords& patients, double prior_patients) {
    HospitalSites out;
    const std::size_t n = patients.size();
    if (patients.hospital_x.size() != n || patients.hospital_y.size() != n) return out;
    std::vector<std::pair<double, double>> sites;
    for (std::size_t j = 0; j < n; ++j)
        if (std::isfinite(patients.hospital_x[j]) && std::isfinite(patients.hospital_y[j]))
            sites.emplace_back(patients.hospital_x[j], patients.hospital_y[j]);
    if (sites.empty()) return out;
    std::sort(sites.begin(), sites.end());
    sites.erase(std::unique(sites.begin(), sites.end()), sites.end());
    for (const auto& [x, y] : sites) {
        out.x.push_back(x);
        out.y.push_back(y);
    }
    out.patient_site.assign(n, -1);
    for (std::size_t j = 0; j < n; ++j) {
        const std::pair<double, double> key{patients.hospital_x[j], patients.hospital_y[j]};
        const auto it = std::lower_bound(sites.begin(), sites.end(), key);
        if (it != sites.end() && *it == key) out.patient_site[j] = static_cast<std::int32_t>(it - sites.begin());
    }
    // Nearest site of each police record: sites are few (tens to a few hundred), so a scan.
    out.police_nearest.assign(police.size(), -1);
    std::vector<double> count(sites.size(), 0.0);
    double located = 0;
    for (std::size_t i = 0; i < police.size(); ++i) {
        const double px = police.x[i], py = police.y[i];
        if (!std::isfinite(px) || !std::isfinite(py)) continue;
        const std::int32_t k_best = nearest_site(out, px, py);
        out.police_nearest[i] = k_best;
        count[static_cast<std::size_t>(k_best)] += 1;
        located += 1;
    }
    out.catchment_share.assign(sites.size(), 0.0);
    if (located > 0)
        for (std::size_t k = 0; k < sites.size(); ++k) out.catchment_share[k] = count[k] / located;
    // Patients brought from beyond their hospital's catchment, by site.
    std::vector<double> seen(sites.size(), 0.0), elsewhere(sites.size(), 0.0);
    double all_seen = 0, all_elsewhere = 0;
    for (std::size_t j = 0; j < n; ++j) {
        const std::int32_t k = out.patient_site[j];
        if (k < 0 || !std::isfinite(patients.x[j]) || !std::isfinite(patients.y[j])) continue;
        const bool other = nearest_site(out, patients.x[j], patients.y[j]) != k;
        seen[static_cast<std::size_t>(k)] += 1;
        elsewhere[static_cast<std::size_t>(k)] += other ? 1 : 0;
        all_seen += 1;
        all_elsewhere += other ? 1 : 0;
    }
    out.elsewhere_overall = all_seen > 0 ? all_elsewhere / all_seen : 0;
    out.elsewhere_share.assign(sites.size(), out.elsewhere_overall);
    for (std::size_t k = 0; k < sites.size(); ++k)
        out.elsewhere_share[k] = (elsewhere[k] + prior_patients * out.elsewhere_overall) / (seen[k] + prior_patients);
    return out;
}

}  // namespace roadsafe::linkage
