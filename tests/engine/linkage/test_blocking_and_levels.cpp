// Comparison levels and candidate pairs on hand-made records.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../caught_error.hpp"
#include "../linkage_records_support.hpp"
#include "roadsafe/linkage/candidate_pairs.hpp"
#include "roadsafe/linkage/comparison_levels.hpp"
#include "roadsafe/linkage/u_probabilities.hpp"

using namespace roadsafe::linkage;

namespace {

using Police = roadsafe::test::PoliceColumns;
using Patients = roadsafe::test::PatientColumns;

constexpr double kDay = 1440;

}  // namespace

TEST(LinkageLevels, EachComparisonByHand) {
    Police p;
    p.add(10 * kDay + 600, true, 1000, 1000, 30, 1, 0b101);  // known time 10:00, pedestrian (0) + motorcycle (2)
    p.add(10 * kDay, false, NAN, NAN, NAN, 0, 0);            // date only, nothing else known
    Patients q;
    q.add(10 * kDay + 650, 10 * kDay + 610, 1300, 1400, 32, 1, 2);  // incident 10 min off, 500 m, age +2
    q.add(10 * kDay + 700, NAN, NAN, NAN, 40, 2, 1);                 // arrival 100 min after
    q.add(11 * kDay + 500, NAN, 1000, 1000, 30, 2, 0);               // arrival next day
    const LevelThresholds t;
    const auto pv = p.view();
    const auto qv = q.view();
    // Incident 10 min off, exactly 500 m, a motorcyclist in a collision that also involved a pedestrian.
    EXPECT_EQ(compare_pair(pv, 0, qv, 0, t), (PairLevels{2, 3, 2, 1, 2}));
    // Arrival 100 min after; a cyclist patient, a collision with a motorcycle: a similar road user.
    EXPECT_EQ(compare_pair(pv, 0, qv, 1, t), (PairLevels{12, 0, 4, 2, 3}));
    EXPECT_EQ(compare_pair(pv, 0, qv, 2, t), (PairLevels{15, 1, 1, 2, 1}));  // 22 h 20 min after
    EXPECT_EQ(compare_pair(pv, 1, qv, 0, t), (PairLevels{16, 0, 0, 0, 0}));
    EXPECT_EQ(compare_pair(pv, 1, qv, 2, t), (PairLevels{16, 0, 0, 0, 0}));  // arrival the next day
    // Time by hand: a collision 10 min after the arrival is impossible; an incident time 400 min off with
    // a plausible arrival, and with an implausible one; an arrival 4 min before the police time (clocks).
    EXPECT_EQ(time_level(600, true, NAN, 590, t), 7);
    EXPECT_EQ(time_level(600, true, 1000, 700, t), 5);
    EXPECT_EQ(time_level(600, true, 1000, 1200, t), 6);
    EXPECT_EQ(time_level(600, true, NAN, 596, t), 8);
    EXPECT_EQ(time_level(600, true, 604, 650, t), 1);
    EXPECT_TRUE(far_apart_in_time(6) && far_apart_in_time(7) && far_apart_in_time(17) && !far_apart_in_time(16));
    // The hospital's distance when the incident location is missing.
    std::vector<double> hx{NAN, 1000 + 15000, NAN}, hy{NAN, 1000, NAN};
    auto with_hospital = qv;
    with_hospital.hospital_x = hx;
    with_hospital.hospital_y = hy;
    EXPECT_EQ(compare_pair(pv, 0, with_hospital, 1, t)[1], 10);  // 15 km: within 20 km (no sites known)
    EXPECT_EQ(compare_pair(pv, 0, with_hospital, 2, t)[1], 1);   // the incident location wins
    // With the registry's hospitals known: the patient's hospital is the one nearest the collision, or not.
    std::vector<std::int32_t> nearest{0, -1}, site{-1, 0, -1}, other_site{-1, 1, -1};
    auto pv_sites = pv;
    pv_sites.nearest_hospital = nearest;
    with_hospital.hospital_site = site;
    EXPECT_EQ(compare_pair(pv_sites, 0, with_hospital, 1, t)[1], kNearestHospitalLevel);
    with_hospital.hospital_site = other_site;
    EXPECT_EQ(compare_pair(pv_sites, 0, with_hospital, 1, t)[1], 10);  // another hospital, 15 km away
    EXPECT_EQ(more_vulnerable(0), 0u);
    EXPECT_EQ(more_vulnerable(1), 0b1u);
    EXPECT_EQ(more_vulnerable(3), 0b111u);
    EXPECT_EQ(more_vulnerable(5), 0b111u);
    const auto labels = level_labels(t);
    EXPECT_EQ(labels[0][12], "arrival 90 min to 135 min after");
    EXPECT_EQ(labels[0][8], "arrival -5 min to 20 min after");
    EXPECT_EQ(labels[0][7], "arrival more than 5 min before the collision");
    EXPECT_EQ(labels[1][3], "incident within 500 m");
    EXPECT_EQ(labels[1][7], "incident within 10 km");
    EXPECT_EQ(labels[1][9], "no incident location; the hospital nearest the collision");
    EXPECT_EQ(labels[1][10], "no incident location; another hospital within 20 km");
    EXPECT_EQ(labels[4][2], "involved with a more vulnerable road user");
    EXPECT_EQ(labels[4][4], "differs");
    EXPECT_EQ(similar_road_users(3), 1u << 5);
    EXPECT_EQ(similar_road_users(0), 0u);  // a pedestrian is never recorded as a vehicle occupant
    // A pedestrian patient and a collision of a car alone: differs.
    Patients ped;
    ped.add(10 * kDay + 650, NAN, NAN, NAN, NAN, 0, 0);
    Police car;
    car.add(10 * kDay + 600, true, NAN, NAN, NAN, 0, 0b1000);
    EXPECT_EQ(compare_pair(car.view(), 0, ped.view(), 0, t)[4], 4);
    for (std::uint32_t k = 0; k < pattern_count(); ++k) EXPECT_EQ(pattern_of(levels_of(k)), k);
}

TEST(LinkageBlocking, TimeWindowsDateOnlyRecordsAndDistance) {
    Police p;
    p.add(5 * kDay + 600, true, 0, 0, NAN, 0, 0);        // 0: 10:00
    p.add(5 * kDay + 100, true, 50000, 0, NAN, 0, 0);    // 1: 01:40 but 50 km away
    p.add(5 * kDay, false, NAN, NAN, NAN, 0, 0);         // 2: date only, day 5
    p.add(4 * kDay + 700, true, NAN, NAN, NAN, 0, 0);    // 3: the day before, 11:40
    p.add(NAN, false, NAN, NAN, NAN, 0, 0);              // 4: no date: never a candidate
    p.add(4 * kDay + 200, true, NAN, NAN, NAN, 0, 0);    // 5: day 4 03:20
    p.add(4 * kDay + 100, true, NAN, NAN, NAN, 0, 0);    // 6: day 4 01:40
    Patients q;
    q.add(5 * kDay + 660, NAN, 10, 10, NAN, 0, -1);   // arrival 11:00 -> window [day 4 11:00, 12:00]
    q.add(6 * kDay + 1300, NAN, NAN, NAN, NAN, 0, -1);  // arrival day 6 21:40 -> [day 5 21:40, day 6 22:40]
    q.add(NAN, 5 * kDay + 200, NAN, NAN, NAN, 0, -1);   // incident only, 03:20 +- 6 h
    // Both windows, apart: arrival day 7 10:00 ([day 6 10:00, day 7 11:00]: nobody), incident day 5
    // 10:50 +- 6 h ([04:50, 16:50]).
    q.add(7 * kDay + 600, 5 * kDay + 650, NAN, NAN, NAN, 0, -1);
    // Both windows, overlapping, the incident's first: [day 4 02:20, day 4 14:20] and [day 4 11:40, day 5 12:40].
    q.add(5 * kDay + 700, 4 * kDay + 500, NAN, NAN, NAN, 0, -1);
    const CandidatePairs c = find_candidate_pairs(p.view(), q.view(), BlockingSettings{}, 2);
    // Patient 0: 0 (1 h before), 2 (its day), 3 (23 h 20 min before); 1 is in time but 50 km away.
    // Patient 1: only the date-only record 2, whose day ends after 21:40 on day 5.
    // Patient 2: 1 (01:40) and 2; record 0 (10:00) is 6 h 40 min after the incident.
    // Patient 3: 0 (10:00) and 2 (its day) from the incident window.
    // Patient 4: 5 (only in the incident window), 3 (in both), 1, 0, 2 (arrival window); not 6 (01:40).
    EXPECT_EQ(c.patient_offsets, (std::vector<std::size_t>{0, 3, 4, 6, 8, 13}));
    // Each patient's records come in time order: 6, 5, 3, 2 (day 5, date only), 1, 0.
    EXPECT_EQ(c.police, (std::vector<std::uint32_t>{3, 2, 0, 2, 2, 1, 2, 0, 5, 3, 2, 1, 0}));
    EXPECT_EQ(c.patient, (std::vector<std::uint32_t>{0, 0, 0, 1, 2, 2, 3, 3, 4, 4, 4, 4, 4}));
    const CandidatePairs one = find_candidate_pairs(p.view(), q.view(), BlockingSettings{}, 1);
    EXPECT_EQ(one.police, c.police);
}

TEST(LinkageUProbabilities, ExactWhenEveryPairFitsAndRecordChecks) {
    Police p;
    p.add(0, true, NAN, NAN, 20, 1, 1);
    p.add(0, true, NAN, NAN, 50, 2, 1);
    Patients q;
    // Arrivals three days after the collisions: far apart in time, so every pair counts for the other
    // comparisons (a pair near in time might be a match and is left out).
    q.add(3 * kDay + 10, NAN, NAN, NAN, 20, 1, 0);
    q.add(3 * kDay + 10, NAN, NAN, NAN, 21, 1, 0);
    q.add(3 * kDay + 10, NAN, NAN, NAN, NAN, 2, 0);
    const UEstimate u = estimate_u(p.view(), q.view(), LevelThresholds{}, 1000, 7, 1);
    EXPECT_EQ(u.pairs, 6u);
    // Sex: police (1, 2) x patients (1, 1, 2): equal 3, differs 3.
    EXPECT_EQ(u.counts[3], (std::vector<std::uint64_t>{0, 3, 3}));
    EXPECT_NEAR(u.u[3][1], 3.5 / 7.0, 1e-12);
    // Age: exact 1, within 2 years 1, further 2, null 2.
    EXPECT_EQ(u.counts[2], (std::vector<std::uint64_t>{2, 1, 1, 0, 2}));
    EXPECT_EQ(u.counts[4], (std::vector<std::uint64_t>{0, 6, 0, 0, 0}));
    // Time from the patients moved by -14, -7, +7, +14 days: 3 patients x 2 records x 2 moves each
    // before the collisions ("collision after the arrival") and after them by more than a day.
    std::vector<std::uint64_t> time(18, 0);
    time[7] = 12;
    time[17] = 12;
    EXPECT_EQ(u.counts[0], time);
    // A patient near a record in time leaves the other comparisons' counts: 2 pairs fewer for sex.
    q.arrival[0] = 30;
    EXPECT_EQ(estimate_u(p.view(), q.view(), LevelThresholds{}, 1000, 7, 1).counts[3],
              (std::vector<std::uint64_t>{0, 2, 2}));
    const auto f = road_user_frequencies(p.view());
    EXPECT_EQ(f[0], 1.0);
    EXPECT_EQ(f[1], 0.0);
    q.sex[1] = 3;
    const auto e = roadsafe::test::caught_error([&] { check_records(p.view(), q.view()); });
    EXPECT_EQ(e.code(), roadsafe::ErrorCode::InvalidInput);
    EXPECT_STREQ(e.what(), "column 'sex': value '3': patient row 1: sex must be 0 (unknown), 1 or 2");
    EXPECT_EQ(e.where().value, "3");
}
