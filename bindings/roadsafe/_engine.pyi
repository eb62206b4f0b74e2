"""Type stubs for roadsafe._engine, the compiled engine (use the roadsafe package instead)."""
from typing import Any, Callable, Mapping, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

# (name, type, values): type is int, float, text, category, date or time. values is a read-only numpy
# view of the engine's buffer (int32 or float64) for int, float, date and time; (offsets, utf8 bytes)
# views for text; (positions, labels) for category, positions being -1 where missing.
_ColumnValues = Union[npt.NDArray[np.generic], tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint8]],
                     tuple[npt.NDArray[np.int32], list[str]]]
_ColumnTuple = tuple[str, str, _ColumnValues]
# The load report's entries column by column (see roadsafe.io.report_entries): file, table, column, reason,
# outcome -> (codes, labels); line, related_file, related_line -> codes; value -> (int64 offsets, utf8 bytes).
_EntryColumns = dict[str, Any]

class Dataset:
    def columns(self, table: str) -> list[_ColumnTuple]: ...
    def rows(self, table: str) -> int: ...
    @property
    def report_files(self) -> list[tuple[str, str, str, int, int, int, int]]: ...
    @property
    def report_entries(self) -> list[tuple[str, int, str, str, str, str, str]]: ...
    @property
    def report_entry_columns(self) -> _EntryColumns: ...
    @property
    def coordinate_transformation(self) -> str: ...
    @property
    def timings(self) -> list[tuple[str, float]]: ...

def read_stats19(
    paths: list[str],
    profile: str = "",
    strict: bool = False,
    threads: int = 0,
    progress: Optional[Callable[[float, str], bool]] = None,
    sheet: str = "",
) -> Dataset: ...

class synth:
    @staticmethod
    def write_stats19_synthetic(
        directory: str,
        first_year: int = 2015,
        years: int = 1,
        collisions_per_year: int = 100000,
        seed: int = 0,
    ) -> dict[str, object]: ...
    @staticmethod
    def write_trauma_from_casualties(
        directory: str, records: dict[str, Any], seed: int = 0, noise: float = 1.0
    ) -> dict[str, Any]: ...
    @staticmethod
    def write_trauma_from_collisions(
        directory: str, records: dict[str, Any], seed: int = 0, noise: float = 1.0
    ) -> dict[str, Any]: ...

class TraumaRegistry:
    def columns(self, table: str) -> list[_ColumnTuple]: ...
    def rows(self, table: str) -> int: ...
    @property
    def report_files(self) -> list[tuple[str, str, str, int, int, int, int]]: ...
    @property
    def report_entries(self) -> list[tuple[str, int, str, str, str, str, str]]: ...
    @property
    def report_entry_columns(self) -> _EntryColumns: ...
    @property
    def coordinate_transformation(self) -> str: ...

def read_trauma(patients: str, injuries: str = "", strict: bool = False) -> TraumaRegistry: ...

class trends:
    @staticmethod
    def poisson_interval(
        n: npt.ArrayLike, confidence: float = 0.95
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def weighted_count_interval(
        total: npt.ArrayLike, sum_squares: npt.ArrayLike, max_weight: npt.ArrayLike, confidence: float = 0.95
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def compare_counts(
        current: float,
        current_variance: float,
        reference_total: float,
        reference_variance: float,
        reference_periods: float = 1.0,
        confidence: float = 0.95,
    ) -> dict[str, float]: ...
    @staticmethod
    def exact_conditional_test(n1: int, n2: int, exposure1: float = 1.0, exposure2: float = 1.0) -> float: ...
    @staticmethod
    def period_key(days: npt.ArrayLike, period: str) -> npt.NDArray[np.int32]: ...
    @staticmethod
    def count_by_period(
        keys: npt.ArrayLike, first_key: int, n_periods: int, weights: Optional[npt.ArrayLike] = None
    ) -> dict[str, Union[int, npt.NDArray[np.float64], npt.NDArray[np.int64]]]: ...

class severity:
    @staticmethod
    def fit_logistic(
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        weights: Optional[npt.ArrayLike] = None,
        max_iterations: int = 50,
        tolerance: float = 1e-10,
    ) -> dict[str, Any]: ...
    @staticmethod
    def fit_count_model(
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        offset: Optional[npt.ArrayLike] = None,
        family: str = "poisson",
        max_iterations: int = 50,
        tolerance: float = 1e-10,
    ) -> dict[str, Any]: ...
    @staticmethod
    def adjust_casualty_severity(
        p_not_ibrs: npt.ArrayLike,
        p_ibrs: npt.ArrayLike,
        serious: npt.ArrayLike,
        fatal: Optional[npt.ArrayLike] = None,
    ) -> dict[str, Any]: ...
    @staticmethod
    def collision_serious_probability(
        collision_row: npt.ArrayLike,
        casualty_serious: npt.ArrayLike,
        n_collisions: int,
        collision_fatal: Optional[npt.ArrayLike] = None,
    ) -> npt.NDArray[np.float64]: ...
    @staticmethod
    def fit_reclassification_step(
        counts: Sequence[float],
        month_of_year: Sequence[int],
        switch_index: int,
        log_offset: Optional[Sequence[float]] = None,
        family: str = "negative_binomial",
        seasonality: bool = True,
        confidence: float = 0.95,
    ) -> dict[str, Any]: ...
    @staticmethod
    def profile_switch_month(
        counts: Sequence[float],
        month_of_year: Sequence[int],
        first: int,
        last: int,
        log_offset: Optional[Sequence[float]] = None,
        family: str = "negative_binomial",
        seasonality: bool = True,
    ) -> dict[str, Any]: ...

class hotspots:
    @staticmethod
    def reference_priors(
        counts: npt.ArrayLike, group: npt.ArrayLike, n_groups: int
    ) -> dict[str, npt.NDArray[np.float64]]: ...
    @staticmethod
    def empirical_bayes(
        counts: npt.ArrayLike, prior_mean: npt.ArrayLike, k: npt.ArrayLike, confidence: float = 0.95
    ) -> dict[str, npt.NDArray[np.float64]]: ...
    @staticmethod
    def cluster_sites(
        x: npt.ArrayLike, y: npt.ArrayLike, radius: float = 50.0, min_collisions: int = 5
    ) -> dict[str, Any]: ...
    @staticmethod
    def dbscan(
        x: npt.ArrayLike, y: npt.ArrayLike, eps: float, min_samples: float, weight: Optional[npt.ArrayLike] = None
    ) -> dict[str, Any]: ...
    @staticmethod
    def gi_star(
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        values: npt.ArrayLike,
        distance: Optional[float] = None,
        k: Optional[int] = None,
        transform: str = "B",
        permutations: int = 999,
        seed: int = 0,
        threads: int = 0,
    ) -> dict[str, Any]: ...
    @staticmethod
    def benjamini_hochberg(p: npt.ArrayLike) -> npt.NDArray[np.float64]: ...
    @staticmethod
    def kde(
        x: npt.ArrayLike,
        y: npt.ArrayLike,
        weight: Optional[npt.ArrayLike] = None,
        cell: float = 50.0,
        bandwidth: float = 300.0,
        kernel: str = "quartic",
        margin: float = 300.0,
        gaussian_cutoff: float = 8.0,
        threads: int = 0,
    ) -> dict[str, Any]: ...
    @staticmethod
    def write_geotiff(
        path: str,
        values: npt.ArrayLike,
        x0: float,
        y1: float,
        cell: float,
        epsg: int = 27700,
        description: str = "",
    ) -> None: ...

class network:
    class RoadLines:
        @staticmethod
        def from_arrays(x: npt.ArrayLike, y: npt.ArrayLike, offsets: npt.ArrayLike) -> network.RoadLines: ...
        def __len__(self) -> int: ...
        @property
        def x(self) -> npt.NDArray[np.float64]: ...
        @property
        def y(self) -> npt.NDArray[np.float64]: ...
        @property
        def offsets(self) -> npt.NDArray[np.int64]: ...
        @property
        def fid(self) -> npt.NDArray[np.int64]: ...
        @property
        def source(self) -> npt.NDArray[np.uint32]: ...
        @property
        def sources(self) -> list[str]: ...
        @property
        def field_names(self) -> list[str]: ...
        def field(self, name: str) -> list[str]: ...
        @property
        def skipped(self) -> list[tuple[str, int, str]]: ...
        @property
        def features_read(self) -> int: ...
        @property
        def source_crs(self) -> str: ...

    class RoadNetwork:
        @property
        def nodes(self) -> int: ...
        @property
        def edge_count(self) -> int: ...
        @property
        def node_x(self) -> npt.NDArray[np.float64]: ...
        @property
        def node_y(self) -> npt.NDArray[np.float64]: ...
        @property
        def edge_from(self) -> npt.NDArray[np.int64]: ...
        @property
        def edge_to(self) -> npt.NDArray[np.int64]: ...
        @property
        def edge_length(self) -> npt.NDArray[np.float64]: ...
        @property
        def edge_line(self) -> npt.NDArray[np.int64]: ...
        @property
        def degree(self) -> npt.NDArray[np.int64]: ...
        @property
        def skipped(self) -> list[tuple[int, str]]: ...
        @property
        def total_length(self) -> float: ...

    class Lixels:
        def __len__(self) -> int: ...
        @property
        def edge(self) -> npt.NDArray[np.int64]: ...
        @property
        def start(self) -> npt.NDArray[np.float64]: ...
        @property
        def end(self) -> npt.NDArray[np.float64]: ...
        @property
        def mid_x(self) -> npt.NDArray[np.float64]: ...
        @property
        def mid_y(self) -> npt.NDArray[np.float64]: ...

    @staticmethod
    def read_road_lines(
        sources: Sequence[str],
        layer: str = "",
        fields: Sequence[str] = [],
        unique_field: str = "",
        target_epsg: int = 27700,
    ) -> network.RoadLines: ...
    @staticmethod
    def build_road_network(lines: network.RoadLines, snap: float = 0.01) -> network.RoadNetwork: ...
    @staticmethod
    def snap_points(
        network: network.RoadNetwork, x: npt.ArrayLike, y: npt.ArrayLike, max_distance: float = 50.0, threads: int = 0
    ) -> dict[str, Any]: ...
    @staticmethod
    def make_lixels(network: network.RoadNetwork, lixel: float = 20.0) -> network.Lixels: ...
    @staticmethod
    def lixel_geometry(
        network: network.RoadNetwork, lixels: network.Lixels
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]: ...
    @staticmethod
    def network_kernel(kernel: str, d: float, bandwidth: float) -> float: ...
    @staticmethod
    def network_kde(
        network: network.RoadNetwork,
        lixels: network.Lixels,
        edge: npt.ArrayLike,
        offset: npt.ArrayLike,
        weight: Optional[npt.ArrayLike] = None,
        bandwidth: float = 300.0,
        kernel: str = "quartic",
        method: str = "simple",
        threads: int = 0,
    ) -> npt.NDArray[np.float64]: ...

class linkage:
    @staticmethod
    def link(
        police: Mapping[str, npt.ArrayLike],
        patients: Mapping[str, npt.ArrayLike],
        unit: str = "casualty",
        seed: int = 0,
        u_max_pairs: int = 1000000,
        max_iterations: int = 100,
        tolerance: float = 1e-05,
        keep_probability: float = 0.01,
        tf_road_user: bool = True,
        tf_sex: bool = False,
        blocking: dict[str, float] = ...,
        threads: int = 0,
        time_of_week: bool = True,
        prior_by_road_user: bool = True,
        nearest_hospital: bool = True,
        hospital_bypass: bool = True,
        prior_pseudocount: float = 20.0,
    ) -> dict[str, Any]: ...
    @staticmethod
    def explain(
        model: dict[str, Any],
        levels: Sequence[int],
        road_user: int,
        sex: int,
        time_density: float = 1.0,
        hospital: int = -1,
    ) -> list[tuple[str, str, float, float, float]]: ...
    @staticmethod
    def pair_weight(
        model: dict[str, Any],
        levels: Sequence[int],
        road_user: int,
        sex: int,
        time_density: float = 1.0,
        hospital: int = -1,
    ) -> float: ...
    @staticmethod
    def chapman(n1: int, n2: int, m: int, confidence: float = 0.95) -> dict[str, float]: ...
