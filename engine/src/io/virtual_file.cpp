#include "roadsafe/io/virtual_file.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string_view>

#include "roadsafe/core/error.hpp"

namespace roadsafe::io {

namespace {

bool ends_with_ci(const std::string& s, const std::string& suffix) {
    if (s.size() < suffix.size()) return false;
    return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                      [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

std::string to_vsi(const std::string& path) {
    if (path.rfind("/vsi", 0) == 0) return path;
    std::string p = path;
    if (p.rfind("http://", 0) == 0 || p.rfind("https://", 0) == 0) p = "/vsicurl/" + p;
    if (ends_with_ci(path, ".zip")) return "/vsizip/" + p;
    if (ends_with_ci(path, ".gz")) return "/vsigzip/" + p;
    return p;
}

}  // namespace

std::vector<std::string> expand_input_path(const std::string& path) {
    // Reading a .gz must not leave a "<file>.gz.properties" beside it in the user's folder.
    CPLSetConfigOption("CPL_VSIL_GZIP_WRITE_PROPERTIES", "NO");
    const std::string vsi = to_vsi(path);
    if (vsi.rfind("/vsizip/", 0) != 0) return {vsi};
    char** entries = VSIReadDirRecursive(vsi.c_str());
    std::vector<std::string> out;
    for (char** e = entries; e && *e; ++e)
        if (ends_with_ci(*e, ".csv")) out.push_back(vsi + "/" + *e);
    CSLDestroy(entries);
    if (out.empty())
        throw Error(ErrorCode::Io, "no .csv file inside this zip archive (or it cannot be opened)",
                    {path, 0, "", ""});
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_virtual_file(const std::string& vsi_path) {
    struct Closer {
        void operator()(VSILFILE* f) const { VSIFCloseL(f); }
    };
    VSIStatBufL stat;
    if (VSIStatL(vsi_path.c_str(), &stat) == 0 && VSI_ISDIR(stat.st_mode))
        throw Error(ErrorCode::Io, "is a directory, not a file", {vsi_path, 0, "", ""});
    std::unique_ptr<VSILFILE, Closer> f(VSIFOpenL(vsi_path.c_str(), "rb"));
    if (!f) {
        // A .gz that exists but does not open is not a gzip stream: say so rather than "does it exist?".
        constexpr std::string_view kGzip = "/vsigzip/";
        if (vsi_path.rfind(kGzip, 0) == 0 && VSIStatL(vsi_path.substr(kGzip.size()).c_str(), &stat) == 0)
            throw Error(ErrorCode::Io, "cannot open as gzip: not a gzip file, or a damaged one", {vsi_path, 0, "", ""});
        throw Error(ErrorCode::Io, "cannot open file (does it exist?)", {vsi_path, 0, "", ""});
    }
    std::string content;
    const bool plain = vsi_path.rfind("/vsi", 0) != 0;
    if (plain && VSIStatL(vsi_path.c_str(), &stat) == 0) content.reserve(static_cast<std::size_t>(stat.st_size) + 1);
    // Blocks growing from 64 KiB to 4 MiB: a small file costs no 4 MiB buffer zeroed for nothing.
    constexpr std::size_t kLargestBlock = 1 << 22;
    for (std::size_t block = 1 << 16;; block = std::min(2 * block, kLargestBlock)) {
        const std::size_t old = content.size();
        content.resize(old + block);
        const std::size_t got = VSIFReadL(content.data() + old, 1, block, f.get());
        content.resize(old + got);
        if (got < block) break;
    }
    return content;
}

InputBytes::InputBytes(const std::string& vsi_path) {
    if (vsi_path.rfind("/vsi", 0) != 0) {
        const int fd = ::open(vsi_path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            void* map = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
            if (map != MAP_FAILED) {
                ::madvise(map, static_cast<std::size_t>(st.st_size), MADV_SEQUENTIAL);
                map_ = map;
                data_ = static_cast<const char*>(map);
                size_ = static_cast<std::size_t>(st.st_size);
            }
        }
        if (fd >= 0) ::close(fd);
        if (map_) return;
    }
    owned_ = read_virtual_file(vsi_path);  // compressed, remote, empty or special files, with GDAL's errors
    data_ = owned_.data();
    size_ = owned_.size();
}

InputBytes::~InputBytes() {
    if (map_) ::munmap(map_, size_);
}

}  // namespace roadsafe::io
