// The compiled-in STATS19 schema: header normalisation, aliases across generations, code labels.
#include <gtest/gtest.h>

#include "roadsafe/io/stats19_schema.hpp"

using namespace roadsafe;
using namespace roadsafe::io;

TEST(Stats19Schema, NormaliseHeader) {
    EXPECT_EQ(normalise_header("Local_Authority_(District)"), "local_authority_district");
    EXPECT_EQ(normalise_header("Engine_Capacity_(CC)"), "engine_capacity_cc");
    EXPECT_EQ(normalise_header("Was_Vehicle_Left_Hand_Drive?"), "was_vehicle_left_hand_drive");
    EXPECT_EQ(normalise_header("Pedestrian_Crossing-Human_Control"), "pedestrian_crossing_human_control");
    EXPECT_EQ(normalise_header(" Junction Detail "), "junction_detail");
    EXPECT_EQ(normalise_header("1st_Road_Class"), "1st_road_class");
}

namespace {
std::string field_for(Stats19Table table, const std::string& header, bool legacy) {
    const FieldSpec* f = Stats19Schema::instance().match_header(table, normalise_header(header), legacy);
    return f ? f->name : "(none)";
}
}  // namespace

TEST(Stats19Schema, HeadersOfEveryGenerationMapToGuideNames) {
    const auto C = Stats19Table::Collision, V = Stats19Table::Vehicle, K = Stats19Table::Casualty;
    EXPECT_EQ(field_for(C, "Accident_Index", true), "collision_index");
    EXPECT_EQ(field_for(C, "Local_Authority_(District)", true), "local_authority_district");
    EXPECT_EQ(field_for(C, "1st_Road_Class", true), "first_road_class");
    EXPECT_EQ(field_for(C, "accident_reference", true), "collision_reference");
    EXPECT_EQ(field_for(C, "collision_ref_no", false), "collision_reference");
    EXPECT_EQ(field_for(C, "enhanced_severity_collision", true), "enhanced_collision_severity");
    EXPECT_EQ(field_for(K, "casualty_adjusted_severity_serious", false), "casualty_adjusted_serious");
    EXPECT_EQ(field_for(C, "collision_adjusted_severity_slight", false), "collision_adjusted_slight");
    EXPECT_EQ(field_for(V, "Engine_Capacity_(CC)", true), "engine_capacity_cc");
    // The same header means the 2011 code set in files before 2024 and the 2024 set after.
    EXPECT_EQ(field_for(C, "junction_detail", true), "junction_detail_historic");
    EXPECT_EQ(field_for(C, "junction_detail", false), "junction_detail");
    EXPECT_EQ(field_for(V, "Vehicle_Manoeuvre", true), "vehicle_manoeuvre_historic");
    EXPECT_EQ(field_for(V, "vehicle_manoeuvre", false), "vehicle_manoeuvre");
    // A field of one table is not found in another.
    EXPECT_EQ(field_for(C, "casualty_severity", false), "(none)");
    EXPECT_EQ(field_for(C, "not_a_field", false), "(none)");
}

TEST(Stats19Schema, CategoriesCarryTheCodeListLabels) {
    const FieldSpec* sev = Stats19Schema::instance().find(Stats19Table::Collision, "collision_severity");
    ASSERT_NE(sev, nullptr);
    EXPECT_EQ(sev->type, ColumnType::Category);
    ASSERT_NE(sev->categories, nullptr);
    EXPECT_EQ(sev->categories->labels,
              (std::vector<std::pair<std::int32_t, std::string>>{{1, "Fatal"}, {2, "Serious"}, {3, "Slight"}}));
    const FieldSpec* force = Stats19Schema::instance().find(Stats19Table::Collision, "police_force");
    ASSERT_NE(force, nullptr);
    EXPECT_EQ(*force->categories->find(35), "Cambridgeshire");
    // -1 ("Data missing or out of range") is missing, never a code.
    const FieldSpec* light = Stats19Schema::instance().find(Stats19Table::Collision, "light_conditions");
    ASSERT_NE(light, nullptr);
    EXPECT_EQ(light->categories->find(-1), nullptr);
    EXPECT_EQ(Stats19Schema::instance().find(Stats19Table::Vehicle, "engine_capacity_cc")->type, ColumnType::Int);
    EXPECT_STREQ(stats19_table_name(Stats19Table::Casualty), "casualty");
}
