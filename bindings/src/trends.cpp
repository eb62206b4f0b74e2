// Python binding of the trend statistics: roadsafe._engine.trends.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "roadsafe/core/error.hpp"
#include "roadsafe/trends/count_comparison.hpp"
#include "roadsafe/trends/period_counts.hpp"
#include "roadsafe/trends/poisson_interval.hpp"
#include "roadsafe/trends/weighted_count.hpp"

namespace py = pybind11;
namespace tr = roadsafe::trends;

namespace {

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Int64Array = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
using Int32Array = py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>;

tr::Period parse_period(const std::string& name) {
    if (name == "month") return tr::Period::Month;
    if (name == "quarter") return tr::Period::Quarter;
    if (name == "calendar_year") return tr::Period::CalendarYear;
    if (name == "financial_year") return tr::Period::FinancialYear;
    throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput,
                          "period must be month, quarter, calendar_year or financial_year, got '" + name + "'");
}

template <typename T>
std::span<const T> view(const py::array_t<T, py::array::c_style | py::array::forcecast>& a) {
    return {a.data(), static_cast<std::size_t>(a.size())};
}

void require_same_size(py::ssize_t a, py::ssize_t b, const char* what) {
    if (a != b) throw roadsafe::Error(roadsafe::ErrorCode::InvalidInput, std::string(what) + " must have the same length");
}

}  // namespace

void init_trends(py::module_& m) {
    py::module_ t = m.def_submodule("trends", "Counts by period, exact Poisson intervals and count comparison tests.");

    t.def(
        "poisson_interval",
        [](const Int64Array& n, double confidence) {
            const auto counts = view(n);
            DoubleArray lower(n.size());
            DoubleArray upper(n.size());
            auto lo = lower.mutable_data();
            auto up = upper.mutable_data();
            for (std::size_t i = 0; i < counts.size(); ++i) {
                const tr::CountInterval ci = tr::poisson_interval(counts[i], confidence);
                lo[i] = ci.lower;
                up[i] = ci.upper;
            }
            return std::make_pair(lower, upper);
        },
        py::arg("n"), py::arg("confidence") = 0.95,
        R"doc(Exact (Garwood) Poisson intervals for integer counts `n` (an array): returns (lower, upper)
arrays, lower = chi2(a/2, 2N)/2 (0 for N = 0), upper = chi2(1-a/2, 2N+2)/2.)doc");

    t.def(
        "weighted_count_interval",
        [](const DoubleArray& total, const DoubleArray& sum_squares, const DoubleArray& max_weight, double confidence) {
            require_same_size(total.size(), sum_squares.size(), "total, sum_squares and max_weight");
            require_same_size(total.size(), max_weight.size(), "total, sum_squares and max_weight");
            const auto y = view(total);
            const auto v = view(sum_squares);
            const auto wm = view(max_weight);
            DoubleArray lower(total.size());
            DoubleArray upper(total.size());
            auto lo = lower.mutable_data();
            auto up = upper.mutable_data();
            for (std::size_t i = 0; i < y.size(); ++i) {
                tr::WeightedCount c;
                c.total = y[i];
                c.sum_squares = v[i];
                c.max_weight = wm[i];
                const tr::CountInterval ci = tr::weighted_count_interval(c, confidence);
                lo[i] = ci.lower;
                up[i] = ci.upper;
            }
            return std::make_pair(lower, upper);
        },
        py::arg("total"), py::arg("sum_squares"), py::arg("max_weight"), py::arg("confidence") = 0.95,
        R"doc(Fay-Feuer (1997) gamma intervals for weighted Poisson counts (arrays of the sum of weights,
the sum of squared weights and the largest weight): returns (lower, upper). With unit weights it is
the Garwood interval.)doc");

    t.def(
        "compare_counts",
        [](double current, double current_variance, double reference_total, double reference_variance,
           double reference_periods, double confidence) {
            const tr::CountComparison c = tr::compare_counts(current, current_variance, reference_total,
                                                             reference_variance, reference_periods, confidence);
            py::dict out;
            out["current"] = c.current;
            out["reference"] = c.reference;
            out["difference"] = c.difference;
            out["z"] = c.z;
            out["p_value"] = c.p_value;
            out["rate_ratio"] = c.rate_ratio;
            out["ratio_lower"] = c.ratio_lower;
            out["ratio_upper"] = c.ratio_upper;
            return out;
        },
        py::arg("current"), py::arg("current_variance"), py::arg("reference_total"), py::arg("reference_variance"),
        py::arg("reference_periods") = 1.0, py::arg("confidence") = 0.95,
        R"doc(z test of a count against a reference total over k periods: z = (x - S/k) / sqrt(V_x + V_S/k^2),
with a two-sided normal p-value and the rate ratio x/(S/k) with its log-scale interval. Returns a dict
(current, reference, difference, z, p_value, rate_ratio, ratio_lower, ratio_upper).)doc");

    t.def(
        "exact_conditional_test",
        [](std::int64_t n1, std::int64_t n2, double exposure1, double exposure2) {
            return tr::exact_conditional_test(n1, n2, exposure1, exposure2).p_value;
        },
        py::arg("n1"), py::arg("n2"), py::arg("exposure1") = 1.0, py::arg("exposure2") = 1.0,
        "Two-sided p-value of the exact conditional (binomial) test of two Poisson counts.");

    t.def(
        "period_key",
        [](const Int32Array& days, const std::string& period) {
            const tr::Period p = parse_period(period);
            const auto d = view(days);
            Int32Array keys(days.size());
            auto k = keys.mutable_data();
            for (std::size_t i = 0; i < d.size(); ++i) k[i] = tr::period_key(d[i], p);
            return keys;
        },
        py::arg("days"), py::arg("period"),
        R"doc(Period keys for dates given as days since 1970-01-01: month year*12+month-1, quarter
year*4+(month-1)//3, calendar_year year, financial_year the year of its April.)doc");

    t.def(
        "count_by_period",
        [](const Int32Array& keys, std::int32_t first_key, std::int32_t n_periods, const py::object& weights) {
            DoubleArray w = weights.is_none() ? DoubleArray(0) : weights.cast<DoubleArray>();
            tr::PeriodCounts c;
            {
                py::gil_scoped_release release;
                c = tr::count_by_period(view(keys), view(w), first_key, n_periods);
            }
            py::dict out;
            out["first_key"] = c.first_key;
            out["total"] = DoubleArray(static_cast<py::ssize_t>(c.total.size()), c.total.data());
            out["sum_squares"] = DoubleArray(static_cast<py::ssize_t>(c.sum_squares.size()), c.sum_squares.data());
            out["max_weight"] = DoubleArray(static_cast<py::ssize_t>(c.max_weight.size()), c.max_weight.data());
            out["events"] = Int64Array(static_cast<py::ssize_t>(c.events.size()), c.events.data());
            return out;
        },
        py::arg("keys"), py::arg("first_key"), py::arg("n_periods"), py::arg("weights") = py::none(),
        R"doc(Weighted counts per period for keys first_key .. first_key+n_periods-1 (every period present).
`weights` None means unit weights. Returns a dict of arrays total, sum_squares, max_weight, events
and first_key.)doc");
}
