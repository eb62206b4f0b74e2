// The interrupted time series: a planted step (and switch month) is recovered inside its interval; no
// step is found where none was planted.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "roadsafe/core/error.hpp"
#include "roadsafe/severity/reclassification_step.hpp"

using namespace roadsafe;
using namespace roadsafe::severity;

namespace {

MonthlySeries generate(double step, std::size_t switch_index, unsigned seed, std::size_t months = 72,
                       double base = 60.0) {
    std::mt19937 rng(seed);
    MonthlySeries s;
    for (std::size_t t = 0; t < months; ++t) {
        const int moy = int(t % 12) + 1;
        const double season = 1.0 + 0.15 * std::sin(2 * M_PI * (moy - 1) / 12.0);
        const double trend = std::exp(-0.03 * double(t) / 12.0);
        const double mu = base * season * trend * (t >= switch_index ? step : 1.0);
        s.counts.push_back(double(std::poisson_distribution<int>(mu)(rng)));
        s.month_of_year.push_back(moy);
    }
    return s;
}

}  // namespace

TEST(ReclassificationStep, RecoversAPlantedStepInsideItsInterval) {
    const MonthlySeries s = generate(1.25, 40, 2024);
    const StepFit fit = fit_reclassification_step(s, 40);
    EXPECT_LT(fit.lower, 1.25);
    EXPECT_GT(fit.upper, 1.25);
    EXPECT_GT(fit.lower, 1.0);
    EXPECT_NEAR(fit.rate_ratio, 1.25, 0.15);
    ASSERT_EQ(fit.counterfactual.size(), 72u);
    EXPECT_NEAR(fit.counterfactual[50] * fit.rate_ratio, fit.fitted[50], 1e-9);
    EXPECT_EQ(fit.counterfactual[10], fit.fitted[10]);
}

TEST(ReclassificationStep, IntervalCoversThePlantedStepAtAboutItsLevel) {
    // 95% Wald intervals over 40 seeded series (base 30 a month, like Cambridgeshire's serious collisions).
    int covered = 0;
    for (unsigned seed = 100; seed < 140; ++seed) {
        const StepFit fit = fit_reclassification_step(generate(1.25, 40, seed, 72, 30.0), 40);
        covered += fit.lower < 1.25 && fit.upper > 1.25;
    }
    EXPECT_GE(covered, 34);  // binomial(40, 0.95): P(< 34) is below 0.5 %
}

TEST(ReclassificationStep, ProfileFindsThePlantedSwitchMonth) {
    const MonthlySeries s = generate(1.4, 31, 99);
    const SwitchProfile prof = profile_switch_month(s, 6, 66);
    EXPECT_NEAR(double(prof.best), 31.0, 2.0);
    EXPECT_EQ(prof.candidates.front(), 6u);
    EXPECT_EQ(prof.candidates.back(), 66u);
}

TEST(ReclassificationStep, FindsNoStepWhereNoneWasPlanted) {
    for (unsigned seed : {1u, 2u, 3u}) {
        const MonthlySeries s = generate(1.0, 36, seed);
        StepOptions poisson;
        poisson.family = CountFamily::Poisson;
        const StepFit fit = fit_reclassification_step(s, 36, poisson);
        EXPECT_LT(fit.lower, 1.0) << "seed " << seed;
        EXPECT_GT(fit.upper, 1.0) << "seed " << seed;
    }
}

TEST(ReclassificationStep, RejectsASwitchAtTheEdges) {
    const MonthlySeries s = generate(1.0, 36, 5);
    EXPECT_THROW(fit_reclassification_step(s, 0), Error);
    EXPECT_THROW(fit_reclassification_step(s, 71), Error);
}
