#pragma once
// The two sides of a police <-> trauma linkage, as struct-of-arrays views of the caller's columns.
// Times are minutes since 1970-01-01 00:00 (local clock time, as both sources record it); NaN is
// missing. Coordinates are projected metres (EPSG:27700), NaN when not located. Sex is 0 unknown,
// 1 male, 2 female. Road users are codes 0..31 of one vocabulary shared by both sides.
#include <cstddef>
#include <cstdint>
#include <span>

namespace roadsafe::linkage {

// One row per police casualty (casualty-level linkage) or per collision (collision-level linkage).
struct PoliceRecords {
    std::span<const double> time;              // collision date and time; NaN when the date is unknown
    std::span<const std::uint8_t> time_known;  // 0: only the date is known (time holds its midnight)
    std::span<const double> x, y;
    std::span<const double> age;      // the casualty's age; NaN at collision level or when unknown
    std::span<const std::int8_t> sex;
    // Bit k set: road user k is this casualty (one bit) or was involved in this collision (several
    // bits: "the collision involved a pedestrian / pedal cycle / ..."). 0 = unknown.
    std::span<const std::uint32_t> road_users;
    // Derived by link_records (hospital_sites.hpp), empty otherwise: the registry's receiving hospital
    // nearest to this record's location (an index into the sites; -1 not located).
    std::span<const std::int32_t> nearest_hospital = {};

    std::size_t size() const { return time.size(); }
};

// One row per trauma-registry patient.
struct PatientRecords {
    std::span<const double> arrival;   // arrival at hospital
    std::span<const double> incident;  // incident time as the registry recorded it; NaN when absent
    std::span<const double> x, y;      // incident location
    std::span<const double> age;
    std::span<const std::int8_t> sex;
    std::span<const std::int32_t> road_user;  // a code 0..31, -1 unknown
    // The receiving hospital's location (NaN unknown); both may be empty when no patient has one.
    std::span<const double> hospital_x, hospital_y;
    // Derived by link_records (hospital_sites.hpp), empty otherwise: the patient's hospital as an index
    // into the registry's receiving hospitals (-1 unknown).
    std::span<const std::int32_t> hospital_site = {};

    std::size_t size() const { return arrival.size(); }
};

// Throws Error(InvalidInput) naming the first column whose length differs from its side's, or an
// out-of-range sex / road-user code.
void check_records(const PoliceRecords& police, const PatientRecords& patients);

}  // namespace roadsafe::linkage
