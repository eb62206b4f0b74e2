#pragma once
// Files read through GDAL's virtual file system: plain paths, .zip (every .csv inside), .gz,
// and http(s) URLs where a network exists.
#include <string>
#include <vector>

namespace roadsafe::io {

// The readable CSV paths that `path` stands for (a .zip expands to the CSV files inside it).
std::vector<std::string> expand_input_path(const std::string& path);
// The whole content of a (virtual) file. Throws Error(Io) naming the path when it cannot be read.
std::string read_virtual_file(const std::string& vsi_path);

}  // namespace roadsafe::io
