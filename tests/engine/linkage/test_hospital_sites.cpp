// The registry's receiving hospitals, each police record's nearest, and the "nearest hospital"
// term-frequency adjustment, by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "../linkage_records_support.hpp"
#include "roadsafe/linkage/hospital_sites.hpp"
#include "roadsafe/linkage/pair_scores.hpp"

using namespace roadsafe::linkage;

TEST(LinkageHospitalSites, SitesNearestAndCatchmentByHand) {
    roadsafe::test::PoliceColumns p;
    p.add(0, true, 0, 0, NAN, 0, 0);          // nearest to the hospital at 1 km
    p.add(0, true, 10000, 0, NAN, 0, 0);      // nearest to the one at 9 km
    p.add(0, true, NAN, NAN, NAN, 0, 0);      // not located
    p.add(0, true, 4000, 3000, NAN, 0, 0);    // 4.2 km from the first, 5.8 km from the second
    roadsafe::test::PatientColumns q;
    for (int k = 0; k < 4; ++k) q.add(100, NAN, NAN, NAN, NAN, 0, -1);
    std::vector<double> hx{9000, 1000, 1000, NAN}, hy{0, 0, 0, NAN};
    auto qv = q.view();
    qv.hospital_x = hx;
    qv.hospital_y = hy;
    const HospitalSites s = find_hospital_sites(p.view(), qv);
    ASSERT_EQ(s.x.size(), 2u);  // sorted by (x, y): (1000, 0), (9000, 0)
    EXPECT_EQ(s.x[0], 1000);
    EXPECT_EQ(s.x[1], 9000);
    EXPECT_EQ(s.patient_site, (std::vector<std::int32_t>{1, 0, 0, -1}));
    EXPECT_EQ(s.police_nearest, (std::vector<std::int32_t>{0, 1, -1, 0}));
    // Of the three located records, two are nearest the first hospital.
    EXPECT_NEAR(s.catchment_share[0], 2.0 / 3, 1e-15);
    EXPECT_NEAR(s.catchment_share[1], 1.0 / 3, 1e-15);
    // No hospital locations: nothing.
    EXPECT_TRUE(find_hospital_sites(p.view(), q.view()).x.empty());
}

TEST(LinkageHospitalSites, NearestHospitalAdjustmentIsMinusLog2OfTheRelativeCatchment) {
    LinkModel model;
    model.hospital_u = {0.5, 2.0};
    EXPECT_NEAR(tf_adjustment(model, Comparison::Distance, kNearestHospitalLevel, 0), 1.0, 1e-15);
    EXPECT_NEAR(tf_adjustment(model, Comparison::Distance, kNearestHospitalLevel, 1), -1.0, 1e-15);
    EXPECT_EQ(tf_adjustment(model, Comparison::Distance, kNearestHospitalLevel, -1), 0.0);  // unknown site
    EXPECT_EQ(tf_adjustment(model, Comparison::Distance, 10, 0), 0.0);  // another level
}
