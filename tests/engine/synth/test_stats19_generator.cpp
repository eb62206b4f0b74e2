// Tests of the synthetic STATS19 generator (roadsafe/synth/stats19_generator.hpp): layout,
// determinism, internal consistency, valid codes and rough national distributions.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "roadsafe/core/error.hpp"
#include "roadsafe/geo/bng_transform.hpp"
#include "roadsafe/synth/stats19_generator.hpp"

namespace fs = std::filesystem;
using roadsafe::synth::Stats19SynthFiles;
using roadsafe::synth::Stats19SynthOptions;
using roadsafe::synth::write_stats19_synthetic;

namespace {

const std::string kCollisionHeader =
    "collision_index,collision_year,collision_ref_no,location_easting_osgr,location_northing_osgr,longitude,"
    "latitude,police_force,collision_severity,number_of_vehicles,number_of_casualties,date,day_of_week,time,"
    "local_authority_district,local_authority_ons_district,local_authority_highway,first_road_class,"
    "first_road_number,road_type,speed_limit,junction_detail,junction_control,second_road_class,"
    "second_road_number,pedestrian_crossing_human_control,pedestrian_crossing_physical_facilities,"
    "light_conditions,weather_conditions,road_surface_conditions,special_conditions_at_site,"
    "carriageway_hazards,urban_or_rural_area,did_police_officer_attend_scene_of_accident,trunk_road_flag,"
    "lsoa_of_accident_location,enhanced_severity_collision,collision_injury_based,"
    "collision_adjusted_severity_serious,collision_adjusted_severity_slight";
// The DfT 2023 vehicle file's header with collision_* key columns.
const std::string kVehicleHeader =
    "collision_index,collision_year,collision_ref_no,vehicle_reference,vehicle_type,towing_and_articulation,"
    "vehicle_manoeuvre,vehicle_direction_from,vehicle_direction_to,vehicle_location_restricted_lane,"
    "junction_location,skidding_and_overturning,hit_object_in_carriageway,vehicle_leaving_carriageway,"
    "hit_object_off_carriageway,first_point_of_impact,vehicle_left_hand_drive,journey_purpose_of_driver,"
    "sex_of_driver,age_of_driver,age_band_of_driver,engine_capacity_cc,propulsion_code,age_of_vehicle,"
    "generic_make_model,driver_imd_decile,driver_home_area_type,lsoa_of_driver,escooter_flag,dir_from_e,"
    "dir_from_n,dir_to_e,dir_to_n,driver_distance_banding";
// The DfT 2021 casualty file's header.
const std::string kCasualtyHeader =
    "collision_index,collision_year,collision_ref_no,vehicle_reference,casualty_reference,casualty_class,"
    "sex_of_casualty,age_of_casualty,age_band_of_casualty,casualty_severity,pedestrian_location,"
    "pedestrian_movement,car_passenger,bus_or_coach_passenger,pedestrian_road_maintenance_worker,"
    "casualty_type,casualty_imd_decile,lsoa_of_casualty,enhanced_casualty_severity,casualty_injury_based,"
    "casualty_adjusted_severity_serious,casualty_adjusted_severity_slight,casualty_distance_banding";

// ctest runs the tests of this file as parallel processes: temporary names must not collide.
std::string unique_suffix() {
    std::random_device rd;
    return std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "_" + std::to_string(rd()) +
           std::to_string(rd());
}

// A fresh directory under the system temp directory, removed at the end of the test.
class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() / ("roadsafe_synth_" + std::string(info->name()) + "_" + unique_suffix());
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A CSV file without quoted fields (the generator writes none): header + rows of fields.
struct Csv {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::unordered_map<std::string, std::size_t> index;

    std::size_t col(const std::string& name) const {
        auto it = index.find(name);
        if (it == index.end()) throw std::runtime_error("no column " + name);
        return it->second;
    }
};

std::vector<std::string> split(std::string_view line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        if (comma == std::string_view::npos) {
            out.emplace_back(line.substr(start));
            return out;
        }
        out.emplace_back(line.substr(start, comma - start));
        start = comma + 1;
    }
}

Csv read_csv(const fs::path& p) {
    Csv csv;
    const std::string text = read_all(p);
    std::size_t start = 0;
    bool first = true;
    while (start < text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        auto fields = split(std::string_view(text).substr(start, nl - start));
        if (first) {
            csv.header = fields;
            for (std::size_t i = 0; i < fields.size(); ++i) csv.index[fields[i]] = i;
            first = false;
        } else {
            csv.rows.push_back(std::move(fields));
        }
        start = nl + 1;
    }
    return csv;
}

std::string first_line(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::string line;
    std::getline(in, line);
    return line;
}

long long to_int(const std::string& s) {
    long long v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size()) throw std::runtime_error("not an integer: '" + s + "'");
    return v;
}

double to_double(const std::string& s) {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size()) throw std::runtime_error("not a number: '" + s + "'");
    return v;
}

// Days since 1970-01-01 (H. Hinnant's days_from_civil), to check day_of_week.
long long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;
    const long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// The three tables of one generated data set, generated once per test suite.
struct Generated {
    Stats19SynthFiles files;
    Csv collisions, vehicles, casualties;
};

class SynthData : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new fs::path(fs::temp_directory_path() / ("roadsafe_synth_suite_" + unique_suffix()));
        Stats19SynthOptions options;
        options.first_year = 2018;  // spans the Glasgow/Bournemouth code changes and injury-based switches
        options.years = 7;          // 2018..2024: includes 2020+ (make/model) and 2023+ (distance bands)
        options.collisions_per_year = 6000;
        options.seed = 42;
        data_ = new Generated;
        data_->files = write_stats19_synthetic(*dir_, options);
        data_->collisions = read_csv(data_->files.collisions);
        data_->vehicles = read_csv(data_->files.vehicles);
        data_->casualties = read_csv(data_->files.casualties);
    }
    static void TearDownTestSuite() {
        std::error_code ec;
        fs::remove_all(*dir_, ec);
        delete data_;
        delete dir_;
        data_ = nullptr;
        dir_ = nullptr;
    }
    static fs::path* dir_;
    static Generated* data_;
};
fs::path* SynthData::dir_ = nullptr;
Generated* SynthData::data_ = nullptr;

}  // namespace

TEST(Stats19Synth, SameSeedGivesIdenticalBytesAndOtherSeedDiffers) {
    TempDir a, b, c;
    Stats19SynthOptions options;
    options.first_year = 2019;
    options.years = 2;
    options.collisions_per_year = 3000;
    options.seed = 7;
    const auto fa = write_stats19_synthetic(a.path(), options);
    const auto fb = write_stats19_synthetic(b.path(), options);
    options.seed = 8;
    const auto fc = write_stats19_synthetic(c.path(), options);

    EXPECT_EQ(read_all(fa.collisions), read_all(fb.collisions));
    EXPECT_EQ(read_all(fa.vehicles), read_all(fb.vehicles));
    EXPECT_EQ(read_all(fa.casualties), read_all(fb.casualties));
    EXPECT_EQ(fa.n_vehicles, fb.n_vehicles);
    EXPECT_EQ(fa.n_casualties, fb.n_casualties);
    EXPECT_NE(read_all(fa.collisions), read_all(fc.collisions));
    EXPECT_NE(read_all(fa.vehicles), read_all(fc.vehicles));
    EXPECT_NE(read_all(fa.casualties), read_all(fc.casualties));
}

TEST(Stats19Synth, WritesTheNamedFilesIntoANewDirectory) {
    TempDir t;
    const fs::path dir = t.path() / "nested" / "out";
    Stats19SynthOptions options;
    options.collisions_per_year = 10;
    const auto f = write_stats19_synthetic(dir, options);
    EXPECT_EQ(f.collisions, dir / "dft-road-casualty-statistics-collision-synthetic.csv");
    EXPECT_EQ(f.vehicles, dir / "dft-road-casualty-statistics-vehicle-synthetic.csv");
    EXPECT_EQ(f.casualties, dir / "dft-road-casualty-statistics-casualty-synthetic.csv");
    EXPECT_TRUE(fs::is_regular_file(f.collisions));
    EXPECT_EQ(f.n_collisions, 10);
}

TEST(Stats19Synth, ZeroCollisionsGivesHeadersOnly) {
    TempDir t;
    Stats19SynthOptions options;
    options.collisions_per_year = 0;
    options.years = 3;
    const auto f = write_stats19_synthetic(t.path(), options);
    EXPECT_EQ(f.n_collisions, 0);
    EXPECT_EQ(f.n_vehicles, 0);
    EXPECT_EQ(f.n_casualties, 0);
    EXPECT_EQ(read_all(f.collisions), kCollisionHeader + "\n");
    EXPECT_EQ(read_all(f.vehicles), kVehicleHeader + "\n");
    EXPECT_EQ(read_all(f.casualties), kCasualtyHeader + "\n");
}

TEST(Stats19Synth, UnwritableDirectoryThrowsIoErrorNamingThePath) {
    TempDir t;
    const fs::path blocker = t.path() / "a_file";
    std::ofstream(blocker) << "x";
    const fs::path dir = blocker / "sub";  // a directory cannot be created under a regular file
    Stats19SynthOptions options;
    options.collisions_per_year = 10;
    try {
        write_stats19_synthetic(dir, options);
        FAIL() << "expected roadsafe::Error";
    } catch (const roadsafe::Error& e) {
        EXPECT_EQ(e.code(), roadsafe::ErrorCode::Io);
        EXPECT_NE(std::string(e.what()).find(dir.string()), std::string::npos) << e.what();
    }
}

TEST(Stats19Synth, OptionsOutOfRangeThrowInvalidInput) {
    TempDir t;
    Stats19SynthOptions options;
    options.years = 0;
    EXPECT_THROW(write_stats19_synthetic(t.path(), options), roadsafe::Error);
    options = {};
    options.collisions_per_year = 10000000;
    try {
        write_stats19_synthetic(t.path(), options);
        FAIL() << "expected roadsafe::Error";
    } catch (const roadsafe::Error& e) {
        EXPECT_EQ(e.code(), roadsafe::ErrorCode::InvalidInput);
    }
    options = {};
    options.first_year = 1978;
    EXPECT_THROW(write_stats19_synthetic(t.path(), options), roadsafe::Error);
    options = {};
    options.collisions_per_year = -1;
    EXPECT_THROW(write_stats19_synthetic(t.path(), options), std::runtime_error);
}

TEST_F(SynthData, HeadersAreExactlyTheDfTHeaders) {
    EXPECT_EQ(first_line(data_->files.collisions), kCollisionHeader);
    EXPECT_EQ(first_line(data_->files.vehicles), kVehicleHeader);
    EXPECT_EQ(first_line(data_->files.casualties), kCasualtyHeader);
}

TEST_F(SynthData, EveryRowHasTheHeadersFieldCount) {
    for (const Csv* csv : {&data_->collisions, &data_->vehicles, &data_->casualties})
        for (const auto& row : csv->rows) ASSERT_EQ(row.size(), csv->header.size());
}

TEST_F(SynthData, RowCountsMatchTheReturnedCountsAndTheCollisionFields) {
    const auto& d = *data_;
    ASSERT_EQ(static_cast<std::int64_t>(d.collisions.rows.size()), d.files.n_collisions);
    ASSERT_EQ(static_cast<std::int64_t>(d.vehicles.rows.size()), d.files.n_vehicles);
    ASSERT_EQ(static_cast<std::int64_t>(d.casualties.rows.size()), d.files.n_casualties);
    EXPECT_EQ(d.files.n_collisions, 7 * 6000);

    std::unordered_map<std::string, std::vector<long long>> vehicle_refs, casualty_refs;
    std::unordered_map<std::string, std::vector<long long>> casualty_vehicle_refs;
    for (const auto& r : d.vehicles.rows) vehicle_refs[r[0]].push_back(to_int(r[d.vehicles.col("vehicle_reference")]));
    for (const auto& r : d.casualties.rows) {
        casualty_refs[r[0]].push_back(to_int(r[d.casualties.col("casualty_reference")]));
        casualty_vehicle_refs[r[0]].push_back(to_int(r[d.casualties.col("vehicle_reference")]));
    }
    EXPECT_EQ(vehicle_refs.size(), d.collisions.rows.size());
    EXPECT_EQ(casualty_refs.size(), d.collisions.rows.size());
    const auto nv = d.collisions.col("number_of_vehicles"), nc = d.collisions.col("number_of_casualties");
    for (const auto& r : d.collisions.rows) {
        const auto& vr = vehicle_refs[r[0]];
        const auto& cr = casualty_refs[r[0]];
        ASSERT_EQ(static_cast<long long>(vr.size()), to_int(r[nv])) << r[0];
        ASSERT_EQ(static_cast<long long>(cr.size()), to_int(r[nc])) << r[0];
        for (std::size_t i = 0; i < vr.size(); ++i) ASSERT_EQ(vr[i], static_cast<long long>(i + 1)) << r[0];
        for (std::size_t i = 0; i < cr.size(); ++i) ASSERT_EQ(cr[i], static_cast<long long>(i + 1)) << r[0];
        for (long long v : casualty_vehicle_refs[r[0]]) {
            ASSERT_GE(v, 1) << r[0];
            ASSERT_LE(v, static_cast<long long>(vr.size())) << r[0];
        }
    }
}

TEST_F(SynthData, CollisionIndexIsUniqueAndMadeOfYearAndReference) {
    const auto& c = data_->collisions;
    std::unordered_set<std::string> seen;
    const auto year = c.col("collision_year"), ref = c.col("collision_ref_no"), pf = c.col("police_force");
    for (const auto& r : c.rows) {
        const std::string& index = r[0];
        ASSERT_EQ(index.size(), 13u) << index;
        ASSERT_EQ(r[ref].size(), 9u) << index;
        EXPECT_EQ(index, r[year] + r[ref]);
        EXPECT_EQ(std::stoi(r[ref].substr(0, 2)), to_int(r[pf])) << index;
        ASSERT_TRUE(seen.insert(index).second) << "duplicate " << index;
        for (char ch : index) ASSERT_TRUE(ch >= '0' && ch <= '9') << index;
    }
    // The key columns of vehicles and casualties repeat the collision's.
    for (const Csv* t : {&data_->vehicles, &data_->casualties})
        for (const auto& r : t->rows) {
            ASSERT_TRUE(seen.count(r[0])) << r[0];
            ASSERT_EQ(r[0], r[1] + r[2]);
        }
}

TEST_F(SynthData, CollisionSeverityIsTheMostSevereCasualtySeverity) {
    std::unordered_map<std::string, long long> most_severe;
    const auto& cas = data_->casualties;
    const auto sev = cas.col("casualty_severity");
    for (const auto& r : cas.rows) {
        const long long s = to_int(r[sev]);
        ASSERT_GE(s, 1);
        ASSERT_LE(s, 3);
        auto [it, inserted] = most_severe.emplace(r[0], s);
        if (!inserted) it->second = std::min(it->second, s);
    }
    const auto& col = data_->collisions;
    const auto csev = col.col("collision_severity");
    for (const auto& r : col.rows) ASSERT_EQ(to_int(r[csev]), most_severe.at(r[0])) << r[0];
}

TEST_F(SynthData, AdjustedSeveritiesAreConsistent) {
    const auto& cas = data_->casualties;
    const auto sev = cas.col("casualty_severity"), inj = cas.col("casualty_injury_based");
    const auto ser = cas.col("casualty_adjusted_severity_serious"), sli = cas.col("casualty_adjusted_severity_slight");
    const auto enh = cas.col("enhanced_casualty_severity");
    for (const auto& r : cas.rows) {
        const double a = to_double(r[ser]), b = to_double(r[sli]);
        ASSERT_LE(r[ser].size(), 8u) << r[ser];  // at most 6 decimals
        ASSERT_LE(r[sli].size(), 8u) << r[sli];
        const long long s = to_int(r[sev]);
        if (s == 1) {
            EXPECT_EQ(r[ser], "0");
            EXPECT_EQ(r[sli], "0");
            continue;
        }
        EXPECT_NEAR(a + b, 1.0, 1e-9) << r[0];
        if (r[inj] == "1") {
            EXPECT_EQ(r[ser], s == 2 ? "1" : "0");
            EXPECT_EQ(r[sli], s == 2 ? "0" : "1");
            EXPECT_NE(r[enh], "-1");
        } else {
            ASSERT_EQ(r[inj], "0");
            EXPECT_EQ(r[enh], "-1");
            if (s == 2) {
                EXPECT_GE(a, 0.85);
            } else {
                EXPECT_LE(a, 0.25);
            }
        }
    }
    // Collisions: 0/0 when fatal, else serious + slight = 1 and serious = P(at least one serious).
    std::unordered_map<std::string, double> none_serious;
    for (const auto& r : cas.rows) {
        auto [it, inserted] = none_serious.emplace(r[0], 1.0);
        if (to_int(r[sev]) != 1) it->second *= 1.0 - to_double(r[ser]);
    }
    const auto& col = data_->collisions;
    const auto csev = col.col("collision_severity"), cinj = col.col("collision_injury_based");
    const auto cser = col.col("collision_adjusted_severity_serious");
    const auto csli = col.col("collision_adjusted_severity_slight");
    for (const auto& r : col.rows) {
        const double a = to_double(r[cser]), b = to_double(r[csli]);
        if (r[csev] == "1") {
            EXPECT_EQ(r[cser], "0");
            EXPECT_EQ(r[csli], "0");
            continue;
        }
        EXPECT_NEAR(a + b, 1.0, 1e-9) << r[0];
        EXPECT_NEAR(a, 1.0 - none_serious.at(r[0]), 2e-6) << r[0];
        if (r[cinj] == "1") {
            EXPECT_EQ(r[cser], r[csev] == "2" ? "1" : "0") << r[0];
        }
    }
}

TEST_F(SynthData, CoordinatesLieInGreatBritain) {
    const auto& c = data_->collisions;
    const auto e = c.col("location_easting_osgr"), n = c.col("location_northing_osgr");
    const auto lon = c.col("longitude"), lat = c.col("latitude");
    std::size_t missing = 0;
    for (const auto& r : c.rows) {
        if (r[e] == "NULL") {
            EXPECT_EQ(r[n], "NULL");
            EXPECT_EQ(r[lon], "NULL");
            EXPECT_EQ(r[lat], "NULL");
            ++missing;
            continue;
        }
        const long long east = to_int(r[e]), north = to_int(r[n]);
        ASSERT_GE(east, 64950);
        ASSERT_LE(east, 655391);
        ASSERT_GE(north, 10235);
        ASSERT_LE(north, 1209512);
        // Longitude/latitude with 6 decimals, near the rough linearisation of the grid.
        ASSERT_EQ(r[lon].size() - r[lon].find('.'), 7u) << r[lon];
        ASSERT_EQ(r[lat].size() - r[lat].find('.'), 7u) << r[lat];
        const double la = to_double(r[lat]), lo = to_double(r[lon]);
        ASSERT_GE(la, 49.8);
        ASSERT_LE(la, 61.0);
        ASSERT_GE(lo, -8.7);
        ASSERT_LE(lo, 1.8);
        EXPECT_NEAR(la, 49.0 + (static_cast<double>(north) + 100000.0) / 111200.0, 0.35) << r[0];
        EXPECT_NEAR(
            lo, -2.0 + (static_cast<double>(east) - 400000.0) / (111320.0 * std::cos(la * std::numbers::pi / 180.0)),
            0.35)
            << r[0];
    }
    EXPECT_LT(missing, c.rows.size() / 100);
}

TEST_F(SynthData, LongitudeLatitudeAgreeWithProj) {
    // The generator converts BNG to WGS84 itself (inverse transverse Mercator + OS Helmert);
    // PROJ (OSTN15 grid or the same Helmert) must agree to within a few metres.
    const auto& c = data_->collisions;
    const auto e = c.col("location_easting_osgr"), n = c.col("location_northing_osgr");
    const auto lon = c.col("longitude"), lat = c.col("latitude");
    std::vector<double> east, north, lon_ref, lat_ref, lon_out, lat_out;
    for (std::size_t i = 0; i < c.rows.size(); i += 7) {
        const auto& r = c.rows[i];
        if (r[e] == "NULL") continue;
        east.push_back(static_cast<double>(to_int(r[e])));
        north.push_back(static_cast<double>(to_int(r[n])));
        lon_out.push_back(to_double(r[lon]));
        lat_out.push_back(to_double(r[lat]));
    }
    lon_ref.resize(east.size());
    lat_ref.resize(east.size());
    roadsafe::geo::bng_to_wgs84(east.data(), north.data(), lon_ref.data(), lat_ref.data(), east.size());
    ASSERT_GT(east.size(), 1000u);
    for (std::size_t i = 0; i < east.size(); ++i) {
        ASSERT_NEAR(lat_out[i], lat_ref[i], 0.0001) << east[i] << " " << north[i];  // ~11 m
        ASSERT_NEAR(lon_out[i], lon_ref[i], 0.00016) << east[i] << " " << north[i];
    }
}

TEST_F(SynthData, DatesTimesAndWeekdaysAreValid) {
    const auto& c = data_->collisions;
    const auto date = c.col("date"), dow = c.col("day_of_week"), time = c.col("time"), year = c.col("collision_year");
    for (const auto& r : c.rows) {
        const std::string& d = r[date];
        ASSERT_EQ(d.size(), 10u) << d;
        ASSERT_EQ(d[2], '/');
        ASSERT_EQ(d[5], '/');
        const int dd = std::stoi(d.substr(0, 2)), mm = std::stoi(d.substr(3, 2)), yy = std::stoi(d.substr(6, 4));
        ASSERT_EQ(yy, to_int(r[year]));
        ASSERT_GE(mm, 1);
        ASSERT_LE(mm, 12);
        ASSERT_GE(dd, 1);
        ASSERT_LE(dd, 31);
        const long long days = days_from_civil(yy, mm, dd);
        ASSERT_EQ(days_from_civil(yy, mm, 1) + dd - 1, days);
        const long long expected_dow = ((days % 7 + 7 + 4) % 7) + 1;  // 1970-01-01 was a Thursday
        ASSERT_EQ(to_int(r[dow]), expected_dow) << d;
        const std::string& t = r[time];
        ASSERT_EQ(t.size(), 5u) << t;
        ASSERT_EQ(t[2], ':');
        ASSERT_LE(std::stoi(t.substr(0, 2)), 23);
        ASSERT_LE(std::stoi(t.substr(3, 2)), 59);
    }
}

namespace {

// Parses the DfT code list (RFC 4180 CSV with quoted, multi-line fields) into field -> codes.
std::map<std::string, std::set<std::string>> load_code_list(const fs::path& p) {
    const std::string text = read_all(p);
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (quoted) {
            if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (ch == '"') {
                quoted = false;
            } else {
                field += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            record.push_back(field);
            field.clear();
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            record.push_back(field);
            field.clear();
            records.push_back(record);
            record.clear();
        } else {
            field += ch;
        }
    }
    if (!field.empty() || !record.empty()) {
        record.push_back(field);
        records.push_back(record);
    }
    std::map<std::string, std::set<std::string>> codes;
    for (std::size_t i = 1; i < records.size(); ++i) {
        if (records[i].size() < 3) continue;
        std::string code = records[i][2];
        while (!code.empty() && code.back() == ' ') code.pop_back();
        while (!code.empty() && code.front() == ' ') code.erase(code.begin());
        codes[records[i][1]].insert(code);
    }
    return codes;
}

}  // namespace

TEST_F(SynthData, CategoricalValuesAreCodesOfTheDfTDataGuide) {
    const fs::path list = fs::path(ROADSAFE_DATASETS) / "stats19" / "dft_code_list_2024.csv";
    ASSERT_TRUE(fs::exists(list)) << list;
    const auto codes = load_code_list(list);
    // Column -> field of the 2024 guide. Files keyed by collision_index are read as the 2024+
    // generation: same-named fields carry the 2024 codes; the two pedestrian crossing columns exist
    // in the guide only as `_historic` fields.
    const std::map<std::string, std::string> collision_fields = {
        {"police_force", "police_force"},
        {"collision_severity", "collision_severity"},
        {"day_of_week", "day_of_week"},
        {"local_authority_district", "local_authority_district"},
        {"local_authority_ons_district", "local_authority_ons_district"},
        {"local_authority_highway", "local_authority_highway"},
        {"first_road_class", "first_road_class"},
        {"road_type", "road_type"},
        {"junction_detail", "junction_detail"},
        {"junction_control", "junction_control"},
        {"second_road_class", "second_road_class"},
        {"pedestrian_crossing_human_control", "pedestrian_crossing_human_control_historic"},
        {"pedestrian_crossing_physical_facilities", "pedestrian_crossing_physical_facilities_historic"},
        {"light_conditions", "light_conditions"},
        {"weather_conditions", "weather_conditions"},
        {"road_surface_conditions", "road_surface_conditions"},
        {"special_conditions_at_site", "special_conditions_at_site"},
        {"carriageway_hazards", "carriageway_hazards"},
        {"urban_or_rural_area", "urban_or_rural_area"},
        {"did_police_officer_attend_scene_of_accident", "did_police_officer_attend_scene_of_accident"},
        {"trunk_road_flag", "trunk_road_flag"},
        {"enhanced_severity_collision", "enhanced_collision_severity"},
        {"collision_injury_based", "collision_injury_based"},
    };
    const std::map<std::string, std::string> vehicle_fields = {
        {"vehicle_type", "vehicle_type"},
        {"towing_and_articulation", "towing_and_articulation"},
        {"vehicle_manoeuvre", "vehicle_manoeuvre"},
        {"vehicle_direction_from", "vehicle_direction_from"},
        {"vehicle_direction_to", "vehicle_direction_to"},
        {"vehicle_location_restricted_lane", "vehicle_location_restricted_lane"},
        {"junction_location", "junction_location"},
        {"skidding_and_overturning", "skidding_and_overturning"},
        {"hit_object_in_carriageway", "hit_object_in_carriageway"},
        {"vehicle_leaving_carriageway", "vehicle_leaving_carriageway"},
        {"hit_object_off_carriageway", "hit_object_off_carriageway"},
        {"first_point_of_impact", "first_point_of_impact"},
        {"vehicle_left_hand_drive", "vehicle_left_hand_drive"},
        {"journey_purpose_of_driver", "journey_purpose_of_driver"},
        {"sex_of_driver", "sex_of_driver"},
        {"age_band_of_driver", "age_band_of_driver"},
        {"propulsion_code", "propulsion_code"},
        {"driver_imd_decile", "driver_imd_decile"},
        {"escooter_flag", "escooter_flag"},
        {"driver_distance_banding", "driver_distance_banding"},
    };
    const std::map<std::string, std::string> casualty_fields = {
        {"casualty_class", "casualty_class"},
        {"sex_of_casualty", "sex_of_casualty"},
        {"age_band_of_casualty", "age_band_of_casualty"},
        {"casualty_severity", "casualty_severity"},
        {"pedestrian_location", "pedestrian_location"},
        {"pedestrian_movement", "pedestrian_movement"},
        {"car_passenger", "car_passenger"},
        {"bus_or_coach_passenger", "bus_or_coach_passenger"},
        {"pedestrian_road_maintenance_worker", "pedestrian_road_maintenance_worker"},
        {"casualty_type", "casualty_type"},
        {"casualty_imd_decile", "casualty_imd_decile"},
        {"enhanced_casualty_severity", "enhanced_casualty_severity"},
        {"casualty_injury_based", "casualty_injury_based"},
        {"casualty_distance_banding", "casualty_distance_banding"},
    };
    auto check = [&](const Csv& csv, const std::map<std::string, std::string>& fields) {
        for (const auto& [column, field] : fields) {
            ASSERT_TRUE(codes.count(field)) << field;
            const auto& valid = codes.at(field);
            const auto c = csv.col(column);
            std::set<std::string> seen;
            for (const auto& r : csv.rows) seen.insert(r[c]);
            for (const auto& v : seen) EXPECT_TRUE(valid.count(v)) << column << " = '" << v << "'";
        }
    };
    check(data_->collisions, collision_fields);
    check(data_->vehicles, vehicle_fields);
    check(data_->casualties, casualty_fields);

    const auto& c = data_->collisions;
    const std::set<std::string> speeds = {"20", "30", "40", "50", "60", "70"};
    for (const auto& r : c.rows) ASSERT_TRUE(speeds.count(r[c.col("speed_limit")])) << r[c.col("speed_limit")];
    // LSOA codes: E01/W01 + 6 digits, or -1.
    for (const auto& [csv, column] :
         {std::pair{&data_->collisions, "lsoa_of_accident_location"}, std::pair{&data_->vehicles, "lsoa_of_driver"},
          std::pair{&data_->casualties, "lsoa_of_casualty"}}) {
        const auto col = csv->col(column);
        for (const auto& r : csv->rows) {
            const std::string& v = r[col];
            if (v == "-1") continue;
            ASSERT_EQ(v.size(), 9u) << v;
            ASSERT_TRUE(v.rfind("E01", 0) == 0 || v.rfind("W01", 0) == 0) << v;
        }
    }
}

TEST_F(SynthData, AgesMatchTheirBandsAndInjuredDriversMatchTheirVehicle) {
    auto band = [](long long age) -> long long {
        if (age < 0) return -1;
        const long long hi[] = {5, 10, 15, 20, 25, 35, 45, 55, 65, 75};
        for (int b = 0; b < 10; ++b)
            if (age <= hi[b]) return b + 1;
        return 11;
    };
    const auto& v = data_->vehicles;
    std::unordered_map<std::string, std::pair<std::string, std::string>> driver;  // index#ref -> sex, age
    for (const auto& r : v.rows) {
        const long long age = to_int(r[v.col("age_of_driver")]);
        ASSERT_EQ(to_int(r[v.col("age_band_of_driver")]), band(age));
        driver[r[0] + "#" + r[v.col("vehicle_reference")]] = {r[v.col("sex_of_driver")], r[v.col("age_of_driver")]};
    }
    const auto& c = data_->casualties;
    for (const auto& r : c.rows) {
        const long long age = to_int(r[c.col("age_of_casualty")]);
        ASSERT_EQ(to_int(r[c.col("age_band_of_casualty")]), band(age));
        const std::string cls = r[c.col("casualty_class")];
        const std::string type = r[c.col("casualty_type")];
        if (cls == "3") {
            EXPECT_EQ(type, "0");
        } else {
            EXPECT_NE(type, "0");
        }
        if (cls == "1") {
            const auto& d = driver.at(r[0] + "#" + r[c.col("vehicle_reference")]);
            EXPECT_EQ(d.first, r[c.col("sex_of_casualty")]) << r[0];
            EXPECT_EQ(d.second, r[c.col("age_of_casualty")]) << r[0];
        }
    }
}

TEST(Stats19Synth, NationalDistributionsAreRoughlyRealistic) {
    TempDir t;
    Stats19SynthOptions options;
    options.first_year = 2017;
    options.years = 2;
    options.collisions_per_year = 40000;
    options.seed = 2024;
    const auto f = write_stats19_synthetic(t.path(), options);
    const auto c = read_csv(f.collisions);
    const double n = static_cast<double>(c.rows.size());
    std::map<std::string, double> severity, speed, urban, month, hour_weekday, light, road_class, pf;
    for (const auto& r : c.rows) {
        severity[r[c.col("collision_severity")]] += 1 / n;
        speed[r[c.col("speed_limit")]] += 1 / n;
        urban[r[c.col("urban_or_rural_area")]] += 1 / n;
        month[r[c.col("date")].substr(3, 2)] += 1 / n;
        light[r[c.col("light_conditions")]] += 1 / n;
        road_class[r[c.col("first_road_class")]] += 1 / n;
        pf[r[c.col("police_force")]] += 1 / n;
        const std::string dow = r[c.col("day_of_week")];
        if (dow != "1" && dow != "7") hour_weekday[r[c.col("time")].substr(0, 2)] += 1 / n;
    }
    EXPECT_NEAR(severity["1"], 0.013, 0.004);
    EXPECT_NEAR(severity["2"], 0.19, 0.03);
    EXPECT_NEAR(static_cast<double>(f.n_vehicles) / n, 1.84, 0.08);
    EXPECT_NEAR(static_cast<double>(f.n_casualties) / n, 1.32, 0.06);
    EXPECT_NEAR(urban["1"], 0.65, 0.05);
    EXPECT_NEAR(urban["1"] + urban["2"], 1.0, 1e-9);
    EXPECT_GT(speed["30"], 0.45);
    for (const auto& [limit, share] : speed) {
        if (limit != "30") {
            EXPECT_LT(share, speed["30"]) << limit;
        }
    }
    EXPECT_GT(month["10"] + month["11"], month["02"] + month["04"]);
    EXPECT_GT(hour_weekday["08"], 2.5 * hour_weekday["05"]);
    EXPECT_GT(hour_weekday["17"], hour_weekday["12"]);
    EXPECT_GT(hour_weekday["08"], hour_weekday["10"]);
    EXPECT_NEAR(light["1"], 0.72, 0.06);
    EXPECT_NEAR(road_class["3"], 0.45, 0.05);
    EXPECT_NEAR(pf["1"], 0.21, 0.04);  // London

    const auto cas = read_csv(f.casualties);
    std::map<std::string, double> cls;
    for (const auto& r : cas.rows) cls[r[cas.col("casualty_class")]] += 1.0 / static_cast<double>(cas.rows.size());
    EXPECT_NEAR(cls["3"], 0.14, 0.04);  // pedestrians
    EXPECT_NEAR(cls["1"], 0.63, 0.08);  // drivers and riders
}
