"""A second STATS19 generator, written apart from roadsafe's own (engine/src/synth), for the ingest benchmark.

It writes the three DfT files (collisions, vehicles, casualties) in the **2021-2023 layout** (lower-case
``accident_*`` names, ``accident_index`` / ``accident_year`` / ``accident_reference``, the 2011-specification codes
of ``junction_detail``, ``vehicle_manoeuvre`` and the like), CRLF line ends and no quoting, as the real DfT files.
Where roadsafe's generator writes the 2024+ layout from its own code tables, this one draws every coded field from
the frequencies of the **real DfT national files for 2015** (``second_stats19_frequencies.json``, derived by
``--frequencies`` below), conditioned where the real data is (speed limit on urban/rural, light on the hour,
road surface on the weather, vehicle fields on the vehicle type, casualty fields on the casualty class), and:

- vehicles and casualties per collision from the real (vehicles, casualties) pairs; collision severity the most
  severe of its casualties; a driver's or passenger's casualty type that of their vehicle;
- police force, local authority district and highway authority as real triples, locations around each area's real
  centre (longitude/latitude from a per-force polynomial fitted to the real files), LSOAs within the area's range;
- ``accident_index`` in the real files' forms: the year, the force and an alphanumeric reference before 2020
  (``201501BS70001``, ``201597LB05103``), digits only from 2020 (``2023010451590``); dates DD/MM/YYYY, times HH:MM;
- fields the 2015 files lack filled as DfT introduced them: ``generic_make_model`` from 2020, local authority
  district -1 from 2021, ``enhanced_*_severity``, ``escooter_flag`` and the distance bands from 2023;
- problems at rates of its own: ``flag_rate`` of coded values replaced by codes that are not in the data guide's
  list for their field (the share that gives about 2.45 M such values over 10 years of 100,000 collisions by
  default), ``missing_rate`` more values -1, and ``malformed_per_million`` rows cut short or with a stray
  separator (at least one per file).

What it planted is returned (and written beside the files as ``planted.json``): every value not in the guide's list
by file line and column, and every malformed row with its key, so a reader can be checked against it.

    python benchmarks/peers/second_stats19_generator.py OUT_DIR [--years 10] [--per-year 100000] [--seed 7]
    python benchmarks/peers/second_stats19_generator.py --frequencies [/work/shared/datasets/national]
"""
from __future__ import annotations

import argparse
import calendar
import collections
import csv
import io
import json
import re
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
FREQUENCIES = HERE / "second_stats19_frequencies.json"
CODE_LIST = HERE.parents[1] / "datasets" / "stats19" / "dft_code_list_2024.csv"
NATIONAL = Path("/work/shared/datasets/national")

# The 2021-2023 DfT layout: (header, kind, the data guide's field whose code list applies). Kinds: code (a value
# of the guide's list), int, text, float, date, time. The 2011-specification fields carry their *_historic codes.
COLLISION_COLUMNS = [
    ("accident_index", "text", None), ("accident_year", "int", None), ("accident_reference", "text", None),
    ("location_easting_osgr", "int", None), ("location_northing_osgr", "int", None),
    ("longitude", "float", None), ("latitude", "float", None),
    ("police_force", "code", "police_force"), ("accident_severity", "code", "collision_severity"),
    ("number_of_vehicles", "int", None), ("number_of_casualties", "int", None),
    ("date", "date", None), ("day_of_week", "code", "day_of_week"), ("time", "time", None),
    ("local_authority_district", "code", "local_authority_district"),
    ("local_authority_ons_district", "text", None), ("local_authority_highway", "text", None),
    ("first_road_class", "code", "first_road_class"), ("first_road_number", "int", None),
    ("road_type", "code", "road_type"), ("speed_limit", "int", None),
    ("junction_detail", "code", "junction_detail_historic"), ("junction_control", "code", "junction_control"),
    ("second_road_class", "code", "second_road_class"), ("second_road_number", "int", None),
    ("pedestrian_crossing_human_control", "code", "pedestrian_crossing_human_control_historic"),
    ("pedestrian_crossing_physical_facilities", "code", "pedestrian_crossing_physical_facilities_historic"),
    ("light_conditions", "code", "light_conditions"), ("weather_conditions", "code", "weather_conditions"),
    ("road_surface_conditions", "code", "road_surface_conditions"),
    ("special_conditions_at_site", "code", "special_conditions_at_site"),
    ("carriageway_hazards", "code", "carriageway_hazards_historic"),
    ("urban_or_rural_area", "code", "urban_or_rural_area"),
    ("did_police_officer_attend_scene_of_accident", "code", "did_police_officer_attend_scene_of_collision"),
    ("trunk_road_flag", "code", "trunk_road_flag"), ("lsoa_of_accident_location", "text", None),
    ("enhanced_severity_collision", "code", "enhanced_collision_severity"),
]
VEHICLE_COLUMNS = [
    ("accident_index", "text", None), ("accident_year", "int", None), ("accident_reference", "text", None),
    ("vehicle_reference", "int", None), ("vehicle_type", "code", "vehicle_type"),
    ("towing_and_articulation", "code", "towing_and_articulation"),
    ("vehicle_manoeuvre", "code", "vehicle_manoeuvre_historic"),
    ("vehicle_direction_from", "code", "vehicle_direction_from"),
    ("vehicle_direction_to", "code", "vehicle_direction_to"),
    ("vehicle_location_restricted_lane", "code", "vehicle_location_restricted_lane_historic"),
    ("junction_location", "code", "junction_location"), ("skidding_and_overturning", "code", "skidding_and_overturning"),
    ("hit_object_in_carriageway", "code", "hit_object_in_carriageway"),
    ("vehicle_leaving_carriageway", "code", "vehicle_leaving_carriageway"),
    ("hit_object_off_carriageway", "code", "hit_object_off_carriageway"),
    ("first_point_of_impact", "code", "first_point_of_impact"),
    ("vehicle_left_hand_drive", "code", "vehicle_left_hand_drive"),
    ("journey_purpose_of_driver", "code", "journey_purpose_of_driver_historic"),
    ("sex_of_driver", "code", "sex_of_driver"), ("age_of_driver", "int", None),
    ("age_band_of_driver", "code", "age_band_of_driver"), ("engine_capacity_cc", "int", None),
    ("propulsion_code", "code", "propulsion_code"), ("age_of_vehicle", "int", None),
    ("generic_make_model", "text", None), ("driver_imd_decile", "code", "driver_imd_decile"),
    ("driver_home_area_type", "int", None), ("lsoa_of_driver", "text", None),
    ("escooter_flag", "code", "escooter_flag"),
    ("dir_from_e", "int", None), ("dir_from_n", "int", None), ("dir_to_e", "int", None), ("dir_to_n", "int", None),
    ("driver_distance_banding", "code", "driver_distance_banding"),
]
CASUALTY_COLUMNS = [
    ("accident_index", "text", None), ("accident_year", "int", None), ("accident_reference", "text", None),
    ("vehicle_reference", "int", None), ("casualty_reference", "int", None),
    ("casualty_class", "code", "casualty_class"), ("sex_of_casualty", "code", "sex_of_casualty"),
    ("age_of_casualty", "int", None), ("age_band_of_casualty", "code", "age_band_of_casualty"),
    ("casualty_severity", "code", "casualty_severity"), ("pedestrian_location", "code", "pedestrian_location"),
    ("pedestrian_movement", "code", "pedestrian_movement"), ("car_passenger", "code", "car_passenger"),
    ("bus_or_coach_passenger", "code", "bus_or_coach_passenger"),
    ("pedestrian_road_maintenance_worker", "code", "pedestrian_road_maintenance_worker"),
    ("casualty_type", "code", "casualty_type"), ("casualty_home_area_type", "int", None),
    ("casualty_imd_decile", "code", "casualty_imd_decile"), ("lsoa_of_casualty", "text", None),
    ("enhanced_casualty_severity", "code", "enhanced_casualty_severity"),
    ("casualty_distance_banding", "code", "casualty_distance_banding"),
]
LAYOUT = {"collision": COLLISION_COLUMNS, "vehicle": VEHICLE_COLUMNS, "casualty": CASUALTY_COLUMNS}
FILE_NAMES = {"collision": "accidents", "vehicle": "vehicles", "casualty": "casualties"}

# Fields drawn from the real files: (field, the field it is drawn given, or None). Order matters: a condition
# is drawn before the fields that depend on it. "hour" and "month" come from the time and date.
DRAWS = {
    "collision": [
        ("urban_or_rural_area", None), ("speed_limit", "urban_or_rural_area"), ("road_type", "urban_or_rural_area"),
        ("first_road_class", "urban_or_rural_area"), ("first_road_number", "first_road_class"),
        ("junction_detail", "urban_or_rural_area"), ("junction_control", "junction_detail"),
        ("second_road_class", "junction_detail"), ("second_road_number", "second_road_class"),
        ("pedestrian_crossing_human_control", "urban_or_rural_area"),
        ("pedestrian_crossing_physical_facilities", "urban_or_rural_area"),
        ("light_conditions", "hour"), ("weather_conditions", "month"),
        ("road_surface_conditions", "weather_conditions"), ("special_conditions_at_site", None),
        ("carriageway_hazards", None), ("did_police_officer_attend_scene_of_accident", None),
        ("month", None), ("day_of_week", None), ("hour", "day_of_week"), ("minute", None),
    ],
    "vehicle": [
        ("vehicle_type", None), ("towing_and_articulation", "vehicle_type"), ("vehicle_manoeuvre", "vehicle_type"),
        ("vehicle_location_restricted_lane", "vehicle_type"), ("junction_location", "vehicle_type"),
        ("skidding_and_overturning", "vehicle_type"), ("hit_object_in_carriageway", "vehicle_type"),
        ("vehicle_leaving_carriageway", "vehicle_type"), ("hit_object_off_carriageway", "vehicle_leaving_carriageway"),
        ("first_point_of_impact", "vehicle_type"), ("vehicle_left_hand_drive", "vehicle_type"),
        ("journey_purpose_of_driver", "vehicle_type"), ("sex_of_driver", "vehicle_type"),
        ("age_of_driver", "vehicle_type"), ("engine_capacity_cc", "vehicle_type"), ("propulsion_code", "vehicle_type"),
        ("age_of_vehicle", "vehicle_type"), ("driver_home_area_type", None),
    ],
    "casualty": [
        ("casualty_class", None), ("sex_of_casualty", "casualty_class"), ("age_of_casualty", "casualty_class"),
        ("casualty_severity", "casualty_class"), ("pedestrian_location", "casualty_class"),
        ("pedestrian_movement", "casualty_class"), ("car_passenger", "casualty_class"),
        ("bus_or_coach_passenger", "casualty_class"), ("pedestrian_road_maintenance_worker", "casualty_class"),
        ("casualty_type", "casualty_class"), ("casualty_home_area_type", None), ("casualty_imd_decile", None),
    ],
}

# Common generic make/models on GB roads (facts, not data): what a 2020+ vehicle row names when it names one.
MAKE_MODELS = ["FORD FIESTA", "VAUXHALL CORSA", "FORD FOCUS", "VOLKSWAGEN GOLF", "VAUXHALL ASTRA", "NISSAN QASHQAI",
               "FORD TRANSIT", "MERCEDES SPRINTER", "BMW 3 SERIES", "TOYOTA YARIS", "VOLKSWAGEN POLO", "KIA SPORTAGE",
               "HONDA CIVIC", "PEUGEOT 208", "MINI HATCH", "AUDI A3", "TOYOTA PRIUS", "SKODA OCTAVIA"]

# A serious casualty's enhanced severity where the force collects it (2023+): very, moderately, less serious.
ENHANCED_SERIOUS = ([5, 6, 7], [0.25, 0.4, 0.35])


# ----------------------------------------------------------------------------------------------------------------
# Frequencies from the real files

def _snake(header: str) -> str:
    """A 2015 header in the 2021-2023 spelling (1st_Road_Class -> first_road_class)."""
    h = re.sub(r"[()?]", "", header.strip().lstrip("\ufeff")).replace("-", "_").lower()
    h = re.sub(r"^1st_", "first_", re.sub(r"^2nd_", "second_", h))
    return {"was_vehicle_left_hand_drive": "vehicle_left_hand_drive"}.get(h, h)


def _rows(national: Path, stem: str):
    with zipfile.ZipFile(national / f"RoadSafetyData_{stem}_2015.zip") as z:
        with z.open(f"{stem}_2015.csv") as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            header = [_snake(h) for h in next(reader)]
            return [dict(zip(header, row)) for row in reader]


def _pairs(counter: collections.Counter) -> list:
    items = sorted(counter.items())
    return [[v for v, _ in items], [c for _, c in items]]


def derive_frequencies(national: Path = NATIONAL) -> dict:
    """Field frequencies (given their condition), areas, sizes and index forms from the real 2015 national files."""
    guide = guide_codes()
    tables = {"collision": _rows(national, "Accidents"), "vehicle": _rows(national, "Vehicles"),
              "casualty": _rows(national, "Casualties")}
    for r in tables["collision"]:
        r["hour"], r["minute"] = r["time"][:2], r["time"][3:5]
        r["month"] = r["date"][3:5]
    out: dict = {"source": "DfT road safety data, national files for 2015 (Open Government Licence v3.0); "
                           "derived by second_stats19_generator.py --frequencies", "draws": {}}
    dropped = collections.Counter()
    for table, draws in DRAWS.items():
        kinds = {name: (kind, gfield) for name, kind, gfield in LAYOUT[table]}
        for name, given in draws:
            counts: dict = collections.defaultdict(collections.Counter)
            kind, gfield = kinds.get(name, ("int", None))
            for r in tables[table]:
                if r[name] == "" or (given and r[given] == ""):  # 18 collisions have no time
                    continue
                value = int(r[name])
                if kind == "code" and value != -1 and value not in guide[(table, gfield)]:
                    dropped[(table, name)] += 1  # generated problems are planted at a rate of their own
                    continue
                counts[r[given] if given else ""][value] += 1
            out["draws"][f"{table}.{name}"] = {str(int(g)) if g else "": _pairs(c) for g, c in counts.items()}
    out["dropped_not_in_guide"] = {f"{t}.{n}": c for (t, n), c in sorted(dropped.items())}

    sizes = collections.Counter(f"{r['number_of_vehicles']}x{r['number_of_casualties']}" for r in tables["collision"])
    out["sizes"] = [[k, c] for k, c in sorted(sizes.items())]

    # Areas: (police force, district, highway authority) as in the files, with where their collisions are.
    areas: dict = collections.defaultdict(list)
    for r in tables["collision"]:
        areas[(int(r["police_force"]), int(r["local_authority_district"]), r["local_authority_highway"])].append(r)
    out["areas"] = []
    for (force, district, highway), rows in sorted(areas.items()):
        e = np.array([float(r["location_easting_osgr"]) for r in rows if r["location_easting_osgr"] not in ("", "NULL")])
        n = np.array([float(r["location_northing_osgr"]) for r in rows if r["location_northing_osgr"] not in ("", "NULL")])
        lsoa = [r["lsoa_of_accident_location"] for r in rows]
        numbers = np.array([int(s[3:]) for s in lsoa if len(s) == 9])
        prefixes = collections.Counter(s[:3] for s in lsoa if len(s) == 9)
        out["areas"].append({
            "police_force": force, "district": district, "highway": highway, "count": len(rows),
            "easting": [float(np.median(e)), float(e.std()), float(e.min()), float(e.max())],
            "northing": [float(np.median(n)), float(n.std()), float(n.min()), float(n.max())],
            "lsoa": [prefixes.most_common(1)[0][0], int(np.percentile(numbers, 2)), int(np.percentile(numbers, 98))]
            if len(numbers) else None,
            "lsoa_missing_share": round(1 - len(numbers) / len(rows), 4)})

    # Longitude/latitude of a force's eastings/northings: a cubic in (E, N) fitted to its real rows.
    out["projection"] = {}
    by_force = collections.defaultdict(list)
    for r in tables["collision"]:
        if r["longitude"] and r["location_easting_osgr"]:
            by_force[int(r["police_force"])].append((float(r["location_easting_osgr"]), float(r["location_northing_osgr"]),
                                                     float(r["longitude"]), float(r["latitude"])))
    for force, pts in sorted(by_force.items()):
        a = np.array(pts)
        e0, n0 = float(a[:, 0].mean()), float(a[:, 1].mean())
        design = _polynomial(a[:, 0], a[:, 1], e0, n0)
        lon = np.linalg.lstsq(design, a[:, 2], rcond=None)[0]
        lat = np.linalg.lstsq(design, a[:, 3], rcond=None)[0]
        out["projection"][str(force)] = [e0, n0, lon.tolist(), lat.tolist()]

    # accident_index forms before 2020: the year, the force, then letters (if any) and a serial of 7 characters.
    forms = collections.defaultdict(collections.Counter)
    for r in tables["collision"]:
        suffix = r["accident_index"][6:]
        m = re.match(r"^(.*[A-Z])?\d*$", suffix)
        forms[r["accident_index"][4:6]][m.group(1) or ""] += 1
    out["index_forms"] = {force: _pairs(c) for force, c in sorted(forms.items())}
    return out


def _polynomial(e, n, e0, n0):
    x, y = (np.asarray(e) - e0) / 1e5, (np.asarray(n) - n0) / 1e5
    return np.stack([np.ones_like(x), x, y, x * x, x * y, y * y, x ** 3, x * x * y, x * y * y, y ** 3], axis=1)


# ----------------------------------------------------------------------------------------------------------------
# The data guide's code lists

def guide_codes() -> dict[tuple[str, str], set[int]]:
    """(table, guide field) -> its integer codes (-1, 'data missing', is not a code)."""
    return collections.defaultdict(set, {key: set(labels) - {-1} for key, labels in guide_labels().items()
                                         if isinstance(key, tuple)})


def _codes_not_in(listed: set[int], count: int = 6) -> np.ndarray:
    """Plausible wrong codes for a field: the next codes after its largest, and gaps inside its range."""
    top = max(listed)
    gaps = [c for c in range(0, top) if c not in listed]
    wrong = [top + 1, top + 2, *gaps[:: max(1, len(gaps) // (count - 2))][: count - 2]]
    if 99 not in listed and top < 99:
        wrong.append(99)
    return np.array(sorted(set(wrong)), dtype=np.int64)


# ----------------------------------------------------------------------------------------------------------------
# Generation

@dataclass
class Planted:
    """What a generated file holds that a reader must report: values not in the guide's list, malformed rows."""
    #: table -> (line numbers, column positions, values) of every value not in the data guide's list, in
    #: well-formed rows (the header is line 1; LAYOUT[table][position][0] is the column's header)
    flagged: dict = field(default_factory=dict)
    #: table -> list of (line, key, what is wrong): rows cut short or with a stray separator
    malformed: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)  #: table -> rows written (well-formed and malformed)

    def flagged_count(self, table: str | None = None) -> int:
        return sum(len(v[0]) for t, v in self.flagged.items() if table in (None, t))

    def summary(self) -> dict:
        return {"rows": self.rows,
                "flagged": {t: {LAYOUT[t][h][0]: int(c) for h, c in enumerate(np.bincount(v[1], minlength=len(LAYOUT[t])))
                                if c} for t, v in self.flagged.items()},
                "flagged_total": self.flagged_count(),
                "malformed": {t: [[line, list(key), what] for line, key, what in v] for t, v in self.malformed.items()}}


class _Sampler:
    """Draws a table's fields from the real frequencies, each given its condition."""

    def __init__(self, rng: np.random.Generator, draws: dict, table: str):
        self.rng, self.draws, self.table = rng, draws, table

    def draw(self, name: str, given: np.ndarray | None, n: int) -> np.ndarray:
        dists = self.draws[f"{self.table}.{name}"]
        if given is None:
            return self._choice(dists[""], n)
        out = np.empty(n, dtype=np.int64)
        marginal = self._marginal(dists)
        order = np.argsort(given, kind="stable")
        values, starts = np.unique(given[order], return_index=True)
        ends = np.append(starts[1:], n)
        for g, a, b in zip(values, starts, ends):
            out[order[a:b]] = self._choice(dists.get(str(int(g)), marginal), int(b - a))
        return out

    @staticmethod
    def _marginal(dists: dict) -> list:
        total = collections.Counter()
        for values, counts in dists.values():
            total.update(dict(zip(values, counts)))
        return _pairs(total)

    def _choice(self, dist: list, n: int) -> np.ndarray:
        values, counts = np.asarray(dist[0], dtype=np.int64), np.asarray(dist[1], dtype=np.float64)
        return values[self.rng.choice(len(values), size=n, p=counts / counts.sum())]


def _digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded ASCII digits, an (n, width) uint8 array."""
    numbers = np.asarray(numbers, dtype=np.int64)
    out = np.empty((len(numbers), width), dtype=np.uint8)
    for i in range(width - 1, -1, -1):
        out[:, i] = 48 + numbers % 10
        numbers = numbers // 10
    return out


def _strings(chars: np.ndarray) -> np.ndarray:
    """An (n, width) uint8 array of characters as n byte strings."""
    return np.ascontiguousarray(chars).view(f"S{chars.shape[1]}").ravel()


def _age_band(age: np.ndarray) -> np.ndarray:
    """The DfT age band of an age (-1 stays missing)."""
    bands = np.searchsorted(np.array([6, 11, 16, 21, 26, 36, 46, 56, 66, 76]), age, side="right") + 1
    return np.where(age < 0, -1, bands)


def _dates(rng, draws: dict, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers (days since 1970-01-01) and DfT day-of-week codes, month and weekday shares as in the real year."""
    month_share = dict(zip(*draws["collision.month"][""]))
    weekday_share = dict(zip(*draws["collision.day_of_week"][""]))
    days = np.empty(len(years), dtype=np.int64)
    for year in np.unique(years):
        first = np.datetime64(f"{year}-01-01").astype(np.int64)
        n_days = 366 if calendar.isleap(int(year)) else 365
        day = np.arange(first, first + n_days)
        month = (day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12) + 1
        dow = (day + 4) % 7 + 1  # 1970-01-01 was a Thursday; DfT: 1 Sunday .. 7 Saturday
        lengths = np.array([calendar.monthrange(int(year), m)[1] for m in range(1, 13)])
        weight = np.array([month_share[m] for m in month]) / lengths[month - 1] * np.array([weekday_share[d] for d in dow])
        rows = np.flatnonzero(years == year)
        days[rows] = day[rng.choice(n_days, size=len(rows), p=weight / weight.sum())]
    return days, (days + 4) % 7 + 1


def _text_table(strings: list[str]) -> np.ndarray:
    """Text values as one byte-string array (what pyarrow turns into a text column without a Python loop)."""
    return np.array(strings, dtype=bytes)


def generate(directory: str | Path, first_year: int = 2014, years: int = 10, collisions_per_year: int = 100_000,
             seed: int = 7, flag_rate: float = 0.0331, missing_rate: float = 0.003,
             malformed_per_million: float = 10.0) -> tuple[dict, Planted]:
    """Write accidents.csv, vehicles.csv and casualties.csv (2021-2023 DfT layout) into ``directory``.

    Returns the three paths (keys collisions, vehicles, casualties) and what was planted. ``flag_rate`` is the
    share of coded values (police force, severities, conditions, vehicle and casualty codes...) replaced by a
    code the data guide does not list for the field; ``missing_rate`` the share of coded and numeric values
    set -1 beyond the real files' own; ``malformed_per_million`` rows per million cut short or given a stray
    separator (at least one per file).
    """
    rng = np.random.default_rng(seed)
    freq = json.loads(FREQUENCIES.read_text())
    draws, guide = freq["draws"], guide_codes()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)

    # Collisions: how many vehicles and casualties, where, when.
    n = years * collisions_per_year
    year = np.repeat(np.arange(first_year, first_year + years), collisions_per_year)
    size_keys, size_counts = zip(*freq["sizes"])
    size = np.array([[int(x) for x in k.split("x")] for k in size_keys])
    pick = rng.choice(len(size), size=n, p=np.array(size_counts) / sum(size_counts))
    n_vehicles, n_casualties = size[pick, 0], size[pick, 1]

    areas = freq["areas"]
    area = rng.choice(len(areas), size=n, p=np.array([a["count"] for a in areas], dtype=float) / sum(a["count"] for a in areas))
    force = np.array([a["police_force"] for a in areas])[area]
    c: dict[str, np.ndarray] = {"accident_year": year, "police_force": force,
                                "number_of_vehicles": n_vehicles, "number_of_casualties": n_casualties}
    district = np.array([a["district"] for a in areas])[area]
    c["local_authority_district"] = np.where(year >= 2021, -1, district)
    c["local_authority_highway"] = _text_table([a["highway"] for a in areas])[area]
    c["local_authority_ons_district"] = _text_table([_ons_district(a, guide_labels()) for a in areas])[area]

    e_stats, n_stats = (np.array([a[k] for a in areas]) for k in ("easting", "northing"))
    easting = np.clip(np.rint(rng.normal(e_stats[area, 0], np.maximum(e_stats[area, 1], 300) / 2)),
                      e_stats[area, 2], e_stats[area, 3])
    northing = np.clip(np.rint(rng.normal(n_stats[area, 0], np.maximum(n_stats[area, 1], 300) / 2)),
                       n_stats[area, 2], n_stats[area, 3])
    c["location_easting_osgr"], c["location_northing_osgr"] = easting.astype(np.int64), northing.astype(np.int64)
    lon, lat = np.empty(n), np.empty(n)
    for f in np.unique(force):
        rows = np.flatnonzero(force == f)
        e0, n0, lon_coef, lat_coef = freq["projection"][str(int(f))]
        design = _polynomial(easting[rows], northing[rows], e0, n0)
        lon[rows], lat[rows] = np.round(design @ lon_coef, 6), np.round(design @ lat_coef, 6)
    c["longitude"], c["latitude"] = lon, lat

    days, c["day_of_week"] = _dates(rng, draws, year)
    c["_days"] = days
    col = _Sampler(rng, draws, "collision")
    hour = col.draw("hour", c["day_of_week"], n)
    minute = col.draw("minute", None, n)
    c["_minutes"] = hour * 60 + minute
    month = (days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12) + 1
    extra = {"hour": hour, "month": month}
    for name, given in DRAWS["collision"]:
        if name in ("month", "day_of_week", "hour", "minute"):
            continue
        c[name] = col.draw(name, None if given is None else c.get(given, extra.get(given)), n)
    road = c["first_road_class"]
    trunk_share = np.select([road <= 2, road == 3], [0.9, 0.25], 0.0)
    c["trunk_road_flag"] = np.where(rng.random(n) < 0.01, -1, np.where(rng.random(n) < trunk_share, 1, 2))

    lsoa_info = [a["lsoa"] for a in areas]
    lsoa_missing = np.array([a["lsoa_missing_share"] if a["lsoa"] else 1.0 for a in areas])
    c["lsoa_of_accident_location"] = _lsoas(rng, area, lsoa_info, lsoa_missing)

    # Vehicles: 1..n for each collision.
    parent_v = np.repeat(np.arange(n), n_vehicles)
    nv = len(parent_v)
    v: dict[str, np.ndarray] = {"vehicle_reference": np.arange(nv) - np.repeat(np.cumsum(n_vehicles) - n_vehicles, n_vehicles) + 1}
    veh = _Sampler(rng, draws, "vehicle")
    for name, given in DRAWS["vehicle"]:
        v[name] = veh.draw(name, None if given is None else v[given], nv)
    v["age_band_of_driver"] = _age_band(v["age_of_driver"])
    vyear = year[parent_v]
    parked = v["vehicle_manoeuvre"] == 2
    direction_from = rng.integers(1, 9, nv)
    direction_to = (direction_from - 1 + rng.choice([0, 2, 4, 6], nv, p=[0.1, 0.2, 0.6, 0.1])) % 8 + 1
    unknown_direction = rng.random(nv) < 0.06
    v["vehicle_direction_from"] = np.where(parked, 0, np.where(unknown_direction, -1, direction_from))
    v["vehicle_direction_to"] = np.where(parked, 0, np.where(unknown_direction, -1, direction_to))
    v["driver_imd_decile"] = _Sampler(rng, draws, "casualty").draw("casualty_imd_decile", None, nv)
    named = (vyear >= 2020) & (rng.random(nv) < 0.7) & (v["vehicle_type"] != 1)
    v["generic_make_model"] = np.where(named, _text_table(MAKE_MODELS)[rng.integers(0, len(MAKE_MODELS), nv)], b"-1")
    v["lsoa_of_driver"] = _lsoas(rng, area[parent_v], lsoa_info, np.minimum(1.0, lsoa_missing[area[parent_v]] + 0.2))
    recent = vyear >= 2023  # fields introduced in 2023
    v["escooter_flag"] = np.where(recent, ((v["vehicle_type"] == 90) & (rng.random(nv) < 0.4)).astype(np.int64), -1)
    v["driver_distance_banding"] = _bands(rng, recent)
    for name in ("dir_from_e", "dir_from_n", "dir_to_e", "dir_to_n"):
        v[name] = np.full(nv, -1, dtype=np.int64)

    # Casualties: each in one of its collision's vehicles (pedestrians: the vehicle that hit them).
    parent_k = np.repeat(np.arange(n), n_casualties)
    nk = len(parent_k)
    k: dict[str, np.ndarray] = {"casualty_reference": np.arange(nk) - np.repeat(np.cumsum(n_casualties) - n_casualties, n_casualties) + 1}
    k["vehicle_reference"] = np.floor(rng.random(nk) * n_vehicles[parent_k]).astype(np.int64) + 1
    cas = _Sampler(rng, draws, "casualty")
    for name, given in DRAWS["casualty"]:
        k[name] = cas.draw(name, None if given is None else k[given], nk)
    k["age_band_of_casualty"] = _age_band(k["age_of_casualty"])
    first_vehicle = np.cumsum(n_vehicles) - n_vehicles
    vehicle_type = v["vehicle_type"][first_vehicle[parent_k] + k["vehicle_reference"] - 1]
    in_list = np.isin(vehicle_type, list(guide[("casualty", "casualty_type")]))
    k["casualty_type"] = np.where(k["casualty_class"] == 3, 0, np.where(in_list, vehicle_type, k["casualty_type"]))
    k["lsoa_of_casualty"] = _lsoas(rng, area[parent_k], lsoa_info, np.minimum(1.0, lsoa_missing[area[parent_k]] + 0.15))
    kyear = year[parent_k]
    collects = np.isin(force, rng.choice(np.unique(force), size=len(np.unique(force)) // 2, replace=False))
    enhanced = np.select([k["casualty_severity"] == 1, k["casualty_severity"] == 2], [1, 0], 3)
    serious = enhanced == 0
    enhanced[serious] = rng.choice(ENHANCED_SERIOUS[0], size=int(serious.sum()), p=ENHANCED_SERIOUS[1])
    k["enhanced_casualty_severity"] = np.where((kyear >= 2023) & collects[parent_k], enhanced, -1)
    k["casualty_distance_banding"] = _bands(rng, kyear >= 2023)

    # A collision is as severe as its most severe casualty (1 fatal < 5 < 6 < 7 < 3 slight, for enhanced).
    c["accident_severity"] = np.minimum.reduceat(k["casualty_severity"], np.cumsum(n_casualties) - n_casualties)
    rank = np.select([k["enhanced_casualty_severity"] == code for code in (1, 5, 6, 7, 3)], [0, 1, 2, 3, 4], 5)
    best = np.minimum.reduceat(rank, np.cumsum(n_casualties) - n_casualties)
    c["enhanced_severity_collision"] = np.array([1, 5, 6, 7, 3, -1])[best]

    # Keys: the real files' accident_index forms; collisions in index order, their vehicles and casualties after.
    index = _accident_index(rng, year, force, freq["index_forms"])
    order = np.argsort(index, kind="stable")  # the index starts with the year
    c = {name: values[order] for name, values in c.items()}
    index, area = index[order], area[order]
    rank_of = np.empty(n, dtype=np.int64)
    rank_of[order] = np.arange(n)
    v_order = np.lexsort((v["vehicle_reference"], rank_of[parent_v]))
    k_order = np.lexsort((k["casualty_reference"], rank_of[parent_k]))
    v = {name: values[v_order] for name, values in v.items()}
    k = {name: values[k_order] for name, values in k.items()}
    v_parent, k_parent = rank_of[parent_v][v_order], rank_of[parent_k][k_order]
    for table, parent in ((v, v_parent), (k, k_parent)):
        table["accident_year"] = c["accident_year"][parent]
        table["_index"] = index[parent]
    c["_index"] = index

    planted = Planted()
    tables = {"collision": c, "vehicle": v, "casualty": k}
    for table, values in tables.items():
        _plant_problems(rng, table, values, guide, flag_rate, missing_rate)
    paths = {key: str(directory / f"{FILE_NAMES[table]}.csv") for key, table in
             (("collisions", "collision"), ("vehicles", "vehicle"), ("casualties", "casualty"))}
    malformed = {}
    for table, values in tables.items():
        m = len(values["_index"])
        malformed[table] = np.sort(rng.choice(m, size=min(m, max(1, round(m * malformed_per_million / 1e6))), replace=False))
    # pyarrow writes without the GIL: the three files at once.
    with ThreadPoolExecutor(3) as pool:
        for done in [pool.submit(_write, Path(path), table, tables[table], planted, guide, malformed[table])
                     for path, table in zip(paths.values(), tables)]:
            done.result()
    (directory / "planted.json").write_text(json.dumps(planted.summary(), indent=1))
    return paths, planted


def _ons_district(area: dict, labels: dict) -> str:
    """The ONS code of a district (by its name in the guide), else the highway authority's code."""
    name = labels.get(("collision", "local_authority_district"), {}).get(area["district"])
    return labels.get("ons_by_name", {}).get(name, area["highway"])


_LABELS: dict = {}


def guide_labels() -> dict:
    """(table, field) -> code -> label from the data guide, and the ONS district codes by name."""
    if not _LABELS:
        with open(CODE_LIST, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                key = (row["table"] or "collision", row["field name"])
                if row["field name"] == "local_authority_ons_district":
                    _LABELS.setdefault("ons_by_name", {})[row["label"].strip()] = row["code/format"]
                try:
                    _LABELS.setdefault(key, {})[int(row["code/format"])] = row["label"].strip()
                except ValueError:
                    pass
    return _LABELS


def _lsoas(rng, area: np.ndarray, info: list, missing_share: np.ndarray) -> np.ndarray:
    """LSOA codes within each area's range (E01/W01 and six digits); "-1" where missing (Scotland has none)."""
    m = len(area)
    prefix = np.frombuffer("".join(i[0] if i else "E01" for i in info).encode(), np.uint8).reshape(-1, 3)
    lo = np.array([i[1] if i else 1 for i in info])
    hi = np.array([i[2] if i else 1 for i in info])
    number = lo[area] + np.floor(rng.random(m) * (hi[area] - lo[area] + 1)).astype(np.int64)
    codes = _strings(np.concatenate([prefix[area], _digits(number, 6)], axis=1))
    return np.where(rng.random(m) < missing_share[area], b"-1", codes)


def _bands(rng, recent: np.ndarray) -> np.ndarray:
    """Distance from home bands (2023+): most within 5 km, a quarter not known."""
    band = rng.choice([1, 2, 3, 4, 5, -1], size=len(recent), p=[0.38, 0.12, 0.1, 0.12, 0.03, 0.25])
    return np.where(recent, band, -1)


def _accident_index(rng, year: np.ndarray, force: np.ndarray, forms: dict) -> np.ndarray:
    """Unique indexes of 13 characters: year, force (2 digits), then 7 -- before 2020 one of the force's real
    leading forms (BS, E, 535HA, DFT... by their frequency) and a serial, from 2020 a serial of digits."""
    n = len(year)
    pairs = [""]  # every (force, form) in use; 0 = digits only
    form_id = np.zeros(n, dtype=np.int64)
    for f in np.unique(force):
        rows = np.flatnonzero((force == f) & (year < 2020))
        names, counts = forms.get(f"{f:02d}", [[""], [1]])
        counts = np.asarray(counts, dtype=float)
        # Forms leaving too few digits for this many rows a year are left out (the serials must not run out).
        per_form = counts / counts.sum() * len(rows) / max(1, len(np.unique(year[rows])))
        usable = np.array([10 ** (7 - len(x)) >= 4 * k + 10 for x, k in zip(names, per_form)])
        if not usable.any():
            continue
        names, counts = [x for x, u in zip(names, usable) if u], counts[usable]
        ids = np.arange(len(pairs), len(pairs) + len(names))
        pairs += names
        form_id[rows] = ids[rng.choice(len(names), len(rows), p=counts / counts.sum())]
    lengths = np.array([len(x) for x in pairs])
    width = 7 - lengths[form_id]
    # A serial per (year, force, form), its group's serials starting somewhere in their range as real ones do.
    group = (year.astype(np.int64) * 100 + force) * len(pairs) + form_id
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    sizes = np.diff(np.r_[starts, n])
    serial = np.empty(n, dtype=np.int64)
    serial[order] = np.arange(n) - np.repeat(starts, sizes)
    room = 10 ** width[order[starts]] - sizes
    if np.any(room < 0):
        raise ValueError("too many collisions for one police force in one year for the accident_index forms")
    serial[order] += np.repeat(np.floor(rng.random(len(starts)) * (room + 1)).astype(np.int64), sizes)
    forms_chars = np.frombuffer("".join(x.ljust(7, "0") for x in pairs).encode(), np.uint8).reshape(-1, 7)
    chars = np.empty((n, 13), dtype=np.uint8)
    chars[:, :4] = _digits(year, 4)
    chars[:, 4:6] = _digits(force, 2)
    chars[:, 6:] = forms_chars[form_id]
    for w in np.unique(width):
        rows = np.flatnonzero(width == w)
        chars[rows, 13 - w:] = _digits(serial[rows], int(w))
    return _strings(chars)


def _plant_problems(rng, table: str, values: dict, guide, flag_rate: float, missing_rate: float) -> None:
    """Codes not in the guide's list at flag_rate, and more -1s at missing_rate, in coded and numeric columns."""
    for name, kind, gfield in LAYOUT[table]:
        if name not in values or kind not in ("code", "int") or name in ("accident_year", "vehicle_reference",
                                                                          "casualty_reference", "number_of_vehicles",
                                                                          "number_of_casualties"):
            continue
        column = values[name]
        if kind == "code":
            missing = rng.random(len(column)) < missing_rate
            column[missing] = -1
            flags = np.flatnonzero(rng.random(len(column)) < flag_rate)
            wrong = _codes_not_in(guide[(table, gfield)])
            column[flags] = wrong[rng.integers(0, len(wrong), len(flags))]
        elif name not in ("location_easting_osgr", "location_northing_osgr"):
            column[rng.random(len(column)) < missing_rate] = -1


def _write(path: Path, table: str, values: dict, planted: Planted, guide, malformed_rows: np.ndarray) -> None:
    """One file: header, rows (malformed ones among them), CRLF line ends, no quotes."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = LAYOUT[table]
    m = len(values["_index"])
    arrays = {}
    for name, kind, _ in columns:
        if name == "accident_index":
            arrays[name] = pa.array(values["_index"]).cast(pa.string())
        elif name == "accident_reference":  # the index without its year
            arrays[name] = pa.array(_strings(values["_index"].view(np.uint8).reshape(-1, 13)[:, 4:])).cast(pa.string())
        elif kind == "date":
            arrays[name] = pa.array(_date_strings(values["_days"])).cast(pa.string())
        elif kind == "time":
            arrays[name] = pa.array(_time_strings(values["_minutes"])).cast(pa.string())
        elif kind == "float":
            arrays[name] = pa.array(values[name])
        elif kind == "text":
            arrays[name] = pa.array(values[name]).cast(pa.string())
        else:
            arrays[name] = pa.array(values[name].astype(np.int64))
    frame = pa.table(arrays)

    # Values the guide does not list, by line (the header is line 1).
    well_formed = np.ones(m, dtype=bool)
    well_formed[malformed_rows] = False
    lines, headers, found = [], [], []
    for name, kind, gfield in columns:
        if kind != "code":
            continue
        column = values[name]
        rows = np.flatnonzero(~np.isin(column, list(guide[(table, gfield)])) & (column != -1) & well_formed)
        lines.append(rows + 2)
        headers.append(np.full(len(rows), [c[0] for c in columns].index(name), dtype=np.int16))
        found.append(column[rows])
    order = np.argsort(np.concatenate(lines), kind="stable")
    planted.flagged[table] = (np.concatenate(lines)[order], np.concatenate(headers)[order], np.concatenate(found)[order])

    # Malformed rows: cut short (a line lost its end) or a stray separator in a text field.
    text_fields = [name for name, kind, _ in columns if kind == "text" and name not in ("accident_index", "accident_reference")]
    text_fields += [name for name, kind, _ in columns if kind == "time"]
    planted.malformed[table] = []
    replacements = {}
    for i, row in enumerate(malformed_rows):
        cells = [_cell(frame.column(name)[int(row)].as_py()) for name, _, _ in columns]
        key = [values["_index"][row].decode()] + [int(values[k][row]) for k in ("vehicle_reference", "casualty_reference")
                                         if k in values]
        if i % 2 == 0:
            cut = 3
            replacements[row] = ",".join(cells[:-cut])
            what = f"cut short: {len(columns) - cut} of {len(columns)} fields"
        else:
            target = text_fields[i // 2 % len(text_fields)]
            at = [name for name, _, _ in columns].index(target)
            cell = cells[at]
            cells[at] = cell[:2] + "," + cell[2:] if len(cell) > 2 else cell + ","
            replacements[row] = ",".join(cells)
            what = f"stray separator in {target}: {len(columns) + 1} fields"
        planted.malformed[table].append((int(row) + 2, tuple(key), what))
    planted.rows[table] = m

    options = pacsv.WriteOptions(include_header=False, quoting_style="none", eol="\r\n", batch_size=1 << 16)
    with pa.OSFile(str(path), "wb") as sink:
        sink.write((",".join(name for name, _, _ in columns) + "\r\n").encode())
        with pacsv.CSVWriter(sink, frame.schema, write_options=options) as writer:
            start = 0
            for row in [*malformed_rows, m]:
                if row > start:
                    writer.write_table(frame.slice(start, int(row) - start))
                if row < m:
                    sink.write((replacements[row] + "\r\n").encode())
                start = int(row) + 1


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _date_strings(days: np.ndarray) -> np.ndarray:
    """Day numbers as DD/MM/YYYY (each distinct day formatted once)."""
    distinct, inverse = np.unique(days, return_inverse=True)
    text = np.array([d.strftime("%d/%m/%Y") for d in distinct.astype("datetime64[D]").astype(object)], dtype="S10")
    return text[inverse]


def _time_strings(minutes: np.ndarray) -> np.ndarray:
    table = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(1440)], dtype="S5")
    return table[minutes]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("directory", nargs="?", type=Path)
    ap.add_argument("--frequencies", nargs="?", const=NATIONAL, type=Path,
                    help="derive second_stats19_frequencies.json from the national 2015 zip files in this folder")
    ap.add_argument("--first-year", type=int, default=2014)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--per-year", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if args.frequencies:
        FREQUENCIES.write_text(json.dumps(derive_frequencies(args.frequencies), separators=(",", ":")) + "\n")
        print(f"wrote {FREQUENCIES}")
        return 0
    if not args.directory:
        ap.error("give an output folder (or --frequencies)")
    paths, planted = generate(args.directory, args.first_year, args.years, args.per_year, args.seed)
    print(json.dumps({**paths, "rows": planted.rows, "flagged": planted.flagged_count(),
                      "malformed": {t: len(v) for t, v in planted.malformed.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
