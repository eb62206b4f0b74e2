#pragma once
// Files read through GDAL's virtual file system: plain paths, .zip (every .csv inside), .gz,
// and http(s) URLs where a network exists.
#include <string>
#include <string_view>
#include <vector>

namespace roadsafe::io {

// The readable CSV paths that `path` stands for (a .zip expands to the CSV files inside it).
std::vector<std::string> expand_input_path(const std::string& path);
// The whole content of a (virtual) file. Throws Error(Io) naming the path when it cannot be read.
std::string read_virtual_file(const std::string& vsi_path);

// The bytes of an input file: a plain local file is memory-mapped (no copy; pages load as the
// parsing threads reach them), anything else is read whole through GDAL.
class InputBytes {
public:
    explicit InputBytes(const std::string& vsi_path);
    ~InputBytes();
    InputBytes(const InputBytes&) = delete;
    InputBytes& operator=(const InputBytes&) = delete;
    std::string_view view() const { return {data_, size_}; }

private:
    std::string owned_;
    void* map_ = nullptr;
    const char* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace roadsafe::io
