#pragma once
// Tests that compare counts (methods.md section 4.3).
//
// compare_counts: a current count against a reference, where the reference may be the mean of
//   k periods. With x the current count (variance V_x) and S the reference total over k periods
//   (variance V_S), the reference level is B = S/k and
//     z = (x - S/k) / sqrt(V_x + V_S / k^2),
//   two-sided p from the standard normal. Plain Poisson counts have V = the count; casualty counts
//   use sum n_j^2 over collisions (compound Poisson, WeightedCount::sum_squares), which is
//   methods.md's over-dispersion adjustment V = phi N. k = 1 gives the two-period test
//   z = (N2 - N1)/sqrt(N1 + N2). The rate ratio x/B has the interval
//     exp( log(x/B) +- z_{1-a/2} sqrt(V_x/x^2 + V_S/S^2) ).
//
// exact_conditional_test: for two Poisson counts over exposures e1, e2, N2 | N1+N2 ~ Bin(N1+N2,
//   e2/(e1+e2)); the two-sided p-value is twice the smaller tail, capped at 1.
#include <cstdint>

namespace roadsafe::trends {

struct CountComparison {
    double current = 0.0;         // x
    double reference = 0.0;       // B = S / k, the reference level per period
    double difference = 0.0;      // x - B
    double z = 0.0;               // (x - B) / sqrt(V_x + V_S/k^2); 0 when both variances are 0
    double p_value = 1.0;         // two-sided, standard normal
    double rate_ratio = 0.0;      // x / B (infinity when B = 0 < x; NaN when both are 0)
    double ratio_lower = 0.0;     // interval for the rate ratio (NaN when x or S is 0)
    double ratio_upper = 0.0;
};

// Throws roadsafe::Error(InvalidInput) for negative counts or variances, periods <= 0 or
// confidence outside (0, 1).
CountComparison compare_counts(double current, double current_variance, double reference_total,
                               double reference_variance, double reference_periods = 1.0,
                               double confidence = 0.95);

struct ExactTest {
    double p_value = 1.0;  // two-sided: twice the smaller binomial tail, at most 1
};

ExactTest exact_conditional_test(std::int64_t n1, std::int64_t n2, double exposure1 = 1.0,
                                 double exposure2 = 1.0);

// Two-sided p-value of a z statistic under the standard normal.
double two_sided_p(double z) noexcept;

}  // namespace roadsafe::trends
