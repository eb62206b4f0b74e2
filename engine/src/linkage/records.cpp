#include "roadsafe/linkage/records.hpp"

#include <string>

#include "roadsafe/core/error.hpp"

namespace roadsafe::linkage {

namespace {

template <typename T>
void check_length(std::span<const T> column, std::size_t n, const char* side, const char* name) {
    if (column.size() != n)
        throw Error(ErrorCode::InvalidInput, std::string(side) + " column '" + name + "' has " +
                                                 std::to_string(column.size()) + " values, expected " +
                                                 std::to_string(n));
}

void check_sex(std::span<const std::int8_t> sex, const char* side) {
    for (std::size_t i = 0; i < sex.size(); ++i)
        if (sex[i] < 0 || sex[i] > 2)
            throw Error(ErrorCode::InvalidInput,
                        std::string(side) + " row " + std::to_string(i) + ": sex must be 0 (unknown), 1 or 2",
                        {"", 0, "sex", std::to_string(sex[i])});
}

}  // namespace

void check_records(const PoliceRecords& police, const PatientRecords& patients) {
    const std::size_t n = police.size();
    check_length(police.time_known, n, "police", "time_known");
    check_length(police.x, n, "police", "x");
    check_length(police.y, n, "police", "y");
    check_length(police.age, n, "police", "age");
    check_length(police.sex, n, "police", "sex");
    check_length(police.road_users, n, "police", "road_users");
    const std::size_t p = patients.size();
    check_length(patients.incident, p, "patient", "incident");
    check_length(patients.x, p, "patient", "x");
    check_length(patients.y, p, "patient", "y");
    check_length(patients.age, p, "patient", "age");
    check_length(patients.sex, p, "patient", "sex");
    check_length(patients.road_user, p, "patient", "road_user");
    if (!patients.hospital_x.empty() || !patients.hospital_y.empty()) {
        check_length(patients.hospital_x, p, "patient", "hospital_x");
        check_length(patients.hospital_y, p, "patient", "hospital_y");
    }
    check_sex(police.sex, "police");
    check_sex(patients.sex, "patient");
    for (std::size_t j = 0; j < p; ++j)
        if (patients.road_user[j] < -1 || patients.road_user[j] > 31)
            throw Error(ErrorCode::InvalidInput,
                        "patient row " + std::to_string(j) + ": road-user code must be -1 (unknown) or 0..31",
                        {"", 0, "road_user", std::to_string(patients.road_user[j])});
    if (n > 0xFFFFFFFFu || p > 0xFFFFFFFFu)
        throw Error(ErrorCode::InvalidInput, "at most 2^32 - 1 records on each side");
}

}  // namespace roadsafe::linkage
