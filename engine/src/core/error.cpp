#include "roadsafe/core/error.hpp"

namespace roadsafe {

const char* error_code_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::InvalidInput: return "InvalidInput";
        case ErrorCode::SchemaMismatch: return "SchemaMismatch";
        case ErrorCode::Encoding: return "Encoding";
        case ErrorCode::Io: return "Io";
        case ErrorCode::Projection: return "Projection";
        case ErrorCode::NotConverged: return "NotConverged";
        case ErrorCode::Cancelled: return "Cancelled";
    }
    return "Unknown";
}

std::string format_located_message(const SourceLocation& where, const std::string& message) {
    std::string out;
    if (!where.file.empty()) {
        out.append(where.file);
        if (where.line > 0) out.append(":").append(std::to_string(where.line));
        out.append(": ");
    }
    if (!where.column.empty()) out.append("column '").append(where.column).append("': ");
    if (!where.value.empty()) out.append("value '").append(where.value).append("': ");
    return out.append(message);
}

Error::Error(ErrorCode code, const std::string& message, SourceLocation where)
    : std::runtime_error(format_located_message(where, message)), code_(code), where_(std::move(where)) {}

}  // namespace roadsafe
