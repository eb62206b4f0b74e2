#pragma once
// Interrupted time series for the severity-reclassification step (the move to injury-based reporting):
// a count GLM on monthly serious counts with a trend, month-of-year seasonality and a level step at the
// switch month, optionally with the log of a control series as an offset.
#include <cstddef>
#include <vector>

#include "roadsafe/severity/count_regression.hpp"

namespace roadsafe::severity {

struct MonthlySeries {
    std::vector<double> counts;      // serious counts per month, consecutive months
    std::vector<int> month_of_year;  // 1..12 for each month
    std::vector<double> log_offset;  // empty, or log of a control series / exposure per month
};

struct StepOptions {
    CountFamily family = CountFamily::NegativeBinomial;
    bool seasonality = true;  // month-of-year effects (January the reference)
    double confidence = 0.95;
    IrlsOptions irls{};
};

struct StepFit {
    std::size_t switch_index = 0;  // first month on the new basis
    double log_step = 0.0;         // coefficient of the step indicator
    double log_step_se = 0.0;
    double rate_ratio = 1.0;          // exp(log_step)
    double lower = 1.0, upper = 1.0;  // Wald interval for the rate ratio at options.confidence
    double trend_per_year = 0.0;      // coefficient of time in years (log scale)
    GlmFit fit;
    std::vector<double> fitted;          // model mean per month
    std::vector<double> counterfactual;  // model mean per month without the step (the old basis throughout)
};

// Fits the step at `switch_index` (1 <= switch_index < months - 1). Design: intercept, time in years since
// the first month, month-of-year dummies for the months present (if options.seasonality), step indicator.
// Throws Error(InvalidInput) on bad arguments; Error(NotConverged) from the fit.
StepFit fit_reclassification_step(const MonthlySeries& series, std::size_t switch_index,
                                  const StepOptions& options = {});

struct SwitchProfile {
    std::vector<std::size_t> candidates;  // switch indices tried
    std::vector<double> log_likelihood;   // maximised log-likelihood at each candidate (NaN when that fit failed)
    std::size_t best = 0;                 // the candidate with the highest log-likelihood
};

// Profile likelihood of the switch month over candidates first..last (inclusive, clamped to valid indices).
SwitchProfile profile_switch_month(const MonthlySeries& series, std::size_t first, std::size_t last,
                                   const StepOptions& options = {});

}  // namespace roadsafe::severity
