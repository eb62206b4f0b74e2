// Python binding of the police <-> trauma linkage: roadsafe._engine.linkage.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "roadsafe/core/error.hpp"
#include "roadsafe/linkage/capture_recapture.hpp"
#include "roadsafe/linkage/explanation.hpp"
#include "roadsafe/linkage/link.hpp"
#include "roadsafe/linkage/pair_scores.hpp"

namespace py = pybind11;
namespace lk = roadsafe::linkage;

namespace {

template <typename T>
using Array = py::array_t<T, py::array::c_style | py::array::forcecast>;

// The named column of `d` as an array of T (a copy only when the dtype differs).
template <typename T>
Array<T> column(const py::dict& d, const char* name) {
    if (!d.contains(name))
        throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, std::string("missing column '") + name + "'");
    Array<T> a = Array<T>::ensure(d[name]);
    if (!a || a.ndim() != 1)
        throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, std::string("column '") + name + "' must be 1-D");
    return a;
}

template <typename T>
std::span<const T> view(const Array<T>& a) {
    return {a.data(), static_cast<std::size_t>(a.size())};
}

template <typename T>
py::array_t<T> to_array(const std::vector<T>& v) {
    py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), out.mutable_data());
    return out;
}

lk::Unit parse_unit(const std::string& unit) {
    if (unit == "casualty") return lk::Unit::Casualty;
    if (unit == "collision") return lk::Unit::Collision;
    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "unit must be 'casualty' or 'collision', got '" + unit + "'");
}

py::dict model_to_dict(const lk::LinkModel& m) {
    py::dict d;
    d["labels"] = m.labels;
    d["m"] = m.m;
    d["u"] = m.u;
    d["pi"] = m.pi;
    d["pi_road_user"] = m.pi_road_user;
    d["n_police"] = m.n_police;
    d["n_patients"] = m.n_patients;
    d["iterations"] = m.iterations;
    d["converged"] = m.converged;
    d["max_change"] = m.max_change;
    d["tf_road_user"] = m.tf_road_user;
    d["tf_sex"] = m.tf_sex;
    d["road_user_u"] = m.road_user_u;
    d["sex_u"] = std::vector<double>(m.sex_u.begin(), m.sex_u.end());
    d["tf_minimum_u"] = m.tf_minimum_u;
    d["hospital_u"] = m.hospital_u;
    d["hospital_m_nearest"] = m.hospital_m_nearest;
    d["hospital_m_elsewhere"] = m.hospital_m_elsewhere;
    d["prior_weight"] = m.prior_weight();
    return d;
}

lk::LinkModel model_from_dict(const py::dict& d) {
    lk::LinkModel m;
    m.labels = d["labels"].cast<std::vector<std::vector<std::string>>>();
    m.m = d["m"].cast<std::vector<std::vector<double>>>();
    m.u = d["u"].cast<std::vector<std::vector<double>>>();
    m.pi = d["pi"].cast<double>();
    if (d.contains("pi_road_user")) m.pi_road_user = d["pi_road_user"].cast<std::vector<double>>();
    m.n_police = d["n_police"].cast<std::size_t>();
    m.n_patients = d["n_patients"].cast<std::size_t>();
    m.tf_road_user = d["tf_road_user"].cast<bool>();
    m.tf_sex = d["tf_sex"].cast<bool>();
    m.road_user_u = d["road_user_u"].cast<std::vector<double>>();
    const auto sex = d["sex_u"].cast<std::vector<double>>();
    for (std::size_t k = 0; k < 3 && k < sex.size(); ++k) m.sex_u[k] = sex[k];
    m.tf_minimum_u = d["tf_minimum_u"].cast<double>();
    if (d.contains("hospital_u")) m.hospital_u = d["hospital_u"].cast<std::vector<double>>();
    if (d.contains("hospital_m_nearest"))
        m.hospital_m_nearest = d["hospital_m_nearest"].cast<std::vector<double>>();
    if (d.contains("hospital_m_elsewhere"))
        m.hospital_m_elsewhere = d["hospital_m_elsewhere"].cast<std::vector<double>>();
    const auto counts = lk::level_counts();
    if (m.m.size() != lk::kComparisons || m.u.size() != lk::kComparisons)
        throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "the model needs m and u for five comparisons");
    for (std::size_t c = 0; c < lk::kComparisons; ++c)
        if (m.m[c].size() != counts[c] || m.u[c].size() != counts[c])
            throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "the model's m and u have the wrong number of levels");
    return m;
}

lk::PairLevels parse_levels(const std::vector<int>& levels) {
    const auto counts = lk::level_counts();
    if (levels.size() != lk::kComparisons)
        throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "levels must have one value per comparison (5)");
    lk::PairLevels out{};
    for (std::size_t c = 0; c < lk::kComparisons; ++c) {
        if (levels[c] < 0 || static_cast<std::size_t>(levels[c]) >= counts[c])
            throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "level out of range", {"", 0, "", std::to_string(levels[c])});
        out[c] = static_cast<std::uint8_t>(levels[c]);
    }
    return out;
}

}  // namespace

void init_linkage(py::module_& m) {
    py::module_ l = m.def_submodule("linkage", "Police <-> trauma-registry linkage (Fellegi-Sunter with EM).");

    l.def(
        "link",
        [](const py::dict& police, const py::dict& patients, const std::string& unit, std::uint64_t seed,
           std::uint64_t u_max_pairs, int max_iterations, double tolerance, double keep_probability,
           bool tf_road_user, bool tf_sex, const py::dict& blocking, unsigned threads, bool time_of_week,
           bool prior_by_road_user, bool nearest_hospital, bool hospital_bypass, double prior_pseudocount) {
            const auto p_time = column<double>(police, "time");
            const auto p_known = column<std::uint8_t>(police, "time_known");
            const auto p_x = column<double>(police, "x");
            const auto p_y = column<double>(police, "y");
            const auto p_age = column<double>(police, "age");
            const auto p_sex = column<std::int8_t>(police, "sex");
            const auto p_users = column<std::uint32_t>(police, "road_users");
            const auto q_arrival = column<double>(patients, "arrival");
            const auto q_incident = column<double>(patients, "incident");
            const auto q_x = column<double>(patients, "x");
            const auto q_y = column<double>(patients, "y");
            const auto q_age = column<double>(patients, "age");
            const auto q_sex = column<std::int8_t>(patients, "sex");
            const auto q_user = column<std::int32_t>(patients, "road_user");
            const bool has_hospital = patients.contains("hospital_x") && patients.contains("hospital_y");
            const auto q_hx = has_hospital ? column<double>(patients, "hospital_x") : Array<double>(0);
            const auto q_hy = has_hospital ? column<double>(patients, "hospital_y") : Array<double>(0);
            const lk::PoliceRecords pr{view(p_time), view(p_known), view(p_x), view(p_y),
                                       view(p_age), view(p_sex), view(p_users)};
            const lk::PatientRecords qr{view(q_arrival), view(q_incident), view(q_x), view(q_y),
                                        view(q_age), view(q_sex), view(q_user), view(q_hx), view(q_hy)};
            lk::LinkSettings s;
            s.unit = parse_unit(unit);
            s.seed = seed;
            s.u_max_pairs = u_max_pairs;
            s.em.max_iterations = max_iterations;
            s.em.tolerance = tolerance;
            s.keep_probability = keep_probability;
            s.tf_road_user = tf_road_user;
            s.tf_sex = tf_sex;
            s.threads = threads;
            s.time_of_week = time_of_week;
            s.em.prior_by_road_user = prior_by_road_user;
            s.em.prior_pseudocount = prior_pseudocount;
            s.nearest_hospital = nearest_hospital;
            s.hospital_bypass = hospital_bypass;
            for (auto item : blocking) {
                const auto key = item.first.cast<std::string>();
                const auto value = item.second.cast<double>();
                if (key == "arrival_before_minutes") s.blocking.arrival_before_minutes = value;
                else if (key == "arrival_after_minutes") s.blocking.arrival_after_minutes = value;
                else if (key == "incident_window_minutes") s.blocking.incident_window_minutes = value;
                else if (key == "max_distance_metres") s.blocking.max_distance_metres = value;
                else
                    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, "unknown blocking setting '" + key + "'");
            }
            lk::LinkResult r;
            {
                py::gil_scoped_release release;
                r = lk::link_records(pr, qr, s);
            }
            py::array_t<std::uint8_t> levels({static_cast<py::ssize_t>(r.levels.size()),
                                              static_cast<py::ssize_t>(lk::kComparisons)});
            auto lv = levels.mutable_unchecked<2>();
            for (std::size_t k = 0; k < r.levels.size(); ++k)
                for (std::size_t c = 0; c < lk::kComparisons; ++c)
                    lv(static_cast<py::ssize_t>(k), static_cast<py::ssize_t>(c)) = r.levels[k][c];
            py::dict d;
            d["model"] = model_to_dict(r.model);
            d["candidate_pairs"] = r.candidate_pairs;
            d["u_pairs"] = r.u_pairs;
            d["police"] = to_array(r.police);
            d["patient"] = to_array(r.patient);
            d["weight"] = to_array(r.weight);
            d["probability"] = to_array(r.probability);
            d["levels"] = levels;
            d["time_density"] = to_array(r.time_density);
            d["hospital_site"] = to_array(r.hospital_site);
            d["scored_police"] = to_array(r.scored_police);
            d["scored_patient"] = to_array(r.scored_patient);
            d["scored_probability"] = to_array(r.scored_probability);
            return d;
        },
        py::arg("police"), py::arg("patients"), py::arg("unit") = "casualty", py::arg("seed") = 0,
        py::arg("u_max_pairs") = 1000000, py::arg("max_iterations") = 100, py::arg("tolerance") = 1e-5,
        py::arg("keep_probability") = 0.01, py::arg("tf_road_user") = true, py::arg("tf_sex") = false,
        py::arg("blocking") = py::dict(), py::arg("threads") = 0, py::arg("time_of_week") = true,
        py::arg("prior_by_road_user") = true, py::arg("nearest_hospital") = true, py::arg("hospital_bypass") = true,
        py::arg("prior_pseudocount") = 20.0,
        R"doc(Link police records to patients. `police`: dict of arrays time, time_known, x, y, age, sex,
road_users (bit masks); `patients`: arrival, incident, x, y, age, sex, road_user and optionally hospital_x, hospital_y. Times in minutes since
1970. Returns a dict: model, candidate_pairs, u_pairs and the assigned pairs (police, patient, weight,
probability, levels).)doc");

    l.def(
        "explain",
        [](const py::dict& model, const std::vector<int>& levels, int road_user, int sex, double time_density,
           int hospital) {
            const auto terms =
                lk::explain_pair(model_from_dict(model), parse_levels(levels), road_user, sex, time_density, hospital);
            py::list out;
            for (const auto& t : terms) out.append(py::make_tuple(t.comparison, t.level, t.m, t.u, t.weight));
            return out;
        },
        py::arg("model"), py::arg("levels"), py::arg("road_user"), py::arg("sex"), py::arg("time_density") = 1.0,
        py::arg("hospital") = -1,
        "The terms of a pair's match weight: (comparison, level, m, u, weight) tuples that sum to the weight.");

    l.def(
        "pair_weight",
        [](const py::dict& model, const std::vector<int>& levels, int road_user, int sex, double time_density,
           int hospital) {
            return lk::pair_weight(model_from_dict(model), parse_levels(levels), road_user, sex, time_density,
                                   hospital);
        },
        py::arg("model"), py::arg("levels"), py::arg("road_user"), py::arg("sex"), py::arg("time_density") = 1.0,
        py::arg("hospital") = -1,
        "A pair's match weight: log2(prior odds) + sum of log2(m/u) + term-frequency adjustments.");

    l.def(
        "chapman",
        [](std::int64_t n1, std::int64_t n2, std::int64_t matched, double confidence) {
            const auto e = lk::chapman(n1, n2, matched, confidence);
            py::dict d;
            d["n"] = e.n;
            d["variance"] = e.variance;
            d["lower"] = e.lower;
            d["upper"] = e.upper;
            return d;
        },
        py::arg("n1"), py::arg("n2"), py::arg("m"), py::arg("confidence") = 0.95,
        "Chapman's capture-recapture estimate (n, variance, lower, upper) from list sizes n1, n2 and overlap m.");
}
