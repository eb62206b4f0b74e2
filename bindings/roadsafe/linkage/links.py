"""Linking police records to a hospital trauma registry (Fellegi–Sunter: u among non-matches, m by EM).

    links = rs.link(ds, trauma, unit="casualty")     # or unit="collision" (no casualty table)
    links.pairs                  # one row per link: police ids, trauma_id, match weight and probability
    links.model                  # m and u of every comparison level, the prior, EM convergence
    links.explain(0)             # what each comparison contributed to the first link's weight
    links.review                 # pairs for clerical review (probability inside the review band)
    links.evaluate(truth)        # precision, recall, F1 and calibration against known links
    rs.severity_table(ds, links) # fatal, serious, MAIS 3+ severe, KSI, killed + severe; capture–recapture

Police and registry share no identifier, so the link rests on when, where and who:

- **time**: the registry's incident time against the collision time when it has one (within 5, 15,
  60 min, 3 h; an incident time further off falls back on whether the arrival is a plausible delay
  after the collision); otherwise the arrival's delay after the collision in bands shaped like transport
  delays (-5 to 20, 40, 60, 90, 135 min, 4, 8, 24 h; a collision after the arrival is impossible); for a
  police record with only a date, the same day; else further apart. The near levels' u is scaled by
  how crowded the patient's hour of the week is (few collisions at 3 am, many at 5 pm);
- **distance** between the collision and the registry's incident location (100, 250, 500 m, 1, 2, 5,
  10 km, further: a gross location error, whose m is kept at 2 % or more of the located matches so one
  such error does not kill a link); without an incident location, the receiving hospital: the one of
  the registry's hospitals nearest the collision (an ambulance takes a casualty to the nearest emergency
  department unless triage sends them to a major trauma centre), else another hospital within 20, 35,
  60 km. Per hospital, u of "nearest" is its catchment (the share of collisions nearest to it) and m of
  the levels is scaled by how often it takes patients from beyond its catchment, which the registry's
  located patients show (a trauma centre often, a district hospital rarely);
- **age** (exact, within 2, within 5 years), **sex**, and **road user**: the casualty's own road user at
  casualty level; at collision level, whether the collision involved the patient's road user, and whether it
  also involved a more vulnerable one (a car occupant in a collision with a pedestrian is less likely the
  casualty than one in a collision of cars), for exports such as Cambridgeshire's without casualties; else
  whether a similar road user was involved (car / goods vehicle, pedal cycle / motorcycle: the classes a
  registry's coder confuses), or none. A collision has no age or sex of its own, but such an export records
  its first pedestrian's: at collision level age and sex compare a pedestrian patient with that pedestrian,
  and every other pair is "not comparable" (the null level: weight 0, left out of m and u, as Splink treats
  nulls).

u (how often each level occurs between unrelated records) is estimated among non-matches only: random
pairs contain the true matches, and in a registry dense relative to the police data most random pairs
at the closest levels are matches (u of "incident within 5 min" six times too high on a county registry). So time u comes
from every police record against the patients moved by whole weeks (never their own collision), and
the other comparisons' u from random pairs (seeded) far apart in time. EM estimates m and the prior (per recorded
road user: a cyclist's or pedestrian's fall is reported to the police far less often than a car occupant's injury)
from the candidate pairs (patients x police records within the time window and, when both are located,
20 km). The road-user "equal" level is term-frequency adjusted: agreeing on "pedestrian" is stronger
evidence than agreeing on "car occupant". Each patient links to at most one police record; at casualty
level each casualty to at most one patient (the assignment of largest total weight); at collision level
a collision may take several patients. Counts from the links (``severity_table``) are given both from
the thresholded links and as expected values from the match probabilities (``expected_counts``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Optional, Union

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..trends.periods import Period

Unit = Literal["casualty", "collision"]

COMPARISONS = ("time", "distance", "age", "sex", "road_user")
_SEX_CODE = {"M": 1, "F": 2}
# The null level of age and sex at collision level: more than a missing value.
_NOT_COMPARABLE = {"age": "not comparable (not a pedestrian pair, or an age missing)",
                   "sex": "not comparable (not a pedestrian pair, or sex unknown)"}
_BLOCKING_KEYS = ("arrival_before_minutes", "arrival_after_minutes", "incident_window_minutes",
                  "max_distance_metres")


def _minutes(values: Any) -> np.ndarray:
    """datetime64 -> float minutes since 1970-01-01 (NaN for NaT)."""
    dt = pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[ns]")
    out = dt.astype("int64").astype(float) / 60e9
    out[np.isnat(dt)] = np.nan
    return out


def _float(values: Any) -> np.ndarray:
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _sex_codes(values: Any) -> np.ndarray:
    s = pd.Series(values).astype(object)
    return s.map(_SEX_CODE).fillna(0).to_numpy(dtype=np.int8)


def _police_frame(ds, unit: Unit) -> pd.DataFrame:
    from .police_records import police_casualties, police_collisions

    if unit == "casualty":
        frame = police_casualties(ds)
        if len(frame) == 0:
            raise ValueError("unit='casualty' needs a casualty table and this dataset has none "
                             "(the Cambridgeshire export has none): use unit='collision'")
        return frame
    return police_collisions(ds)


def _police_arrays(frame: pd.DataFrame, unit: Unit) -> dict[str, np.ndarray]:
    from .police_records import INVOLVEMENT_FLAGS, ROAD_USERS

    n = len(frame)
    known = frame["time_known"].to_numpy(dtype=bool)
    when = pd.to_datetime(frame["datetime"])
    # A record with only a date is compared as covering that whole day: its midnight.
    when = when.where(known, when.dt.normalize())
    users = np.zeros(n, dtype=np.uint32)
    if unit == "casualty":
        codes = pd.Categorical(frame["road_user"].astype(object), categories=list(ROAD_USERS)).codes
        ok = (codes >= 0) & (codes != ROAD_USERS.index("unknown"))
        users[ok] = np.left_shift(np.uint32(1), codes[ok].astype(np.uint32))
        age = _float(frame["age"])
        sex = _sex_codes(frame["sex"])
    else:
        for name, user in INVOLVEMENT_FLAGS.items():
            if name in frame.columns:
                users |= frame[name].to_numpy(dtype=bool).astype(np.uint32) << np.uint32(ROAD_USERS.index(user))
        # The collision's first pedestrian, where the export records one (compared with pedestrian
        # patients only: see _patient_arrays).
        age = _float(frame["pedestrian_age"]) if "pedestrian_age" in frame.columns else np.full(n, np.nan)
        sex = _sex_codes(frame["pedestrian_sex"]) if "pedestrian_sex" in frame.columns else np.zeros(n, np.int8)
    return {"time": _minutes(when), "time_known": known.astype(np.uint8), "x": _float(frame["easting"]),
            "y": _float(frame["northing"]), "age": age, "sex": sex, "road_users": users}


def _patient_arrays(patients: pd.DataFrame, unit: Unit = "casualty") -> dict[str, np.ndarray]:
    from .police_records import ROAD_USERS

    n = len(patients)

    def col(name: str) -> Any:
        return patients[name] if name in patients.columns else pd.Series([np.nan] * n)

    codes = pd.Categorical(col("road_user").astype(object), categories=list(ROAD_USERS)).codes.astype(np.int32)
    codes[codes == ROAD_USERS.index("unknown")] = -1
    age, sex = _float(col("age")), _sex_codes(col("sex"))
    if unit == "collision":
        age, sex = age.copy(), sex.copy()
        # A collision's age and sex are its first pedestrian's: only a pedestrian patient is comparable.
        other = codes != ROAD_USERS.index("pedestrian")
        age[other] = np.nan
        sex[other] = 0
    return {"arrival": _minutes(patients["arrival_datetime"]), "incident": _minutes(col("incident_datetime")),
            "x": _float(col("incident_easting")), "y": _float(col("incident_northing")), "age": age,
            "sex": sex, "road_user": codes, "hospital_x": _float(col("hospital_easting")),
            "hospital_y": _float(col("hospital_northing"))}


class LinkModel:
    """The fitted Fellegi–Sunter model.

    ``table``: one row per comparison level with m = P(level | match), u = P(level | non-match) and the
    level's weight log2(m/u) (the null level, a value missing on either side, carries no weight).
    ``pi``: the share of patients with a police record; ``prior_weight`` = log2(pi / (n_police (1 - pi))),
    the weight every pair starts from. ``pi_by_road_user``: that share per recorded road user ("unknown"
    included) when the prior is fitted by road user (``rs.link``'s default), else empty; a pair's prior
    is its patient's road user's. ``iterations`` / ``converged``: the EM run. At collision level age
    and sex compare a pedestrian patient with the collision's first pedestrian; their null level reads
    "not comparable" (any other pair, or a value missing).
    """

    def __init__(self, raw: dict, candidate_pairs: int, u_pairs: int, unit: Unit = "casualty") -> None:
        if unit == "collision":
            raw = dict(raw)
            raw["labels"] = [list(levels) for levels in raw["labels"]]
            for c, what in ((COMPARISONS.index("age"), "age"), (COMPARISONS.index("sex"), "sex")):
                raw["labels"][c][0] = _NOT_COMPARABLE[what]
        self._raw = raw
        self.unit: Unit = unit
        self.pi: float = float(raw["pi"])
        self.prior_weight: float = float(raw["prior_weight"])
        from .police_records import ROAD_USERS

        # The engine's groups: 0 = road user unknown, 1 + the road user's code.
        by_user = list(raw.get("pi_road_user", []))
        self.pi_by_road_user: dict[str, float] = {
            user: float(by_user[0 if user == "unknown" else k + 1]) for k, user in enumerate(ROAD_USERS)
        } if by_user else {}
        self.iterations: int = int(raw["iterations"])
        self.converged: bool = bool(raw["converged"])
        self.n_police: int = int(raw["n_police"])
        self.n_patients: int = int(raw["n_patients"])
        self.candidate_pairs = candidate_pairs
        self.u_pairs = u_pairs
        rows = []
        for c, name in enumerate(COMPARISONS):
            for level, label in enumerate(raw["labels"][c]):
                m, u = raw["m"][c][level], raw["u"][c][level]
                null = level == 0
                rows.append({"comparison": name, "level": level, "label": label,
                             "m": np.nan if null else m, "u": np.nan if null else u,
                             "weight": 0.0 if null else float(np.log2(m / u))})
        self.table = pd.DataFrame(rows)

    def summary(self) -> str:
        lines = [f"Fellegi-Sunter model: {self.n_police:,} police records x {self.n_patients:,} patients, "
                 f"{self.candidate_pairs:,} candidate pairs; u from {self.u_pairs:,} random pairs",
                 f"  EM: {self.iterations} iterations, {'converged' if self.converged else 'NOT converged'}; "
                 f"share of patients with a police record {self.pi:.3f}; prior weight {self.prior_weight:.2f} bits"]
        if self.pi_by_road_user:
            lines.append("  share with a police record by road user: " + ", ".join(
                f"{user} {pi:.3f}" for user, pi in self.pi_by_road_user.items()))
        for name, block in self.table.groupby("comparison", sort=False):
            lines.append(f"  {name}")
            for r in block.itertuples():
                if r.level == 0:
                    continue
                lines.append(f"    {r.label:<36} m {r.m:8.5f}  u {r.u:10.7f}  weight {r.weight:+7.2f}")
        if self.unit == "collision":
            lines.append("  (collision level: age and sex compare a pedestrian patient with the collision's first "
                         "pedestrian; other pairs are not comparable and carry no weight)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<roadsafe.LinkModel: pi {self.pi:.3f}, prior weight {self.prior_weight:.2f} bits, "
                f"{self.iterations} EM iterations ({'converged' if self.converged else 'not converged'}), "
                f"{len(self.table)} levels>")

    def __str__(self) -> str:
        return self.summary()


@dataclass
class LinkEvaluation:
    """Links against the truth: counts, precision, recall, F1 and calibration by probability band.

    ``calibration``: one row per band of match probability with the number of assigned pairs, their mean
    predicted probability and the share that are true links (well calibrated: the two agree).
    """
    true_positives: int
    false_positives: int
    false_negatives: int
    precision: float
    recall: float
    f1: float
    threshold: float
    calibration: pd.DataFrame

    def __repr__(self) -> str:
        return (f"<roadsafe.LinkEvaluation: precision {self.precision:.4f}, recall {self.recall:.4f}, "
                f"F1 {self.f1:.4f} at probability >= {self.threshold:g} ({self.true_positives:,} true links "
                f"found, {self.false_positives:,} false, {self.false_negatives:,} missed)>")


class Links:
    """The result of ``rs.link``: the links, the model, explanations, the clerical-review band.

    ``pairs``: one row per link (match probability >= ``threshold``): ``collision_index``,
    ``collision_reference``, ``casualty_reference`` (casualty level), ``trauma_id``, ``match_weight``
    (bits), ``match_probability`` (allowing for the patient's other candidates), ``band`` ("firm" at
    or above ``firm``, else "probable"), ``police_row`` / ``patient_row`` (rows of ``police`` and the
    registry's ``patients``) and the level of each comparison (``gamma_time`` ...).
    ``candidates``: every assigned pair with probability >= 0.01, linked or not (for calibration and review).
    ``pair_probabilities``: every candidate pair with probability >= 0.01, assigned or not (``police_row``,
    ``patient_row``, ``match_probability``): a patient's probability may be spread over several records,
    and expected counts (``severity_table``) sum over all of it.
    ``police``: the police records linked against (``police_casualties`` / ``police_collisions``).
    ``threshold``: the match probability from which a pair is a link, given or chosen for ``min_precision``
    (``rs.link``); ``expected_precision``: the mean probability of the links (the share of them expected
    true, no truth needed); ``expected_recall``: the sum of the links' probabilities over the expected number
    of patients with a police record (each patient's probabilities summed over its candidate pairs, at most
    1). Both hold when the probabilities are calibrated (``evaluate(truth).calibration``).
    ``time_density`` / ``hospital_site``: per patient, how crowded its hour of the week is and its hospital
    as an index into the registry's distinct hospital locations (-1 unknown), as the scores used them.
    """

    def __init__(self, unit: Unit, police: pd.DataFrame, patients: pd.DataFrame, raw: dict, threshold: float,
                 firm: float, review_band: tuple[float, float], seconds: float,
                 min_precision: Optional[float] = None) -> None:
        from .expected_counts import linked_probability
        from .operating_point import expected_precision, threshold_for_precision

        self.unit: Unit = unit
        self.police = police
        self.patients = patients
        self.threshold = threshold
        self.firm = firm
        self.review_band = review_band
        self.seconds = seconds
        self.model = LinkModel(raw["model"], int(raw["candidate_pairs"]), int(raw["u_pairs"]), unit)
        pr = np.asarray(raw["police"], dtype=np.int64)
        qr = np.asarray(raw["patient"], dtype=np.int64)
        cand = pd.DataFrame({
            "collision_index": police["collision_index"].to_numpy(dtype=object)[pr],
            "collision_reference": police["collision_reference"].to_numpy(dtype=object)[pr],
        })
        if unit == "casualty":
            cand["casualty_reference"] = police["casualty_reference"].to_numpy(dtype=object)[pr]
        cand["trauma_id"] = patients["trauma_id"].astype(str).to_numpy(dtype=object)[qr]
        cand["match_weight"] = np.asarray(raw["weight"], dtype=float)
        cand["match_probability"] = np.asarray(raw["probability"], dtype=float)
        cand["band"] = np.where(cand["match_probability"] >= firm, "firm",
                                np.where(cand["match_probability"] >= threshold, "probable", "not linked"))
        cand["police_row"] = pr
        cand["patient_row"] = qr
        levels = np.asarray(raw["levels"]).reshape(-1, len(COMPARISONS))
        for c, name in enumerate(COMPARISONS):
            cand[f"gamma_{name}"] = levels[:, c].astype(np.int8)
        self.candidates = cand
        # How crowded each patient's hour of the week is (the near time levels' u is scaled by it).
        self.time_density = np.asarray(raw["time_density"], dtype=float)
        # Each patient's receiving hospital as a site of the registry's hospitals (-1 unknown).
        self.hospital_site = np.asarray(raw.get("hospital_site", np.full(len(patients), -1)), dtype=np.int64)
        self.pair_probabilities = pd.DataFrame({
            "police_row": np.asarray(raw["scored_police"], dtype=np.int64),
            "patient_row": np.asarray(raw["scored_patient"], dtype=np.int64),
            "match_probability": np.asarray(raw["scored_probability"], dtype=float)})
        self.min_precision = min_precision
        if min_precision is not None:
            self.threshold = threshold = threshold_for_precision(cand["match_probability"].to_numpy(), min_precision)
            # A chosen threshold above ``firm`` makes every link firm; pairs below it stay unlinked.
            cand["band"] = np.where(cand["match_probability"] < threshold, "not linked",
                                    np.where(cand["match_probability"] >= firm, "firm", "probable"))
        self.pairs = cand[cand["match_probability"] >= threshold].reset_index(drop=True)
        self.expected_precision = expected_precision(cand["match_probability"].to_numpy(), threshold)
        with_record = linked_probability(self, np.ones(len(police), dtype=bool)).sum()
        accepted = self.pairs["match_probability"].sum()
        self.expected_recall = float(accepted / with_record) if with_record else float("nan")

    # -- looking at pairs --------------------------------------------------------------------------------
    def _side_by_side(self, rows: pd.DataFrame) -> pd.DataFrame:
        p = self.police.iloc[rows["police_row"].to_numpy()].reset_index(drop=True)
        q = self.patients.iloc[rows["patient_row"].to_numpy()].reset_index(drop=True)
        out = rows.reset_index(drop=True).copy()
        out["police_datetime"] = p["datetime"].to_numpy()
        out["incident_datetime"] = q["incident_datetime"].to_numpy() if "incident_datetime" in q else pd.NaT
        out["arrival_datetime"] = q["arrival_datetime"].to_numpy()
        dx = p["easting"].to_numpy(float) - pd.to_numeric(q.get("incident_easting"), errors="coerce").to_numpy(float)
        dy = p["northing"].to_numpy(float) - pd.to_numeric(q.get("incident_northing"), errors="coerce").to_numpy(float)
        out["distance_m"] = np.hypot(dx, dy)
        if self.unit == "casualty":
            out["police_age"] = p["age"].to_numpy()
            out["police_sex"] = p["sex"].astype(object).to_numpy()
            out["police_road_user"] = p["road_user"].astype(object).to_numpy()
        elif "pedestrian_age" in p.columns:  # collision level: the first pedestrian's, what age and sex compare
            out["police_age"] = p["pedestrian_age"].to_numpy()
            out["police_sex"] = p["pedestrian_sex"].astype(object).to_numpy()
        out["patient_age"] = q["age"].to_numpy() if "age" in q else np.nan
        out["patient_sex"] = q["sex"].astype(object).to_numpy() if "sex" in q else None
        out["patient_road_user"] = q["road_user"].astype(object).to_numpy() if "road_user" in q else None
        return out

    @property
    def review(self) -> pd.DataFrame:
        """Assigned pairs whose match probability lies in ``review_band`` (linked or not), with both sides'
        fields side by side, most doubtful (closest to 0.5) first: the pairs a person should look at."""
        lo, hi = self.review_band
        rows = self.candidates[(self.candidates["match_probability"] >= lo) & (self.candidates["match_probability"] < hi)]
        out = self._side_by_side(rows)
        order = np.argsort(np.abs(out["match_probability"].to_numpy() - 0.5), kind="stable")
        return out.iloc[order].reset_index(drop=True)

    def _row(self, i: Union[int, str]) -> pd.Series:
        if isinstance(i, str):
            hit = self.candidates[self.candidates["trauma_id"] == i]
            if hit.empty:
                raise KeyError(f"trauma_id {i!r} has no assigned pair")
            return hit.iloc[0]
        return self.pairs.iloc[i]

    def explain(self, i: Union[int, str] = 0) -> pd.DataFrame:
        """What each comparison contributed to a pair's match weight (``i``: a row of ``pairs``, or a
        trauma_id). Rows: the prior, each comparison (its level, the values compared, m, u and
        log2(m/u)), any term-frequency adjustment, and the total, which equals ``match_weight``."""
        from .. import _engine
        from .police_records import ROAD_USERS

        row = self._row(i)
        levels = [int(row[f"gamma_{c}"]) for c in COMPARISONS]
        q = self.patients.iloc[int(row["patient_row"])]
        p = self.police.iloc[int(row["police_row"])]
        user = str(q.get("road_user", "unknown"))
        user_code = ROAD_USERS.index(user) if user in ROAD_USERS and user != "unknown" else -1
        sex_code = _SEX_CODE.get(str(q.get("sex", "U")), 0)
        terms = _engine.linkage.explain(self.model._raw, levels, user_code, sex_code,
                                        float(self.time_density[int(row["patient_row"])]),
                                        int(self.hospital_site[int(row["patient_row"])]))
        out = pd.DataFrame(terms, columns=["comparison", "level", "m", "u", "weight"])
        values = {
            "time": (p["datetime"], q.get("incident_datetime") if pd.notna(q.get("incident_datetime"))
                     else q.get("arrival_datetime")),
            "distance": ((p["easting"], p["northing"]),
                         (q.get("incident_easting"), q.get("incident_northing")) if pd.notna(q.get("incident_easting"))
                         else ("hospital", q.get("hospital_easting"), q.get("hospital_northing"))),
            "age": (p.get("age", p.get("pedestrian_age", np.nan)), q.get("age")),
            "sex": (p.get("sex", p.get("pedestrian_sex", "U")), q.get("sex")),
            "road_user": (p.get("road_user") if self.unit == "casualty" else ", ".join(
                k.removeprefix("involves_") for k in p.index if k.startswith("involves_") and bool(p[k])),
                q.get("road_user")),
        }
        out["police_value"] = [str(values[c][0]) if c in values else "" for c in out["comparison"]]
        out["patient_value"] = [str(values[c][1]) if c in values else "" for c in out["comparison"]]
        total = pd.DataFrame([{"comparison": "total", "level": "match weight", "m": np.nan, "u": np.nan,
                               "weight": out["weight"].sum(), "police_value": "", "patient_value": ""}])
        return pd.concat([out, total], ignore_index=True)

    # -- accuracy ----------------------------------------------------------------------------------------
    def evaluate(self, truth: pd.DataFrame, threshold: Optional[float] = None) -> LinkEvaluation:
        """Precision, recall and F1 of the links (probability >= ``threshold``, default the link threshold)
        against ``truth`` (trauma_id, collision_index[, casualty_reference]; empty police ids = the patient
        has no police record), and calibration by probability band over every assigned pair."""
        threshold = self.threshold if threshold is None else threshold
        keys = ["collision_index"] + (["casualty_reference"] if self.unit == "casualty" else [])
        missing = [k for k in ["trauma_id"] + keys if k not in truth.columns]
        if missing:
            raise KeyError(f"truth has no column(s) {missing}")
        t = truth[["trauma_id"] + keys].astype(str).fillna("")
        t = t[t["collision_index"].ne("") & t["collision_index"].ne("nan")]
        true_key = t.set_index("trauma_id")[keys].apply(tuple, axis=1).to_dict()
        cand = self.candidates
        cand_key = list(zip(*(cand[k].astype(str) for k in keys)))
        correct = np.array([true_key.get(tid) == key for tid, key in zip(cand["trauma_id"], cand_key)], dtype=bool)
        linked = cand["match_probability"].to_numpy() >= threshold
        tp = int((correct & linked).sum())
        fp = int((~correct & linked).sum())
        fn = len(true_key) - tp
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / len(true_key) if true_key else float("nan")
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        edges = [0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0000001]
        band = pd.cut(cand["match_probability"], edges, right=False,
                      labels=["<0.1", "0.1-0.5", "0.5-0.9", "0.9-0.99", "0.99-0.999", ">=0.999"])
        calib = pd.DataFrame({"band": band, "p": cand["match_probability"], "correct": correct}).groupby(
            "band", observed=False).agg(pairs=("p", "size"), mean_probability=("p", "mean"),
                                        share_true=("correct", "mean")).reset_index()
        return LinkEvaluation(tp, fp, fn, precision, recall, f1, threshold, calib)

    def __len__(self) -> int:
        return len(self.pairs)

    def __repr__(self) -> str:
        firm = int((self.pairs["band"] == "firm").sum())
        n_review = int(((self.candidates["match_probability"] >= self.review_band[0])
                        & (self.candidates["match_probability"] < self.review_band[1])).sum())
        return (f"<roadsafe.Links ({self.unit} level): {len(self.pairs):,} links of {len(self.patients):,} patients "
                f"to {len(self.police):,} police records ({firm:,} firm, {len(self.pairs) - firm:,} probable); "
                f"{n_review:,} pairs for review; {self.model.candidate_pairs:,} candidate pairs, "
                f"{self.seconds:.2f} s; {self.operating_point}>")

    @property
    def operating_point(self) -> str:
        """The threshold, how it was chosen, and the precision and recall the model expects there."""
        how = f" (chosen for expected precision >= {self.min_precision:g})" if self.min_precision is not None else ""
        return (f"links at probability >= {self.threshold:.4g}{how}: expected precision "
                f"{self.expected_precision:.3f}, expected recall {self.expected_recall:.3f}")


def _patients_of(trauma) -> pd.DataFrame:
    patients = getattr(trauma, "patients", trauma)
    if not isinstance(patients, pd.DataFrame):
        raise TypeError("trauma must be a TraumaRegistry (rs.read_trauma) or a DataFrame of patients")
    for name in ("trauma_id", "arrival_datetime"):
        if name not in patients.columns:
            raise KeyError(f"the patients have no {name!r} column")
    return patients


def link(ds, trauma, unit: Unit = "casualty", *, threshold: Optional[float] = None, firm: float = 0.95,
         review_band: tuple[float, float] = (0.1, 0.9), seed: int = 0, u_max_pairs: int = 1_000_000,
         max_iterations: int = 100, tolerance: float = 1e-5, term_frequency: tuple[str, ...] = ("road_user",),
         blocking: Optional[dict[str, float]] = None, threads: int = 0, prior_by_road_user: bool = True,
         min_precision: Optional[float] = None) -> Links:
    """Link police records (``ds``) to trauma-registry patients (``trauma``) with Fellegi–Sunter and EM.

    ``unit``: "casualty" (police casualties; needs a casualty table) or "collision" (collisions, compared
    on time, place and the road users involved). ``threshold``: the match probability from which a pair
    is a link (default 0.5); ``min_precision`` instead (e.g. 0.95): the lowest threshold at which the links'
    expected precision, their mean match probability, is at least this (no truth needed; it holds when the
    probabilities are calibrated; ``Links.expected_precision`` / ``expected_recall`` report the point; the
    precision is met on average, not on every registry: a precision over n links varies by about
    sqrt(sum p(1 - p)) / n, 0.007 for 800. When most links are near-certain the chosen threshold can fall
    well below 0.5, so that single links of low probability count as links); ``firm``: from which a link is
    "firm" rather than "probable"; ``review_band``: the probabilities whose pairs go to ``review``.
    ``seed`` drives the random pairs u is estimated from; ``u_max_pairs`` how many (every pair when there are
    fewer). ``term_frequency``: comparisons whose "equal" level uses the value's own frequency ("road_user",
    "sex"). ``blocking``: overrides of
    arrival_before_minutes (60), arrival_after_minutes (1440), incident_window_minutes (360),
    max_distance_metres (20000). ``threads``: 0 = all cores (results do not depend on it).
    ``prior_by_road_user``: fit the share of patients with a police record per recorded road user (how
    often a casualty reaches police records differs by road user: a cyclist's or pedestrian's fall with no
    vehicle involved is rarely reported, a car occupant's injury usually is); False: one share for all.
    """
    import time

    from .. import _engine

    if unit not in ("casualty", "collision"):
        raise ValueError(f"unit must be 'casualty' or 'collision', not {unit!r}")
    if min_precision is not None:
        if threshold is not None:
            raise ValueError("give threshold or min_precision, not both (min_precision chooses the threshold)")
        if not 0 < min_precision < 1:
            raise ValueError(f"min_precision must lie between 0 and 1, not {min_precision!r}")
        if not 0 < firm < 1:
            raise ValueError("need 0 < firm < 1")
    else:
        threshold = 0.5 if threshold is None else threshold
        if not (0 < threshold < 1) or not (threshold <= firm < 1):
            raise ValueError("need 0 < threshold <= firm < 1")
    lo, hi = review_band
    if not (0 < lo <= hi <= 1):
        raise ValueError("review_band must be (low, high) with 0 < low <= high <= 1")
    unknown = set(term_frequency) - {"road_user", "sex"}
    if unknown:
        raise ValueError(f"term_frequency can name 'road_user' and 'sex', not {sorted(unknown)}")
    blocking = dict(blocking or {})
    bad = set(blocking) - set(_BLOCKING_KEYS)
    if bad:
        raise ValueError(f"unknown blocking setting(s) {sorted(bad)}; known: {', '.join(_BLOCKING_KEYS)}")
    start = time.perf_counter()
    police = _police_frame(ds, unit)
    patients = _patients_of(trauma)
    floor = min(0.01, lo, threshold or 1.0)  # the lowest probability kept; a chosen threshold lies above it
    raw = _engine.linkage.link(_police_arrays(police, unit), _patient_arrays(patients, unit), unit, seed, u_max_pairs,
                               max_iterations, tolerance, floor, "road_user" in term_frequency,
                               "sex" in term_frequency, {k: float(v) for k, v in blocking.items()}, threads,
                               prior_by_road_user=prior_by_road_user)
    links = Links(unit, police, patients, raw, threshold or 0.5, firm, review_band, time.perf_counter() - start,
                  min_precision)
    if not links.model.converged:
        import warnings

        warnings.warn(f"EM did not converge in {max_iterations} iterations (last change "
                      f"{raw['model']['max_change']:.2g}); raise max_iterations", RuntimeWarning, stacklevel=2)
    return links


def chapman(n1: int, n2: int, m: int, confidence: float = 0.95) -> dict[str, float]:
    """Chapman's capture–recapture estimate of a population seen by two lists of n1 and n2 with m on both:
    N = (n1 + 1)(n2 + 1)/(m + 1) - 1, its variance and a normal interval (not below n1 + n2 - m)."""
    from .. import _engine

    return dict(_engine.linkage.chapman(int(n1), int(n2), int(m), confidence))


def _chapman_columns(prefix: str, n1: int, n2: int, m: int, confidence: float, with_gap: bool = True) -> dict:
    """Chapman's estimate as table columns ({prefix}_total, _lower, _upper; with_gap: not_in_police and its
    interval), NaN when a list is empty."""
    names = [f"{prefix}_total", f"{prefix}_lower", f"{prefix}_upper"]
    gap = ["not_in_police", "not_in_police_lower", "not_in_police_upper"] if with_gap else []
    if n1 <= 0 or n2 <= 0:
        return {k: np.nan for k in names + gap}
    est = chapman(n1, n2, min(m, n1, n2), confidence)
    out = dict(zip(names, (est["n"], est["lower"], est["upper"])))
    if with_gap:
        out.update(zip(gap, (est["n"] - n1, est["lower"] - n1, est["upper"] - n1)))
    return out


def severity_table(ds, links: Links, by: "Period" = "financial_year", confidence: float = 0.95) -> pd.DataFrame:
    """Police severity and clinical (MAIS 3+) severity side by side, per period.

    Per period of the police date (``by``: month, quarter, calendar_year, financial_year), counting the
    links' unit (casualties or collisions): ``fatal``, ``serious`` (police), ``ksi`` = fatal + serious,
    ``severe_mais3`` = non-fatal police records linked to a MAIS 3+ patient, ``killed_plus_severe`` =
    fatal + severe_mais3; ``patients`` and ``mais3_patients`` (by arrival date), ``linked_patients`` and
    ``linkage_rate`` = linked / patients.

    Capture–recapture (Chapman) of the seriously injured, from two lists: police KSI records (n1) and
    MAIS 3+ patients (n2), with m = the MAIS 3+ patients linked to a police KSI record (at collision level
    the units are collisions: KSI collisions linked to any MAIS 3+ patient, and n2 = such collisions plus
    the unlinked MAIS 3+ patients, each taken as its own collision). ``cr_total`` with ``cr_lower`` /
    ``cr_upper`` estimates everyone on either list or on neither; ``not_in_police`` = cr_total - n1 (with
    its interval) estimates the seriously injured who never reached police data. It assumes the lists are
    independent and every casualty equally likely to be on each; police and hospitals both see the more
    severe casualties more often, which biases N downwards: read it as a lower bound.

    Thresholded links miss the true pairs below the threshold, so ``severe_mais3`` and ``cr_both`` are
    biased low by the miss rate. Beside them, from the match probabilities (``expected_counts``):
    ``severe_mais3_expected`` (sum over non-fatal records of P(a MAIS 3+ patient is among its matches))
    with ``severe_mais3_lower`` / ``_upper`` (the linkage's own uncertainty, at ``confidence``),
    ``killed_plus_severe_expected``, and capture–recapture with the expected overlap
    ``cr_expected_both`` (and, at collision level, the expected MAIS 3+ list ``cr_expected_mais3``):
    ``cr_expected_total`` / ``_lower`` / ``_upper`` (Chapman with both rounded to whole records).
    They are unbiased when the probabilities are calibrated (``Links.evaluate(truth).calibration``).
    """
    from ..trends.periods import PERIODS, period_index, period_label
    from .expected_counts import expected_count, linked_probability, severe_probability

    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    police = links.police
    patients = links.patients
    sev = police["severity"].astype(object).to_numpy()
    p_period = period_index(pd.to_datetime(police["datetime"]), by)
    q_period = period_index(pd.to_datetime(patients["arrival_datetime"]), by)
    mais = pd.to_numeric(patients["mais"], errors="coerce").to_numpy(dtype=float, na_value=np.nan) \
        if "mais" in patients.columns else np.full(len(patients), np.nan)
    severe_patient = mais >= 3
    pairs = links.pairs
    prow = pairs["police_row"].to_numpy()
    qrow = pairs["patient_row"].to_numpy()
    linked_severe = np.zeros(len(police), dtype=bool)
    linked_severe[prow[severe_patient[qrow]]] = True
    ksi = np.isin(sev, ["fatal", "serious"])
    fatal = sev == "fatal"
    patient_linked = np.zeros(len(patients), dtype=bool)
    patient_linked[qrow] = True
    patient_to_police = np.full(len(patients), -1, dtype=np.int64)
    patient_to_police[qrow] = prow

    severe_p = severe_probability(links, severe_patient)
    to_ksi_p = linked_probability(links, ksi)
    linked_p = linked_probability(links, np.ones(len(police), dtype=bool))

    periods = sorted(set(p_period.dropna()) | set(q_period.dropna()))
    rows = []
    for per in periods:
        in_p = np.asarray(p_period == per)
        in_q = np.asarray(q_period == per)
        n_fatal = int((fatal & in_p).sum())
        n_serious = int(((sev == "serious") & in_p).sum())
        n_severe = int((linked_severe & ~fatal & in_p).sum())
        n1 = int((ksi & in_p).sum())
        sq = severe_patient & in_q
        if links.unit == "casualty":
            to = patient_to_police[sq]
            m = int(np.sum((to >= 0) & ksi[np.where(to >= 0, to, 0)]))
            n2 = int(sq.sum())
            m = min(m, n1, n2)  # a link across a period boundary could otherwise overflow the smaller list
        else:
            to = patient_to_police[sq]
            linked_rows = np.unique(to[to >= 0])
            m = int(np.sum(ksi[linked_rows] & in_p[linked_rows]))
            n2 = len(linked_rows) + int(np.sum(to < 0))
            m = min(m, n1, n2)
        row: dict[str, Any] = {"period": period_label(per, by), "fatal": n_fatal, "serious": n_serious, "ksi": n_fatal + n_serious,
               "severe_mais3": n_severe, "killed_plus_severe": n_fatal + n_severe,
               "patients": int(in_q.sum()), "mais3_patients": int(sq.sum()),
               "linked_patients": int((patient_linked & in_q).sum())}
        row["linkage_rate"] = row["linked_patients"] / row["patients"] if row["patients"] else np.nan
        mean, low, high = expected_count(severe_p[~fatal & in_p], confidence)
        row.update({"severe_mais3_expected": mean, "severe_mais3_lower": low, "severe_mais3_upper": high,
                    "killed_plus_severe_expected": n_fatal + mean})
        row.update({"cr_police_ksi": n1, "cr_mais3": n2, "cr_both": m})
        row.update(_chapman_columns("cr", n1, n2, m, confidence))
        # The same from match probabilities: the overlap expected rather than thresholded.
        if links.unit == "casualty":
            m_expected = float(to_ksi_p[sq].sum())
            n2_expected = float(n2)
        else:
            m_expected = float(severe_p[ksi & in_p].sum())
            n2_expected = float(severe_p[in_p].sum() + (1 - linked_p[sq]).sum())
        row.update({"cr_expected_both": m_expected, "cr_expected_mais3": n2_expected})
        row.update(_chapman_columns("cr_expected", n1, int(round(n2_expected)), int(round(m_expected)), confidence,
                                    with_gap=False))
        rows.append(row)
    table = pd.DataFrame(rows).set_index("period")
    table.attrs.update({"unit": links.unit, "by": by, "confidence": confidence})
    return table
