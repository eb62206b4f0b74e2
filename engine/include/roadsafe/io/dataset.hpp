#pragma once
// What a load returns: the three STATS19 tables, joined by row index, and the load report.
#include "roadsafe/core/table.hpp"
#include "roadsafe/io/load_report.hpp"

namespace roadsafe::io {

// collisions: one row per collision. vehicles and casualties carry `collision_row` (the row of
// their collision, missing when none was loaded); casualties also carry `vehicle_row`.
// Every table carries `source_file` (a category labelled with the file path) and `source_line`.
// collisions carry `location_status` (ok, missing, placeholder, outside_gb).
struct Dataset {
    Table collisions;
    Table vehicles;
    Table casualties;
    LoadReport report;
};

}  // namespace roadsafe::io
