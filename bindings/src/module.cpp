// roadsafe._engine: the compiled part of the roadsafe package. One init_<module>() per engine module.
#include <pybind11/pybind11.h>

namespace py = pybind11;

void init_errors(py::module_& m);
void init_io(py::module_& m);
void init_synth(py::module_& m);
void init_severity(py::module_& m);
void init_trends(py::module_& m);
void init_hotspots(py::module_& m);
void init_linkage(py::module_& m);
void init_trauma(py::module_& m);
void init_network(py::module_& m);

PYBIND11_MODULE(_engine, m) {
    m.doc() = "roadsafe's C++ engine (use the `roadsafe` package, not this module directly)";
    init_errors(m);
    init_io(m);
    init_synth(m);
    init_severity(m);
    init_trends(m);
    init_hotspots(m);
    init_linkage(m);
    init_trauma(m);
    init_network(m);
}
