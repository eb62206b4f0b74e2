// Synthetic STATS19 generator: see roadsafe/synth/stats19_generator.hpp.
//
// Layout. The column names and order are those of the DfT open-data files with `collision_*`
// names (the collision header is fixed below; the vehicle header is the DfT 2023 vehicle file's
// with collision_* key columns; the casualty header is the 2021 casualty file's). The engine's
// reader takes files keyed by collision_index as the 2024+ generation ("data collected in or
// converted to the 2024 STATS19 specification"), so every categorical value is a code the 2024
// data guide lists for the field of the same name: junction_detail, carriageway_hazards,
// vehicle_manoeuvre, vehicle_location_restricted_lane and journey_purpose_of_driver use the new
// 2024 codes (not their `*_historic` ones). Exceptions, for columns the guide lists only under
// another name: pedestrian_crossing_human_control / _physical_facilities use the codes of
// `*_historic` (fields.csv aliases them there), enhanced_severity_collision those of
// enhanced_collision_severity, did_police_officer_attend_scene_of_accident is listed as such.
// speed_limit is one of 20..70 (the guide names those only in a note); driver_home_area_type is not
// in the guide and uses the long-standing 1 urban / 2 small town / 3 rural / -1 codes.
//
// Distributions. Weights are rounded shares of GB reported road casualty statistics (DfT
// "Reported road casualties Great Britain" annual reports and RAS tables, 2015-2019 averages) as
// far as they are known to the author, otherwise reasoned guesses; each table says which. They are
// meant to make benchmarks and analyses behave like real data (skewed categories, peaks, missing
// codes), not to reproduce published figures. Headline targets: ~1.3% of collisions fatal,
// ~19% serious, ~1.85 vehicles and ~1.33 casualties per collision, ~65% urban, 30 mph dominating,
// more collisions in autumn, weekday peaks at 08:00 and 15:00-18:00.
//
// Determinism. One xoshiro256** stream per (seed, year) seeded through splitmix64; all sampling
// (uniform, discrete, normal) is hand-written integer/IEEE arithmetic, so the drawn values do not
// depend on the standard library. Only the longitude/latitude text goes through libm (sin, cos,
// atan2...), whose last bit can differ between libm implementations and CPU-specific code paths
// (glibc picks FMA variants at run time), as can floating-point contraction between compilers and
// flags: the same options give byte-identical files on one machine and build; elsewhere a rare
// row may differ in the 6th decimal of longitude/latitude (or, rarer still, by a metre of grid).
//
// Speed. Rows are formatted with std::to_chars / digit loops into 1 MiB buffers per file and
// written with fwrite; there is no allocation per row.
#include "roadsafe/synth/stats19_generator.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "roadsafe/core/error.hpp"
#include "roadsafe/core/random.hpp"

namespace roadsafe::synth {

namespace {

// ------------------------------------------------------------------------------------------------
// Random numbers

// xoshiro256** (core/random.hpp) with the draws the generator needs.
class Rng : public Random {
public:
    using Random::Random;
    std::uint32_t bits32() { return static_cast<std::uint32_t>(next() >> 32); }
    bool chance(double p) { return uniform() < p; }
    // Integer in [lo, hi] (inclusive), multiply-shift on 32 bits: bias < 2^-32 * range, negligible.
    int between(int lo, int hi) {
        const auto range = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo + 1);
        return lo + static_cast<int>((static_cast<std::uint64_t>(bits32()) * range) >> 32);
    }
    // Standard normal approximated by the Irwin-Hall sum of 12 uniforms minus 6 (variance 1,
    // support +-6 sigma), from four 16-bit fields of three 64-bit draws: integer arithmetic only,
    // so identical on every platform. The bounded tails suit coordinate spreads.
    double normal() {
        std::uint64_t sum = 0;
        for (int i = 0; i < 3; ++i) {
            const std::uint64_t x = next();
            sum += (x & 0xFFFF) + ((x >> 16) & 0xFFFF) + ((x >> 32) & 0xFFFF) + (x >> 48);
        }
        // Each field is (k + 0.5) / 65536 in (0, 1): mean of the 12 is exactly 6.
        return (static_cast<double>(sum) + 6.0) / 65536.0 - 6.0;
    }
};

// Weighted choice among codes. Thresholds are computed at compile time from the weights (which
// need not sum to 100); sampling compares a 32-bit draw with integer thresholds.
struct Weighted {
    int code;
    double weight;
};

template <std::size_t N>
struct Table {
    std::array<int, N> codes{};
    std::array<std::uint64_t, N> thresholds{};  // cumulative, last == 2^32

    int operator()(Rng& rng) const {
        const std::uint64_t u = rng.bits32();
        for (std::size_t i = 0; i + 1 < N; ++i)
            if (u < thresholds[i]) return codes[i];
        return codes[N - 1];
    }
};

template <std::size_t N>
constexpr Table<N> make_table(const Weighted (&items)[N]) {
    Table<N> t;
    double total = 0;
    for (const auto& it : items) total += it.weight;
    double cumulative = 0;
    for (std::size_t i = 0; i < N; ++i) {
        cumulative += items[i].weight;
        t.codes[i] = items[i].code;
        t.thresholds[i] = static_cast<std::uint64_t>(cumulative / total * 4294967296.0 + 0.5);
    }
    t.thresholds[N - 1] = 4294967296ULL;
    return t;
}

// ------------------------------------------------------------------------------------------------
// Places

// A town or city (or a London borough) around which collisions are drawn. Coordinates are British
// National Grid metres of the centre, from the author's knowledge of the OS grid (good to a few
// km). weight ~ relative number of reported collisions: the resident population (thousands) of the
// local authority, London boroughs raised (London has ~21% of GB collisions with ~14% of the
// population) and Scottish places lowered by 0.6 (Scotland has ~8% of the population but ~5% of
// reported collisions). urban_pct is the share of the place's collisions flagged urban (tuned so
// that the national share is ~65%); urban collisions are spread with sigma_urban, rural ones with
// sigma_rural. Coastal places give the direction of the sea (sea_dx, sea_dy) and the distance from
// the centre to the coast: offsets beyond that line are reflected back onto land (a straight-coast
// approximation: some points still fall in estuaries and bays).
// crash_year: first year whose collisions are recorded with injury-based severity (CRASH/COPA
// systems). Forces seen injury-based (1) or not (0) in the DfT 2021 casualty file sample
// (datasets/raw/dft-road-casualty-statistics-casualty-2021_first60rows.csv) follow it: not
// injury-based there -> 9999 (never, here). The adoption years themselves (2015-2019) are
// approximate, staggered like the real 2012-2019 roll-out.
struct Town {
    std::string_view name;
    int easting, northing;
    double weight;
    int police_force;                       // legacy code; Scottish places switch to 99 (Police Scotland), see below
    int lad;                                // local_authority_district (numeric DfT code)
    std::string_view ons, highway;          // local_authority_ons_district / _highway
    std::string_view ons_old, highway_old;  // codes in use before change_year ("" = no change)
    int change_year;
    int urban_pct;
    double sigma_urban_km, sigma_rural_km;
    int sea_dx, sea_dy;  // direction of the sea, 0/0 = inland
    double coast_km;
    int crash_year;
};

// Scottish collisions carry the legacy division codes 91-98 in the 2005-2014 DfT files
// (datasets/raw/ac_sample1000.csv) and 99 in 2021 (the casualty sample); the switch year is not
// documented in the files at hand, 2015 is assumed.
constexpr int kPoliceScotlandFromYear = 2015;

// clang-format off
constexpr Town kTowns[] = {
    // London (Metropolitan Police 1): 14 boroughs spread over Greater London.
    {"Westminster",      528900, 180700, 510, 1,   1, "E09000033", "E09000033", "", "", 0, 97, 1.8, 4, 0, 0, 0, 9999},
    {"Lambeth",          530800, 175500, 366, 1,   9, "E09000022", "E09000022", "", "", 0, 97, 2.0, 4, 0, 0, 0, 9999},
    {"Tower Hamlets",    536000, 181800, 340, 1,   5, "E09000030", "E09000030", "", "", 0, 97, 1.8, 4, 0, 0, 0, 9999},
    {"Croydon",          533000, 165500, 366, 1,  20, "E09000008", "E09000008", "", "", 0, 90, 2.5, 5, 0, 0, 0, 9999},
    {"Ealing",           517000, 180800, 340, 1,  27, "E09000009", "E09000009", "", "", 0, 95, 2.2, 4, 0, 0, 0, 9999},
    {"Newham",           541000, 183300, 340, 1,  17, "E09000025", "E09000025", "", "", 0, 97, 2.0, 4, 0, 0, 0, 9999},
    {"Barnet",           524500, 192500, 357, 1,  30, "E09000003", "E09000003", "", "", 0, 90, 2.5, 5, 0, 0, 0, 9999},
    {"Enfield",          533500, 197000, 314, 1,  32, "E09000010", "E09000010", "", "", 0, 88, 2.5, 5, 0, 0, 0, 9999},
    {"Hillingdon",       508000, 183500, 306, 1,  26, "E09000017", "E09000017", "", "", 0, 80, 3.0, 5, 0, 0, 0, 9999},
    {"Bromley",          541000, 167500, 306, 1,  19, "E09000006", "E09000006", "", "", 0, 80, 3.0, 6, 0, 0, 0, 9999},
    {"Redbridge",        543500, 188500, 280, 1,  14, "E09000026", "E09000026", "", "", 0, 92, 2.2, 4, 0, 0, 0, 9999},
    {"Wandsworth",       526000, 174500, 323, 1,  10, "E09000032", "E09000032", "", "", 0, 97, 2.0, 4, 0, 0, 0, 9999},
    {"Hounslow",         512500, 176000, 255, 1,  25, "E09000018", "E09000018", "", "", 0, 92, 2.2, 4, 0, 0, 0, 9999},
    {"Havering",         553500, 188500, 238, 1,  15, "E09000016", "E09000016", "", "", 0, 80, 3.0, 6, 0, 0, 0, 9999},
    // England outside London.
    {"Birmingham",       407000, 286800, 1140, 20, 300, "E08000025", "E08000025", "", "", 0, 68, 4.0, 8, 0, 0, 0, 2016},
    {"Coventry",         433500, 279000, 370, 20, 302, "E08000026", "E08000026", "", "", 0, 60, 2.5, 7, 0, 0, 0, 2016},
    {"Wolverhampton",    391500, 298700, 265, 20, 309, "E08000031", "E08000031", "", "", 0, 64, 2.2, 6, 0, 0, 0, 2016},
    {"Manchester",       384000, 398000, 550,  6, 102, "E08000003", "E08000003", "", "", 0, 68, 3.0, 7, 0, 0, 0, 2015},
    {"Bolton",           371700, 409000, 290,  6, 100, "E08000001", "E08000001", "", "", 0, 52, 2.2, 7, 0, 0, 0, 2015},
    {"Stockport",        389500, 390500, 295,  6, 109, "E08000007", "E08000007", "", "", 0, 52, 2.2, 7, 0, 0, 0, 2015},
    {"Liverpool",        336000, 391000, 495,  5,  91, "E08000012", "E08000012", "", "", 0, 68, 2.5, 6, -1, 0, 2.0, 2016},
    {"Leeds",            430000, 433500, 790, 13, 204, "E08000035", "E08000035", "", "", 0, 56, 3.5, 9, 0, 0, 0, 2015},
    {"Bradford",         416500, 433000, 540, 13, 200, "E08000032", "E08000032", "", "", 0, 56, 3.0, 8, 0, 0, 0, 2015},
    {"Sheffield",        435300, 387300, 580, 14, 215, "E08000019", "E08000019", "", "", 0, 60, 3.0, 8, 0, 0, 0, 2016},
    {"Doncaster",        457500, 403300, 310, 14, 211, "E08000017", "E08000017", "", "", 0, 40, 2.5, 10, 0, 0, 0, 2016},
    {"Newcastle upon Tyne", 424800, 564200, 300, 10, 147, "E08000021", "E08000021", "", "", 0, 68, 2.5, 6, 0, 0, 0, 2015},
    {"Sunderland",       439700, 557000, 278, 10, 150, "E08000024", "E08000024", "", "", 0, 60, 2.2, 6, 1, 0, 2.5, 2015},
    {"Middlesbrough",    449800, 519500, 140, 17, 243, "E06000002", "E06000002", "", "", 0, 68, 2.0, 5, 0, 1, 2.0, 2016},
    {"Kingston upon Hull", 509500, 429500, 260, 16, 228, "E06000010", "E06000010", "", "", 0, 64, 2.5, 7, 0, -1, 1.0, 2017},
    {"York",             460300, 451800, 210, 12, 189, "E06000014", "E06000014", "", "", 0, 44, 2.0, 9, 0, 0, 0, 9999},
    {"Nottingham",       457300, 340000, 330, 31, 346, "E06000018", "E06000018", "", "", 0, 68, 2.5, 7, 0, 0, 0, 2016},
    {"Leicester",        458700, 304400, 355, 33, 364, "E06000016", "E06000016", "", "", 0, 68, 2.5, 7, 0, 0, 0, 9999},
    {"Derby",            435300, 336300, 257, 30, 323, "E06000015", "E06000015", "", "", 0, 64, 2.5, 7, 0, 0, 0, 9999},
    {"Stoke-on-Trent",   388300, 347000, 256, 21, 257, "E06000021", "E06000021", "", "", 0, 60, 3.0, 7, 0, 0, 0, 2016},
    {"Bristol",          359000, 173000, 463, 52, 601, "E06000023", "E06000023", "", "", 0, 64, 3.0, 8, -1, 0, 8.0, 9999},
    {"Plymouth",         248000,  55500, 263, 50, 583, "E06000026", "E06000026", "", "", 0, 64, 2.5, 7, 0, -1, 1.7, 2015},
    {"Exeter",           292000,  92600, 131, 50, 581, "E07000041", "E10000008", "", "", 0, 48, 2.0, 10, 0, -1, 10.0, 2015},
    {"Southampton",      442000, 112500, 252, 44, 500, "E06000045", "E06000045", "", "", 0, 64, 2.5, 7, 0, -1, 2.0, 9999},
    {"Portsmouth",       465000, 101000, 215, 44, 498, "E06000044", "E06000044", "", "", 0, 68, 1.8, 6, 0, -1, 2.5, 9999},
    {"Brighton and Hove", 531000, 105000, 290, 47, 565, "E06000043", "E06000043", "", "", 0, 64, 2.5, 7, 0, -1, 1.0, 2016},
    {"Reading",          471500, 173400, 161, 43, 472, "E06000038", "E06000038", "", "", 0, 68, 2.0, 7, 0, 0, 0, 9999},
    {"Oxford",           451300, 206300, 152, 43, 482, "E07000178", "E10000025", "", "", 0, 56, 2.0, 9, 0, 0, 0, 9999},
    {"Milton Keynes",    485500, 238500, 270, 43, 479, "E06000042", "E06000042", "", "", 0, 48, 3.0, 9, 0, 0, 0, 9999},
    {"Cambridge",        545000, 258500, 125, 35, 390, "E07000008", "E10000003", "", "", 0, 52, 2.0, 10, 0, 0, 0, 2015},
    {"Peterborough",     519200, 298700, 202, 35, 394, "E06000031", "E06000031", "", "", 0, 48, 3.0, 10, 0, 0, 0, 2015},
    {"Norwich",          623000, 308600, 141, 36, 404, "E07000148", "E10000020", "", "", 0, 44, 2.0, 12, 1, 0, 29.0, 2016},
    {"Ipswich",          616300, 244600, 138, 37, 412, "E07000202", "E10000029", "", "", 0, 48, 2.0, 10, 1, 0, 13.0, 2016},
    {"Chelmsford",       570800, 206800, 178, 42, 454, "E07000070", "E10000012", "", "", 0, 40, 2.5, 10, 0, 0, 0, 2015},
    {"Southend-on-Sea",  588300, 186100, 183, 42, 460, "E06000033", "E06000033", "", "", 0, 72, 2.0, 6, 0, -1, 1.0, 2015},
    {"Luton",            509100, 221200, 213, 40, 421, "E06000032", "E06000032", "", "", 0, 68, 2.0, 7, 0, 0, 0, 2017},
    {"Maidstone",        575900, 155800, 170, 46, 536, "E07000110", "E10000016", "", "", 0, 36, 2.0, 10, 0, 0, 0, 2015},
    {"Medway",           575800, 167500, 278, 46, 544, "E06000035", "E06000035", "", "", 0, 56, 3.0, 7, 0, 1, 3.0, 2015},
    {"Guildford",        499500, 149600, 148, 45, 511, "E07000209", "E10000030", "", "", 0, 36, 2.0, 9, 0, 0, 0, 2016},
    {"Swindon",          415000, 184700, 222, 54, 633, "E06000030", "E06000030", "", "", 0, 52, 2.5, 9, 0, 0, 0, 2017},
    {"Gloucester",       383200, 218600, 129, 53, 623, "E07000081", "E10000013", "", "", 0, 56, 2.0, 9, 0, 0, 0, 2016},
    // Bournemouth: ONS code E06000028 until the 2019 merger into Bournemouth, Christchurch and Poole.
    {"Bournemouth",      408800,  91700, 195, 55, 640, "E06000058", "E06000058", "E06000028", "E06000028", 2019, 68, 2.5, 7, 0, -1, 1.0, 2016},
    {"Lincoln",          497600, 371400,  99, 32, 352, "E07000138", "E10000019", "", "", 0, 48, 1.8, 12, 0, 0, 0, 2017},
    {"Preston",          354000, 429500, 142,  4,  79, "E07000123", "E10000017", "", "", 0, 48, 2.0, 9, 0, 0, 0, 2016},
    {"Blackpool",        331000, 436000, 139,  4,  71, "E06000009", "E06000009", "", "", 0, 72, 1.8, 5, -1, 0, 0.8, 2016},
    {"Warrington",       360700, 388300, 210,  7, 128, "E06000007", "E06000007", "", "", 0, 48, 2.5, 8, 0, 0, 0, 9999},
    {"Chester",          340600, 366300, 343,  7, 130, "E06000050", "E06000050", "", "", 0, 32, 2.5, 12, 0, 0, 0, 9999},
    {"Durham",           427400, 542500, 527, 11, 169, "E06000047", "E06000047", "", "", 0, 32, 3.0, 14, 0, 0, 0, 2016},
    {"Telford",          369800, 308900, 179, 22, 284, "E06000020", "E06000020", "", "", 0, 48, 2.5, 9, 0, 0, 0, 2016},
    {"Worcester",        385000, 254800, 101, 22, 276, "E07000237", "E10000034", "", "", 0, 56, 1.8, 9, 0, 0, 0, 2016},
    {"Leamington Spa",   431700, 265800, 143, 23, 294, "E07000222", "E10000031", "", "", 0, 44, 2.0, 9, 0, 0, 0, 2016},
    // Wales.
    {"Cardiff",          318400, 176500, 364, 62, 741, "W06000015", "W06000015", "", "", 0, 68, 3.0, 7, 0, -1, 2.5, 9999},
    {"Swansea",          265700, 193000, 246, 62, 745, "W06000011", "W06000011", "", "", 0, 56, 2.5, 8, 0, -1, 1.0, 9999},
    {"Newport",          331000, 188000, 153, 61, 733, "W06000022", "W06000022", "", "", 0, 56, 2.0, 7, 0, -1, 5.0, 2017},
    {"Wrexham",          333500, 350300, 136, 60, 725, "W06000006", "W06000006", "", "", 0, 36, 2.0, 10, 0, 0, 0, 2017},
    {"Llanelli",         251000, 200500, 188, 63, 751, "W06000010", "W06000010", "", "", 0, 28, 2.0, 12, 0, -1, 1.5, 9999},
    // Scotland (legacy division code; 99 from kPoliceScotlandFromYear). Glasgow and Fife changed
    // ONS codes with the 2018-2019 boundary reviews.
    {"Glasgow",          259000, 665500, 284, 97, 926, "S12000049", "S12000049", "S12000046", "S12000043", 2019, 68, 3.5, 8, 0, 0, 0, 2019},
    {"Edinburgh",        325800, 673600, 236, 95, 923, "S12000036", "S12000036", "", "", 0, 68, 3.0, 8, 0, 1, 3.0, 2019},
    {"Aberdeen",         394200, 806300, 103, 92, 910, "S12000033", "S12000033", "", "", 0, 64, 2.5, 8, 1, 0, 1.0, 2019},
    {"Dundee",           340300, 730400,  67, 93, 918, "S12000042", "S12000042", "", "", 0, 68, 2.0, 6, 0, -1, 0.6, 2019},
    {"Inverness",        266600, 845200, 106, 91, 927, "S12000017", "S12000017", "", "", 0, 28, 2.0, 14, 1, 1, 2.0, 2019},
    {"Stirling",         279600, 693600,  42, 96, 939, "S12000030", "S12000030", "", "", 0, 36, 1.8, 9, 0, 0, 0, 2019},
    {"Kirkcaldy",        328300, 691800, 167, 94, 925, "S12000047", "S12000047", "S12000015", "S12000015", 2018, 40, 2.0, 10, 1, -1, 0.8, 2019},
    {"Dumfries",         297300, 576200,  67, 98, 917, "S12000006", "S12000006", "", "", 0, 28, 2.0, 12, 0, -1, 12.0, 2019},
};
// clang-format on
constexpr std::size_t kTownCount = std::size(kTowns);

// Town choice: cumulative weights as 32-bit thresholds, built once at compile time.
constexpr std::array<std::uint64_t, kTownCount> make_town_thresholds() {
    std::array<std::uint64_t, kTownCount> t{};
    double total = 0;
    for (const auto& town : kTowns) total += town.weight;
    double cumulative = 0;
    for (std::size_t i = 0; i < kTownCount; ++i) {
        cumulative += kTowns[i].weight;
        t[i] = static_cast<std::uint64_t>(cumulative / total * 4294967296.0 + 0.5);
    }
    t[kTownCount - 1] = 4294967296ULL;
    return t;
}
constexpr auto kTownThresholds = make_town_thresholds();

std::size_t pick_town(Rng& rng) {
    const std::uint64_t u = rng.bits32();
    const auto it = std::upper_bound(kTownThresholds.begin(), kTownThresholds.end(), u);
    return static_cast<std::size_t>(
        std::min<std::ptrdiff_t>(it - kTownThresholds.begin(), static_cast<std::ptrdiff_t>(kTownCount - 1)));
}

// The GB bounding box of the DfT data (BNG metres); a safety net after the coast reflection.
constexpr double kMinEasting = 64950, kMaxEasting = 655391, kMinNorthing = 10235, kMaxNorthing = 1209512;

// ------------------------------------------------------------------------------------------------
// BNG -> WGS84 longitude/latitude. Inverse transverse Mercator on the Airy 1830 ellipsoid
// (Ordnance Survey, "A guide to coordinate systems in Great Britain", annex C) gives OSGB36
// latitude/longitude; the OS 7-parameter Helmert transformation (same guide, section 6.6) then
// moves it to WGS84. The Helmert step is good to a few metres (OSTN15 would give ~0.1 m); without
// it the error would be ~100 m.

struct LonLat {
    double lon, lat;
};

LonLat bng_to_wgs84(double easting, double northing) {
    constexpr double kPi = 3.14159265358979323846;
    constexpr double kDeg = kPi / 180.0;
    constexpr double a = 6377563.396, b = 6356256.909;  // Airy 1830
    constexpr double f0 = 0.9996012717;
    constexpr double lat0 = 49.0 * kDeg, lon0 = -2.0 * kDeg;
    constexpr double n0 = -100000.0, e0 = 400000.0;
    constexpr double e2 = (a * a - b * b) / (a * a);
    constexpr double n = (a - b) / (a + b), n2 = n * n, n3 = n2 * n;

    double lat = lat0 + (northing - n0) / (a * f0);
    double m = 0;
    for (int iter = 0; iter < 10; ++iter) {
        const double dl = lat - lat0, sl = lat + lat0;
        m = b * f0 *
            ((1 + n + 1.25 * n2 + 1.25 * n3) * dl - (3 * n + 3 * n2 + 2.625 * n3) * std::sin(dl) * std::cos(sl) +
             (1.875 * n2 + 1.875 * n3) * std::sin(2 * dl) * std::cos(2 * sl) -
             (35.0 / 24.0) * n3 * std::sin(3 * dl) * std::cos(3 * sl));
        const double residual = northing - n0 - m;
        if (std::fabs(residual) < 1e-5) break;
        lat += residual / (a * f0);
    }
    const double s = std::sin(lat), c = std::cos(lat), t = std::tan(lat);
    const double t2 = t * t, t4 = t2 * t2, t6 = t4 * t2;
    const double nu = a * f0 / std::sqrt(1 - e2 * s * s);
    const double rho = a * f0 * (1 - e2) / std::pow(1 - e2 * s * s, 1.5);
    const double eta2 = nu / rho - 1;
    const double nu3 = nu * nu * nu, nu5 = nu3 * nu * nu, nu7 = nu5 * nu * nu;
    const double sec = 1 / c;
    const double vii = t / (2 * rho * nu);
    const double viii = t / (24 * rho * nu3) * (5 + 3 * t2 + eta2 - 9 * t2 * eta2);
    const double ix = t / (720 * rho * nu5) * (61 + 90 * t2 + 45 * t4);
    const double x = sec / nu;
    const double xi = sec / (6 * nu3) * (nu / rho + 2 * t2);
    const double xii = sec / (120 * nu5) * (5 + 28 * t2 + 24 * t4);
    const double xiia = sec / (5040 * nu7) * (61 + 662 * t2 + 1320 * t4 + 720 * t6);
    const double de = easting - e0, de2 = de * de, de3 = de2 * de, de4 = de2 * de2;
    const double phi = lat - vii * de2 + viii * de4 - ix * de4 * de2;
    const double lam = lon0 + x * de - xi * de3 + xii * de3 * de2 - xiia * de4 * de3;

    // OSGB36 geodetic -> cartesian (height 0).
    const double sp = std::sin(phi), cp = std::cos(phi);
    const double nu_a = a / std::sqrt(1 - e2 * sp * sp);
    const double x1 = nu_a * cp * std::cos(lam), y1 = nu_a * cp * std::sin(lam), z1 = nu_a * (1 - e2) * sp;
    // Helmert OSGB36 -> WGS84.
    constexpr double tx = 446.448, ty = -125.157, tz = 542.060, sc = -20.4894e-6;
    constexpr double arcsec = kDeg / 3600.0;
    constexpr double rx = 0.1502 * arcsec, ry = 0.2470 * arcsec, rz = 0.8421 * arcsec;
    const double x2 = tx + (1 + sc) * x1 - rz * y1 + ry * z1;
    const double y2 = ty + rz * x1 + (1 + sc) * y1 - rx * z1;
    const double z2 = tz - ry * x1 + rx * y1 + (1 + sc) * z1;
    // Cartesian -> WGS84 geodetic.
    constexpr double wa = 6378137.0, wb = 6356752.314245;
    constexpr double we2 = (wa * wa - wb * wb) / (wa * wa);
    const double p = std::sqrt(x2 * x2 + y2 * y2);
    double wlat = std::atan2(z2, p * (1 - we2));
    for (int iter = 0; iter < 4; ++iter) {
        const double sw = std::sin(wlat);
        const double nuw = wa / std::sqrt(1 - we2 * sw * sw);
        wlat = std::atan2(z2 + we2 * nuw * sw, p);
    }
    return {std::atan2(y2, x2) / kDeg, wlat / kDeg};
}

// ------------------------------------------------------------------------------------------------
// Calendar

constexpr bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

constexpr int days_in_month(int y, int m) {
    constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<std::int64_t>(y - era * 400);
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

// Share of a year's collisions by month, % (GB reported collisions by month, 2015-2019: lowest in
// February and April, highest in October-November when evenings get dark).
constexpr double kMonthShare[12] = {7.9, 7.4, 7.9, 7.6, 8.5, 8.4, 8.7, 8.0, 8.6, 9.1, 9.2, 8.7};
// Relative daily level, Sunday..Saturday (Friday the busiest, Sunday the quietest).
constexpr double kDayOfWeekFactor[7] = {0.78, 0.98, 1.04, 1.05, 1.07, 1.17, 0.91};

struct Day {
    std::uint8_t day, month, dow;  // dow: 1 = Sunday .. 7 = Saturday (DfT code)
};

// One year's days and their cumulative sampling thresholds.
class YearCalendar {
public:
    explicit YearCalendar(int year) {
        const std::int64_t jan1 = days_from_civil(year, 1, 1);
        double weights[366];
        double total = 0;
        for (int m = 1; m <= 12; ++m) {
            const int dim = days_in_month(year, m);
            for (int d = 1; d <= dim; ++d) {
                const auto dow0 = static_cast<int>(((jan1 + count_) % 7 + 7 + 4) % 7);  // 0 = Sunday
                days_[count_] = {static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(m),
                                 static_cast<std::uint8_t>(dow0 + 1)};
                weights[count_] = kMonthShare[m - 1] / dim * kDayOfWeekFactor[dow0];
                total += weights[count_];
                ++count_;
            }
        }
        double cumulative = 0;
        for (int i = 0; i < count_; ++i) {
            cumulative += weights[i];
            thresholds_[i] = static_cast<std::uint64_t>(cumulative / total * 4294967296.0 + 0.5);
        }
        thresholds_[count_ - 1] = 4294967296ULL;
    }
    const Day& sample(Rng& rng) const {
        const std::uint64_t u = rng.bits32();
        const auto* end = thresholds_ + count_;
        const auto* it = std::upper_bound(thresholds_, end, u);
        return days_[std::min<std::ptrdiff_t>(it - thresholds_, count_ - 1)];
    }

private:
    Day days_[366]{};
    std::uint64_t thresholds_[366]{};
    int count_ = 0;
};

// Hour of day, % of collisions (GB reported collisions by hour, 2015-2019, RAS30 tables: weekday
// morning peak 08:00-09:00 and a broader evening peak 15:00-19:00; weekend flat midday hump with
// more night-time collisions).
constexpr auto kHourWeekday =
    make_table({{0, 0.8},  {1, 0.5},  {2, 0.4},  {3, 0.3},  {4, 0.3},  {5, 0.8},  {6, 2.0},  {7, 5.0},
                {8, 7.5},  {9, 5.0},  {10, 4.5}, {11, 5.0}, {12, 5.8}, {13, 6.0}, {14, 6.3}, {15, 8.3},
                {16, 8.8}, {17, 9.3}, {18, 7.0}, {19, 4.8}, {20, 3.5}, {21, 3.0}, {22, 2.3}, {23, 1.5}});
constexpr auto kHourWeekend =
    make_table({{0, 2.0},  {1, 1.6},  {2, 1.4},  {3, 1.0},  {4, 0.7},  {5, 0.8},  {6, 1.2},  {7, 1.8},
                {8, 2.8},  {9, 4.2},  {10, 5.6}, {11, 6.8}, {12, 7.4}, {13, 7.5}, {14, 7.4}, {15, 7.4},
                {16, 7.3}, {17, 7.0}, {18, 6.2}, {19, 5.0}, {20, 4.0}, {21, 3.5}, {22, 3.2}, {23, 2.7}});

// Reported times heap on round minutes: about a fifth on the hour, then :30, :15/:45, other
// multiples of 5 (reasoned from the shape of real time columns).
int sample_minute(Rng& rng) {
    const double u = rng.uniform();
    if (u < 0.18) return 0;
    if (u < 0.28) return 30;
    if (u < 0.34) return 15;
    if (u < 0.40) return 45;
    if (u < 0.62) return 5 * rng.between(0, 11);
    return rng.between(0, 59);
}

// Approximate sunrise and sunset, local clock minutes, mid-month for central GB (~53 N), with
// British Summer Time from April to October.
constexpr int kSunrise[12] = {490, 450, 385, 375, 315, 285, 305, 350, 400, 450, 445, 485};
constexpr int kSunset[12] = {980, 1035, 1085, 1200, 1250, 1290, 1280, 1230, 1160, 1090, 975, 955};

// ------------------------------------------------------------------------------------------------
// Collision-level tables (weights are % of collisions unless said otherwise).

// Darkness by lighting: street lighting is the rule in urban areas, absent in most rural ones.
// Nationally ~72% daylight, ~20% dark-lit, ~6% dark-unlit-road, ~1.5% lighting unknown.
constexpr auto kDarkUrban = make_table({{4, 85}, {5, 3}, {6, 5}, {7, 6.8}, {-1, 0.2}});
constexpr auto kDarkRural = make_table({{4, 28}, {5, 2}, {6, 62}, {7, 7.8}, {-1, 0.2}});

// Weather: ~80% fine, ~12% rain; snow and fog in winter only (Nov-Mar).
constexpr auto kWeatherWinter =
    make_table({{1, 73}, {2, 15}, {3, 1.5}, {4, 1.3}, {5, 2.0}, {6, 0.3}, {7, 1.0}, {8, 2.7}, {9, 3.0}, {-1, 0.2}});
constexpr auto kWeatherSummer =
    make_table({{1, 83}, {2, 10}, {4, 1.0}, {5, 0.9}, {7, 0.3}, {8, 2.3}, {9, 2.3}, {-1, 0.2}});

// Road surface given the weather (dry ~70%, wet ~27% nationally).
constexpr auto kSurfaceFineWinter = make_table({{1, 82}, {2, 12}, {4, 4}, {9, 1}, {-1, 1}});
constexpr auto kSurfaceFineSummer = make_table({{1, 89}, {2, 9.5}, {9, 0.8}, {-1, 0.7}});
constexpr auto kSurfaceRain = make_table({{1, 3}, {2, 94}, {5, 0.6}, {6, 0.2}, {7, 0.2}, {9, 1}, {-1, 1}});
constexpr auto kSurfaceSnow = make_table({{1, 1}, {2, 12}, {3, 55}, {4, 30}, {9, 1}, {-1, 1}});
constexpr auto kSurfaceFog = make_table({{1, 40}, {2, 50}, {4, 8}, {9, 1}, {-1, 1}});
constexpr auto kSurfaceOther = make_table({{1, 50}, {2, 40}, {4, 2}, {6, 0.5}, {7, 0.5}, {9, 4}, {-1, 3}});

// First road class: A roads carry ~45% of collisions, unclassified ~32%, motorways ~3.5%.
constexpr auto kRoadClassUrban = make_table({{1, 1.2}, {2, 0.2}, {3, 42}, {4, 10}, {5, 5}, {6, 41.6}});
constexpr auto kRoadClassRural = make_table({{1, 7}, {2, 0.5}, {3, 50}, {4, 15}, {5, 12}, {6, 15.5}});
constexpr int kMotorways[] = {1,  2,  3,  4,  5,  6,  8,  9,  11, 18, 20, 23,  25,
                              26, 27, 40, 42, 50, 56, 60, 61, 62, 65, 74, 180, 606};
constexpr int kAMotorways[] = {1, 3, 38, 48, 57, 58, 64, 74, 167, 194, 308, 404, 601, 627, 823};

// Speed limit (mph): 30 on ~57% of collisions nationally, 60 ~13%, 40 ~8%, 20 ~8%, 70 ~7%.
constexpr auto kSpeedMotorway = make_table({{70, 95}, {50, 3}, {60, 1}, {40, 1}});
constexpr auto kSpeedUrban = make_table({{30, 78}, {20, 9.5}, {40, 8}, {50, 2.3}, {60, 1.3}, {70, 0.9}});
constexpr auto kSpeedRural = make_table({{60, 45}, {30, 20}, {40, 15}, {50, 10}, {70, 8}, {20, 2}});

// Road type: single carriageway ~74%, dual ~15%, roundabout ~7%.
constexpr auto kRoadTypeMotorway = make_table({{3, 88}, {7, 9}, {1, 2}, {9, 1}});
constexpr auto kRoadTypeOther =
    make_table({{6, 74}, {3, 13}, {1, 7}, {2, 2.4}, {7, 1}, {12, 0.1}, {9, 2.3}, {-1, 0.2}});

// Junction detail (2024 codes): ~42% not at a junction, ~30% T or staggered, ~9% crossroads.
// The 2024 list has no roundabout or slip-road code (roundabouts and slip roads are road_type 1
// and 7), so those junctions are 19 "other junction".
constexpr auto kJunctionPlain =
    make_table({{0, 44}, {13, 32}, {16, 10}, {17, 1.2}, {18, 4}, {19, 5.5}, {99, 0.3}, {-1, 0.5}});
constexpr auto kJunctionMotorway = make_table({{0, 95}, {19, 5}});
constexpr auto kJunctionRoundabout = make_table({{19, 98}, {99, 1}, {-1, 1}});
constexpr auto kJunctionSlip = make_table({{19, 60}, {0, 40}});

// Junction control at a junction: give way ~76%, signals ~19%.
constexpr auto kJunctionControl = make_table({{4, 76}, {2, 19}, {3, 0.6}, {1, 0.3}, {9, 1.5}, {-1, 2.6}});
constexpr auto kJunctionControlRoundabout = make_table({{4, 90}, {2, 8}, {9, 1}, {-1, 1}});
// Second road class at a junction: mostly unclassified side roads.
constexpr auto kSecondRoadClass = make_table({{6, 55}, {3, 20}, {4, 6}, {5, 6}, {1, 0.7}, {2, 0.1}, {9, 0.5}, {-1, 1}});

constexpr auto kCrossingHuman = make_table({{0, 98.3}, {1, 0.3}, {2, 0.4}, {9, 0.6}, {-1, 0.4}});
constexpr auto kCrossingPhysicalUrban =
    make_table({{0, 79}, {1, 2.5}, {4, 4.5}, {5, 7.5}, {7, 0.2}, {8, 2.3}, {9, 2}, {-1, 2}});
constexpr auto kCrossingPhysicalRural = make_table({{0, 95}, {1, 0.3}, {4, 0.7}, {5, 1}, {8, 1}, {9, 1}, {-1, 1}});

constexpr auto kSpecialConditions = make_table(
    {{0, 96.8}, {1, 0.15}, {2, 0.1}, {3, 0.25}, {4, 1.1}, {5, 0.45}, {6, 0.2}, {7, 0.25}, {9, 0.5}, {-1, 0.2}});
// Carriageway hazards (2024 codes): almost always none.
constexpr auto kCarriagewayHazards = make_table({{0, 97.4},
                                                 {11, 0.05},
                                                 {12, 0.1},
                                                 {13, 0.5},
                                                 {14, 0.15},
                                                 {15, 0.15},
                                                 {16, 0.1},
                                                 {17, 0.6},
                                                 {18, 0.3},
                                                 {19, 0.15},
                                                 {20, 0.4},
                                                 {21, 0.3},
                                                 {99, 0.3},
                                                 {-1, 0.2}});

// Police attendance: nearly always for fatal collisions, ~3/4 of slight ones (the rest reported at
// a police station or online, code 3 self-report).
constexpr auto kPoliceAttendFatal = make_table({{1, 99}, {2, 1}});
constexpr auto kPoliceAttendSerious = make_table({{1, 88}, {2, 9}, {3, 3}});
constexpr auto kPoliceAttendSlight = make_table({{1, 72}, {2, 21}, {3, 6.9}, {-1, 0.1}});

constexpr auto kTrunkMotorway = make_table({{1, 90}, {2, 8}, {-1, 2}});
constexpr auto kTrunkA = make_table({{1, 18}, {2, 80}, {-1, 2}});
constexpr auto kTrunkOther = make_table({{2, 97}, {-1, 3}});

// Vehicles per collision: one ~32% (many with a pedestrian), two ~57%: mean ~1.84.
constexpr auto kVehicleCount =
    make_table({{1, 32}, {2, 57}, {3, 8}, {4, 2.1}, {5, 0.55}, {6, 0.2}, {7, 0.08}, {8, 0.07}});
// Casualties per collision: mean ~1.33.
constexpr auto kCasualtyCount =
    make_table({{1, 78}, {2, 15}, {3, 4.5}, {4, 1.5}, {5, 0.6}, {6, 0.25}, {7, 0.1}, {8, 0.05}});
constexpr int kMaxVehicles = 8;
constexpr int kMaxCasualties = 8;

// ------------------------------------------------------------------------------------------------
// Vehicle-level tables (% of vehicles involved).

// Vehicle type: cars ~68%, pedal cycles ~8%, motorcycles ~8%, vans ~6%.
constexpr auto kVehicleType =
    make_table({{9, 68.5}, {1, 8.0},  {19, 6.3},  {3, 3.2},  {5, 2.8},   {4, 1.0},   {2, 0.6},
                {8, 2.3},  {11, 1.6}, {21, 1.6},  {20, 0.6}, {98, 0.15}, {97, 0.15}, {10, 0.15},
                {90, 0.9}, {17, 0.2}, {16, 0.05}, {22, 0.1}, {23, 0.05}, {18, 0.02}, {-1, 0.1}});

enum class Kind { Car, Cycle, Motorcycle, Van, Goods, Bus, Other, Single };

Kind kind_of(int vehicle_type) {
    switch (vehicle_type) {
        case 8:
        case 9:
            return Kind::Car;
        case 1:
            return Kind::Cycle;
        case 2:
        case 3:
        case 4:
        case 5:
        case 23:
        case 97:
            return Kind::Motorcycle;
        case 19:
            return Kind::Van;
        case 20:
        case 21:
        case 98:
            return Kind::Goods;
        case 10:
        case 11:
        case 18:
            return Kind::Bus;
        case 16:
        case 22:
            return Kind::Single;  // ridden horse, mobility scooter
        default:
            return Kind::Other;  // 17 agricultural, 90 other, -1
    }
}

bool vulnerable(Kind k) {
    return k == Kind::Cycle || k == Kind::Motorcycle || k == Kind::Single;
}

// Weight of "this vehicle's driver/rider is (another) casualty": riders of two-wheelers are far
// more often hurt than car drivers, occupants of heavy vehicles rarely.
double driver_hurt_weight(Kind k) {
    switch (k) {
        case Kind::Cycle:
        case Kind::Motorcycle:
        case Kind::Single:
            return 6.0;
        case Kind::Car:
        case Kind::Van:
        case Kind::Other:
            return 2.0;
        case Kind::Goods:
        case Kind::Bus:
            return 0.4;
    }
    return 1.0;
}
// Weight of "a passenger of this vehicle is a casualty".
double passenger_weight(Kind k, int vehicle_type) {
    switch (k) {
        case Kind::Car:
            return 0.8;
        case Kind::Bus:
            return vehicle_type == 18 ? 0.6 : 0.9;
        case Kind::Van:
            return 0.35;
        case Kind::Motorcycle:
            return 0.15;
        case Kind::Goods:
            return 0.1;
        case Kind::Other:
            return 0.2;
        case Kind::Cycle:
        case Kind::Single:
            return 0.0;
    }
    return 0.0;
}

constexpr auto kTowingArticulated = make_table({{1, 55}, {0, 40}, {2, 1}, {4, 2}, {9, 1}, {-1, 1}});
constexpr auto kTowingMotor = make_table({{0, 97.4}, {3, 0.15}, {4, 0.4}, {5, 0.1}, {9, 1}, {-1, 0.95}});
constexpr auto kTowingNone = make_table({{0, 98}, {9, 1}, {-1, 1}});

// Manoeuvre (2024 codes): going ahead ~50%, turning right ~9%, slowing ~7%.
constexpr auto kManoeuvre = make_table({{19, 50},
                                        {4, 7},
                                        {9, 9},
                                        {7, 4},
                                        {3, 8},
                                        {2, 4},
                                        {5, 4},
                                        {1, 2},
                                        {10, 2},
                                        {11, 1},
                                        {12, 1},
                                        {13, 2},
                                        {14, 0.5},
                                        {15, 0.4},
                                        {6, 1},
                                        {8, 0.2},
                                        {20, 0.3},
                                        {99, 2},
                                        {-1, 1.5}});

constexpr auto kRestrictedLane =
    make_table({{0, 97}, {1, 0.05}, {2, 0.45}, {4, 0.5}, {5, 0.3}, {6, 0.2}, {9, 0.6}, {99, 0.5}, {-1, 0.4}});
constexpr auto kRestrictedLaneCycle = make_table({{0, 85}, {2, 1.7}, {4, 6}, {5, 3}, {9, 3}, {99, 0.8}, {-1, 0.5}});

constexpr auto kJunctionLocation =
    make_table({{1, 25}, {2, 10}, {3, 2}, {4, 3}, {5, 12}, {6, 15}, {7, 1}, {8, 28}, {9, 3}, {-1, 1}});
constexpr auto kJunctionLocationRoundabout = make_table({{1, 15}, {2, 3}, {3, 15}, {4, 30}, {8, 33}, {9, 3}, {-1, 1}});
constexpr auto kJunctionLocationNone = make_table({{0, 98}, {9, 1}, {-1, 1}});

constexpr auto kSkiddingDry =
    make_table({{0, 90}, {1, 5}, {2, 1}, {3, 0.05}, {4, 0.05}, {5, 1.5}, {9, 1.6}, {-1, 0.8}});
constexpr auto kSkiddingSlippery =
    make_table({{0, 75}, {1, 17}, {2, 3}, {3, 0.2}, {4, 0.1}, {5, 1.5}, {9, 2}, {-1, 1.2}});

// Single-vehicle collisions without a pedestrian are mostly loss-of-control: leaving the
// carriageway and hitting objects is common there, rare otherwise.
constexpr auto kHitInSingle = make_table({{0, 80},
                                          {1, 0.2},
                                          {2, 0.5},
                                          {4, 6},
                                          {5, 0.3},
                                          {6, 0.4},
                                          {7, 2},
                                          {8, 1},
                                          {9, 1},
                                          {10, 5},
                                          {11, 2},
                                          {12, 1},
                                          {99, 0.5},
                                          {-1, 0.5}});
constexpr auto kHitInOther =
    make_table({{0, 97}, {1, 0.2}, {2, 0.1}, {4, 1}, {7, 0.2}, {8, 0.3}, {10, 0.5}, {11, 0.2}, {99, 0.3}, {-1, 0.2}});
constexpr auto kLeavingSingle =
    make_table({{0, 45}, {1, 20}, {2, 4}, {3, 2}, {4, 3}, {5, 1}, {6, 1}, {7, 15}, {8, 4}, {9, 3}, {-1, 2}});
constexpr auto kLeavingOther = make_table(
    {{0, 96}, {1, 1.2}, {2, 0.2}, {3, 0.1}, {4, 0.3}, {5, 0.1}, {6, 0.1}, {7, 0.7}, {8, 0.2}, {9, 0.6}, {-1, 0.5}});
constexpr auto kHitOffLeft = make_table({{0, 40},
                                         {1, 8},
                                         {2, 6},
                                         {3, 2},
                                         {4, 12},
                                         {5, 0.5},
                                         {6, 4},
                                         {7, 6},
                                         {8, 0.1},
                                         {9, 6},
                                         {10, 5},
                                         {11, 10},
                                         {99, 0.4}});
constexpr auto kHitOffStayed = make_table({{0, 99.5}, {99, 0.3}, {-1, 0.2}});

constexpr auto kFirstImpact = make_table({{1, 50}, {2, 20}, {3, 12}, {4, 11}, {0, 3}, {9, 2}, {-1, 2}});
constexpr auto kFirstImpactParked = make_table({{2, 35}, {3, 35}, {4, 15}, {1, 10}, {9, 3}, {-1, 2}});
constexpr auto kLeftHandDrive = make_table({{1, 94}, {2, 0.8}, {9, 2.5}, {-1, 2.7}});
constexpr auto kLeftHandDriveHgv = make_table({{1, 88}, {2, 6}, {9, 3}, {-1, 3}});
// Journey purpose (2024 codes): mostly not known / not requested, then leisure, work, commuting.
constexpr auto kJourneyPurpose = make_table({{6, 45}, {9, 27}, {1, 12}, {2, 11}, {7, 1}, {8, 0.3}, {-1, 3.7}});
constexpr auto kJourneyPurposeWork = make_table({{1, 70}, {2, 5}, {6, 15}, {9, 4}, {8, 1}, {-1, 5}});

// Direction from: the 8 compass points evenly, a few unknown.
constexpr auto kDirection = make_table(
    {{1, 11.6}, {2, 11.6}, {3, 11.6}, {4, 11.6}, {5, 11.6}, {6, 11.6}, {7, 11.6}, {8, 11.6}, {9, 5}, {-1, 2.2}});

// Age bands (DfT codes 1..11) by road-user role, % of that role's casualties/drivers; the age is
// then uniform within the band. Drivers of motor vehicles peak at 26-35; cyclists include
// children; pedestrians are bimodal (children, the elderly).
constexpr int kBandLow[12] = {0, 0, 6, 11, 16, 21, 26, 36, 46, 56, 66, 76};
constexpr int kBandHigh[12] = {0, 5, 10, 15, 20, 25, 35, 45, 55, 65, 75, 95};
constexpr auto kBandDriver = make_table({{4, 8}, {5, 12}, {6, 23}, {7, 18}, {8, 17}, {9, 11}, {10, 6}, {11, 5}});
constexpr auto kBandRider = make_table({{4, 14}, {5, 14}, {6, 20}, {7, 15}, {8, 18}, {9, 12}, {10, 5}, {11, 2}});
constexpr auto kBandCyclist =
    make_table({{2, 2}, {3, 7}, {4, 6}, {5, 8}, {6, 20}, {7, 19}, {8, 20}, {9, 12}, {10, 5}, {11, 1}});
constexpr auto kBandPassenger =
    make_table({{1, 5}, {2, 6}, {3, 8}, {4, 16}, {5, 14}, {6, 16}, {7, 10}, {8, 9}, {9, 7}, {10, 5}, {11, 4}});
constexpr auto kBandPedestrian =
    make_table({{1, 4}, {2, 8}, {3, 12}, {4, 9}, {5, 8}, {6, 13}, {7, 10}, {8, 10}, {9, 9}, {10, 8}, {11, 9}});

int age_band_of(int age) {
    if (age < 0) return -1;
    for (int band = 1; band <= 11; ++band)
        if (age <= kBandHigh[band]) return band;
    return 11;
}

// Engines (cc) by vehicle kind: common displacements.
constexpr auto kEngineCar = make_table({{998, 8},
                                        {999, 6},
                                        {1197, 5},
                                        {1198, 6},
                                        {1242, 4},
                                        {1248, 4},
                                        {1368, 4},
                                        {1395, 4},
                                        {1461, 5},
                                        {1498, 6},
                                        {1499, 4},
                                        {1560, 5},
                                        {1598, 8},
                                        {1968, 10},
                                        {1995, 7},
                                        {1998, 3},
                                        {2143, 4},
                                        {2179, 2},
                                        {2993, 3}});
constexpr auto kEngineVan =
    make_table({{1461, 10}, {1598, 10}, {1968, 20}, {1995, 15}, {2143, 15}, {2198, 15}, {2299, 10}, {2993, 5}});
constexpr auto kEngineGoods = make_table({{4400, 15}, {5100, 15}, {6700, 20}, {7700, 15}, {10800, 15}, {12800, 20}});
constexpr auto kEngineBus = make_table({{4500, 20}, {6700, 40}, {7200, 25}, {8900, 15}});
constexpr auto kEngineMoto500 = make_table({{250, 30}, {300, 20}, {399, 15}, {471, 15}, {499, 20}});
constexpr auto kEngineMotoBig =
    make_table({{599, 15}, {649, 15}, {689, 10}, {750, 10}, {899, 15}, {998, 15}, {1170, 10}, {1254, 10}});

// Make and model strings (field introduced in 2020): common GB models by vehicle kind.
constexpr std::string_view kCarModels[] = {"FORD FIESTA",     "VAUXHALL CORSA", "VOLKSWAGEN GOLF",
                                           "FORD FOCUS",      "VAUXHALL ASTRA", "NISSAN QASHQAI",
                                           "VOLKSWAGEN POLO", "BMW 3 SERIES",   "MERCEDES C CLASS",
                                           "AUDI A3",         "TOYOTA YARIS",   "PEUGEOT 208",
                                           "MINI HATCH",      "KIA SPORTAGE",   "HONDA CIVIC",
                                           "RENAULT CLIO",    "TOYOTA PRIUS",   "SKODA OCTAVIA",
                                           "NISSAN JUKE",     "HYUNDAI TUCSON", "LAND ROVER RANGE ROVER SPORT",
                                           "BMW 1 SERIES",    "TESLA MODEL 3",  "VAUXHALL INSIGNIA"};
constexpr std::string_view kVanModels[] = {"FORD TRANSIT",        "MERCEDES SPRINTER", "VOLKSWAGEN TRANSPORTER",
                                           "VAUXHALL VIVARO",     "CITROEN BERLINGO",  "PEUGEOT PARTNER",
                                           "FORD TRANSIT CUSTOM", "RENAULT TRAFIC"};
constexpr std::string_view kMotoModels[] = {"HONDA PCX125",    "YAMAHA NMAX",  "HONDA CBF125",  "HONDA CB500",
                                            "KAWASAKI Z650",   "YAMAHA MT-07", "BMW R 1250 GS", "TRIUMPH STREET TRIPLE",
                                            "SUZUKI GSX-R750", "LEXMOTO ISIS"};
constexpr std::string_view kGoodsModels[] = {"DAF CF", "SCANIA R SERIES", "VOLVO FH", "MERCEDES ACTROS",
                                             "DAF LF", "IVECO DAILY",     "MAN TGX"};
constexpr std::string_view kBusModels[] = {"ALEXANDER DENNIS ENVIRO400", "WRIGHTBUS STREETDECK", "VOLVO B5TL",
                                           "OPTARE SOLO", "MERCEDES CITARO"};

// Journey distance bands (field introduced in 2023): most collisions close to home.
constexpr auto kDistanceBand = make_table({{1, 45}, {2, 15}, {3, 12}, {4, 13}, {5, 3}, {-1, 12}});
// IMD decile of the home LSOA: more collisions involve people from deprived areas.
constexpr auto kImdDecile =
    make_table({{1, 13}, {2, 12}, {3, 11.5}, {4, 11}, {5, 10}, {6, 9.5}, {7, 9}, {8, 8.5}, {9, 8}, {10, 7.5}});
constexpr auto kHomeArea = make_table({{1, 76}, {2, 12}, {3, 12}});

// ------------------------------------------------------------------------------------------------
// Casualty-level tables.

constexpr auto kPedLocation =
    make_table({{5, 35}, {1, 9}, {4, 10}, {6, 10}, {9, 10}, {10, 15}, {2, 1}, {3, 1}, {7, 1}, {8, 3}, {-1, 5}});
constexpr auto kPedMovement =
    make_table({{1, 40}, {3, 18}, {2, 5}, {4, 2}, {5, 2}, {6, 1}, {7, 2}, {8, 2}, {9, 26}, {-1, 2}});
constexpr auto kCarPassenger = make_table({{1, 58}, {2, 40}, {9, 0.5}, {-1, 1.5}});
constexpr auto kBusPassenger = make_table({{4, 50}, {3, 25}, {2, 10}, {1, 10}, {9, 2}, {-1, 3}});
constexpr auto kRoadWorker = make_table({{0, 93}, {2, 6}, {1, 0.5}, {3, 0.3}, {-1, 0.2}});
// Serious injuries by enhanced category (injury-based forces): very / moderately / less serious.
constexpr auto kEnhancedSerious = make_table({{5, 12}, {6, 38}, {7, 50}});

// Collision severity (1 fatal, 2 serious, 3 slight) by whether a pedestrian or a two-wheeler is
// involved and by area: weights chosen so that the national mix is ~1.3% fatal and ~19% serious
// (vulnerable involvement in ~35% of collisions; rural collisions ~1.8x as often fatal as average,
// urban ~0.6x).
constexpr auto kSeverityVulnerableUrban = make_table({{1, 1.2}, {2, 25}, {3, 73.8}});
constexpr auto kSeverityVulnerableRural = make_table({{1, 3.5}, {2, 33}, {3, 63.5}});
constexpr auto kSeverityOtherUrban = make_table({{1, 0.42}, {2, 11}, {3, 88.58}});
constexpr auto kSeverityOtherRural = make_table({{1, 1.4}, {2, 14.5}, {3, 84.1}});
// Severity of the other casualties of a collision given the collision's (most severe) one.
constexpr auto kOtherCasualtyOfFatal = make_table({{1, 15}, {2, 30}, {3, 55}});
constexpr auto kOtherCasualtyOfSerious = make_table({{2, 25}, {3, 75}});

// ------------------------------------------------------------------------------------------------
// Output

constexpr std::string_view kCollisionHeader =
    "collision_index,collision_year,collision_ref_no,location_easting_osgr,location_northing_osgr,"
    "longitude,latitude,police_force,collision_severity,number_of_vehicles,number_of_casualties,date,"
    "day_of_week,time,local_authority_district,local_authority_ons_district,local_authority_highway,"
    "first_road_class,first_road_number,road_type,speed_limit,junction_detail,junction_control,"
    "second_road_class,second_road_number,pedestrian_crossing_human_control,"
    "pedestrian_crossing_physical_facilities,light_conditions,weather_conditions,road_surface_conditions,"
    "special_conditions_at_site,carriageway_hazards,urban_or_rural_area,"
    "did_police_officer_attend_scene_of_accident,trunk_road_flag,lsoa_of_accident_location,"
    "enhanced_severity_collision,collision_injury_based,collision_adjusted_severity_serious,"
    "collision_adjusted_severity_slight\n";
constexpr std::string_view kVehicleHeader =
    "collision_index,collision_year,collision_ref_no,vehicle_reference,vehicle_type,"
    "towing_and_articulation,vehicle_manoeuvre,vehicle_direction_from,vehicle_direction_to,"
    "vehicle_location_restricted_lane,junction_location,skidding_and_overturning,"
    "hit_object_in_carriageway,vehicle_leaving_carriageway,hit_object_off_carriageway,"
    "first_point_of_impact,vehicle_left_hand_drive,journey_purpose_of_driver,sex_of_driver,age_of_driver,"
    "age_band_of_driver,engine_capacity_cc,propulsion_code,age_of_vehicle,generic_make_model,"
    "driver_imd_decile,driver_home_area_type,lsoa_of_driver,escooter_flag,dir_from_e,dir_from_n,dir_to_e,"
    "dir_to_n,driver_distance_banding\n";
constexpr std::string_view kCasualtyHeader =
    "collision_index,collision_year,collision_ref_no,vehicle_reference,casualty_reference,casualty_class,"
    "sex_of_casualty,age_of_casualty,age_band_of_casualty,casualty_severity,pedestrian_location,"
    "pedestrian_movement,car_passenger,bus_or_coach_passenger,pedestrian_road_maintenance_worker,"
    "casualty_type,casualty_imd_decile,lsoa_of_casualty,enhanced_casualty_severity,casualty_injury_based,"
    "casualty_adjusted_severity_serious,casualty_adjusted_severity_slight,casualty_distance_banding\n";

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// A file written through a large buffer. Callers reserve room for one row (kRowReserve bytes) with
// begin_row() and then append without bounds checks; every row is far shorter than that.
class BufferedFile {
public:
    static constexpr std::size_t kCapacity = 1 << 20;
    static constexpr std::size_t kRowReserve = 2048;

    explicit BufferedFile(std::filesystem::path path) : path_(std::move(path)), buffer_(new char[kCapacity]) {
        file_.reset(std::fopen(path_.c_str(), "wb"));
        if (!file_) fail("cannot create");
        pos_ = buffer_.get();
    }

    void begin_row() {
        if (static_cast<std::size_t>(buffer_.get() + kCapacity - pos_) < kRowReserve) flush();
    }
    void text(std::string_view s) {
        std::memcpy(pos_, s.data(), s.size());
        pos_ += s.size();
    }
    void ch(char c) { *pos_++ = c; }
    void integer(std::int64_t v) { pos_ = std::to_chars(pos_, buffer_.get() + kCapacity, v).ptr; }
    void field(std::int64_t v) {
        integer(v);
        ch(',');
    }
    void field(std::string_view s) {
        text(s);
        ch(',');
    }
    // `value` zero-padded to `width` digits (value >= 0).
    void padded(std::int64_t value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            pos_[i] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
        pos_ += width;
    }
    // A fixed-point number with 6 decimals from an integer count of millionths.
    void micro(std::int64_t millionths) {
        if (millionths < 0) {
            ch('-');
            millionths = -millionths;
        }
        integer(millionths / 1000000);
        ch('.');
        padded(millionths % 1000000, 6);
    }
    // A probability in millionths, as DfT writes them: "0", "1" or "0.06126" (trailing zeros cut).
    void probability(std::int64_t millionths) {
        if (millionths <= 0) return ch('0');
        if (millionths >= 1000000) return ch('1');
        text("0.");
        char digits[6];
        std::int64_t v = millionths;
        for (int i = 5; i >= 0; --i) {
            digits[i] = static_cast<char>('0' + v % 10);
            v /= 10;
        }
        int n = 6;
        while (n > 1 && digits[n - 1] == '0') --n;
        text(std::string_view(digits, static_cast<std::size_t>(n)));
    }
    // Replaces the trailing comma of the last field with a newline.
    void end_row() { pos_[-1] = '\n'; }

    void flush() {
        const auto n = static_cast<std::size_t>(pos_ - buffer_.get());
        if (n && std::fwrite(buffer_.get(), 1, n, file_.get()) != n) fail("cannot write");
        pos_ = buffer_.get();
    }
    void close() {
        flush();
        std::FILE* f = file_.release();
        if (std::fclose(f) != 0) fail("cannot write");
    }

private:
    [[noreturn]] void fail(const char* what) {
        const int err = errno;
        throw Error(ErrorCode::Io,
                    std::string(what) + " synthetic STATS19 file '" + path_.string() + "': " + std::strerror(err));
    }

    std::filesystem::path path_;
    std::unique_ptr<char[]> buffer_;
    std::unique_ptr<std::FILE, FileCloser> file_;
    char* pos_ = nullptr;
};

// ------------------------------------------------------------------------------------------------
// Generation

struct VehicleRow {
    int type;
    Kind kind;
    int sex;  // sex_of_driver: 1 male, 2 female, 3 not known, -1
    int age;  // -1 unknown
    int manoeuvre;
    int dir_from, dir_to;
    bool driver_hurt;
};

struct CasualtyRow {
    int vehicle_ref;
    int cls;  // 1 driver/rider, 2 passenger, 3 pedestrian
    int type;
    int sex, age;
    int severity;
    int enhanced;
    std::int64_t adjusted_serious;  // millionths; -1 for fatal (0/0)
};

// Writes "ONS-style" LSOA codes: E01000001..E01033768 (England, 2011 LSOAs) and
// W01000001..W01001909 (Wales). They are random, not the LSOA containing the point.
void write_lsoa(BufferedFile& out, char country, Rng& rng) {
    if (country == 'E') {
        out.text("E01");
        out.padded(rng.between(1, 33768), 6);
    } else {
        out.text("W01");
        out.padded(rng.between(1, 1909), 6);
    }
    out.ch(',');
}

int sample_age(Rng& rng, const auto& band_table) {
    const int band = band_table(rng);
    return rng.between(kBandLow[band], kBandHigh[band]);
}

// Offsets (metres) of the 8 compass directions (DfT codes 1 = N .. 8 = NW), unit length * 1000.
constexpr int kCompassDx[9] = {0, 0, 707, 1000, 707, 0, -707, -1000, -707};
constexpr int kCompassDy[9] = {0, 1000, 707, 0, -707, -1000, -707, 0, 707};

class Generator {
public:
    Generator(const Stats19SynthOptions& options, BufferedFile& collisions, BufferedFile& vehicles,
              BufferedFile& casualties)
        : options_(options), col_(collisions), veh_(vehicles), cas_(casualties) {}

    void run_year(int year) {
        // An independent stream per (seed, year).
        std::uint64_t s = options_.seed ^ (0xA0761D6478BD642FULL * static_cast<std::uint64_t>(year));
        Rng rng(splitmix64(s));
        const YearCalendar calendar(year);
        // Per police force: a random 7-digit serial base and a running count, so that
        // (year, force, serial) is unique and serials look like the police's in-year references.
        std::array<std::int64_t, 100> base{};
        std::array<std::int64_t, 100> count{};
        const std::int64_t room = 10000000 - options_.collisions_per_year;  // >= 1 (checked)
        for (auto& b : base) b = static_cast<std::int64_t>(rng.next() % static_cast<std::uint64_t>(room));
        for (std::int64_t i = 0; i < options_.collisions_per_year; ++i) {
            collision(rng, calendar, year, base, count);
        }
    }

    std::int64_t n_collisions = 0, n_vehicles = 0, n_casualties = 0;

private:
    void collision(Rng& rng, const YearCalendar& calendar, int year, const std::array<std::int64_t, 100>& base,
                   std::array<std::int64_t, 100>& count) {
        // --- where
        const Town& town = kTowns[pick_town(rng)];
        const bool urban = rng.between(0, 99) < town.urban_pct;
        const double sigma = 1000.0 * (urban ? town.sigma_urban_km : town.sigma_rural_km);
        double dx = rng.normal() * sigma, dy = rng.normal() * sigma;
        if (town.sea_dx || town.sea_dy) {
            const double len = std::sqrt(static_cast<double>(town.sea_dx * town.sea_dx + town.sea_dy * town.sea_dy));
            const double ux = town.sea_dx / len, uy = town.sea_dy / len;
            const double along = dx * ux + dy * uy, coast = town.coast_km * 1000.0;
            if (along > coast) {
                const double back = 2 * (along - coast);
                dx -= back * ux;
                dy -= back * uy;
            }
        }
        const double easting = std::clamp(std::round(town.easting + dx), kMinEasting, kMaxEasting);
        const double northing = std::clamp(std::round(town.northing + dy), kMinNorthing, kMaxNorthing);
        const bool located = !rng.chance(0.0002);  // a few collisions have no recorded location
        const char country = town.ons[0];
        const int police_force = (country == 'S' && year >= kPoliceScotlandFromYear) ? 99 : town.police_force;
        const bool new_codes = town.change_year == 0 || year >= town.change_year;
        const std::string_view ons = new_codes ? town.ons : town.ons_old;
        const std::string_view highway = new_codes ? town.highway : town.highway_old;
        const bool injury_based = year >= town.crash_year;

        // --- when
        const Day& day = calendar.sample(rng);
        const bool weekend = day.dow == 1 || day.dow == 7;
        const int hour = weekend ? kHourWeekend(rng) : kHourWeekday(rng);
        const int minute = sample_minute(rng);
        const int clock = hour * 60 + minute;
        const bool winter = day.month >= 11 || day.month <= 3;

        // --- road
        const int road_class = urban ? kRoadClassUrban(rng) : kRoadClassRural(rng);
        const bool motorway = road_class == 1 || road_class == 2;
        int road_number = 0;
        if (road_class == 1)
            road_number = kMotorways[rng.between(0, static_cast<int>(std::size(kMotorways)) - 1)];
        else if (road_class == 2)
            road_number = kAMotorways[rng.between(0, static_cast<int>(std::size(kAMotorways)) - 1)];
        else if (road_class == 3)
            road_number = a_road_number(rng);
        else if (road_class == 4)
            road_number = rng.between(1000, 9999);
        const int road_type = motorway ? kRoadTypeMotorway(rng) : kRoadTypeOther(rng);
        const int speed = motorway ? kSpeedMotorway(rng) : urban ? kSpeedUrban(rng) : kSpeedRural(rng);
        const int junction = road_type == 1   ? kJunctionRoundabout(rng)
                             : road_type == 7 ? kJunctionSlip(rng)
                             : motorway       ? kJunctionMotorway(rng)
                                              : kJunctionPlain(rng);
        const bool at_junction = junction != 0 && junction != -1 && junction != 99;
        // Not at a junction: control and second road class 0 "Not at junction or within 20 metres".
        int control = 0, second_class = 0, second_number = 0;
        if (at_junction) {
            control = road_type == 1 ? kJunctionControlRoundabout(rng) : kJunctionControl(rng);
            second_class = kSecondRoadClass(rng);
            if (second_class == 1)
                second_number = kMotorways[rng.between(0, static_cast<int>(std::size(kMotorways)) - 1)];
            else if (second_class == 2)
                second_number = kAMotorways[rng.between(0, static_cast<int>(std::size(kAMotorways)) - 1)];
            else if (second_class == 3)
                second_number = a_road_number(rng);
            else if (second_class == 4)
                second_number = rng.between(1000, 9999);
            else if (second_class == 9 || second_class == -1)
                second_number = -1;
        } else if (junction == 99 || junction == -1) {
            control = junction == 99 ? 9 : -1;  // unknown whether at a junction
            second_class = -1;
            second_number = -1;
        }

        // --- conditions
        int light;
        if (clock >= kSunrise[day.month - 1] && clock <= kSunset[day.month - 1]) {
            light = rng.chance(0.001) ? -1 : 1;
        } else {
            light = urban ? kDarkUrban(rng) : kDarkRural(rng);
        }
        const int weather = winter ? kWeatherWinter(rng) : kWeatherSummer(rng);
        int surface;
        switch (weather) {
            case 1:
            case 4:
                surface = winter ? kSurfaceFineWinter(rng) : kSurfaceFineSummer(rng);
                break;
            case 2:
            case 5:
                surface = kSurfaceRain(rng);
                break;
            case 3:
            case 6:
                surface = kSurfaceSnow(rng);
                break;
            case 7:
                surface = kSurfaceFog(rng);
                break;
            default:
                surface = kSurfaceOther(rng);
                break;
        }
        const bool slippery = surface >= 2 && surface <= 7;

        // --- vehicles
        const int n_veh = kVehicleCount(rng);
        std::array<VehicleRow, kMaxVehicles> vehicles{};
        bool any_vulnerable = false;
        for (int v = 0; v < n_veh; ++v) {
            auto& vr = vehicles[static_cast<std::size_t>(v)];
            vr.type = kVehicleType(rng);
            vr.kind = kind_of(vr.type);
            any_vulnerable = any_vulnerable || vulnerable(vr.kind);
            vr.manoeuvre = kManoeuvre(rng);
            if (vr.manoeuvre == 2) {  // parked
                vr.dir_from = vr.dir_to = 0;
            } else {
                vr.dir_from = kDirection(rng);
                if (vr.dir_from == 9 || vr.dir_from == -1) {
                    vr.dir_to = vr.dir_from;
                } else {
                    const double u = rng.uniform();
                    const int turn = u < 0.62 ? 4 : u < 0.77 ? 2 : u < 0.92 ? 6 : u < 0.95 ? 0 : rng.between(1, 7);
                    vr.dir_to = (vr.dir_from - 1 + turn) % 8 + 1;
                }
            }
            // Drivers: male share by kind; "not known" (3) mostly hit-and-run.
            const double male = vr.kind == Kind::Car          ? 0.62
                                : vr.kind == Kind::Cycle      ? 0.8
                                : vr.kind == Kind::Motorcycle ? 0.92
                                : vr.kind == Kind::Goods      ? 0.97
                                : vr.kind == Kind::Bus        ? 0.88
                                                              : 0.75;
            const double u = rng.uniform();
            vr.sex = u < 0.045 ? 3 : u < 0.05 ? -1 : rng.chance(male) ? 1 : 2;
            if (vr.sex == 3 || vr.sex == -1 || rng.chance(0.06)) {
                vr.age = -1;
            } else {
                vr.age = vr.kind == Kind::Cycle        ? sample_age(rng, kBandCyclist)
                         : vr.kind == Kind::Motorcycle ? sample_age(rng, kBandRider)
                                                       : sample_age(rng, kBandDriver);
                if (vr.kind != Kind::Cycle && vr.kind != Kind::Single && vr.age < 17) vr.age = 17;
            }
            vr.driver_hurt = false;
        }
        // Pedestrians: in about half of the single-vehicle collisions, rarely otherwise.
        const bool pedestrian = rng.chance(n_veh == 1 ? 0.48 : 0.02);
        any_vulnerable = any_vulnerable || pedestrian;
        const bool single_no_ped = n_veh == 1 && !pedestrian;

        // --- casualties
        const int n_cas = kCasualtyCount(rng);
        std::array<CasualtyRow, kMaxCasualties> casualties{};
        for (int k = 0; k < n_cas; ++k) {
            auto& c = casualties[static_cast<std::size_t>(k)];
            c.cls = 0;
            if (pedestrian && (k == 0 || rng.chance(0.3))) {
                c.cls = 3;
                c.vehicle_ref = n_veh == 1 ? 1 : rng.between(1, n_veh);
            } else {
                // Choose among "driver of v" (if not yet hurt) and "passenger of v".
                double weights[2 * kMaxVehicles];
                double total = 0;
                for (int v = 0; v < n_veh; ++v) {
                    const auto& vr = vehicles[static_cast<std::size_t>(v)];
                    weights[2 * v] = vr.driver_hurt ? 0.0 : driver_hurt_weight(vr.kind);
                    weights[2 * v + 1] = passenger_weight(vr.kind, vr.type);
                    total += weights[2 * v] + weights[2 * v + 1];
                }
                if (total <= 0) {
                    c.cls = 3;  // nobody left to hurt in the vehicles: a pedestrian
                    c.vehicle_ref = 1;
                } else {
                    double r = rng.uniform() * total;
                    int option = 0;
                    for (; option < 2 * n_veh - 1; ++option) {
                        r -= weights[option];
                        if (r < 0 && weights[option] > 0) break;
                    }
                    while (weights[option] <= 0) --option;  // rounding at the end: last positive option
                    const int v = option / 2;
                    c.vehicle_ref = v + 1;
                    c.cls = option % 2 == 0 ? 1 : 2;
                    if (c.cls == 1) vehicles[static_cast<std::size_t>(v)].driver_hurt = true;
                }
            }
            const auto& vr = vehicles[static_cast<std::size_t>(c.vehicle_ref - 1)];
            if (c.cls == 3) {
                c.type = 0;
                c.sex = rng.chance(0.01) ? -1 : rng.chance(0.56) ? 1 : 2;
                c.age = rng.chance(0.02) ? -1 : sample_age(rng, kBandPedestrian);
            } else {
                c.type = vr.type;
                if (c.cls == 1) {
                    c.sex = 0;  // copied from the driver below, once the driver is known
                    c.age = 0;
                } else {
                    c.sex = rng.chance(0.01) ? -1 : rng.chance(0.42) ? 1 : 2;
                    c.age = rng.chance(0.02) ? -1 : sample_age(rng, kBandPassenger);
                }
            }
        }
        // An injured driver is known: sex 1/2 and (mostly) an age; the casualty row copies them.
        for (int k = 0; k < n_cas; ++k) {
            auto& c = casualties[static_cast<std::size_t>(k)];
            if (c.cls != 1) continue;
            auto& vr = vehicles[static_cast<std::size_t>(c.vehicle_ref - 1)];
            if (vr.sex != 1 && vr.sex != 2) {
                vr.sex = rng.chance(0.7) ? 1 : 2;
                vr.age = vr.kind == Kind::Cycle ? sample_age(rng, kBandCyclist) : sample_age(rng, kBandDriver);
                if (vr.kind != Kind::Cycle && vr.kind != Kind::Single && vr.age < 17) vr.age = 17;
            }
            c.sex = vr.sex;
            c.age = vr.age;
        }

        // --- severity: the collision's first, then one casualty carries it (preferably a
        // pedestrian or a rider) and the others are at most as severe.
        const int severity = any_vulnerable ? (urban ? kSeverityVulnerableUrban(rng) : kSeverityVulnerableRural(rng))
                                            : (urban ? kSeverityOtherUrban(rng) : kSeverityOtherRural(rng));
        int index_casualty = rng.between(0, n_cas - 1);
        if (any_vulnerable && rng.chance(0.8)) {
            for (int k = 0; k < n_cas; ++k) {
                const auto& c = casualties[static_cast<std::size_t>(k)];
                if (c.cls == 3 || vulnerable(kind_of(c.type))) {
                    index_casualty = k;
                    break;
                }
            }
        }
        double p_none_serious = 1.0;  // for the collision's adjusted severity
        for (int k = 0; k < n_cas; ++k) {
            auto& c = casualties[static_cast<std::size_t>(k)];
            c.severity = k == index_casualty ? severity
                         : severity == 1     ? kOtherCasualtyOfFatal(rng)
                         : severity == 2     ? kOtherCasualtyOfSerious(rng)
                                             : 3;
            // Enhanced severity and the adjustment: injury-based forces record the injury, so the
            // adjusted probability of "serious" is 0 or 1; for other forces it is the probability
            // that the casualty would have been serious under injury-based recording (DfT/ONS
            // adjustment model): ~0.85-1 for recorded serious, ~0-0.25 (mostly small) for slight.
            if (c.severity == 1) {
                c.enhanced = injury_based ? 1 : -1;
                c.adjusted_serious = -1;
            } else if (c.severity == 2) {
                c.enhanced = injury_based ? kEnhancedSerious(rng) : -1;
                c.adjusted_serious = injury_based ? 1000000 : 850000 + rng.between(0, 150000);
            } else {
                c.enhanced = injury_based ? 3 : -1;
                if (injury_based) {
                    c.adjusted_serious = 0;
                } else {
                    const double u = rng.uniform();
                    c.adjusted_serious = static_cast<std::int64_t>(std::floor(250000.0 * u * u));
                }
            }
            if (c.adjusted_serious > 0) p_none_serious *= 1.0 - static_cast<double>(c.adjusted_serious) * 1e-6;
        }
        // Collision-level adjustment: fatal -> 0/0; otherwise the probability that at least one
        // casualty is serious, 1 - prod(1 - p_i) over its casualties' adjusted probabilities
        // (independence assumed), and slight = 1 - serious. For injury-based forces this is exactly
        // 1 for a serious collision and 0 for a slight one.
        std::int64_t collision_serious = -1;
        int collision_enhanced = injury_based ? 3 : -1;
        if (severity == 1) {
            collision_enhanced = injury_based ? 1 : -1;
        } else {
            collision_serious = static_cast<std::int64_t>(std::llround((1.0 - p_none_serious) * 1e6));
            if (severity == 2 && injury_based) {
                collision_enhanced = 7;
                for (int k = 0; k < n_cas; ++k) {
                    const int e = casualties[static_cast<std::size_t>(k)].enhanced;
                    if (casualties[static_cast<std::size_t>(k)].severity == 2 && e < collision_enhanced)
                        collision_enhanced = e;
                }
            }
        }

        // --- identity
        const std::int64_t serial =
            base[static_cast<std::size_t>(police_force)] + count[static_cast<std::size_t>(police_force)]++;

        // --- collision row
        col_.begin_row();
        write_key(col_, year, police_force, serial);
        if (located) {
            const LonLat ll = bng_to_wgs84(easting, northing);
            col_.field(static_cast<std::int64_t>(easting));
            col_.field(static_cast<std::int64_t>(northing));
            col_.micro(std::llround(ll.lon * 1e6));
            col_.ch(',');
            col_.micro(std::llround(ll.lat * 1e6));
            col_.ch(',');
        } else {
            col_.text("NULL,NULL,NULL,NULL,");
        }
        col_.field(police_force);
        col_.field(severity);
        col_.field(n_veh);
        col_.field(n_cas);
        col_.padded(day.day, 2);
        col_.ch('/');
        col_.padded(day.month, 2);
        col_.ch('/');
        col_.padded(year, 4);
        col_.ch(',');
        col_.field(day.dow);
        col_.padded(hour, 2);
        col_.ch(':');
        col_.padded(minute, 2);
        col_.ch(',');
        col_.field(town.lad);
        col_.field(ons);
        col_.field(highway);
        col_.field(road_class);
        col_.field(road_number);
        col_.field(road_type);
        col_.field(speed);
        col_.field(junction);
        col_.field(control);
        col_.field(second_class);
        col_.field(second_number);
        col_.field(kCrossingHuman(rng));
        col_.field(urban ? kCrossingPhysicalUrban(rng) : kCrossingPhysicalRural(rng));
        col_.field(light);
        col_.field(weather);
        col_.field(surface);
        col_.field(kSpecialConditions(rng));
        col_.field(kCarriagewayHazards(rng));
        col_.field(urban ? 1 : 2);
        col_.field(severity == 1   ? kPoliceAttendFatal(rng)
                   : severity == 2 ? kPoliceAttendSerious(rng)
                                   : kPoliceAttendSlight(rng));
        col_.field(motorway ? kTrunkMotorway(rng) : road_class == 3 ? kTrunkA(rng) : kTrunkOther(rng));
        if (country == 'S' || rng.chance(0.01))
            col_.field(-1);
        else
            write_lsoa(col_, country, rng);
        col_.field(collision_enhanced);
        col_.field(injury_based ? 1 : 0);
        col_.probability(collision_serious < 0 ? 0 : collision_serious);
        col_.ch(',');
        col_.probability(collision_serious < 0 ? 0 : 1000000 - collision_serious);
        col_.ch('\n');

        // --- vehicle rows
        for (int v = 0; v < n_veh; ++v) {
            const auto& vr = vehicles[static_cast<std::size_t>(v)];
            vehicle_row(rng, vr, v + 1, year, police_force, serial, country, junction, road_type, single_no_ped,
                        slippery, easting, northing, located);
        }
        // --- casualty rows
        for (int k = 0; k < n_cas; ++k) {
            const auto& c = casualties[static_cast<std::size_t>(k)];
            casualty_row(rng, c, k + 1, year, police_force, serial, country, injury_based);
        }
        ++n_collisions;
        n_vehicles += n_veh;
        n_casualties += n_cas;
    }

    static int a_road_number(Rng& rng) {
        // A-road numbers: 1-9 (trunk routes), then 2-, 3- and 4-digit roads.
        const double u = rng.uniform();
        if (u < 0.10) return rng.between(1, 9);
        if (u < 0.40) return rng.between(10, 99);
        if (u < 0.75) return rng.between(100, 999);
        return rng.between(1000, 9999);
    }

    static void write_key(BufferedFile& out, int year, int police_force, std::int64_t serial) {
        // collision_index = year + collision_ref_no; collision_ref_no = 2-digit force + 7-digit serial.
        out.padded(year, 4);
        out.padded(police_force, 2);
        out.padded(serial, 7);
        out.ch(',');
        out.padded(year, 4);
        out.ch(',');
        out.padded(police_force, 2);
        out.padded(serial, 7);
        out.ch(',');
    }

    void vehicle_row(Rng& rng, const VehicleRow& vr, int ref, int year, int police_force, std::int64_t serial,
                     char country, int junction, int road_type, bool single_no_ped, bool slippery, double easting,
                     double northing, bool located) {
        auto& out = veh_;
        out.begin_row();
        write_key(out, year, police_force, serial);
        out.field(ref);
        out.field(vr.type);
        const bool motor = vr.kind != Kind::Cycle && vr.kind != Kind::Single;
        out.field(vr.type == 21            ? kTowingArticulated(rng)
                  : motor && vr.type != -1 ? kTowingMotor(rng)
                                           : kTowingNone(rng));
        out.field(vr.manoeuvre);
        out.field(vr.dir_from);
        out.field(vr.dir_to);
        out.field(vr.kind == Kind::Cycle ? kRestrictedLaneCycle(rng) : kRestrictedLane(rng));
        const bool at_junction = junction != 0 && junction != -1 && junction != 99;
        out.field(!at_junction     ? kJunctionLocationNone(rng)
                  : road_type == 1 ? kJunctionLocationRoundabout(rng)
                                   : kJunctionLocation(rng));
        out.field(slippery ? kSkiddingSlippery(rng) : kSkiddingDry(rng));
        out.field(single_no_ped ? kHitInSingle(rng) : kHitInOther(rng));
        const int leaving = single_no_ped ? kLeavingSingle(rng) : kLeavingOther(rng);
        out.field(leaving);
        out.field(leaving >= 1 && leaving <= 8 ? kHitOffLeft(rng) : kHitOffStayed(rng));
        out.field(vr.manoeuvre == 2 ? kFirstImpactParked(rng) : kFirstImpact(rng));
        out.field(vr.kind == Kind::Goods ? kLeftHandDriveHgv(rng) : kLeftHandDrive(rng));
        out.field(vr.kind == Kind::Goods || vr.kind == Kind::Bus || vr.type == 8 ? kJourneyPurposeWork(rng)
                                                                                 : kJourneyPurpose(rng));
        out.field(vr.sex);
        out.field(vr.age);
        out.field(age_band_of(vr.age));

        // Engine, propulsion, vehicle age and model: by kind; ~20% missing for motor vehicles.
        int engine = -1, propulsion = -1, vehicle_age = -1;
        std::string_view model = "-1";
        const bool known = motor && vr.type != -1 && vr.type != 90 && !rng.chance(0.2);
        if (known) {
            switch (vr.kind) {
                case Kind::Car: {
                    // Battery-electric and hybrid shares grow over the years.
                    const double growth = std::clamp(year - 2015, 0, 12);
                    const double u = rng.uniform() * 100.0;
                    const double ev = 0.3 + 0.6 * growth, hybrid = 2.0 + 0.8 * growth;
                    propulsion = u < ev ? 3 : u < ev + hybrid ? 8 : u < ev + hybrid + 38 - 2 * growth ? 2 : 1;
                    engine = propulsion == 3 ? -1 : kEngineCar(rng);
                    if (rng.chance(0.001)) propulsion = 6;  // petrol/gas (LPG)
                    break;
                }
                case Kind::Van:
                    engine = kEngineVan(rng);
                    propulsion = rng.chance(0.93) ? 2 : 1;
                    break;
                case Kind::Goods:
                    engine = kEngineGoods(rng);
                    propulsion = 2;
                    break;
                case Kind::Bus:
                    engine = vr.type == 18 ? -1 : kEngineBus(rng);
                    propulsion = vr.type == 18 ? 3 : rng.chance(0.9) ? 2 : 12;
                    break;
                case Kind::Motorcycle:
                    if (vr.type == 23) {
                        propulsion = 3;
                    } else {
                        propulsion = 1;
                        engine = vr.type == 2   ? (rng.chance(0.5) ? 49 : 50)
                                 : vr.type == 3 ? (rng.chance(0.7) ? 125 : 124)
                                 : vr.type == 4 ? kEngineMoto500(rng)
                                 : vr.type == 5 ? kEngineMotoBig(rng)
                                                : -1;
                    }
                    break;
                default:
                    engine = rng.between(900, 4500);
                    propulsion = 2;
                    break;  // agricultural etc.
            }
            // Vehicle age: triangular-ish around 6-9 years, up to 25.
            vehicle_age = (rng.between(0, 12) + rng.between(0, 13));
            if (year >= 2020) {
                switch (vr.kind) {
                    case Kind::Car:
                        model = pick(rng, kCarModels);
                        break;
                    case Kind::Van:
                        model = pick(rng, kVanModels);
                        break;
                    case Kind::Motorcycle:
                        model = pick(rng, kMotoModels);
                        break;
                    case Kind::Goods:
                        model = pick(rng, kGoodsModels);
                        break;
                    case Kind::Bus:
                        model = pick(rng, kBusModels);
                        break;
                    default:
                        break;
                }
                if (vr.type == 8 && rng.chance(0.5)) model = rng.chance(0.6) ? "TOYOTA PRIUS" : "SKODA OCTAVIA";
            }
        }
        out.field(engine);
        out.field(propulsion);
        out.field(vehicle_age);
        out.field(model);

        // Home area of the driver: LSOA/IMD (England and Wales; introduced 2016 here), home area type.
        const bool home_known = vr.sex != 3 && vr.sex != -1 && !rng.chance(0.12);
        if (home_known && year >= 2016 && country != 'S')
            out.field(kImdDecile(rng));
        else
            out.field(-1);
        out.field(home_known ? kHomeArea(rng) : -1);
        if (home_known && year >= 2016 && country != 'S')
            write_lsoa(out, country, rng);
        else
            out.field(-1);
        // E-scooters are "other vehicle" (90) with the flag, from 2020.
        out.field(vr.type == 90 && year >= 2020 && rng.chance(0.6) ? 1 : 0);
        // From/to grid references (2024 specification): 100 m along the directions, when known.
        const bool dirs = year >= 2024 && located && vr.dir_from >= 1 && vr.dir_from <= 8 && vr.dir_to >= 1 &&
                          vr.dir_to <= 8 && rng.chance(0.6);
        if (dirs) {
            const auto e = static_cast<std::int64_t>(easting), n = static_cast<std::int64_t>(northing);
            out.field(e + kCompassDx[vr.dir_from] / 10);
            out.field(n + kCompassDy[vr.dir_from] / 10);
            out.field(e + kCompassDx[vr.dir_to] / 10);
            out.field(n + kCompassDy[vr.dir_to] / 10);
        } else {
            out.text("NULL,NULL,NULL,NULL,");
        }
        out.field(year >= 2023 && home_known ? kDistanceBand(rng) : -1);
        out.end_row();
    }

    void casualty_row(Rng& rng, const CasualtyRow& c, int ref, int year, int police_force, std::int64_t serial,
                      char country, bool injury_based) {
        auto& out = cas_;
        out.begin_row();
        write_key(out, year, police_force, serial);
        out.field(c.vehicle_ref);
        out.field(ref);
        out.field(c.cls);
        out.field(c.sex);
        out.field(c.age);
        out.field(age_band_of(c.age));
        out.field(c.severity);
        const bool ped = c.cls == 3;
        out.field(ped ? kPedLocation(rng) : 0);
        out.field(ped ? kPedMovement(rng) : 0);
        out.field(c.cls == 2 && c.type == 9 ? kCarPassenger(rng) : 0);
        out.field(c.cls == 2 && c.type == 11 ? kBusPassenger(rng) : 0);
        out.field(ped ? kRoadWorker(rng) : 0);
        out.field(c.type);
        const bool home_known = year >= 2016 && country != 'S' && !rng.chance(0.12);
        out.field(home_known ? kImdDecile(rng) : -1);
        if (home_known)
            write_lsoa(out, country, rng);
        else
            out.field(-1);
        out.field(c.enhanced);
        out.field(injury_based ? 1 : 0);
        out.probability(c.adjusted_serious < 0 ? 0 : c.adjusted_serious);
        out.ch(',');
        out.probability(c.adjusted_serious < 0 ? 0 : 1000000 - c.adjusted_serious);
        out.ch(',');
        out.field(year >= 2023 ? kDistanceBand(rng) : -1);
        out.end_row();
    }

    template <std::size_t N>
    static std::string_view pick(Rng& rng, const std::string_view (&items)[N]) {
        return items[static_cast<std::size_t>(rng.between(0, static_cast<int>(N) - 1))];
    }

    const Stats19SynthOptions& options_;
    BufferedFile& col_;
    BufferedFile& veh_;
    BufferedFile& cas_;
};

}  // namespace

Stats19SynthFiles write_stats19_synthetic(const std::filesystem::path& directory, const Stats19SynthOptions& options) {
    if (options.first_year < 1979 || options.years < 1 || options.first_year + options.years - 1 > 9999)
        throw Error(ErrorCode::InvalidInput, "synthetic STATS19: years must lie within 1979..9999 (first_year " +
                                                 std::to_string(options.first_year) + ", years " +
                                                 std::to_string(options.years) + ")");
    if (options.collisions_per_year < 0 || options.collisions_per_year > 9999999)
        throw Error(ErrorCode::InvalidInput, "synthetic STATS19: collisions_per_year must lie within 0..9999999, got " +
                                                 std::to_string(options.collisions_per_year));

    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec || !std::filesystem::is_directory(directory, ec))
        throw Error(ErrorCode::Io, "cannot create directory '" + directory.string() + "' for synthetic STATS19 files" +
                                       (ec ? ": " + ec.message() : std::string()));

    Stats19SynthFiles files;
    files.collisions = directory / "dft-road-casualty-statistics-collision-synthetic.csv";
    files.vehicles = directory / "dft-road-casualty-statistics-vehicle-synthetic.csv";
    files.casualties = directory / "dft-road-casualty-statistics-casualty-synthetic.csv";

    BufferedFile collisions(files.collisions), vehicles(files.vehicles), casualties(files.casualties);
    collisions.begin_row();
    collisions.text(kCollisionHeader);
    vehicles.begin_row();
    vehicles.text(kVehicleHeader);
    casualties.begin_row();
    casualties.text(kCasualtyHeader);

    Generator generator(options, collisions, vehicles, casualties);
    for (int y = 0; y < options.years; ++y) generator.run_year(options.first_year + y);
    collisions.close();
    vehicles.close();
    casualties.close();

    files.n_collisions = generator.n_collisions;
    files.n_vehicles = generator.n_vehicles;
    files.n_casualties = generator.n_casualties;
    return files;
}

}  // namespace roadsafe::synth
