// libFuzzer target: a mapping profile, then a local export read through it: "profile\0export.csv".
#include "fuzz_input.hpp"
#include "roadsafe/io/mapping_profile.hpp"
#include "roadsafe/io/read_stats19.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace roadsafe;
    bool has_export = false;
    const auto texts = fuzz::split_at_nul(fuzz::as_text(data, size), has_export);
    const std::string_view profile_text = texts.first, export_text = texts.second;
    const fuzz::MemoryFile profile("/vsimem/fuzz/profile.ini", profile_text);
    bool parsed = false;
    fuzz::expect_answer_or_error([&] {
        (void)io::parse_mapping_profile(std::string(profile_text), profile.path());
        parsed = true;
    });
    if (!parsed || !has_export) return 0;
    const fuzz::MemoryFile local_export("/vsimem/fuzz/export.csv", export_text);
    for (const bool strict : {false, true})
        fuzz::expect_answer_or_error([&] {
            fuzz::require_consistent(
                io::read_stats19({local_export.path()}, {.profile = profile.path(), .strict = strict, .threads = 1}));
        });
    return 0;
}
