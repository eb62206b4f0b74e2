#include "roadsafe/linkage/comparison_levels.hpp"

#include <algorithm>
#include <cmath>

namespace roadsafe::linkage {

namespace {

// Levels per comparison, null included (see the header for their meaning).
constexpr std::array<std::size_t, kComparisons> kLevels{18, 14, 5, 3, 5};

std::string minutes_text(double minutes) {
    if (minutes >= 60 && std::fmod(minutes, 60) == 0) return std::to_string(static_cast<long>(minutes / 60)) + " h";
    return std::to_string(static_cast<long>(minutes)) + " min";
}

std::string metres_text(double metres) {
    if (metres >= 1000 && std::fmod(metres, 1000) == 0) return std::to_string(static_cast<long>(metres / 1000)) + " km";
    return std::to_string(static_cast<long>(metres)) + " m";
}

// The arrival's level by its delay after the collision (levels 7..15, 17 further apart).
std::uint8_t arrival_level(double delay, const LevelThresholds& t) {
    if (delay < -t.arrival_early_minutes) return 7;
    for (std::uint8_t k = 0; k < t.arrival_minutes.size(); ++k)
        if (delay <= t.arrival_minutes[k]) return static_cast<std::uint8_t>(8 + k);
    return 17;
}

}  // namespace

std::uint8_t time_level(double pt, bool known, double incident, double arrival, const LevelThresholds& t) {
    if (std::isnan(pt)) return 0;
    if (known) {
        if (!std::isnan(incident)) {
            const double d = std::fabs(incident - pt);
            for (std::uint8_t k = 0; k < t.incident_minutes.size(); ++k)
                if (d <= t.incident_minutes[k]) return static_cast<std::uint8_t>(1 + k);
            // A wrong incident time need not mean another collision: what does the arrival say?
            if (std::isnan(arrival)) return 17;
            const double delay = arrival - pt;
            return delay >= -t.arrival_early_minutes && delay <= t.plausible_delay_minutes ? 5 : 6;
        }
        if (std::isnan(arrival)) return 0;
        return arrival_level(arrival - pt, t);
    }
    // Only the date: pt is its midnight. The incident falls on that day; arrival that day or the next.
    if (!std::isnan(incident)) return incident >= pt && incident < pt + 1440 ? 16 : 17;
    if (!std::isnan(arrival)) return arrival >= pt && arrival < pt + 2880 ? 16 : 17;
    return 0;
}

namespace {

// Incident location: 1..7 within the bands, 8 further; hospital (no incident location): 9 the nearest
// receiving hospital, else 10..12 by distance, 13 further.
std::uint8_t distance_level(const PoliceRecords& police, std::size_t i, const PatientRecords& patients, std::size_t j,
                            const LevelThresholds& t) {
    const double px = police.x[i], py = police.y[i];
    if (!std::isfinite(px) || !std::isfinite(py)) return 0;
    const double qx = patients.x[j], qy = patients.y[j];
    if (std::isfinite(qx) && std::isfinite(qy)) {
        const double dx = px - qx, dy = py - qy;
        const double d = std::sqrt(dx * dx + dy * dy);  // (std::hypot guards overflow at several times the cost)
        for (std::uint8_t k = 0; k < t.distance_metres.size(); ++k)
            if (d <= t.distance_metres[k]) return static_cast<std::uint8_t>(1 + k);
        return 8;
    }
    if (j >= patients.hospital_x.size() || j >= patients.hospital_y.size()) return 0;
    const double hx = patients.hospital_x[j], hy = patients.hospital_y[j];
    if (!std::isfinite(hx) || !std::isfinite(hy)) return 0;
    if (i < police.nearest_hospital.size() && j < patients.hospital_site.size() && patients.hospital_site[j] >= 0 &&
        police.nearest_hospital[i] == patients.hospital_site[j])
        return kNearestHospitalLevel;
    const double d = std::sqrt((px - hx) * (px - hx) + (py - hy) * (py - hy));
    for (std::uint8_t k = 0; k < t.hospital_metres.size(); ++k)
        if (d <= t.hospital_metres[k]) return static_cast<std::uint8_t>(kNearestHospitalLevel + 1 + k);
    return 13;
}

}  // namespace

std::uint32_t more_vulnerable(std::int32_t road_user) {
    return road_user <= 0 ? 0u : (1u << std::min(road_user, 3)) - 1u;
}

std::uint32_t similar_road_users(std::int32_t road_user) {
    switch (road_user) {
        case 1: return 1u << 2;  // pedal cyclist <-> motorcyclist: two-wheelers
        case 2: return 1u << 1;
        case 3: return 1u << 5;  // car <-> goods vehicle (a van or a pick-up is coded either way)
        case 5: return 1u << 3;
        default: return 0u;
    }
}

const char* comparison_name(Comparison c) noexcept {
    switch (c) {
        case Comparison::Time: return "time";
        case Comparison::Distance: return "distance";
        case Comparison::Age: return "age";
        case Comparison::Sex: return "sex";
        case Comparison::RoadUser: return "road_user";
    }
    return "?";
}

std::array<std::size_t, kComparisons> level_counts() { return kLevels; }

std::vector<std::vector<std::string>> level_labels(const LevelThresholds& t) {
    std::vector<std::vector<std::string>> out(kComparisons);
    auto& time = out[0];
    time.push_back("null (no usable time)");
    for (double m : t.incident_minutes) time.push_back("incident time within " + minutes_text(m));
    const std::string further = "incident further than " + minutes_text(t.incident_minutes.back());
    time.push_back(std::string(further).append(", arrival 0 to ").append(minutes_text(t.plausible_delay_minutes)).append(" after"));
    time.push_back(std::string(further).append(", arrival otherwise"));
    time.push_back("arrival more than " + minutes_text(t.arrival_early_minutes) + " before the collision");
    double lo = -t.arrival_early_minutes;
    for (double m : t.arrival_minutes) {
        // (std::string(...).append(...) avoids GCC 12's false -Wrestrict on "literal" + std::string)
        const std::string from = lo < 0 ? std::string("-").append(minutes_text(-lo)) : minutes_text(lo);
        time.push_back(std::string("arrival ").append(from).append(" to ").append(minutes_text(m)).append(" after"));
        lo = m;
    }
    time.push_back("same day (police time unknown)");
    time.push_back("further apart");
    auto& dist = out[1];
    dist.push_back("null (a location missing)");
    for (double m : t.distance_metres) dist.push_back("incident within " + metres_text(m));
    dist.push_back("incident further (a gross location error?)");
    dist.push_back("no incident location; the hospital nearest the collision");
    for (double m : t.hospital_metres)
        dist.push_back("no incident location; another hospital within " + metres_text(m));
    dist.push_back("no incident location; another hospital further");
    out[2] = {"null (an age missing)", "exact",
              "within " + std::to_string(static_cast<long>(t.age_years[0])) + " years",
              "within " + std::to_string(static_cast<long>(t.age_years[1])) + " years", "further"};
    out[3] = {"null (sex unknown)", "equal", "differs"};
    out[4] = {"null (road user unknown)", "equal / involved", "involved with a more vulnerable road user",
              "a similar road user (car / goods vehicle, pedal cycle / motorcycle)", "differs"};
    return out;
}

PairLevels compare_pair(const PoliceRecords& police, std::size_t i, const PatientRecords& patients, std::size_t j,
                        const LevelThresholds& t) {
    PairLevels l{};
    l[0] = time_level(police.time[i], police.time_known[i] != 0, patients.incident[j], patients.arrival[j], t);
    l[1] = distance_level(police, i, patients, j, t);
    const double da = std::fabs(police.age[i] - patients.age[j]);
    if (!std::isnan(da)) l[2] = da < 0.5 ? 1 : da <= t.age_years[0] ? 2 : da <= t.age_years[1] ? 3 : 4;
    if (police.sex[i] != 0 && patients.sex[j] != 0) l[3] = police.sex[i] == patients.sex[j] ? 1 : 2;
    const std::uint32_t users = police.road_users[i];
    const std::int32_t user = patients.road_user[j];
    if (users != 0 && user >= 0)
        l[4] = (users >> user) & 1u ? (users & more_vulnerable(user) ? 2 : 1)
                                    : (users & similar_road_users(user) ? 3 : 4);
    return l;
}

std::uint32_t pattern_of(const PairLevels& levels) {
    std::uint32_t p = 0;
    for (std::size_t c = 0; c < kComparisons; ++c) p = p * static_cast<std::uint32_t>(kLevels[c]) + levels[c];
    return p;
}

PairLevels levels_of(std::uint32_t pattern) {
    PairLevels l{};
    for (std::size_t c = kComparisons; c-- > 0;) {
        l[c] = static_cast<std::uint8_t>(pattern % kLevels[c]);
        pattern /= static_cast<std::uint32_t>(kLevels[c]);
    }
    return l;
}

std::uint32_t pattern_count() {
    std::uint32_t n = 1;
    for (auto k : kLevels) n *= static_cast<std::uint32_t>(k);
    return n;
}

}  // namespace roadsafe::linkage
