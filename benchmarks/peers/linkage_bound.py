"""What the second registry generator's records allow: a Bayes-optimal linker under its own error model.

    python benchmarks/peers/linkage_bound.py [--seeds 1 2 3] [--profile dense]

For each patient of a ``second_registry`` (collision level, the real Cambridgeshire collisions), the
posterior that it came from each collision, or from no police record, computed with the generator's
own model and rates (``RegistryProfile``): the lognormal delay with transfers, the incident-time noise
and rounding, the location noise with geocoding and gross errors, the hospital rule (nearest site or
the trauma centre), road-user miscoding, the first pedestrian's age and sex, and the unreported
patients' times (the police rhythm on another day) and places (3 km around a police collision). It sees
the same fields as ``rs.link``; two priors over collisions are shown:

- "same information": every collision with a known time equally likely (the linker does not use police
  severity, the variable the linked data are analysed for);
- "+ capture model": the generator's capture probability by police severity (what the linker is not
  given), an upper bound for any linker.

Each patient is linked to its most probable collision when that posterior reaches the threshold;
printed: precision, recall and F1 at 0.5, the highest recall at precision >= 0.95, recall by what the
patient record holds. Approximations (stated so the bound is read as an estimate): the unreported
patients' time and place are taken as independent (they share a donor collision in the generator);
a gross location error's density for them uses the donors' places without their 3 km scatter; the
hospital sites are the ones patients arrive at (a site no patient reached is unseen).
"""
from __future__ import annotations

import argparse
import math
import warnings

import numpy as np
import pandas as pd

_SQRT2PI = math.sqrt(2 * math.pi)
_MAX_DELAY = 3000  # minutes; the delay density beyond it is negligible (transfer median 5 h, log-sd 0.5)


def _norm_cdf(x: np.ndarray) -> np.ndarray:
    from scipy.special import ndtr

    return ndtr(x)


def _delay_density(s) -> np.ndarray:
    """P(arrival - collision = d minutes), d = 0.._MAX_DELAY: lognormal, plus a transfer's second lognormal."""
    d = np.arange(_MAX_DELAY + 1, dtype=float)
    mid = np.maximum(d, 0.5)

    def lognormal(median: float, sigma: float) -> np.ndarray:
        return np.exp(-(np.log(mid) - math.log(median)) ** 2 / (2 * sigma ** 2)) / (mid * sigma * _SQRT2PI)

    first = lognormal(s.delay_median, s.delay_sigma)
    second = lognormal(300, 0.5)
    transfer = np.convolve(first, second)[: len(d)]
    out = (1 - s.transfers) * first + s.transfers * transfer
    return out / out.sum()


def _incident_likelihood(incident: float, times: np.ndarray, noise: float) -> np.ndarray:
    """P(recorded incident time | true times): normal noise, then rounded to 1 min (65 %), 5 min (25 %), 1 h (10 %)."""
    def mass(width: float) -> np.ndarray:
        return _norm_cdf((incident + width / 2 - times) / noise) - _norm_cdf((incident - width / 2 - times) / noise)

    out = 0.65 * mass(1.0)
    if incident % 5 == 0:
        out = out + 0.25 * mass(5.0)
    if incident % 60 == 0:
        out = out + 0.10 * mass(60.0)
    return out


def _location_likelihood(x: float, y: float, cx: np.ndarray, cy: np.ndarray, s, spread: float = 0.0) -> np.ndarray:
    """P(recorded incident location (1 m cells) | true places cx, cy): normal noise, a 1 km square's centre
    (geocoded), or a gross error 2-15 km away. ``spread``: extra normal scatter of the true place."""
    sd2 = s.location_noise ** 2 + spread ** 2
    d2 = (cx - x) ** 2 + (cy - y) ** 2
    normal = np.exp(-d2 / (2 * sd2)) / (2 * math.pi * sd2)
    if spread == 0:
        centre = (np.floor(cx / 1000) * 1000 + 500 == x) & (np.floor(cy / 1000) * 1000 + 500 == y)
        geocoded = centre.astype(float)
    else:  # the chance the scattered place falls in the square x, y is the centre of
        geocoded = (x % 1000 == 500) * (y % 1000 == 500) * 1e6 * np.exp(-d2 / (2 * spread ** 2)) / (
            2 * math.pi * spread ** 2)
    r = np.sqrt(d2)
    gross = np.where((r >= 2000) & (r <= 15000), 1 / (2 * math.pi * np.maximum(r, 1) * 13000), 0.0)
    normal_share = 1 - s.geocoded - s.gross_location
    return normal_share * normal + s.geocoded * geocoded + s.gross_location * gross


class SecondRegistryModel:
    """The generator's model for one registry and police data: likelihoods of a patient's fields."""

    def __init__(self, ds, reg) -> None:
        from roadsafe.linkage.police_records import INVOLVEMENT_FLAGS, ROAD_USERS, police_collisions
        from roadsafe.linkage.second_registry import _MAIS3, _MISCODE, _UNREPORTED_USERS

        self.s = s = reg.settings
        police = police_collisions(ds)
        when = pd.to_datetime(police["datetime"])
        usable = police["time_known"].to_numpy(bool) & when.notna().to_numpy()
        self.police = police
        self.t = np.where(usable, when.to_numpy(dtype="datetime64[ns]").astype(np.int64) / 60e9, np.nan)
        self.usable = usable
        self.x = police["easting"].to_numpy(float)
        self.y = police["northing"].to_numpy(float)
        sev = police["severity"].astype(object).to_numpy()
        self.capture = np.select([sev == "fatal", sev == "serious", sev == "slight"], list(s.capture), 0.0) * usable
        self.order = np.argsort(np.where(usable, self.t, np.inf), kind="stable")
        self.sorted_t = self.t[self.order]
        self.delay = _delay_density(s)
        self.users = list(ROAD_USERS)
        names = [INVOLVEMENT_FLAGS[n] for n in INVOLVEMENT_FLAGS]
        flags = np.column_stack([police[n].to_numpy(bool) for n in INVOLVEMENT_FLAGS])
        share = np.array([3.0 if u in ("pedestrian", "pedal_cyclist", "motorcyclist") else 1.0 for u in names])
        w = flags * share
        # P(true road user | collision) over ROAD_USERS (unknown when the collision records none).
        true_user = np.zeros((len(police), len(ROAD_USERS)))
        for k, name in enumerate(names):
            true_user[:, ROAD_USERS.index(name)] = w[:, k]
        total = w.sum(axis=1)
        true_user[total == 0, ROAD_USERS.index("unknown")] = 1
        true_user[total > 0] /= total[total > 0, None]
        self.recorded_user = true_user @ self._miscoding(_MISCODE)  # P(recorded road user | collision)
        unrep = np.zeros(len(ROAD_USERS))
        for name, p in _UNREPORTED_USERS:
            unrep[ROAD_USERS.index(name)] = p
        self.unreported_user = unrep @ self._miscoding(_MISCODE)
        self.page = police["pedestrian_age"].to_numpy(float)
        self.psex = police["pedestrian_sex"].astype(object).to_numpy()
        self.mais3 = {k: v for k, v in _MAIS3.items()}
        self.severity = sev
        self.unreported_share = s.unreported
        # Hospitals: the sites patients arrive at; the trauma centre is the one nearest the police data's centre.
        p = reg.patients
        sites = np.unique(np.column_stack([p["hospital_easting"].to_numpy(float),
                                           p["hospital_northing"].to_numpy(float)]), axis=0)
        self.sites = sites
        ok = np.isfinite(self.x) & np.isfinite(self.y)
        self.centre = int(np.argmin(np.hypot(sites[:, 0] - np.median(self.x[ok]), sites[:, 1] - np.median(self.y[ok]))))
        self.nearest_site = np.full(len(police), self.centre)
        self.nearest_site[ok] = self._nearest(self.x[ok], self.y[ok])
        # Unreported patients: donor place + 3 km scatter -> P(hospital) by simulation (seeded).
        rng = np.random.default_rng(0)
        donors = rng.choice(np.flatnonzero(usable & ok), 200_000)
        zx = self.x[donors] + rng.normal(0, 3000, len(donors))
        zy = self.y[donors] + rng.normal(0, 3000, len(donors))
        self.unreported_site = np.bincount(self._nearest(zx, zy), minlength=len(sites)) / len(donors)
        self.donor_x, self.donor_y = self.x[usable & ok], self.y[usable & ok]
        self._time_density()

    def _miscoding(self, miscode: dict) -> np.ndarray:
        """[true, recorded] probabilities: miscoded for miscoded_road_user, then unknown for 3 %."""
        n = len(self.users)
        unknown = self.users.index("unknown")
        m = np.zeros((n, n))
        for i, u in enumerate(self.users):
            m[i, i] += 1 - self.s.miscoded_road_user
            m[i, self.users.index(miscode.get(u, "other"))] += self.s.miscoded_road_user
        m *= 0.97
        m[:, unknown] += 0.03
        return m

    def _nearest(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        d2 = (x[:, None] - self.sites[None, :, 0]) ** 2 + (y[:, None] - self.sites[None, :, 1]) ** 2
        return np.argmin(d2, axis=1)

    def _time_density(self) -> None:
        """Density of an unreported patient's true time, per minute: a police time moved by -30..30 whole
        days, plus 30 min normal scatter."""
        from scipy.signal import fftconvolve

        t = self.t[self.usable]
        self.t0 = math.floor(t.min()) - 32 * 1440 - _MAX_DELAY
        span = int(math.ceil(t.max())) + 32 * 1440 + 10 - self.t0
        hist = np.bincount(np.round(t - self.t0).astype(np.int64), minlength=span).astype(float)[:span]
        shifted = np.zeros(span)
        for k in range(-30, 31):
            shifted += np.roll(hist, k * 1440)
        kernel = np.exp(-np.arange(-150, 151) ** 2 / (2 * 30.0 ** 2))
        kernel /= kernel.sum()
        self.unreported_time = fftconvolve(shifted, kernel, mode="same") / (61 * len(t))

    def _time_likelihood(self, arrival: float, incident: float, times: np.ndarray) -> np.ndarray:
        d = np.round(arrival - times).astype(np.int64)
        ok = (d >= 0) & (d <= _MAX_DELAY)
        out = np.where(ok, self.delay[np.clip(d, 0, _MAX_DELAY)], 0.0)
        if np.isfinite(incident):
            out = out * _incident_likelihood(incident, times, self.s.time_noise)
        return out

    def posterior(self, row, capture_prior: bool) -> tuple[np.ndarray, np.ndarray]:
        """(collision rows, posterior of each); 1 - their sum is P(no police record)."""
        s = self.s
        arrival = row.arrival
        lo = np.searchsorted(self.sorted_t, arrival - _MAX_DELAY, "left")
        hi = np.searchsorted(self.sorted_t, arrival + 0.5, "right")
        cand = self.order[lo:hi]
        t = self.t[cand]
        lik = self._time_likelihood(arrival, row.incident, t)
        # Unreported: the same, integrated over the true time's density.
        grid = np.arange(math.floor(arrival) - _MAX_DELAY, math.floor(arrival) + 1, dtype=float)
        dens = self.unreported_time[(grid - self.t0).astype(np.int64)]
        lik0 = float(np.sum(dens * self._time_likelihood(arrival, row.incident, grid)))
        located = np.isfinite(row.x)
        cx, cy = self.x[cand], self.y[cand]
        has_xy = np.isfinite(cx)
        if located:
            lik = lik * np.where(has_xy, s.location_share * _location_likelihood(row.x, row.y, cx, cy, s), 0.0)
            lik0 *= s.location_share * float(np.mean(
                _location_likelihood(row.x, row.y, self.donor_x, self.donor_y, s, spread=3000.0)))
            # The hospital follows the true place, which a located record pins down (to ~1 km).
            near = int(self._nearest(np.array([row.x]), np.array([row.y]))[0])
            h0 = (1 - s.trauma_centre) * (row.site == near) + s.trauma_centre * (row.site == self.centre)
        else:
            lik = lik * np.where(has_xy, 1 - s.location_share, 1.0)
            lik0 *= 1 - s.location_share
            h0 = (1 - s.trauma_centre) * self.unreported_site[row.site] + s.trauma_centre * (row.site == self.centre)
        hosp = np.where(has_xy, (1 - s.trauma_centre) * (self.nearest_site[cand] == row.site)
                        + s.trauma_centre * (row.site == self.centre), float(row.site == self.centre))
        lik = lik * hosp
        lik0 *= h0
        lik = lik * self.recorded_user[cand, row.user]
        lik0 *= self.unreported_user[row.user]
        if self.users[row.user] == "pedestrian":  # age and sex: the first pedestrian's, when recorded
            page = self.page[cand]
            known = np.isfinite(page)
            if np.isfinite(row.age):
                diff = np.abs(row.age - page)
                p_age = np.where(diff == 0, 1 - s.age_off_by_one - 0.03,
                                 np.where(diff == 1, s.age_off_by_one / 2, np.where((diff >= 2) & (diff <= 5),
                                                                                   0.03 / 8, 0.0)))
                background = _gamma_pmf(row.age)
                lik = lik * np.where(known, p_age, background)
                lik0 *= background
            if row.sex in ("M", "F"):
                other = "F" if row.sex == "M" else "M"
                p_sex = np.where(self.psex[cand] == row.sex, 0.99, np.where(self.psex[cand] == other, 0.01,
                                                                            0.68 if row.sex == "M" else 0.32))
                lik = lik * p_sex
                lik0 *= 0.68 if row.sex == "M" else 0.32
        prior = self.capture[cand] if capture_prior else self.usable[cand].astype(float)
        total_prior = self.capture.sum() if capture_prior else float(self.usable.sum())
        joint = (1 - self.unreported_share) * prior / total_prior * lik
        denominator = joint.sum() + self.unreported_share * lik0
        return cand, joint / denominator if denominator > 0 else joint


def _gamma_pmf(age: float) -> float:
    from scipy.stats import gamma

    return float(gamma.cdf(age + 0.5, 4.0, scale=10.0) - gamma.cdf(age - 0.5, 4.0, scale=10.0))


def bound(ds, reg, capture_prior: bool = False) -> pd.DataFrame:
    """Per patient: trauma_id, the most probable collision's index and its posterior."""
    model = SecondRegistryModel(ds, reg)
    p = reg.patients
    minutes = lambda v: pd.to_datetime(v).to_numpy(dtype="datetime64[ns]").astype(np.int64) / 60e9  # noqa: E731
    arrival = minutes(p["arrival_datetime"])
    inc = p["incident_datetime"]
    incident = np.where(inc.notna(), minutes(inc.fillna(pd.Timestamp(0))), np.nan)
    site_index = {tuple(v): k for k, v in enumerate(model.sites)}
    sites = [site_index[(a, b)] for a, b in zip(p["hospital_easting"].to_numpy(float),
                                                p["hospital_northing"].to_numpy(float))]
    users = [model.users.index(str(u)) if str(u) in model.users else model.users.index("unknown")
             for u in p["road_user"].astype(object)]
    rows = pd.DataFrame({"arrival": arrival, "incident": incident, "x": p["incident_easting"].to_numpy(float),
                         "y": p["incident_northing"].to_numpy(float), "site": sites, "user": users,
                         "age": p["age"].to_numpy(float), "sex": p["sex"].astype(object).to_numpy()})
    best, prob = [], []
    index = model.police["collision_index"].astype(str).to_numpy()
    for row in rows.itertuples():
        cand, post = model.posterior(row, capture_prior)
        if len(cand) and post.max() > 0:
            k = int(np.argmax(post))
            best.append(index[cand[k]])
            prob.append(float(post[k]))
        else:
            best.append("")
            prob.append(0.0)
    return pd.DataFrame({"trauma_id": p["trauma_id"].astype(str), "collision_index": best, "probability": prob,
                         "has_time": inc.notna().to_numpy(), "has_place": np.isfinite(rows["x"]).to_numpy()})


def scores(result: pd.DataFrame, truth: pd.DataFrame) -> dict:
    """Precision / recall / F1 at 0.5, the best recall at precision >= 0.95, and recall by what the record holds."""
    t = truth.set_index("trauma_id").loc[result["trauma_id"], "collision_index"].astype(str).to_numpy()
    correct = (result["collision_index"].to_numpy() == t) & (t != "")
    n_true = int((t != "").sum())
    prob = result["probability"].to_numpy()
    order = np.argsort(-prob, kind="stable")
    tp = np.cumsum(correct[order])
    k = np.arange(1, len(order) + 1)
    precision = tp / k
    ok = precision >= 0.95
    best_recall = float(tp[ok].max() / n_true) if ok.any() else 0.0
    linked = prob >= 0.5
    p5 = float((correct & linked).sum() / max(1, linked.sum()))
    r5 = float((correct & linked).sum() / n_true)
    groups = {"time + location": result["has_time"] & result["has_place"],
              "location only": ~result["has_time"] & result["has_place"],
              "time only": result["has_time"] & ~result["has_place"],
              "neither": ~result["has_time"] & ~result["has_place"]}
    by = {name: float((correct & linked & m.to_numpy())[t != ""].sum() / max(1, (m.to_numpy() & (t != "")).sum()))
          for name, m in groups.items()}
    return {"precision": p5, "recall": r5, "f1": 2 * p5 * r5 / (p5 + r5) if p5 + r5 else 0.0,
            "recall_at_p95": best_recall, **by}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--profile", default="dense", choices=["dense", "sparse"])
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import roadsafe as rs
    from roadsafe.linkage.second_registry import second_registry

    ds = rs.datasets.cambridgeshire()
    print("| prior | seed | precision (p >= 0.5) | recall | F1 | best recall at precision >= 0.95 | "
          "time+loc | loc only | time only | neither |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for capture_prior in (False, True):
        for seed in a.seeds:
            reg = second_registry(ds, a.profile, seed=seed, unit="collision")
            r = scores(bound(ds, reg, capture_prior), reg.truth)
            name = "+ capture model" if capture_prior else "same information"
            print(f"| {name} | {seed} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | "
                  f"{r['recall_at_p95']:.3f} | {r['time + location']:.3f} | {r['location only']:.3f} | "
                  f"{r['time only']:.3f} | {r['neither']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
