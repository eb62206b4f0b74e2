"""A second synthetic trauma registry, written independently of ``generate_trauma``, for testing linkage.

``second_registry(ds, profile="dense", seed=0)`` draws a registry (patients and the true links) for
the police records of ``ds`` with its own capture, delay and noise models, so that linkage accuracy
is never tuned to one generator. Nothing here is shared with ``docs/synthetic_trauma.md`` or the
engine's generator; every rate is a parameter of ``RegistryProfile``:

- **capture**: a police record reaches the registry with a probability by police severity (fatal,
  serious, slight); at collision level each further casualty a captured collision records
  (``number_of_casualties`` - 1) is captured too with ``extra_casualty``. A share ``unreported`` of the registry's patients has no police record
  (incidents police never heard of: mostly falls from cycles and pedestrians), with times drawn from
  the police times (the same daily rhythm) and places near a police collision.
- **arrival**: the collision time plus a lognormal transport delay (median ``delay_median`` minutes,
  log-sd ``delay_sigma``); a share ``transfers`` is first taken to another hospital and arrives hours
  later (a second lognormal delay, median 5 h).
- **incident time**, present for ``incident_time_share``: the true time with normal noise of
  ``time_noise`` minutes, rounded to 5 minutes for a quarter, to the hour for a tenth.
- **incident location**, present for ``location_share``: normal noise of ``location_noise`` metres,
  a share ``geocoded`` placed at the centre of a 1 km square (postcode-level geocoding) and a share
  ``gross_location`` moved 2-15 km (a wrong town or road).
- **hospital**: the registry's hospitals are points ``hospital_spacing`` metres apart over the police
  data's extent (seeded jitter); a patient goes to the nearest, or with ``trauma_centre`` to the
  major trauma centre (the hospital nearest the police data's centre).
- **road user**: miscoded for ``miscoded_road_user`` (car occupant <-> goods vehicle occupant,
  motorcyclist <-> pedal cyclist, anything else -> other), unknown for 3 %.
- **age**: the police age, off by one year for ``age_off_by_one`` (a birthday between the collision
  and the registry's record, or an age from a date of birth), off by 2-5 for 3 %, missing for 3 %;
  sex recorded wrongly for 1 %, unknown for 2 %.
- **MAIS**: 3+ with probability by police severity (fatal 0.85, serious 0.5, slight 0.2, no police
  record 0.45).

Profiles: ``"dense"`` is a county registry over every year of a small area (many patients per police
record, e.g. Cambridgeshire's 12,108 collisions, about 1,500 patients); ``"sparse"`` a national year
(few patients per police record, the major trauma centres only). Casualty level uses the police
casualties (age, sex, road user of each); collision level the collisions (the patient's road user is
one the collision involved, its age and sex the first pedestrian's when a pedestrian is recorded).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from .police_records import INVOLVEMENT_FLAGS, ROAD_USERS, police_casualties, police_collisions

Profile = Literal["dense", "sparse"]


@dataclass(frozen=True)
class RegistryProfile:
    """The rates of ``second_registry`` (see the module docstring)."""
    capture: tuple[float, float, float]  # fatal, serious, slight
    extra_casualty: float
    unreported: float
    delay_median: float
    delay_sigma: float
    transfers: float
    incident_time_share: float
    time_noise: float
    location_share: float
    location_noise: float
    geocoded: float
    gross_location: float
    hospital_spacing: float
    trauma_centre: float
    miscoded_road_user: float
    age_off_by_one: float


PROFILES: dict[str, RegistryProfile] = {
    "dense": RegistryProfile(capture=(0.4, 0.25, 0.025), extra_casualty=0.12, unreported=0.45, delay_median=65,
                             delay_sigma=0.55, transfers=0.06, incident_time_share=0.5, time_noise=6,
                             location_share=0.5, location_noise=120, geocoded=0.15, gross_location=0.04,
                             hospital_spacing=30_000, trauma_centre=0.3, miscoded_road_user=0.08,
                             age_off_by_one=0.2),
    "sparse": RegistryProfile(capture=(0.2, 0.07, 0.004), extra_casualty=0.05, unreported=0.3, delay_median=55,
                              delay_sigma=0.6, transfers=0.1, incident_time_share=0.55, time_noise=8,
                              location_share=0.45, location_noise=200, geocoded=0.2, gross_location=0.03,
                              hospital_spacing=60_000, trauma_centre=0.4, miscoded_road_user=0.08,
                              age_off_by_one=0.2),
}

_MISCODE = {"car_occupant": "goods_vehicle_occupant", "goods_vehicle_occupant": "car_occupant",
            "motorcyclist": "pedal_cyclist", "pedal_cyclist": "motorcyclist"}
_UNREPORTED_USERS = (("pedal_cyclist", 0.4), ("pedestrian", 0.25), ("car_occupant", 0.2), ("motorcyclist", 0.1),
                     ("other", 0.05))
_MAIS3 = {"fatal": 0.85, "serious": 0.5, "slight": 0.2}


@dataclass
class SecondRegistry:
    """What ``second_registry`` drew: ``patients`` (the columns ``rs.link`` and ``severity_table`` read:
    trauma_id, arrival_datetime, incident_datetime, incident_easting / _northing, hospital_easting /
    _northing, age, sex, road_user, mais) and ``truth`` (trauma_id, collision_index, casualty_reference;
    "" for a patient without a police record)."""
    patients: pd.DataFrame
    truth: pd.DataFrame
    unit: str
    profile: str
    seed: int
    settings: RegistryProfile = field(repr=False)

    def __repr__(self) -> str:
        linked = int((self.truth["collision_index"] != "").sum())
        return (f"<roadsafe.SecondRegistry ({self.profile}, {self.unit} level, seed {self.seed}): "
                f"{len(self.patients):,} patients, {linked:,} with a police record>")


def _hospitals(x: np.ndarray, y: np.ndarray, spacing: float, rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """Hospital sites on a jittered grid over the located records' extent, and the trauma centre's index."""
    ok = np.isfinite(x) & np.isfinite(y)
    x0, x1, y0, y1 = x[ok].min(), x[ok].max(), y[ok].min(), y[ok].max()
    gx = np.arange(x0 + spacing / 2, x1 + spacing / 2, spacing)
    gy = np.arange(y0 + spacing / 2, y1 + spacing / 2, spacing)
    hx, hy = (a.ravel() for a in np.meshgrid(gx, gy))
    hx = hx + rng.normal(0, spacing / 6, len(hx))
    hy = hy + rng.normal(0, spacing / 6, len(hy))
    sites = np.column_stack([hx, hy])
    centre = int(np.argmin(np.hypot(hx - np.median(x[ok]), hy - np.median(y[ok]))))
    return sites, centre


def _police(ds, unit: str) -> pd.DataFrame:
    if unit == "casualty":
        p = police_casualties(ds)
        return p[p["collision_row"] >= 0].reset_index(drop=True)
    c = police_collisions(ds)
    c["casualty_reference"] = ""
    return c


def second_registry(ds, profile: Profile = "dense", seed: int = 0,
                    unit: Literal["auto", "casualty", "collision"] = "auto", **overrides: float) -> SecondRegistry:
    """Draw a seeded registry for the police records of ``ds`` (see the module docstring).

    ``overrides`` replace fields of the profile (e.g. ``gross_location=0``). The same data, profile,
    seed and overrides give the same registry.
    """
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    if unit not in ("auto", "casualty", "collision"):
        raise ValueError(f"unit must be 'auto', 'casualty' or 'collision', not {unit!r}")
    if unit == "auto":
        cas = getattr(ds, "casualties", None)
        unit = "casualty" if cas is not None and len(cas) else "collision"
    s = replace(PROFILES[profile], **overrides)  # type: ignore[arg-type]
    rng = np.random.default_rng([seed, 20141])
    police = _police(ds, unit)
    when = pd.to_datetime(police["datetime"])
    usable = (police["time_known"].to_numpy(bool) & when.notna().to_numpy()).copy()
    sev = police["severity"].astype(object).to_numpy()
    p_capture = np.select([sev == "fatal", sev == "serious", sev == "slight"], list(s.capture), 0.0)
    captured = np.flatnonzero(usable & (rng.random(len(police)) < p_capture))
    if unit == "collision":  # each further casualty the collision records (unknown: none) comes too
        further = np.nan_to_num(police["n_casualties"].to_numpy(float)[captured] - 1, nan=0).clip(0)
        extra = np.repeat(captured, rng.binomial(further.astype(np.int64), s.extra_casualty))
        captured = np.sort(np.concatenate([captured, extra]))
    n_true = len(captured)
    n_unreported = int(round(n_true * s.unreported / (1 - s.unreported)))
    n = n_true + n_unreported

    t_min = when.to_numpy(dtype="datetime64[ns]").astype(np.int64) / 60e9
    times = np.empty(n)
    times[:n_true] = t_min[captured]
    donors = rng.choice(np.flatnonzero(usable), n_unreported)
    # Same daily rhythm as the police data, but another day.
    times[n_true:] = t_min[donors] + rng.integers(-30, 31, n_unreported) * 1440.0 + rng.normal(0, 30, n_unreported)

    px = police["easting"].to_numpy(float)
    py = police["northing"].to_numpy(float)
    tx = np.empty(n)
    ty = np.empty(n)
    tx[:n_true], ty[:n_true] = px[captured], py[captured]
    tx[n_true:] = px[donors] + rng.normal(0, 3000, n_unreported)
    ty[n_true:] = py[donors] + rng.normal(0, 3000, n_unreported)

    # Road user, age, sex, severity of each patient as the police know them.
    users = np.empty(n, dtype=object)
    age = np.full(n, np.nan)
    sex = np.full(n, "U", dtype=object)
    if unit == "casualty":
        users[:n_true] = police["road_user"].astype(object).to_numpy()[captured]
        age[:n_true] = police["age"].to_numpy(float)[captured]
        sex[:n_true] = police["sex"].astype(object).to_numpy()[captured]
    else:
        flags = np.column_stack([police[name].to_numpy(bool) for name in INVOLVEMENT_FLAGS])
        names = [INVOLVEMENT_FLAGS[name] for name in INVOLVEMENT_FLAGS]
        # A casualty of one of the road users the collision involved; cars carry most casualties.
        share = np.array([3.0 if u_ in ("pedestrian", "pedal_cyclist", "motorcyclist") else 1.0 for u_ in names])
        for k, row in enumerate(captured):
            w = flags[row] * share
            users[k] = names[rng.choice(len(names), p=w / w.sum())] if w.sum() > 0 else "unknown"
        ped = users[:n_true] == "pedestrian"
        page = police["pedestrian_age"].to_numpy(float)[captured]
        psex = police["pedestrian_sex"].astype(object).to_numpy()[captured]
        age[:n_true] = np.where(ped, page, np.nan)
        sex[:n_true] = np.where(ped, psex, "U")
        lacking = np.isnan(age[:n_true])
        age[:n_true][lacking] = np.round(rng.gamma(4.0, 10.0, lacking.sum()))
        sex[:n_true][sex[:n_true] == "U"] = rng.choice(["M", "F"], int((sex[:n_true] == "U").sum()), p=[0.68, 0.32])
    labels = [name for name, _ in _UNREPORTED_USERS]
    probs = [share for _, share in _UNREPORTED_USERS]
    users[n_true:] = rng.choice(labels, n_unreported, p=probs)
    age[n_true:] = np.round(rng.gamma(4.0, 10.0, n_unreported))
    sex[n_true:] = rng.choice(["M", "F"], n_unreported, p=[0.68, 0.32])
    severity = np.full(n, "none", dtype=object)
    severity[:n_true] = sev[captured]

    # Recording errors.
    delay = np.exp(np.log(s.delay_median) + s.delay_sigma * rng.standard_normal(n))
    transfer = rng.random(n) < s.transfers
    delay[transfer] += np.exp(np.log(300) + 0.5 * rng.standard_normal(int(transfer.sum())))
    arrival = np.round(times + delay)
    has_time = rng.random(n) < s.incident_time_share
    incident = times + rng.normal(0, s.time_noise, n)
    rounding = rng.random(n)
    incident = np.where(rounding < 0.25, np.round(incident / 5) * 5,
                        np.where(rounding < 0.35, np.round(incident / 60) * 60, np.round(incident)))
    incident = np.where(has_time, incident, np.nan)

    has_place = (rng.random(n) < s.location_share) & np.isfinite(tx)
    ix = tx + rng.normal(0, s.location_noise, n)
    iy = ty + rng.normal(0, s.location_noise, n)
    kind = rng.random(n)
    geo = kind < s.geocoded
    ix[geo], iy[geo] = np.floor(tx[geo] / 1000) * 1000 + 500, np.floor(ty[geo] / 1000) * 1000 + 500
    gross = (kind >= s.geocoded) & (kind < s.geocoded + s.gross_location)
    r = rng.uniform(2000, 15000, n)
    a = rng.uniform(0, 2 * np.pi, n)
    ix[gross] = tx[gross] + r[gross] * np.cos(a[gross])
    iy[gross] = ty[gross] + r[gross] * np.sin(a[gross])
    ix, iy = np.where(has_place, np.round(ix), np.nan), np.where(has_place, np.round(iy), np.nan)

    sites, centre = _hospitals(px, py, s.hospital_spacing, rng)
    d2 = (tx[:, None] - sites[None, :, 0]) ** 2 + (ty[:, None] - sites[None, :, 1]) ** 2
    d2 = np.where(np.isfinite(d2), d2, np.inf)
    hospital = np.argmin(d2, axis=1)
    hospital[(rng.random(n) < s.trauma_centre) | ~np.isfinite(tx)] = centre
    hospital_x, hospital_y = np.round(sites[hospital, 0]), np.round(sites[hospital, 1])

    recorded_user = users.copy()
    miscode = rng.random(n) < s.miscoded_road_user
    recorded_user[miscode] = [_MISCODE.get(u_, "other") for u_ in users[miscode]]
    recorded_user[rng.random(n) < 0.03] = "unknown"
    recorded_user = np.where(pd.isna(recorded_user), "unknown", recorded_user)
    off = rng.random(n)
    step = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    rec_age = np.where(off < s.age_off_by_one, age + step,
                       np.where(off < s.age_off_by_one + 0.03, age + step * rng.integers(2, 6, n), age))
    rec_age = np.where((rng.random(n) < 0.03) | (rec_age < 0), np.nan, rec_age)
    rec_sex = sex.copy()
    flip = (rng.random(n) < 0.01) & np.isin(sex, ["M", "F"])
    rec_sex[flip] = np.where(sex[flip] == "M", "F", "M")
    rec_sex[rng.random(n) < 0.02] = "U"
    p_mais3 = np.array([_MAIS3.get(v, 0.45) for v in severity])
    mais = np.where(rng.random(n) < p_mais3, rng.choice([3, 4, 5], n, p=[0.6, 0.3, 0.1]), rng.choice([1, 2], n))

    order = rng.permutation(n)  # patients in no telltale order
    ids = np.array([f"R{k:06d}" for k in range(n)], dtype=object)

    def minutes_to_datetime(v: np.ndarray) -> pd.Series:
        return pd.Series(pd.to_datetime(np.where(np.isnan(v), np.nan, v * 60e9), unit="ns")).astype("datetime64[ns]")

    patients = pd.DataFrame({
        "trauma_id": ids,
        "arrival_datetime": minutes_to_datetime(arrival[order]),
        "incident_datetime": minutes_to_datetime(incident[order]),
        "age": rec_age[order],
        "sex": pd.Categorical(rec_sex[order], categories=["M", "F", "U"]),
        "road_user": pd.Categorical(recorded_user[order], categories=list(ROAD_USERS)),
        "incident_easting": ix[order],
        "incident_northing": iy[order],
        "hospital_easting": hospital_x[order],
        "hospital_northing": hospital_y[order],
        "mais": pd.array(mais[order], dtype="Int64"),
    })
    ci = np.full(n, "", dtype=object)
    cr = np.full(n, "", dtype=object)
    ci[:n_true] = police["collision_index"].astype(str).to_numpy(dtype=object)[captured]
    cr[:n_true] = police["casualty_reference"].astype(str).to_numpy(dtype=object)[captured]
    truth = pd.DataFrame({"trauma_id": ids, "collision_index": ci[order], "casualty_reference": cr[order]})
    return SecondRegistry(patients, truth, unit, profile, seed, s)
