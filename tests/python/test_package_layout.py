"""The package's shape: subpackages that mirror the engine, imports flowing one way, the face keeping its names.

Imports are read from the installed sources (every import, including those inside functions and
under TYPE_CHECKING), so a lazy import cannot hide a cycle.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
import roadsafe as rs

PACKAGE = Path(rs.__file__).resolve().parent

# Lower layers first; a subpackage may import only from its own layer or below. Top-level modules
# (errors, figures, _version, _engine, benchmark_data) sit under every layer.
LAYERS = {"io": 0, "geo": 1, "trends": 2, "severity": 2, "linkage": 2, "hotspots": 2, "drivers": 2, "schemes": 2, "maps": 3, "cli": 4}


def _module_name(path: Path) -> str:
    parts = ["roadsafe", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    # The installed package's data/ (the shipped datasets) holds their provenance scripts, not modules.
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).parts[0] != "data"}


def _imports(name: str, path: Path, modules: set[str]) -> list[tuple[str, str]]:
    """(imported module, imported name or '') for every import in the file, relative ones resolved."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, "") for a in node.names if a.name.startswith("roadsafe")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("roadsafe"):
                continue
            for a in node.names:  # `from pkg import submodule` imports the submodule
                sub = f"{target}.{a.name}"
                found.append((sub, "") if sub in modules else (target, a.name))
    return found


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else ""


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    modules = set(sources) | {"roadsafe._engine"}
    return {m: {t for t, _ in _imports(m, p, modules) if t in sources} - {m} for m, p in sources.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str]:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        state[n] = 2
        stack.pop()
        return []

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return []


def test_every_subpackage_mirrors_an_engine_area():
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert subpackages <= set(LAYERS), subpackages - set(LAYERS)
    assert {"io", "geo", "trends", "severity", "linkage", "hotspots", "maps", "cli"} <= subpackages
    top_level = {p.stem for p in PACKAGE.glob("*.py")}
    assert top_level == {"__init__", "_version", "errors", "figures", "benchmark_data"}, top_level


def test_no_module_imports_the_face():
    """Only users import `roadsafe` itself; inside the package every import names its module."""
    offenders = sorted(m for m, targets in _graph().items() if m != "roadsafe" and "roadsafe" in targets)
    assert offenders == []


def test_module_imports_have_no_cycle():
    assert _cycle(_graph()) == []


def test_subpackage_imports_flow_one_way():
    graph = _graph()
    wrong = sorted(f"{m} -> {t}" for m, ts in graph.items() for t in ts
                   if _area(m) and _area(t) and LAYERS[_area(t)] > LAYERS[_area(m)])
    assert wrong == []
    areas: dict[str, set[str]] = {}
    for m, ts in graph.items():
        for t in ts:
            if _area(m) and _area(t) and _area(m) != _area(t):
                areas.setdefault(_area(m), set()).add(_area(t))
    assert _cycle(areas) == []
    assert not any(_area(t) for t in graph["roadsafe.errors"] | graph["roadsafe._version"])


def test_no_private_name_crosses_a_subpackage():
    sources = _sources()
    modules = set(sources) | {"roadsafe._engine"}
    crossing = []
    for m, p in sources.items():
        for target, name in _imports(m, p, modules):
            private = name.startswith("_") or any(part.startswith("_") for part in target.split(".")[1:]
                                                   if part != "_engine")
            if private and _area(target) != _area(m) and target != "roadsafe._version":
                crossing.append(f"{m}: {target} {name}".strip())
    assert crossing == []


def test_every_module_opens_with_a_docstring():
    missing = [m for m, p in _sources().items() if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


# The names users reach through `import roadsafe as rs` (before the layout change as well as after).
FACE = {
    "": ["AnnualTrend", "Dataset", "GeneratedTrauma", "LoadReport", "Links", "TraumaRegistry", "__version__",
         "adjusted_serious", "adjusted_totals", "annual_trend", "board_report", "cluster_sites", "datasets", "dbscan",
         "empirical_bayes", "errors", "fit_severity_model", "generate_trauma", "geo", "gi_star", "groups", "hotspot_map",
         "hotspots", "kde", "ksi_table", "link", "linkage", "maps", "network_kde", "performance_summary", "plots",
         "police_casualties", "police_collisions", "police_records", "read_roads", "read_stats19", "read_trauma",
         "reclassification_effect", "rolling_12_months", "severity_table", "trauma", "schemes", "eb_before_after",
         "evaluate_schemes", "SchemeEvaluation", "SafetyPerformance", "dashboard", "rates", "compare",
         "drivers", "culpability", "involvement_ratios", "driver_profile"],
    "drivers": ["BY_FIELDS", "DRIVER_CODES", "DriverProfile", "InvolvementRatios", "MITIGATING_CODES", "PROFILE_FIELDS",
                "RULES", "STATUSES", "culpability", "driver_profile", "involvement_ratios", "read_factors",
                "rule_summary"],
    "datasets": ["DATA_DIR", "GEO_ATTRIBUTION", "cambridgeshire", "cambridgeshire_county", "cambridgeshire_districts",
                 "cambridgeshire_roads", "cambridgeshire_towns", "data_path", "gb_2015_drivers", "profile_path"],
    "errors": ["CancelledError", "EncodingError", "InvalidInputError", "NotConvergedError", "ProjectionError",
               "RoadsafeError", "RoadsafeIOError", "SchemaMismatchError", "class_for_code"],
    "groups": ["GROUPS", "GroupSelection", "GroupUnavailable", "group_names", "has_casualties", "normalise_groups",
               "select_groups"],
    "hotspots": ["ClusterSites", "DbscanResult", "GiStarResult", "KdeResult", "PRESETS", "RoadSegments",
                 "cluster_sites", "dbscan", "gi_star", "grid_cells", "kde", "road_segments", "value_of_prevention"],
    "linkage": ["COMPARISONS", "LinkEvaluation", "LinkModel", "Links", "chapman", "link", "severity_table"],
    "maps": ["BNG", "Dashboard", "MapInfo", "PAPER_SIZES_MM", "adjusted_probabilities", "dashboard", "driver_page",
             "hotspot_map", "read_layer", "save_map", "scheme_report", "site_locations"],
    "plots": ["ksi_trend_chart", "monthly_chart", "save_png"],
    "police_records": ["INVOLVEMENT_FLAGS", "ROAD_USERS", "SEVERITIES", "SEXES", "casualty_road_user",
                       "police_casualties", "police_collisions", "vehicle_road_user"],
    "schemes": ["BeforeAfter", "SafetyPerformance", "SchemeEvaluation", "comparison_group_before_after",
                "eb_before_after", "evaluate_schemes", "fit_safety_performance", "naive_before_after", "read_schemes"],
    "trauma": ["GeneratedTrauma", "TraumaRegistry", "generate_trauma", "read_trauma"],
}


@pytest.mark.parametrize("where", sorted(FACE))
def test_the_face_keeps_its_names(where):
    obj = getattr(rs, where) if where else rs
    missing = [n for n in FACE[where] if not hasattr(obj, n)]
    assert missing == []
    if not where:
        assert sorted(rs.__all__) == sorted(FACE[""])


def test_names_are_defined_once():
    """The face re-exports: rs.ksi_table is the function trends defines, not a copy."""
    from roadsafe.hotspots.grid_cells import grid_cells
    from roadsafe.trends.periods import ksi_table

    assert rs.ksi_table is ksi_table and rs.hotspots.grid_cells is grid_cells
    assert rs.plots is rs.maps.charts and rs.trauma is rs.linkage.trauma and rs.datasets is rs.io.datasets


def test_no_module_switches_matplotlibs_backend():
    """matplotlib.use would stop every later chart in a notebook from showing (the user's session, not ours)."""
    assert [m for m, p in _sources().items() if "matplotlib.use(" in p.read_text(encoding="utf-8")] == []
