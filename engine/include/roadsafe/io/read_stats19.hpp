#pragma once
// Reading STATS19 files of every DfT generation, or a local export through a mapping profile.
#include <string>
#include <vector>

#include "roadsafe/core/progress.hpp"
#include "roadsafe/io/dataset.hpp"

namespace roadsafe::io {

struct ReadOptions {
    std::string profile;    // path of a mapping profile; empty = DfT open-data files
    bool strict = false;    // raise Error on the first problem instead of reporting it
    int threads = 0;        // 0 = hardware concurrency
    ProgressCallback progress;
};

// Reads every path (plain, .zip, .gz, URL) into one Dataset. Each file's table (collision,
// vehicle, casualty) is recognised from its header. A key seen twice is loaded once and reported.
Dataset read_stats19(const std::vector<std::string>& paths, const ReadOptions& options = {});

}  // namespace roadsafe::io
