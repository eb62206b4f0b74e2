#pragma once
// The registry's receiving hospitals, and which of them is nearest to each police record.
// An ambulance takes a casualty to the nearest emergency department unless triage sends them on to a
// major trauma centre, so "the patient's hospital is the nearest receiving hospital to the collision"
// is evidence the hospital's distance alone blurs (a collision 15 km from two hospitals). The sites are
// the distinct hospital locations the registry's patients arrived at; a hospital's catchment share
// (the share of located police records it is nearest to) is u of "nearest" for its patients, as a term
// frequency. Which hospitals take patients from beyond their catchment (a major trauma centre, by triage
// bypass) the registry tells by itself: of a hospital's patients with an incident location, the share
// whose location is nearer another hospital. A match at "another hospital" is likely where that share is
// high and unlikely elsewhere, so m of the hospital levels is scaled by it (pair_scores.hpp).
#include <cstdint>
#include <vector>

#include "roadsafe/linkage/records.hpp"

namespace roadsafe::linkage {

struct HospitalSites {
    std::vector<double> x, y;                    // the distinct receiving hospitals, sorted by (x, y)
    std::vector<std::int32_t> police_nearest;    // per police record: nearest site, -1 when not located
    std::vector<std::int32_t> patient_site;      // per patient: site of its hospital, -1 when unknown
    std::vector<double> catchment_share;         // per site: share of located police records nearest to it
    // Per site: of its patients with an incident location, the share nearer another site, shrunk towards
    // the share over all sites by `prior_patients` patients' worth (a site with few located patients
    // keeps about the common share).
    std::vector<double> elsewhere_share;
    double elsewhere_overall = 0;  // the share over every located patient with a hospital
};

// Empty vectors when no patient has a hospital location.
HospitalSites find_hospital_sites(const PoliceRecords& police, const PatientRecords& patients,
                                  double prior_patients = 10);

}  // namespace roadsafe::linkage
