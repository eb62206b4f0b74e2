#pragma once
// Shared helper for the linkage tests: police and patient records held in owned columns, added a row
// at a time, viewed as the spans the engine reads.
#include <cstdint>
#include <vector>

#include "roadsafe/linkage/records.hpp"

namespace roadsafe::test {

struct PoliceColumns {
    std::vector<double> time, x, y, age;
    std::vector<std::uint8_t> known;
    std::vector<std::int8_t> sex;
    std::vector<std::uint32_t> users;
    void add(double t, bool k, double px, double py, double a, std::int8_t s, std::uint32_t u) {
        time.push_back(t);
        known.push_back(k ? 1 : 0);
        x.push_back(px);
        y.push_back(py);
        age.push_back(a);
        sex.push_back(s);
        users.push_back(u);
    }
    linkage::PoliceRecords view() const { return {time, known, x, y, age, sex, users}; }
};

struct PatientColumns {
    std::vector<double> arrival, incident, x, y, age;
    std::vector<std::int8_t> sex;
    std::vector<std::int32_t> user;
    void add(double a, double i, double px, double py, double ag, std::int8_t s, std::int32_t u) {
        arrival.push_back(a);
        incident.push_back(i);
        x.push_back(px);
        y.push_back(py);
        age.push_back(ag);
        sex.push_back(s);
        user.push_back(u);
    }
    linkage::PatientRecords view() const { return {arrival, incident, x, y, age, sex, user}; }
};

}  // namespace roadsafe::test
