#pragma once
// The engine's one exception type. Every failure carries a code from a closed set; the Python
// bindings map each code to one exception class in one place (bindings/src/errors.cpp).
#include <cstdint>
#include <stdexcept>
#include <string>

namespace roadsafe {

enum class ErrorCode {
    InvalidInput,    // a value, row or argument that cannot be used
    SchemaMismatch,  // a file whose columns are not what the reader expects
    Encoding,        // bytes that are not the declared text encoding
    Io,              // a file that cannot be opened, read or written
    Projection,      // a coordinate transformation that PROJ cannot set up or apply
    NotConverged,    // an iterative fit that did not converge
    Cancelled,       // the caller's progress callback asked to stop
};

const char* error_code_name(ErrorCode code) noexcept;

// Where in an input a problem was found; fields are empty / zero when unknown.
struct SourceLocation {
    std::string file;
    std::int64_t line = 0;  // 1-based line in the file, 0 = not a line
    std::string column;     // the column's header (or field name)
    std::string value;      // the offending value as it appears in the input
};

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, const std::string& message, SourceLocation where = {});
    ErrorCode code() const noexcept { return code_; }
    const SourceLocation& where() const noexcept { return where_; }

private:
    ErrorCode code_;
    SourceLocation where_;
};

// "file:line: column 'c': value 'v': message" with the parts that are known.
std::string format_located_message(const SourceLocation& where, const std::string& message);

}  // namespace roadsafe
