#include "roadsafe/io/csv_text.hpp"

#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace roadsafe::io {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

void append_utf8(unsigned cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

// A cell as a CSV field: quoted when it holds the separator, a quote or a line break.
void append_field(std::string_view value, std::string& out) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += value;
        return;
    }
    out.push_back('"');
    for (char c : value) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
}

// Field names GDAL invents for a sheet read without a header row.
bool invented_names(OGRFeatureDefnH defn) {
    const int n = OGR_FD_GetFieldCount(defn);
    for (int i = 0; i < n; ++i)
        if (std::string(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))) != "Field" + std::to_string(i + 1)) return false;
    return true;
}

// Whether the sheet's first row (or the header GDAL took from it) names one of `keys`, in any case.
bool header_has_key(OGRLayerH layer, const std::vector<std::string>& keys) {
    auto is_key = [&](std::string cell) {
        for (char& c : cell) c = char(std::tolower(static_cast<unsigned char>(c)));
        return std::find(keys.begin(), keys.end(), cell) != keys.end();
    };
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const int n = OGR_FD_GetFieldCount(defn);
    bool found = false;
    if (!invented_names(defn)) {
        for (int i = 0; i < n && !found; ++i) found = is_key(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
        return found;
    }
    OGR_L_ResetReading(layer);
    if (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        for (int i = 0; i < n && !found; ++i) found = OGR_F_IsFieldSetAndNotNull(f, i) && is_key(OGR_F_GetFieldAsString(f, i));
        OGR_F_Destroy(f);
    }
    return found;
}

struct DatasetCloser {
    void operator()(void* ds) const { GDALClose(ds); }
};

}  // namespace

char header_separator(std::string_view header_line) noexcept {
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (char c : header_line) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        commas += c == ',';
        semicolons += c == ';';
        tabs += c == '\t';
    }
    if (commas >= semicolons && commas >= tabs) return ',';
    return semicolons >= tabs ? ';' : '\t';
}

std::string utf16_to_utf8(std::string_view bytes, bool big_endian) {
    std::string out;
    out.reserve(bytes.size() / 2 + bytes.size() / 8);
    auto unit = [&](std::size_t i) {
        const auto a = static_cast<unsigned char>(bytes[i]), b = static_cast<unsigned char>(bytes[i + 1]);
        return big_endian ? unsigned(a) << 8 | b : unsigned(b) << 8 | a;
    };
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
        unsigned cp = unit(i);
        if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < bytes.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        } else if (cp >= 0xD800 && cp < 0xE000) {
            cp = 0xFFFD;
        }
        append_utf8(cp, out);
    }
    return out;
}

CsvText::CsvText(const std::string& file, std::string_view bytes, const std::string& sheet,
                 const std::vector<std::string>& key_columns)
    : bytes_(bytes) {
    text_ = bytes;
    if (starts_with(bytes, "\xFF\xFE") || starts_with(bytes, "\xFE\xFF")) {
        const bool big_endian = bytes[0] == '\xFE';
        owned_ = utf16_to_utf8(bytes.substr(2), big_endian);
        text_ = owned_;
        origin_ = big_endian ? "UTF-16 (big-endian) text" : "UTF-16 text";
    } else if (starts_with(bytes, "PK\x03\x04") || starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
        read_sheet(file, sheet, key_columns);
        if (!problem_.empty()) return;
    }
    if (starts_with(text_, "\xEF\xBB\xBF")) text_.remove_prefix(3);
    const std::size_t nl = text_.find('\n');
    separator_ = header_separator(text_.substr(0, nl));
    if (separator_ != ',')  // a UTF-16 export is often tab-separated too: both are said
        origin_ += std::string(origin_.empty() ? "" : ", ") + (separator_ == ';' ? "semicolon-separated" : "tab-separated");
}

void CsvText::read_sheet(const std::string& file, const std::string& sheet, const std::vector<std::string>& key_columns) {
    static std::once_flag registered;
    std::call_once(registered, [] { GDALAllRegister(); });
    // Every cell as text, and the first row as a row (GDAL would otherwise guess whether it is a header).
    const char* drivers[] = {"XLSX", "ODS", "XLS", nullptr};
    const char* open_options[] = {"HEADERS=DISABLE", "FIELD_TYPES=STRING", nullptr};
    std::unique_ptr<void, DatasetCloser> ds(GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                                                       open_options, nullptr));
    if (!ds) {
        problem_ = starts_with(bytes_, "PK")
                       ? "not a CSV text file: a ZIP archive that is not a spreadsheet GDAL can read (.xlsx, .ods): "
                         "save the sheet as CSV (a .zip of CSV files must be named .zip)"
                       : "not a CSV text file: an old Excel .xls workbook GDAL cannot read: save the sheet as CSV";
        return;
    }
    const int layers = GDALDatasetGetLayerCount(ds.get());
    OGRLayerH layer = nullptr;
    std::string names;
    for (int i = 0; i < layers; ++i) {
        OGRLayerH l = GDALDatasetGetLayer(ds.get(), i);
        const std::string name = OGR_L_GetName(l);
        names += (names.empty() ? "'" : ", '") + name + "'";
        if (!sheet.empty() && name == sheet) layer = l;
    }
    // Without a sheet named: the first whose header holds a key column (a notes sheet often comes
    // first), else the first with rows.
    for (int pass = 0; pass < 2 && sheet.empty() && !layer; ++pass)
        for (int i = 0; i < layers && !layer; ++i) {
            OGRLayerH l = GDALDatasetGetLayer(ds.get(), i);
            if (pass == 0 ? header_has_key(l, key_columns) : OGR_L_GetFeatureCount(l, TRUE) > 0) layer = l;
        }
    if (!layer) {
        problem_ = sheet.empty() ? "a spreadsheet with no rows in any sheet"
                                 : "the spreadsheet has no sheet '" + sheet + "'; its sheets are " + names;
        return;
    }
    origin_ = std::string("sheet '") + OGR_L_GetName(layer) + "' of a spreadsheet";
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    const int fields = OGR_FD_GetFieldCount(defn);
    if (!invented_names(defn)) {  // a driver that took the first row as the header (XLS has no option for it)
        for (int i = 0; i < fields; ++i) {
            if (i) owned_.push_back(',');
            append_field(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)), owned_);
        }
        owned_.push_back('\n');
    }
    OGR_L_ResetReading(layer);
    while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
        for (int i = 0; i < fields; ++i) {
            if (i) owned_.push_back(',');
            if (OGR_F_IsFieldSetAndNotNull(f, i)) append_field(OGR_F_GetFieldAsString(f, i), owned_);
        }
        owned_.push_back('\n');
        OGR_F_Destroy(f);
    }
    text_ = owned_;
}

}  // namespace roadsafe::io
