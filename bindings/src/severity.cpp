// Python binding of the severity module: roadsafe._engine.severity (GLM fits, the DfT/ONS adjustment
// rule, the collision-level figure, the reclassification-step time series). Errors are translated by
// the translator registered in errors.cpp.
#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "roadsafe/core/error.hpp"
#include "roadsafe/severity/collision_adjustment.hpp"
#include "roadsafe/severity/count_regression.hpp"
#include "roadsafe/severity/logistic_regression.hpp"
#include "roadsafe/severity/reassignment_adjustment.hpp"
#include "roadsafe/severity/reclassification_step.hpp"

namespace py = pybind11;
namespace sev = roadsafe::severity;

namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

sev::CountFamily family_of(const std::string& name) {
    if (name == "poisson") return sev::CountFamily::Poisson;
    if (name == "negative_binomial") return sev::CountFamily::NegativeBinomial;
    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput,
                          "family must be 'poisson' or 'negative_binomial', not '" + name + "'");
}

py::dict fit_dict(const sev::GlmFit& f) {
    py::dict d;
    d["coefficients"] = f.coefficients;
    d["standard_errors"] = f.standard_errors;
    d["covariance"] = f.covariance;
    d["linear_predictor"] = f.linear_predictor;
    d["fitted"] = f.fitted;
    d["log_likelihood"] = f.log_likelihood;
    d["deviance"] = f.deviance;
    d["iterations"] = f.iterations;
    d["theta"] = f.theta;
    return d;
}

std::vector<char> flags(const std::optional<py::array_t<bool, py::array::c_style | py::array::forcecast>>& a) {
    std::vector<char> out;
    if (!a) return out;
    auto r = a->unchecked<1>();
    out.resize(std::size_t(r.shape(0)));
    for (py::ssize_t i = 0; i < r.shape(0); ++i) out[std::size_t(i)] = r(i) ? 1 : 0;
    return out;
}

sev::MonthlySeries series_of(const std::vector<double>& counts, const std::vector<int>& month_of_year,
                             const std::optional<std::vector<double>>& log_offset) {
    sev::MonthlySeries s;
    s.counts = counts;
    s.month_of_year = month_of_year;
    if (log_offset) s.log_offset = *log_offset;
    return s;
}

sev::StepOptions step_options(const std::string& family, bool seasonality, double confidence) {
    sev::StepOptions o;
    o.family = family_of(family);
    o.seasonality = seasonality;
    o.confidence = confidence;
    return o;
}

}  // namespace

void init_severity(py::module_& m) {
    py::module_ s =
        m.def_submodule("severity", "Adjusted severity: GLM fits, the DfT/ONS adjustment, the reclassification step.");
    using BoolArray = py::array_t<bool, py::array::c_style | py::array::forcecast>;

    s.def(
        "fit_logistic",
        [](const Matrix& X, const Eigen::VectorXd& y, const std::optional<Eigen::VectorXd>& weights, int max_iterations,
           double tolerance) {
            sev::IrlsOptions o{max_iterations, tolerance};
            const Eigen::MatrixXd Xc = X;
            sev::GlmFit f;
            {
                py::gil_scoped_release release;
                f = sev::fit_logistic(Xc, y, weights ? *weights : Eigen::VectorXd(), o);
            }
            return fit_dict(f);
        },
        py::arg("X"), py::arg("y"), py::arg("weights") = py::none(), py::arg("max_iterations") = 50,
        py::arg("tolerance") = 1e-10,
        R"doc(Logistic regression by IRLS. y: 0/1 or proportions; weights: prior weights (trials per covariate
pattern). Returns a dict: coefficients, standard_errors, covariance, linear_predictor, fitted,
log_likelihood, deviance, iterations, theta (0). Raises NotConvergedError on non-convergence or separation.)doc");

    s.def(
        "fit_count_model",
        [](const Matrix& X, const Eigen::VectorXd& y, const std::optional<Eigen::VectorXd>& offset,
           const std::string& family, int max_iterations, double tolerance) {
            sev::IrlsOptions o{max_iterations, tolerance};
            const sev::CountFamily fam = family_of(family);
            const Eigen::MatrixXd Xc = X;
            sev::GlmFit f;
            {
                py::gil_scoped_release release;
                f = sev::fit_count_model(Xc, y, offset ? *offset : Eigen::VectorXd(), fam, o);
            }
            return fit_dict(f);
        },
        py::arg("X"), py::arg("y"), py::arg("offset") = py::none(), py::arg("family") = "poisson",
        py::arg("max_iterations") = 50, py::arg("tolerance") = 1e-10,
        "Poisson or negative binomial (NB2, theta by maximum likelihood) log-link GLM by IRLS; same dict as "
        "fit_logistic.");

    s.def(
        "adjust_casualty_severity",
        [](const std::vector<double>& p_not_ibrs, const std::vector<double>& p_ibrs, const BoolArray& serious,
           const std::optional<BoolArray>& fatal) {
            sev::CasualtyAdjustmentInput in{p_not_ibrs, p_ibrs, flags(serious), flags(fatal)};
            const auto r = sev::adjust_casualty_severity(in);
            py::dict d;
            d["adjusted_serious"] =
                py::array_t<double>(py::ssize_t(r.adjusted_serious.size()), r.adjusted_serious.data());
            d["rescale_factor"] = r.rescale_factor;
            d["total_delta"] = r.total_delta;
            return d;
        },
        py::arg("p_not_ibrs"), py::arg("p_ibrs"), py::arg("serious"), py::arg("fatal") = py::none(),
        "The DfT/ONS minimal-reassignment rule with one global rescale (methods.md §1.6).");

    s.def(
        "collision_serious_probability",
        [](const std::vector<std::int64_t>& collision_row, const std::vector<double>& casualty_serious,
           std::size_t n_collisions, const std::optional<BoolArray>& collision_fatal) {
            const auto p = sev::collision_serious_probability(collision_row, casualty_serious, n_collisions,
                                                              flags(collision_fatal));
            return py::array_t<double>(py::ssize_t(p.size()), p.data());
        },
        py::arg("collision_row"), py::arg("casualty_serious"), py::arg("n_collisions"),
        py::arg("collision_fatal") = py::none(),
        "1 - prod(1 - p_i) over each collision's non-fatal casualties; NaN for fatal collisions and those without "
        "casualties.");

    s.def(
        "fit_reclassification_step",
        [](const std::vector<double>& counts, const std::vector<int>& month_of_year, std::size_t switch_index,
           const std::optional<std::vector<double>>& log_offset, const std::string& family, bool seasonality,
           double confidence) {
            const auto series = series_of(counts, month_of_year, log_offset);
            const auto o = step_options(family, seasonality, confidence);
            sev::StepFit f;
            {
                py::gil_scoped_release release;
                f = sev::fit_reclassification_step(series, switch_index, o);
            }
            py::dict d = fit_dict(f.fit);
            d["switch_index"] = f.switch_index;
            d["log_step"] = f.log_step;
            d["log_step_se"] = f.log_step_se;
            d["rate_ratio"] = f.rate_ratio;
            d["lower"] = f.lower;
            d["upper"] = f.upper;
            d["trend_per_year"] = f.trend_per_year;
            d["counterfactual"] = py::array_t<double>(py::ssize_t(f.counterfactual.size()), f.counterfactual.data());
            return d;
        },
        py::arg("counts"), py::arg("month_of_year"), py::arg("switch_index"), py::arg("log_offset") = py::none(),
        py::arg("family") = "negative_binomial", py::arg("seasonality") = true, py::arg("confidence") = 0.95,
        "Interrupted time series: count GLM with trend (per year), month-of-year dummies and a step at switch_index.");

    s.def(
        "profile_switch_month",
        [](const std::vector<double>& counts, const std::vector<int>& month_of_year, std::size_t first,
           std::size_t last, const std::optional<std::vector<double>>& log_offset, const std::string& family,
           bool seasonality) {
            const auto series = series_of(counts, month_of_year, log_offset);
            const auto o = step_options(family, seasonality, 0.95);
            sev::SwitchProfile p;
            {
                py::gil_scoped_release release;
                p = sev::profile_switch_month(series, first, last, o);
            }
            py::dict d;
            d["candidates"] = p.candidates;
            d["log_likelihood"] = py::array_t<double>(py::ssize_t(p.log_likelihood.size()), p.log_likelihood.data());
            d["best"] = p.best;
            return d;
        },
        py::arg("counts"), py::arg("month_of_year"), py::arg("first"), py::arg("last"),
        py::arg("log_offset") = py::none(), py::arg("family") = "negative_binomial", py::arg("seasonality") = true,
        "Profile log-likelihood of the switch month over candidate indices first..last.");
}
