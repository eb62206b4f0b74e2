"""Type stubs for roadsafe._engine, the compiled engine (use the roadsafe package instead)."""
from typing import Callable, Optional, Union

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
