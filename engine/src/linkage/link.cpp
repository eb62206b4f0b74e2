#include "roadsafe/linkage/link.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"
#include "roadsafe/linkage/hospital_sites.hpp"
#include "roadsafe/linkage/pair_scores.hpp"
#include "roadsafe/linkage/u_probabilities.hpp"

namespace roadsafe::linkage {

namespace {

void report(const ProgressCallback& progress, double fraction, std::string_view stage) {
    if (progress && !progress(fraction, stage)) throw Error(ErrorCode::Cancelled, "linkage cancelled");
}

// Each site's catchment share over the mean share of the patients the "nearest hospital" level compares
// (a hospital and no incident location): u of that level for the site's patients, relative to the level's u.
std::vector<double> relative_catchment(const HospitalSites& sites, const PatientRecords& patients) {
    double sum = 0, n = 0;
    for (std::size_t j = 0; j < patients.size(); ++j) {
        const std::int32_t k = j < sites.patient_site.size() ? sites.patient_site[j] : -1;
        if (k < 0 || (std::isfinite(patients.x[j]) && std::isfinite(patients.y[j]))) continue;
        sum += sites.catchment_share[static_cast<std::size_t>(k)];
        n += 1;
    }
    std::vector<double> out(sites.catchment_share.size(), 1.0);
    if (sum > 0)
        for (std::size_t k = 0; k < out.size(); ++k) out[k] = sites.catchment_share[k] / (sum / n);
    return out;
}

}  // namespace

LinkResult link_records(const PoliceRecords& police_in, const PatientRecords& patients_in, const LinkSettings& settings,
                        const ProgressCallback& progress) {
    check_records(police_in, patients_in);
    if (police_in.size() == 0) throw Error(ErrorCode::InvalidInput, "there are no police records to link");
    if (patients_in.size() == 0) throw Error(ErrorCode::InvalidInput, "there are no patients to link");
    if (!(settings.keep_probability >= 0 && settings.keep_probability < 1))
        throw Error(ErrorCode::InvalidInput, "keep_probability must lie in [0, 1)");
    const unsigned threads = settings.threads ? settings.threads : std::max(1u, std::thread::hardware_concurrency());
    LinkResult out;
    report(progress, 0.0, "blocking");
    const CandidatePairs pairs = find_candidate_pairs(police_in, patients_in, settings.blocking, threads);
    out.candidate_pairs = pairs.size();
    // The receiving hospitals and each police record's nearest: the records with them filled in.
    const HospitalSites sites = find_hospital_sites(police_in, patients_in);
    PoliceRecords police = police_in;
    PatientRecords patients = patients_in;
    if (settings.nearest_hospital) {
        police.nearest_hospital = sites.police_nearest;
        patients.hospital_site = sites.patient_site;
    }
    report(progress, 0.2, "u from random pairs");
    const UEstimate u = estimate_u(police, patients, settings.thresholds, settings.u_max_pairs, settings.seed, threads);
    out.u_pairs = u.pairs;
    report(progress, 0.35, "comparing candidate pairs");
    std::vector<std::uint32_t> patterns(pairs.size());
    {
        constexpr std::size_t kBlock = 1 << 16;
        const std::size_t blocks = (pairs.size() + kBlock - 1) / kBlock;
        for_each_index(blocks, threads, [&](std::size_t b) {
            const std::size_t end = std::min(pairs.size(), (b + 1) * kBlock);
            for (std::size_t k = b * kBlock; k < end; ++k)
                patterns[k] =
                    pattern_of(compare_pair(police, pairs.police[k], patients, pairs.patient[k], settings.thresholds));
        });
    }
    LinkModel& model = out.model;
    model.labels = level_labels(settings.thresholds);
    model.u = u.u;
    model.n_police = police.size();
    model.n_patients = patients.size();
    model.tf_road_user = settings.tf_road_user;
    model.tf_sex = settings.tf_sex;
    model.road_user_u = road_user_frequencies(police);
    model.sex_u = sex_frequencies(police);
    if (settings.nearest_hospital) {
        model.hospital_u = relative_catchment(sites, patients);
        if (settings.hospital_bypass && sites.elsewhere_overall > 0 && sites.elsewhere_overall < 1)
            for (double share : sites.elsewhere_share) {
                model.hospital_m_nearest.push_back((1 - share) / (1 - sites.elsewhere_overall));
                model.hospital_m_elsewhere.push_back(share / sites.elsewhere_overall);
            }
    }
    out.hospital_site = settings.nearest_hospital && !sites.patient_site.empty()
                            ? sites.patient_site
                            : std::vector<std::int32_t>(patients.size(), -1);
    out.time_density = settings.time_of_week ? time_density(police, patients, threads)
                                             : std::vector<double>(patients.size(), 1.0);
    report(progress, 0.5, "expectation-maximisation");
    fit_em(patterns, pairs.patient_offsets, model, settings.em, threads, out.time_density, patients.road_user,
           patients.sex, patients.hospital_site);
    report(progress, 0.8, "scoring");
    const PairScores scores = score_pairs(model, pairs, patterns, patients, out.time_density, threads);
    report(progress, 0.9, "assignment");
    const auto chosen = assign_links(pairs.police, pairs.patient, scores.weight, scores.probability, settings.unit,
                                     settings.keep_probability);
    for (std::size_t k = 0; k < pairs.size(); ++k)
        if (scores.probability[k] >= settings.keep_probability) {
            out.scored_police.push_back(pairs.police[k]);
            out.scored_patient.push_back(pairs.patient[k]);
            out.scored_probability.push_back(scores.probability[k]);
        }
    for (std::size_t k : chosen) {
        out.police.push_back(pairs.police[k]);
        out.patient.push_back(pairs.patient[k]);
        out.weight.push_back(scores.weight[k]);
        out.probability.push_back(scores.probability[k]);
        out.levels.push_back(levels_of(patterns[k]));
    }
    report(progress, 1.0, "done");
    return out;
}

}  // namespace roadsafe::linkage
