#pragma once
// The DfT/ONS per-casualty adjusted probability (methods.md §1.6): minimal reassignment of recorded
// severities towards what an injury-based system would have recorded, with one global rescale.
#include <vector>

namespace roadsafe::severity {

struct CasualtyAdjustmentInput {
    std::vector<double> p_not_ibrs;  // PrNC: modelled P(serious) with the IBRS indicator set to 0
    std::vector<double> p_ibrs;      // PrC: modelled P(serious) with the IBRS indicator set to 1
    std::vector<char> serious;       // recorded severity serious (1) or slight (0); ignored for fatal
    std::vector<char> fatal;         // fatal casualties are never adjusted (empty = none fatal)
};

struct CasualtyAdjustment {
    std::vector<double> adjusted_serious;  // s_i + a'_i; NaN for fatal casualties
    double rescale_factor = 1.0;           // sum(delta) / sum(a): one factor over the whole input
    double total_delta = 0.0;              // sum over non-fatal casualties of p_ibrs - p_not_ibrs
};

// a_i = delta/(1 - p) for a slight record with delta > 0, delta/p for a serious record with delta < 0, else 0;
// a'_i = a_i * sum(delta) / sum(a) (no rescale when sum(a) = 0); adjusted = s_i + a'_i.
// Records where p_ibrs == p_not_ibrs (IBRS records predicted with their actual indicator) keep their
// recorded severity. Throws Error(InvalidInput) on mismatched sizes or probabilities outside [0, 1].
CasualtyAdjustment adjust_casualty_severity(const CasualtyAdjustmentInput& input);

}  // namespace roadsafe::severity
