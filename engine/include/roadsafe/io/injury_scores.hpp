#pragma once
// MAIS and ISS from a patient's AIS-coded injuries (methods.md §3.1).
//
// MAIS = the highest known AIS severity (AIS 9, "unknown", is ignored). ISS (Baker 1974) = the sum
// of the squares of the highest AIS in each of the three most severely injured ISS body regions
// (1 head/neck, 2 face, 3 chest, 4 abdomen/pelvic contents, 5 extremities/pelvic girdle,
// 6 external); any AIS 6 makes the ISS 75 (ICDPIC "method 1"). A patient whose injuries are all
// AIS 9 (or who has none) has unknown MAIS and ISS.
#include <cstdint>
#include <span>

namespace roadsafe::io {

struct Injury {
    int ais_severity = 9;  // 1..6, 9 = unknown
    int iss_region = 0;    // 1..6
};

struct InjuryScores {
    int mais = -1;  // 1..6, -1 = unknown
    int iss = -1;   // 0..75, -1 = unknown
};

// The scores of one patient's injuries. Injuries with a severity outside 1..6 (AIS 9) are ignored;
// a severity 1..5 with a region outside 1..6 counts for MAIS only.
InjuryScores injury_scores(std::span<const Injury> injuries) noexcept;

}  // namespace roadsafe::io
