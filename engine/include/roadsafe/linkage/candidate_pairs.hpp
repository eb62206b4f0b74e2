#pragma once
// Blocking: the pairs worth scoring. A police record is a candidate for a patient when its time lies
// within [arrival - arrival_after, arrival + arrival_before] or within incident_window of the
// registry's incident time (a record with only a date counts as covering its whole day), and, when
// both have coordinates, lies within max_distance metres. Pairs outside every window would score
// "further apart" on time, whose weight is so negative that they could never be links.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "roadsafe/linkage/records.hpp"

namespace roadsafe::linkage {

struct BlockingSettings {
    double arrival_before_minutes = 60;    // the police time may be after the arrival by this much
    double arrival_after_minutes = 1440;   // ... or before it by this much
    double incident_window_minutes = 360;  // |incident - collision| within this
    double max_distance_metres = 20000;    // only when both sides are located
};

// Grouped by patient, each patient's records in time order (ties by row); patient_offsets[j] ..
// patient_offsets[j+1] are patient j's pairs.
struct CandidatePairs {
    std::vector<std::uint32_t> police, patient;
    std::vector<std::size_t> patient_offsets;
    std::size_t size() const { return police.size(); }
};

// Parallel over patients; the result does not depend on `threads` (0 = all hardware threads).
CandidatePairs find_candidate_pairs(const PoliceRecords& police, const PatientRecords& patients,
                                    const BlockingSettings& blocking, unsigned threads = 0);

}  // namespace roadsafe::linkage
