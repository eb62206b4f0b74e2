// The synthetic trauma registry: byte-identical per seed (whatever the thread count), rates close to
// the model's parameters on a large seeded input, and a round trip through read_trauma with no rejects.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "../test_support.hpp"
#include "roadsafe/core/civil_date.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/io/read_trauma.hpp"
#include "roadsafe/synth/trauma_generator.hpp"

using namespace roadsafe;
using namespace roadsafe::synth;
using namespace roadsafe::test;

namespace {

// `n` police casualties of one severity and road user, every field known, in one year.
PoliceCasualties police(std::size_t n, std::int8_t severity, std::int8_t road_user, std::uint64_t seed = 7) {
    PoliceCasualties p;
    Random rng(seed);
    const std::int64_t start = std::int64_t(days_from_civil(2019, 1, 1)) * 1440;
    for (std::size_t i = 0; i < n; ++i) {
        p.datetime.push_back(start + std::int64_t(rng.below(365 * 1440)));
        p.time_known.push_back(1);
        p.easting.push_back(double(300000 + rng.below(250000)));
        p.northing.push_back(double(100000 + rng.below(500000)));
        p.age.push_back(double(rng.below(90)));
        p.sex.push_back(std::int8_t(rng.below(2)));
        p.road_user.push_back(road_user);
        p.severity.push_back(severity);
        const std::string reference = std::to_string(1000000 + i / 2);
        p.collision_index.push_back(std::string("2019").append(reference));
        p.collision_reference.push_back(reference);
        p.casualty_reference.push_back(std::to_string(1 + i % 2));
    }
    return p;
}

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(read_bytes(path));
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::string field;
        std::istringstream ls(line);
        while (std::getline(ls, field, ',')) fields.push_back(field);
        if (!line.empty() && line.back() == ',') fields.emplace_back();
        rows.push_back(fields);
    }
    return rows;
}

}  // namespace

TEST(TraumaGenerator, SameSeedSameBytesWhateverTheThreads) {
    const PoliceCasualties p = police(20000, 1, CarOccupant);
    ScratchDir a, b, c;
    TraumaSynthOptions o;
    o.seed = 42;
    o.threads = 1;
    const auto fa = write_trauma_synthetic(a.path(), p, o);
    o.threads = 3;
    const auto fb = write_trauma_synthetic(b.path(), p, o);
    EXPECT_EQ(read_bytes(fa.patients.string()), read_bytes(fb.patients.string()));
    EXPECT_EQ(read_bytes(fa.injuries.string()), read_bytes(fb.injuries.string()));
    EXPECT_EQ(read_bytes(fa.truth.string()), read_bytes(fb.truth.string()));
    o.seed = 43;
    const auto fc = write_trauma_synthetic(c.path(), p, o);
    EXPECT_NE(read_bytes(fa.patients.string()), read_bytes(fc.patients.string()));
}

TEST(TraumaGenerator, RatesFollowTheModel) {
    const std::size_t n = 200000;
    const PoliceCasualties p = police(n, 1, CarOccupant);
    ScratchDir dir;
    TraumaSynthOptions o;
    o.seed = 1;
    const TraumaModel& m = o.model;
    const auto files = write_trauma_synthetic(dir.path(), p, o);
    const double capture = m.capture[1] * m.capture_road_user[CarOccupant];
    const double reported = double(files.n_with_police_record);
    // binomial sd of the capture count is ~215; allow 5 sd
    EXPECT_NEAR(reported, capture * double(n), 5 * std::sqrt(double(n) * capture * (1 - capture)));
    EXPECT_NEAR(double(files.n_patients - files.n_with_police_record) / double(files.n_patients), m.unreported_share, 0.002);

    const auto reg = io::read_trauma(files.patients.string(), files.injuries.string());
    EXPECT_TRUE(reg.report.entries.empty()) << reg.report.entries.front().reason;
    ASSERT_EQ(std::int64_t(reg.patients.rows()), files.n_patients);
    const auto truth = read_csv(files.truth.string());
    ASSERT_EQ(truth.size(), reg.patients.rows());

    // Compare the registry's record with the police record it came from.
    std::map<std::string, std::size_t> police_row;
    for (std::size_t i = 0; i < n; ++i) police_row[p.collision_index[i] + "/" + p.casualty_reference[i]] = i;
    std::size_t linked = 0, no_time = 0, no_location = 0, age_missing = 0, age_off = 0, sex_changed = 0, ru_unknown = 0;
    std::size_t within_500m = 0, located = 0, timed = 0, within_30min = 0;
    std::array<std::size_t, 7> mais{};
    const auto& e = reg.patients.at("incident_easting").floats;
    const auto& nn = reg.patients.at("incident_northing").floats;
    const auto& inc = reg.patients.at("incident_datetime").ints;
    const auto& arr = reg.patients.at("arrival_datetime").ints;
    for (std::size_t r = 0; r < truth.size(); ++r) {
        ASSERT_EQ(truth[r].size(), 4u);
        EXPECT_EQ(truth[r][0], text_at(reg.patients, "trauma_id", r));
        const int m_value = int_at(reg.patients, "mais", r);
        if (truth[r][1].empty()) continue;
        const auto it = police_row.find(truth[r][1] + "/" + truth[r][3]);
        ASSERT_NE(it, police_row.end()) << truth[r][1];
        const std::size_t i = it->second;
        EXPECT_EQ(truth[r][2], p.collision_reference[i]);
        ++linked;
        if (m_value != kMissingInt) ++mais[std::size_t(m_value)];
        EXPECT_GT(arr[r], p.datetime[i]);
        if (inc[r] == kMissingInt) ++no_time;
        else {
            ++timed;
            EXPECT_LE(inc[r], arr[r]);
            if (std::llabs(inc[r] - p.datetime[i]) <= 30) ++within_30min;
        }
        if (std::isnan(e[r])) ++no_location;
        else {
            ++located;
            if (std::hypot(e[r] - p.easting[i], nn[r] - p.northing[i]) <= 500) ++within_500m;
        }
        const double age = float_at(reg.patients, "age", r);
        if (std::isnan(age)) ++age_missing;
        else if (age != p.age[i]) ++age_off;
        const int sex = int_at(reg.patients, "sex", r);
        if (sex != p.sex[i]) ++sex_changed;
        if (int_at(reg.patients, "road_user", r) == UnknownRoadUser) ++ru_unknown;
    }
    const double L = double(linked);
    EXPECT_NEAR(double(no_time) / L, m.incident_time_missing_rate, 0.01);
    EXPECT_NEAR(double(no_location) / L, m.location_missing_rate, 0.01);
    EXPECT_NEAR(double(age_missing) / L, m.age_missing_rate, 0.005);
    // ages differ when an error was drawn (and the age was not clamped at 0)
    EXPECT_NEAR(double(age_off) / L, m.age_error_rate * (1 - m.age_missing_rate), 0.01);
    EXPECT_NEAR(double(sex_changed) / L, m.sex_unknown_rate + (1 - m.sex_unknown_rate) * m.sex_error_rate, 0.005);
    EXPECT_NEAR(double(ru_unknown) / L, m.road_user_unknown_rate, 0.005);
    // location error sd 120 m per axis: P(radial error <= 500 m) = 1 - exp(-500^2 / (2 * 120^2)) ~ 1, less gross errors
    EXPECT_NEAR(double(within_500m) / double(located), 1 - m.gross_location_error_rate, 0.01);
    EXPECT_GT(double(within_30min) / double(timed), 0.93);
    // MAIS among patients the police called serious follows mais_given_severity[serious] (all-9 excluded)
    std::size_t known = 0;
    for (int k = 1; k <= 6; ++k) known += mais[std::size_t(k)];
    for (int k = 1; k <= 6; ++k)
        EXPECT_NEAR(double(mais[std::size_t(k)]) / double(known), m.mais_given_severity[1][std::size_t(k - 1)], 0.01) << k;
}

TEST(TraumaGenerator, NoiseZeroRecordsPerfectly) {
    const PoliceCasualties p = police(20000, 0, Pedestrian);
    ScratchDir dir;
    TraumaSynthOptions o;
    o.noise = 0;
    const auto files = write_trauma_synthetic(dir.path(), p, o);
    const auto reg = io::read_trauma(files.patients.string(), files.injuries.string());
    EXPECT_TRUE(reg.report.entries.empty());
    const auto truth = read_csv(files.truth.string());
    std::map<std::string, std::size_t> police_row;
    for (std::size_t i = 0; i < p.size(); ++i) police_row[p.collision_index[i] + "/" + p.casualty_reference[i]] = i;
    std::size_t linked = 0;
    for (std::size_t r = 0; r < truth.size(); ++r) {
        if (truth[r][1].empty()) continue;
        const std::size_t i = police_row.at(truth[r][1] + "/" + truth[r][3]);
        ++linked;
        EXPECT_EQ(int_at(reg.patients, "incident_datetime", r), p.datetime[i]);
        EXPECT_EQ(float_at(reg.patients, "incident_easting", r), p.easting[i]);
        EXPECT_EQ(float_at(reg.patients, "age", r), p.age[i]);
        EXPECT_EQ(int_at(reg.patients, "sex", r), p.sex[i]);
        EXPECT_EQ(int_at(reg.patients, "road_user", r), Pedestrian);
        EXPECT_NE(int_at(reg.patients, "mais", r), kMissingInt);
        EXPECT_NE(int_at(reg.patients, "outcome_30d", r), 2);
    }
    // fatal pedestrians: capture fatal x pedestrian multiplier
    const double capture = o.model.capture[0] * o.model.capture_road_user[Pedestrian];
    EXPECT_NEAR(double(linked), capture * 20000, 5 * std::sqrt(20000 * capture * (1 - capture)));
}

TEST(TraumaGenerator, CollisionLevelInput) {
    PoliceCollisions c;
    const std::int64_t t0 = std::int64_t(days_from_civil(2016, 5, 1)) * 1440 + 8 * 60;
    for (int i = 0; i < 3000; ++i) {
        c.datetime.push_back(t0 + i * 97);
        c.time_known.push_back(i % 10 != 0);
        c.easting.push_back(540000.0 + i);
        c.northing.push_back(260000.0 + i);
        c.severity.push_back(std::int8_t(i % 3));
        c.involved.push_back(std::uint8_t((1u << Pedestrian) | (1u << CarOccupant)));
        c.n_casualties.push_back(i % 2 ? std::nan("") : 2.0);
        c.collision_index.push_back(std::string("C").append(std::to_string(i)));
        c.collision_reference.push_back(std::string("R").append(std::to_string(i)));
    }
    ScratchDir dir;
    const auto files = write_trauma_synthetic(dir.path(), c);
    EXPECT_GT(files.n_with_police_record, 0);
    const auto reg = io::read_trauma(files.patients.string(), files.injuries.string());
    EXPECT_TRUE(reg.report.entries.empty());
    std::set<std::string> ids(c.collision_index.begin(), c.collision_index.end());
    for (const auto& row : read_csv(files.truth.string())) {
        if (row[1].empty()) continue;
        EXPECT_TRUE(ids.count(row[1])) << row[1];
        EXPECT_EQ(row[2].substr(1), row[1].substr(1));
        EXPECT_EQ(row[2].front(), 'R');
        EXPECT_EQ(row[3], "");  // no casualty table: no casualty reference
    }
}

// Collisions with one pedestrian casualty whose age and sex the export records: at noise 0 the
// pedestrian patient carries exactly those; unknown values (NaN, -1) are drawn as without the columns.
TEST(TraumaGenerator, CollisionPedestrianTakesTheRecordedAgeAndSex) {
    PoliceCollisions c;
    const std::int64_t t0 = std::int64_t(days_from_civil(2016, 5, 1)) * 1440 + 8 * 60;
    for (int i = 0; i < 4000; ++i) {
        c.datetime.push_back(t0 + i * 97);
        c.time_known.push_back(1);
        c.easting.push_back(540000.0 + i);
        c.northing.push_back(260000.0 + i);
        c.severity.push_back(0);
        c.involved.push_back(std::uint8_t(1u << Pedestrian));
        c.n_casualties.push_back(1.0);
        c.collision_index.push_back(std::string("C").append(std::to_string(i)));
        c.collision_reference.push_back(std::string("R").append(std::to_string(i)));
    }
    ScratchDir dir;
    TraumaSynthOptions o;
    o.noise = 0;
    o.model.unreported_share = 0;
    // Without the columns, and with columns that know nothing: the same bytes (the same draws).
    const auto plain = write_trauma_synthetic(std::filesystem::path(dir.path()) / "plain", c, o);
    PoliceCollisions unknown = c;
    unknown.pedestrian_age.assign(c.size(), std::nan(""));
    unknown.pedestrian_sex.assign(c.size(), -1);
    const auto blank = write_trauma_synthetic(std::filesystem::path(dir.path()) / "blank", unknown, o);
    EXPECT_EQ(read_bytes(plain.patients.string()), read_bytes(blank.patients.string()));
    EXPECT_EQ(read_bytes(plain.truth.string()), read_bytes(blank.truth.string()));

    for (int i = 0; i < 4000; ++i) {
        c.pedestrian_age.push_back(double(5 + i % 85));
        c.pedestrian_sex.push_back(std::int8_t(i % 3 == 0));  // 0 M, 1 F
    }
    const auto files = write_trauma_synthetic(std::filesystem::path(dir.path()) / "known", c, o);
    const auto reg = io::read_trauma(files.patients.string(), files.injuries.string());
    EXPECT_TRUE(reg.report.entries.empty());
    const auto truth = read_csv(files.truth.string());
    ASSERT_GT(truth.size(), 1000u);
    for (std::size_t r = 0; r < truth.size(); ++r) {
        const std::size_t i = std::stoul(truth[r][1].substr(1));
        EXPECT_EQ(int_at(reg.patients, "road_user", r), Pedestrian);
        EXPECT_EQ(float_at(reg.patients, "age", r), c.pedestrian_age[i]) << r;
        EXPECT_EQ(int_at(reg.patients, "sex", r), c.pedestrian_sex[i]) << r;
    }
    // A column of another length is an input error.
    c.pedestrian_sex.pop_back();
    const Error e = caught_error([&] { write_trauma_synthetic(std::filesystem::path(dir.path()) / "bad", c, o); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
}

TEST(TraumaGenerator, BadInputs) {
    PoliceCasualties p = police(10, 1, CarOccupant);
    p.age.pop_back();
    ScratchDir dir;
    Error e = caught_error([&] { write_trauma_synthetic(dir.path(), p); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    p = police(10, 1, CarOccupant);
    TraumaSynthOptions o;
    o.noise = -1;
    e = caught_error([&] { write_trauma_synthetic(dir.path(), p, o); });
    EXPECT_EQ(e.code(), ErrorCode::InvalidInput);
    // no police records: an empty registry
    const auto files = write_trauma_synthetic(dir.path(), police(0, 1, CarOccupant));
    EXPECT_EQ(files.n_patients, 0);
    EXPECT_EQ(read_bytes(files.truth.string()), "trauma_id,collision_index,collision_reference,casualty_reference\n");
}
