// libFuzzer target: any bytes as one STATS19 file (header included), read leniently and strictly.
#include "fuzz_input.hpp"
#include "roadsafe/io/read_stats19.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace roadsafe;
    const fuzz::MemoryFile file("/vsimem/fuzz/stats19.csv", fuzz::as_text(data, size));
    for (const bool strict : {false, true})
        fuzz::expect_answer_or_error([&] {
            fuzz::require_consistent(io::read_stats19({file.path()}, {.strict = strict, .threads = 1}));
        });
    return 0;
}
