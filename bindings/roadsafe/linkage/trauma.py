"""Hospital trauma-registry records (TARN-like): reading them, and generating seeded synthetic ones.

``rs.read_trauma(path, injuries=None)`` reads the registry's CSV format (below) into a
``TraumaRegistry``; ``rs.generate_trauma(ds, directory, seed=0, noise=1.0)`` writes a synthetic registry
for any police Dataset, with the ground-truth links, for testing linkage.

Patient file, one row per patient: ``trauma_id`` (unique), ``arrival_datetime`` (ISO 8601, required),
``incident_datetime``, ``age`` (years), ``sex`` (M, F, U), ``road_user`` (pedestrian, pedal_cyclist,
motorcyclist, car_occupant, bus_occupant, goods_vehicle_occupant, other, unknown), ``incident_easting``,
``incident_northing`` (BNG metres), ``hospital_code``, ``hospital_easting``, ``hospital_northing``,
``mais`` (1-6), ``iss`` (0-75), ``outcome_30d`` (alive, dead, unknown), ``los_days``. Only ``trauma_id``
and ``arrival_datetime`` must be in the header. Injuries file, one row per injury: ``trauma_id``,
``ais_code`` (optional), ``ais_severity`` (1-6, 9 unknown), ``iss_region`` (1 head/neck, 2 face, 3 chest,
4 abdomen, 5 extremities, 6 external).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Optional, Union

import numpy as np
import pandas as pd

from ..io.columns import to_dataframe
from ..io.load_report import LoadReport

PathLike = Union[str, "os.PathLike[str]"]

_DATETIME_COLUMNS = ("arrival_datetime", "incident_datetime")
_MISSING_INT = np.iinfo(np.int32).min


def _minutes_to_datetime(values: pd.Series) -> np.ndarray:
    """Minutes since 1970-01-01 (engine Int column, missing = int32 min) -> datetime64[ns], NaT missing."""
    raw = values.to_numpy(dtype=np.int64, na_value=0)
    missing = values.isna().to_numpy()
    out = raw * np.int64(60_000_000_000)
    out[missing] = np.iinfo(np.int64).min
    return out.view("datetime64[ns]")


class TraumaRegistry:
    """A trauma registry's patients (and injuries), with the load report.

    ``patients``: one row per patient, the file's columns with ``arrival_datetime`` and
    ``incident_datetime`` as datetime64 (NaT missing), ``sex``, ``road_user`` and ``outcome_30d`` as
    categoricals, ``mais`` / ``iss`` as nullable integers, plus ``source_line`` and, when an injuries
    file was read, ``mais_source`` ("injuries" where MAIS and ISS were derived from the injuries,
    "patient file" otherwise). ``injuries``: one row per injury with ``patient_row`` (the row in
    ``patients``). ``report``: a ``LoadReport`` (tables "patient" and "injury").
    """

    def __init__(self, engine_registry, path: str = "") -> None:
        self._engine = engine_registry
        self.path = path
        self.report = LoadReport(engine_registry)
        patients = to_dataframe(engine_registry.columns("patients"))
        for name in _DATETIME_COLUMNS:
            patients[name] = _minutes_to_datetime(patients[name])
        self.patients: pd.DataFrame = patients
        injuries = engine_registry.columns("injuries")
        self.injuries: pd.DataFrame = to_dataframe(injuries) if injuries else pd.DataFrame(
            {"trauma_id": pd.Series([], dtype="str"), "ais_code": pd.Series([], dtype="str"),
             "ais_severity": pd.array([], dtype="Int32"), "iss_region": pd.array([], dtype="Int32"),
             "patient_row": pd.array([], dtype="Int32"), "source_line": pd.array([], dtype="Int32")})

    def __len__(self) -> int:
        return len(self.patients)

    def summary(self) -> dict[str, int]:
        """Counts: patients, MAIS 3+, MAIS known, ISS > 15, with incident location, with incident time, dead at 30 days."""
        p = self.patients
        mais = p["mais"]
        return {
            "patients": len(p),
            "mais3plus": int((mais >= 3).fillna(False).sum()),
            "mais_known": int(mais.notna().sum()),
            "iss_over_15": int((p["iss"] > 15).fillna(False).sum()),
            "with_incident_location": int(p["incident_easting"].notna().sum()),
            "with_incident_time": int(p["incident_datetime"].notna().sum()),
            "dead_30d": int((p["outcome_30d"] == "dead").sum()),
        }

    def __repr__(self) -> str:
        s = self.summary()
        span = ""
        if s["patients"]:
            a = self.patients["arrival_datetime"]
            span = f"; arrivals {a.min():%Y-%m-%d} to {a.max():%Y-%m-%d}"
        return (f"<roadsafe.TraumaRegistry: {s['patients']:,} patients, {s['mais3plus']:,} with MAIS 3+, "
                f"{s['iss_over_15']:,} with ISS > 15, {s['with_incident_location']:,} with an incident location, "
                f"{len(self.injuries):,} injuries{span}; load report: {self.report.entry_count:,} entries>")


def read_trauma(path: PathLike, injuries: Optional[PathLike] = None, strict: bool = False) -> TraumaRegistry:
    """Read a trauma-registry patient file and, optionally, its injuries file.

    Every data row is loaded or reported in ``.report`` (file, line, column, value, reason): a bad optional
    value is set missing, a row without a valid ``trauma_id`` / ``arrival_datetime`` or with the wrong
    number of fields is rejected, a repeated ``trauma_id`` is reported as a duplicate and not loaded, an
    injury for an unknown patient is rejected. With ``injuries``, MAIS (the highest known AIS) and ISS
    (sum of squares of the highest AIS in the three most severely injured ISS regions; 75 with any AIS 6;
    AIS 9 ignored; unknown when every injury is AIS 9) are derived from the injuries, and **the derived
    values are kept**: where the patient file gives a different ``mais`` / ``iss``, both values are reported.
    ``strict=True`` raises the first problem (``roadsafe.errors.InvalidInputError``, or ``EncodingError``);
    header problems (a missing required column, an unknown column) raise ``SchemaMismatchError`` always.
    Paths may be plain CSV, ``.gz``, ``.zip`` or http(s) URLs.
    """
    from .. import _engine

    engine_registry = _engine.read_trauma(os.fspath(path), os.fspath(injuries) if injuries else "", strict)
    return TraumaRegistry(engine_registry, os.fspath(path))


@dataclass
class GeneratedTrauma:
    """The files ``generate_trauma`` wrote, and what it generated.

    ``truth``: one row per generated patient (trauma_id, collision_index, collision_reference,
    casualty_reference); collision fields are empty ("") for patients without a police record and
    casualty_reference is empty when the patients were generated per collision.
    """
    patients_path: Path
    injuries_path: Path
    truth_path: Path
    unit: str
    seed: int
    noise: float
    counts: dict = field(default_factory=dict)

    @property
    def truth(self) -> pd.DataFrame:
        return pd.read_csv(self.truth_path, dtype=str, keep_default_na=False)

    def read(self, strict: bool = False) -> TraumaRegistry:
        """The generated registry read back with ``read_trauma``."""
        return read_trauma(self.patients_path, self.injuries_path, strict=strict)

    def __repr__(self) -> str:
        c = self.counts
        return (f"<roadsafe.GeneratedTrauma: {c.get('patients', 0):,} patients ({c.get('with_police_record', 0):,} with a "
                f"police record, unit {self.unit}), {c.get('injuries', 0):,} injuries; seed {self.seed}, noise "
                f"{self.noise:g}; {self.patients_path.parent}>")


def _code(values, labels: tuple[str, ...]) -> np.ndarray:
    """Positions of `values` in `labels` as int8 (-1 missing / not listed)."""
    cat = pd.Categorical(np.asarray(values, dtype=object), categories=list(labels))
    return cat.codes.astype(np.int8)


def _minutes(datetimes: pd.Series) -> np.ndarray:
    """datetime64 -> minutes since 1970 as int64; missing = int64 min."""
    ns = datetimes.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    out = np.floor_divide(ns, np.int64(60_000_000_000))
    out[datetimes.isna().to_numpy()] = np.iinfo(np.int64).min
    return out


def generate_trauma(ds, directory: PathLike, seed: int = 0, noise: float = 1.0,
                    unit: Literal["auto", "casualty", "collision"] = "auto") -> GeneratedTrauma:
    """Write a seeded synthetic trauma registry for the police records of ``ds``, with ground truth.

    Writes ``trauma.csv`` (the registry format read by ``read_trauma``), ``injuries.csv`` and
    ``truth.csv`` into ``directory``. ``unit="casualty"`` generates patients from the police casualties,
    ``"collision"`` from collisions (their involvement flags and number of casualties; for exports such as
    Cambridgeshire's with no casualty table; the pedestrian patient of a collision that records its first
    pedestrian's age and sex takes them), ``"auto"`` picks casualties when there are any. ``noise``
    scales every recording-error rate (0 = perfect recording, 1 = realistic, 2 = twice as noisy). The model
    and the source of every parameter are documented in ``docs/synthetic_trauma.md`` and
    ``engine/include/roadsafe/synth/trauma_generator.hpp``. The same data, seed and noise give
    byte-identical files.
    """
    from .. import _engine
    from .police_records import ROAD_USERS, SEVERITIES, SEXES, INVOLVEMENT_FLAGS, police_casualties, police_collisions

    if unit not in ("auto", "casualty", "collision"):
        raise ValueError(f"unit must be 'auto', 'casualty' or 'collision', not {unit!r}")
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, not {noise!r}")
    if unit == "auto":
        cas = getattr(ds, "casualties", None)
        unit = "casualty" if cas is not None and len(cas) else "collision"
    directory = Path(directory)
    if unit == "casualty":
        p = police_casualties(ds)
        if len(p) == 0:
            raise ValueError("unit='casualty' needs a casualty table; this dataset has none (use unit='collision')")
        records = {
            "datetime": _minutes(p["datetime"]),
            "time_known": p["time_known"].to_numpy(dtype=bool),
            "easting": p["easting"].to_numpy(dtype=float),
            "northing": p["northing"].to_numpy(dtype=float),
            "age": p["age"].to_numpy(dtype=float),
            "sex": _code(p["sex"], SEXES),
            "road_user": _code(p["road_user"], ROAD_USERS),
            "severity": _code(p["severity"], SEVERITIES),
            "collision_index": p["collision_index"].astype(object).tolist(),
            "collision_reference": p["collision_reference"].astype(object).tolist(),
            "casualty_reference": p["casualty_reference"].astype(object).tolist(),
        }
        counts = _engine.synth.write_trauma_from_casualties(os.fspath(directory), records, seed, noise)
    else:
        c = police_collisions(ds)
        involved = np.zeros(len(c), dtype=np.uint8)
        for name, user in INVOLVEMENT_FLAGS.items():
            involved |= (c[name].to_numpy(dtype=bool).astype(np.uint8) << np.uint8(ROAD_USERS.index(user)))
        records = {
            "datetime": _minutes(c["datetime"]),
            "time_known": c["time_known"].to_numpy(dtype=bool),
            "easting": c["easting"].to_numpy(dtype=float),
            "northing": c["northing"].to_numpy(dtype=float),
            "severity": _code(c["severity"], SEVERITIES),
            "involved": involved,
            "n_casualties": c["n_casualties"].to_numpy(dtype=float),
            "pedestrian_age": c["pedestrian_age"].to_numpy(dtype=float),
            "pedestrian_sex": _code(c["pedestrian_sex"], SEXES),
            "collision_index": c["collision_index"].astype(object).tolist(),
            "collision_reference": c["collision_reference"].astype(object).tolist(),
        }
        counts = _engine.synth.write_trauma_from_collisions(os.fspath(directory), records, seed, noise)
    return GeneratedTrauma(Path(counts.pop("patients_path")), Path(counts.pop("injuries_path")),
                           Path(counts.pop("truth_path")), unit, seed, noise, counts)
