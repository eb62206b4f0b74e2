// The one place where engine errors become Python exceptions: each roadsafe::ErrorCode maps to one
// class of roadsafe.errors, raised with the message and the file, line, column and value.
#include <pybind11/pybind11.h>

#include "roadsafe/core/error.hpp"

namespace py = pybind11;

void init_errors(py::module_& m) {
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const roadsafe::Error& e) {
            py::object errors = py::module_::import("roadsafe.errors");
            py::object cls = errors.attr("class_for_code")(roadsafe::error_code_name(e.code()));
            const auto& w = e.where();
            auto text_or_none = [](const std::string& s) -> py::object { return s.empty() ? py::object(py::none()) : py::str(s); };
            py::object line = w.line > 0 ? py::object(py::int_(w.line)) : py::object(py::none());
            py::object instance = cls(e.what(), py::arg("file") = text_or_none(w.file), py::arg("line") = line,
                                      py::arg("column") = text_or_none(w.column), py::arg("value") = text_or_none(w.value));
            PyErr_SetObject(cls.ptr(), instance.ptr());
        }
    });
}
