"""Type stubs for roadsafe._engine, the compiled engine (use the roadsafe package instead)."""
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

# (name, type, values): type is int, float, text, category, date or time. values is a read-only numpy
# view of the engine's buffer (int32 or float64) for int, float, date and time; (offsets, utf8 bytes)
# views for text; (positions, labels) for category, positions being -1 where missing.
_ColumnValues = Union[npt.NDArray[np.generic], tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint8]],
                     tuple[npt.NDArray[np.int32], list[str]]]
_ColumnTuple = tuple[str, str, _ColumnValues]

class Dataset:
    def columns(self, table: str) -> list[_ColumnTuple]: ...
    def rows(self, table: str) -> int: ...
    @property
    def report_files(self) -> list[tuple[str, str, str, int, int, int, int]]: ...
    @property
    def report_entries(self) -> list[tuple[str, int, str, str, str, str, str]]: ...
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
