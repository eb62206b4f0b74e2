// libFuzzer target: rows under a real DfT header. The first byte picks one of the headers of every
// file generation (tests/fuzz/headers/, one file each), the rest are the rows, so the fuzzer spends
// its time in the value parsers, joins and duplicate checks rather than in recognising a header.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "fuzz_input.hpp"
#include "roadsafe/io/read_stats19.hpp"

namespace {
std::vector<std::string> headers;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(ROADSAFE_FUZZ_HEADERS)) paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());  // the first byte means the same header on every machine
    for (const auto& p : paths) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        headers.push_back(text.str());
    }
    return headers.empty() ? 1 : 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace roadsafe;
    if (size == 0) return 0;
    const std::string bytes = headers[data[0] % headers.size()] + std::string(fuzz::as_text(data + 1, size - 1));
    const fuzz::MemoryFile file("/vsimem/fuzz/rows.csv", bytes);
    for (const bool strict : {false, true})
        fuzz::expect_answer_or_error([&] {
            fuzz::require_consistent(io::read_stats19({file.path()}, {.strict = strict, .threads = 1}));
        });
    return 0;
}
