#include "roadsafe/synth/trauma_generator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <numeric>
#include <span>
#include <string_view>
#include <thread>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/parallel.hpp"
#include "roadsafe/core/random.hpp"
#include "roadsafe/io/injury_scores.hpp"
#include "roadsafe/io/read_trauma.hpp"

namespace roadsafe::synth {

namespace {

constexpr std::uint64_t kUnreportedStream = 0x5EED'0F'0A'11'0B'0CULL;
constexpr std::size_t kBlock = 4096;  // police records per work item
constexpr double kMaxCapture = 0.95;

// A casualty as it really was: the police record is taken as the truth.
struct TruePerson {
    std::int64_t datetime = kMissingMinutes;
    bool time_known = false;
    double easting = std::numeric_limits<double>::quiet_NaN(), northing = std::numeric_limits<double>::quiet_NaN();
    double age = std::numeric_limits<double>::quiet_NaN();
    int sex = -1, road_user = UnknownRoadUser, severity = -1;
    std::int64_t police_record = -1;  // -1: no police record
    std::int32_t casualty = -1;       // casualty_reference: row of PoliceCasualties, -1 none
};

struct GeneratedInjury {
    int severity, region;
    std::uint32_t code;
};

struct Patient {
    std::int64_t arrival = 0, incident = kMissingMinutes;
    int age = -1, sex = 2, road_user = UnknownRoadUser, mais = -1, iss = -1, outcome = 2;
    double incident_easting = std::numeric_limits<double>::quiet_NaN(), incident_northing = std::numeric_limits<double>::quiet_NaN();
    int hospital_x = 0, hospital_y = 0;
    int los_days = 0;
    std::vector<GeneratedInjury> injuries;
    std::int64_t police_record = -1;
    std::int32_t casualty = -1;
};

double normal(Random& rng) {
    // Box-Muller; one uniform pair per draw keeps the draw count fixed.
    const double u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

int poisson(Random& rng, double mean) {
    const double limit = std::exp(-mean);
    int k = 0;
    double p = rng.uniform();
    while (p > limit && k < 50) {
        ++k;
        p *= rng.uniform();
    }
    return k;
}

template <std::size_t N>
int draw(Random& rng, const std::array<double, N>& weights) {
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    double u = rng.uniform() * total;
    for (std::size_t i = 0; i < N; ++i) {
        if (u < weights[i]) return int(i);
        u -= weights[i];
    }
    return int(N - 1);
}

bool chance(Random& rng, double p) { return rng.uniform() < std::min(1.0, std::max(0.0, p)); }

double draw_age(Random& rng) {
    const double u = rng.uniform();
    if (u < 0.12) return double(rng.below(17));        // children 0-16
    if (u < 0.85) return double(17 + rng.below(49));   // 17-65
    return double(66 + rng.below(30));                 // 66-95
}

// Body regions injured most often by road user (1 head/neck ... 6 external). Assumed.
const std::array<double, 6>& region_weights(int road_user) {
    static const std::array<double, 6> pedestrian{0.30, 0.08, 0.14, 0.08, 0.36, 0.04};
    static const std::array<double, 6> rider{0.24, 0.06, 0.22, 0.08, 0.36, 0.04};
    static const std::array<double, 6> occupant{0.24, 0.10, 0.30, 0.14, 0.18, 0.04};
    if (road_user == Pedestrian) return pedestrian;
    if (road_user == PedalCyclist || road_user == Motorcyclist) return rider;
    return occupant;
}

// Hospitals: one synthetic hospital per 30 km grid square, placed inside it.
constexpr int kHospitalCell = 30000;
void hospital_for(double e, double n, int& x, int& y) {
    x = std::clamp(int(e) / kHospitalCell, 0, 700000 / kHospitalCell - 1);
    y = std::clamp(int(n) / kHospitalCell, 0, 1300000 / kHospitalCell - 1);
}
double hospital_easting(int x) { return x * kHospitalCell + 9000 + (x * 7919 % 12000); }
double hospital_northing(int y) { return y * kHospitalCell + 11000 + (y * 6271 % 9000); }

// The registry's record of one person who reached it.
Patient record(const TruePerson& truth, Random& rng, const TraumaModel& m, double noise) {
    Patient p;
    p.police_record = truth.police_record;
    p.casualty = truth.casualty;
    const int severity = truth.severity >= 0 && truth.severity <= 2 ? truth.severity : 2;  // unknown: as slight
    int road_user = truth.road_user;
    if (road_user < 0 || road_user == UnknownRoadUser) road_user = draw(rng, m.unreported_road_user);
    const int sex = truth.sex == 0 || truth.sex == 1 ? truth.sex : (chance(rng, 0.6) ? 0 : 1);
    const double age = std::isnan(truth.age) ? draw_age(rng) : truth.age;
    // The true incident time: the police time, or a time of day drawn when the police did not record one.
    std::int64_t incident = truth.datetime;
    if (!truth.time_known) incident = incident - 12 * 60 + std::int64_t(rng.below(24 * 60));

    // MAIS and injuries consistent with it.
    const int mais = 1 + draw(rng, m.mais_given_severity[std::size_t(severity)]);
    const int extra = poisson(rng, m.extra_injuries_mean);
    const auto& regions = region_weights(road_user);
    p.injuries.push_back({mais, 1 + draw(rng, regions), std::uint32_t(rng.below(100000))});
    for (int k = 0; k < extra; ++k) {
        const int top = std::min(mais, 5);
        int s = 1 + int(rng.below(std::uint64_t(top)));
        if (chance(rng, m.unknown_injury_rate)) s = 9;
        p.injuries.push_back({s, 1 + draw(rng, regions), std::uint32_t(rng.below(100000))});
    }
    if (chance(rng, m.all_unknown_injuries_rate * noise))
        for (auto& i : p.injuries) i.severity = 9;
    std::vector<io::Injury> scored;
    for (const auto& i : p.injuries) scored.push_back({i.severity, i.region});
    const io::InjuryScores scores = io::injury_scores(scored);
    p.mais = scores.mais;
    p.iss = scores.iss;

    // Outcome and length of stay (assumed): police-fatal casualties died within 30 days by definition.
    static const std::array<double, 6> death_given_mais{0.0, 0.005, 0.02, 0.07, 0.25, 0.9};
    const bool dead = truth.severity == 0 ? chance(rng, 0.97) : chance(rng, death_given_mais[std::size_t(mais - 1)]);
    p.outcome = dead ? 1 : 0;
    static const std::array<double, 6> los_median{1.5, 3.0, 6.0, 10.0, 16.0, 20.0};
    const double los = dead ? rng.uniform() * 5.0 : los_median[std::size_t(mais - 1)] * std::exp(0.6 * normal(rng));
    p.los_days = int(std::lround(los));
    if (chance(rng, m.outcome_unknown_rate * noise)) p.outcome = 2;

    // Arrival after the incident.
    double delay = std::exp(std::log(m.delay_median_minutes) + m.delay_log_sd * normal(rng));
    if (chance(rng, m.long_delay_rate)) delay = 120.0 + rng.uniform() * (24 * 60 - 120);
    p.arrival = incident + std::max<std::int64_t>(1, std::int64_t(std::llround(delay)));

    // Recorded incident time: missing, or with clock error, never after arrival.
    if (!chance(rng, m.incident_time_missing_rate * noise)) {
        double error = m.time_error_sd_minutes * noise * normal(rng);
        if (chance(rng, m.gross_time_error_rate * noise)) error += (rng.uniform() * 2.0 - 1.0) * 180.0;
        p.incident = std::min<std::int64_t>(p.arrival, incident + std::int64_t(std::llround(error)));
    }

    // Recorded location: missing, or with error; the hospital serves the true location.
    double e = truth.easting, n = truth.northing;
    if (std::isnan(e) || std::isnan(n)) {
        e = 300000.0 + rng.uniform() * 300000.0;  // unknown: any hospital in England
        n = 100000.0 + rng.uniform() * 500000.0;
        hospital_for(e, n, p.hospital_x, p.hospital_y);
    } else {
        hospital_for(e, n, p.hospital_x, p.hospital_y);
        if (!chance(rng, m.location_missing_rate * noise)) {
            double de = m.location_error_sd_metres * noise * normal(rng);
            double dn = m.location_error_sd_metres * noise * normal(rng);
            if (chance(rng, m.gross_location_error_rate * noise)) {
                const double r = 500.0 + rng.uniform() * 2500.0, a = rng.uniform() * 2.0 * std::numbers::pi;
                de += r * std::cos(a);
                dn += r * std::sin(a);
            }
            p.incident_easting = std::clamp(std::round(e + de), 0.0, 700000.0);
            p.incident_northing = std::clamp(std::round(n + dn), 0.0, 1300000.0);
        }
    }

    // Age, sex, road user as the registry recorded them.
    p.age = int(std::lround(age));
    if (chance(rng, m.age_error_rate * noise)) {
        const int size = chance(rng, 0.8) ? 1 : 2;
        p.age += chance(rng, 0.5) ? size : -size;
    }
    p.age = std::clamp(p.age, 0, 120);
    if (chance(rng, m.age_missing_rate * noise)) p.age = -1;
    p.sex = sex;
    if (chance(rng, m.sex_unknown_rate * noise)) p.sex = 2;
    else if (chance(rng, m.sex_error_rate * noise)) p.sex = 1 - sex;
    p.road_user = road_user;
    if (chance(rng, m.road_user_unknown_rate * noise)) p.road_user = UnknownRoadUser;
    else if (chance(rng, m.road_user_error_rate * noise)) p.road_user = (road_user + 1 + int(rng.below(6))) % 7;
    return p;
}

// A person of police record `i` (a casualty or a collision): when and where, before any other detail.
template <typename PoliceRecords>
TruePerson person_at(const PoliceRecords& police, std::size_t i) {
    TruePerson t;
    t.datetime = police.datetime[i];
    t.time_known = police.time_known[i] != 0;
    t.easting = police.easting[i];
    t.northing = police.northing[i];
    t.police_record = std::int64_t(i);
    return t;
}

// The registry's patients for police record `i`, appended to `out`.
void patients_of_casualty(const PoliceCasualties& police, std::size_t i, const TraumaSynthOptions& o,
                          std::vector<Patient>& out) {
    if (police.datetime[i] == kMissingMinutes) return;  // no date: nothing to place the patient in time
    Random rng = Random::for_stream(o.seed, i);
    const TraumaModel& m = o.model;
    const int severity = police.severity[i] >= 0 && police.severity[i] <= 2 ? police.severity[i] : 2;
    const int ru = police.road_user[i] >= 0 && police.road_user[i] <= 7 ? police.road_user[i] : int(UnknownRoadUser);
    const double p = std::min(kMaxCapture, m.capture[std::size_t(severity)] * m.capture_road_user[std::size_t(ru)]);
    if (!chance(rng, p)) return;
    TruePerson t = person_at(police, i);
    t.age = police.age[i];
    t.sex = police.sex[i];
    t.road_user = ru;
    t.severity = police.severity[i];
    t.casualty = std::int32_t(i);
    out.push_back(record(t, rng, m, o.noise));
}

// The casualties implied by collision `i` (its number of casualties and involved road users), each
// through the same capture model.
void patients_of_collision(const PoliceCollisions& police, std::size_t i, const TraumaSynthOptions& o,
                           std::vector<Patient>& out) {
    if (police.datetime[i] == kMissingMinutes) return;
    Random rng = Random::for_stream(o.seed, i);
    const TraumaModel& m = o.model;
    const double known = police.n_casualties[i];
    const int n = std::isnan(known) ? 1 + poisson(rng, m.extra_casualties_mean) : std::max(1, int(std::lround(known)));
    std::vector<int> involved;
    for (int r = 0; r < 7; ++r)
        if (police.involved[i] & (1u << r)) involved.push_back(r);
    const int severity = police.severity[i] >= 0 && police.severity[i] <= 2 ? police.severity[i] : 2;
    for (int k = 0; k < n; ++k) {
        int ru;
        if (involved.empty()) ru = draw(rng, m.unreported_road_user);
        else if (k == 0) ru = involved.front();  // the most vulnerable road user involved is the first casualty
        else ru = involved[rng.below(involved.size())];
        // The collision's severity is its worst casualty's: the first casualty has it, others mostly slight.
        const int s = k == 0 ? severity : (chance(rng, 0.8) ? 2 : severity);
        const double p = std::min(kMaxCapture, m.capture[std::size_t(s)] * m.capture_road_user[std::size_t(ru)]);
        if (!chance(rng, p)) continue;
        TruePerson t = person_at(police, i);
        t.road_user = ru;
        t.severity = s;
        // The pedestrian is the first casualty; the collision may record who they were (its other
        // casualties' ages and sexes stay drawn).
        if (k == 0 && ru == Pedestrian) {
            if (!police.pedestrian_age.empty()) t.age = police.pedestrian_age[i];
            if (!police.pedestrian_sex.empty()) t.sex = police.pedestrian_sex[i];
        }
        out.push_back(record(t, rng, m, o.noise));
    }
}

// A patient with no police record: a time and place like a random police record's (nearby, a few days
// apart), so that it is a plausible decoy for linkage.
template <typename Police>
Patient unreported_patient(const Police& police, std::size_t j, const TraumaSynthOptions& o) {
    Random rng = Random::for_stream(o.seed ^ kUnreportedStream, j);
    std::size_t k = rng.below(police.size());
    for (int tries = 0; police.datetime[k] == kMissingMinutes && tries < 100; ++tries) k = rng.below(police.size());
    TruePerson t;
    t.datetime = police.datetime[k] + (std::int64_t(rng.below(7)) - 3) * 24 * 60;
    t.time_known = false;  // a new time of day
    if (!std::isnan(police.easting[k]) && !std::isnan(police.northing[k])) {
        const double r = 1000.0 + rng.uniform() * 4000.0, a = rng.uniform() * 2.0 * std::numbers::pi;
        t.easting = std::clamp(police.easting[k] + r * std::cos(a), 0.0, 700000.0);
        t.northing = std::clamp(police.northing[k] + r * std::sin(a), 0.0, 1300000.0);
    }
    t.road_user = draw(rng, o.model.unreported_road_user);
    t.severity = 1;
    return record(t, rng, o.model, o.noise);
}

void check_lengths(std::size_t n, std::initializer_list<std::size_t> sizes) {
    for (std::size_t s : sizes)
        if (s != n)
            throw Error(ErrorCode::InvalidInput, "police record columns have different lengths (" + std::to_string(n) +
                                                     " and " + std::to_string(s) + ")");
}

void check_options(const TraumaSynthOptions& o) {
    if (!(o.noise >= 0.0) || !std::isfinite(o.noise))
        throw Error(ErrorCode::InvalidInput, "noise must be a finite number >= 0, not " + std::to_string(o.noise));
}

void append_csv_text(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += s;
        return;
    }
    out += '"';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (!f) throw Error(ErrorCode::Io, "cannot create the file", {path.string(), 0, "", ""});
    f.write(bytes.data(), std::streamsize(bytes.size()));
    if (!f) throw Error(ErrorCode::Io, "cannot write the file", {path.string(), 0, "", ""});
}

template <typename Police, typename PatientsOf>
TraumaSynthFiles generate(const std::filesystem::path& directory, const Police& police, const TraumaSynthOptions& o,
                          const std::vector<std::string>* casualty_reference, PatientsOf patients_of) {
    check_options(o);
    const std::size_t n = police.size();
    // Police records in blocks, each block's patients in record order: the result is the same on any
    // number of threads.
    const std::size_t blocks = (n + kBlock - 1) / kBlock;
    std::vector<std::vector<Patient>> per_block(blocks);
    const unsigned threads = o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    for_each_index(blocks, threads, [&](std::size_t b) {
        for (std::size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) patients_of(police, i, o, per_block[b]);
    });
    std::vector<Patient> patients;
    for (auto& b : per_block)
        for (auto& p : b) patients.push_back(std::move(p));
    const std::size_t reported = patients.size();
    const double share = std::clamp(o.model.unreported_share, 0.0, 0.99);
    const auto unreported = std::size_t(std::llround(double(reported) * share / (1.0 - share)));
    bool any_dated = false;
    for (std::size_t i = 0; i < n && !any_dated; ++i) any_dated = police.datetime[i] != kMissingMinutes;
    if (any_dated) {
        std::vector<Patient> extra(unreported);
        for_each_index(unreported, threads, [&](std::size_t j) { extra[j] = unreported_patient(police, j, o); });
        for (auto& p : extra) patients.push_back(std::move(p));
    }
    // Registry order: by arrival (ties in generation order); ids follow it.
    std::vector<std::size_t> order(patients.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return patients[a].arrival < patients[b].arrival; });

    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) throw Error(ErrorCode::Io, "cannot create the directory: " + ec.message(), {directory.string(), 0, "", ""});
    TraumaSynthFiles files;
    files.patients = directory / "trauma.csv";
    files.injuries = directory / "injuries.csv";
    files.truth = directory / "truth.csv";
    files.n_police_records = std::int64_t(n);
    std::string pcsv =
        "trauma_id,arrival_datetime,incident_datetime,age,sex,road_user,incident_easting,incident_northing,"
        "hospital_code,hospital_easting,hospital_northing,mais,iss,outcome_30d,los_days\n";
    std::string icsv = "trauma_id,ais_code,ais_severity,iss_region\n";
    std::string tcsv = "trauma_id,collision_index,collision_reference,casualty_reference\n";
    pcsv.reserve(patients.size() * 120);
    icsv.reserve(patients.size() * 60);
    char buf[64];
    for (std::size_t k = 0; k < order.size(); ++k) {
        const Patient& p = patients[order[k]];
        std::snprintf(buf, sizeof buf, "T%07zu", k + 1);
        const std::string id = buf;
        pcsv += id;
        pcsv += ',';
        pcsv += io::format_iso_datetime(p.arrival);
        pcsv += ',';
        if (p.incident != kMissingMinutes) pcsv += io::format_iso_datetime(p.incident);
        pcsv += ',';
        if (p.age >= 0) pcsv += std::to_string(p.age);
        pcsv += ',';
        pcsv += io::kSexLabels[p.sex];
        pcsv += ',';
        pcsv += io::kRoadUserLabels[p.road_user];
        pcsv += ',';
        if (!std::isnan(p.incident_easting)) {
            std::snprintf(buf, sizeof buf, "%.0f,%.0f", p.incident_easting, p.incident_northing);
            pcsv += buf;
        } else {
            pcsv += ',';
        }
        std::snprintf(buf, sizeof buf, ",SYNH%02d%02d,%.0f,%.0f,", p.hospital_x, p.hospital_y,
                      hospital_easting(p.hospital_x), hospital_northing(p.hospital_y));
        pcsv += buf;
        if (p.mais > 0) pcsv += std::to_string(p.mais);
        pcsv += ',';
        if (p.iss >= 0) pcsv += std::to_string(p.iss);
        pcsv += ',';
        pcsv += io::kOutcomeLabels[p.outcome];
        pcsv += ',';
        pcsv += std::to_string(p.los_days);
        pcsv += '\n';
        for (const auto& i : p.injuries) {
            // Synthetic AIS-shaped codes: body region digit, five digits, "." severity (not real AIS codes).
            std::snprintf(buf, sizeof buf, ",%d%05u.%d,%d,%d\n", i.region, i.code, i.severity, i.severity, i.region);
            icsv += id;
            icsv += buf;
            ++files.n_injuries;
        }
        tcsv += id;
        tcsv += ',';
        if (p.police_record >= 0) {
            append_csv_text(tcsv, police.collision_index[std::size_t(p.police_record)]);
            tcsv += ',';
            append_csv_text(tcsv, police.collision_reference[std::size_t(p.police_record)]);
            tcsv += ',';
            if (casualty_reference && p.casualty >= 0) append_csv_text(tcsv, (*casualty_reference)[std::size_t(p.casualty)]);
            ++files.n_with_police_record;
        } else {
            tcsv += ',';
            tcsv += ',';
        }
        tcsv += '\n';
    }
    files.n_patients = std::int64_t(patients.size());
    write_file(files.patients, pcsv);
    write_file(files.injuries, icsv);
    write_file(files.truth, tcsv);
    return files;
}

}  // namespace

TraumaSynthFiles write_trauma_synthetic(const std::filesystem::path& directory, const PoliceCasualties& police,
                                        const TraumaSynthOptions& options) {
    const std::size_t n = police.size();
    check_lengths(n, {police.time_known.size(), police.easting.size(), police.northing.size(), police.age.size(),
                      police.sex.size(), police.road_user.size(), police.severity.size(), police.collision_index.size(),
                      police.collision_reference.size(), police.casualty_reference.size()});
    return generate(directory, police, options, &police.casualty_reference, patients_of_casualty);
}

TraumaSynthFiles write_trauma_synthetic(const std::filesystem::path& directory, const PoliceCollisions& police,
                                        const TraumaSynthOptions& options) {
    const std::size_t n = police.size();
    check_lengths(n, {police.time_known.size(), police.easting.size(), police.northing.size(), police.severity.size(),
                      police.involved.size(), police.n_casualties.size(), police.collision_index.size(),
                      police.collision_reference.size()});
    if (!police.pedestrian_age.empty()) check_lengths(n, {police.pedestrian_age.size()});
    if (!police.pedestrian_sex.empty()) check_lengths(n, {police.pedestrian_sex.size()});
    return generate(directory, police, options, nullptr, patients_of_collision);
}

}  // namespace roadsafe::synth
