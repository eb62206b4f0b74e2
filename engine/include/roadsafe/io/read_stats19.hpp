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
    std::string sheet;      // a spreadsheet's sheet to read; empty = the first sheet with rows
    int threads = 0;        // 0 = hardware concurrency
    ProgressCallback progress;
};

// Reads every path (plain, .zip, .gz, URL) into one Dataset. Each file's table (collision,
// vehicle, casualty) is recognised from its header. A key seen twice is loaded once and reported.
// Quoted fields may hold line breaks (a record is numbered by its first line). A file that cannot
// be read at all (empty, not text, a header not in the declared encoding) gets a FileSummary and
// one report entry, and the others are read; strict raises at it, and so does a read of no
// readable file at all.
Dataset read_stats19(const std::vector<std::string>& paths, const ReadOptions& options = {});

}  // namespace roadsafe::io
