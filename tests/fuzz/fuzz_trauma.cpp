// libFuzzer target: a trauma registry, "patients" or "patients\0injuries".
#include "fuzz_input.hpp"
#include "roadsafe/io/read_trauma.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace roadsafe;
    bool has_injuries = false;
    const auto texts = fuzz::split_at_nul(fuzz::as_text(data, size), has_injuries);
    const std::string_view patients_text = texts.first, injuries_text = texts.second;
    const fuzz::MemoryFile patients("/vsimem/fuzz/patients.csv", patients_text);
    const fuzz::MemoryFile injuries("/vsimem/fuzz/injuries.csv", injuries_text);
    const std::string injuries_path = has_injuries ? injuries.path() : "";
    for (const bool strict : {false, true})
        fuzz::expect_answer_or_error([&] {
            const io::TraumaRegistry r = io::read_trauma(patients.path(), injuries_path, {.strict = strict});
            fuzz::require_consistent(r.patients);
            fuzz::require_consistent(r.injuries);
            fuzz::require_accounted(r.report);
            fuzz::require_joins(r.injuries, "patient_row", r.patients);
        });
    return 0;
}
