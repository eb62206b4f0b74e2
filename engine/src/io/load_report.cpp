#include "roadsafe/io/load_report.hpp"

namespace roadsafe::io {

const char* outcome_name(Outcome outcome) noexcept {
    switch (outcome) {
        case Outcome::RowRejected: return "row rejected";
        case Outcome::ValueMissing: return "value set missing";
        case Outcome::RowFlagged: return "row loaded, flagged";
        case Outcome::DuplicateSkipped: return "duplicate not loaded";
        case Outcome::ColumnNotLoaded: return "column not loaded";
    }
    return "unknown";
}

}  // namespace roadsafe::io
