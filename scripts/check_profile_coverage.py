#!/usr/bin/env python3
"""Check a column-mapping profile (datasets/profiles/*.ini) against a source CSV.

Standalone, stdlib only. Checks that
  * every source column the profile names exists in the CSV (Name, Name#k, @k);
  * every CSV column is used by some entry (otherwise the loader reports it as not loaded);
  * every distinct non-empty value of every `values`-mapped column has an entry in the
    field's [values FIELD] section (exact after trimming, then case-insensitive);
  * every code used for a data-guide field exists in the DfT code list for that field;
  * every non-empty value of the other columns reads under its transform
    (int, float, yn, date FORMAT, time hmm, or the field's type in fields.csv).

Usage:
  python scripts/check_profile_coverage.py [PROFILE.ini] [SOURCE.csv]
         [--fields datasets/stats19/fields.csv] [--codes datasets/stats19/dft_code_list_2024.csv]

Exit status 0 when coverage is complete, 1 otherwise.
"""

import argparse
import collections
import csv
import datetime
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEFAULT_PROFILE = os.path.join(ROOT, "datasets", "profiles", "cambridgeshire_insight.ini")
DEFAULT_CSV = os.path.join(ROOT, "datasets", "cambridgeshire", "Cambs_RTC.csv")
DEFAULT_FIELDS = os.path.join(ROOT, "datasets", "stats19", "fields.csv")
DEFAULT_CODES = os.path.join(ROOT, "datasets", "stats19", "dft_code_list_2024.csv")

MAPPING_SECTIONS = re.compile(r"^(collision|vehicle \d+)$")
VALUES_SECTION = re.compile(r"^values (\S+)$")
KNOWN_SECTIONS = {"profile", "constants", "placeholders"}


# ----------------------------------------------------------------------------- profile

def strip_comment(line):
    """'#' starts a comment at the start of a line or after whitespace."""
    for i, ch in enumerate(line):
        if ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i]
    return line


def parse_profile(path):
    """Return (sections, problems): sections is an ordered dict name -> list of
    (key, value, lineno). Values sections are split at the last '=', other sections at
    the first '='; a line where splitting at the first ' = ' would differ is reported."""
    sections = collections.OrderedDict()
    problems = []
    current = None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = strip_comment(raw.rstrip("\n")).strip()
            if not line:
                continue
            if line.startswith("[") and line.endswith("]"):
                current = " ".join(line[1:-1].split())
                if current in sections:
                    problems.append(f"line {lineno}: section [{current}] appears twice")
                sections.setdefault(current, [])
                continue
            if current is None:
                problems.append(f"line {lineno}: entry outside any section: {line!r}")
                continue
            if "=" not in line:
                problems.append(f"line {lineno}: not 'key = value': {line!r}")
                continue
            if VALUES_SECTION.match(current):
                key, _, value = line.rpartition("=")
            else:
                key, _, value = line.partition("=")
            key, value = key.strip(), value.strip()
            if " = " in line:
                k2, _, v2 = line.partition(" = ")
                if (k2.strip(), v2.strip()) != (key, value):
                    problems.append(f"line {lineno}: ambiguous split of {line!r}")
            if not key:
                problems.append(f"line {lineno}: empty key")
                continue
            if any(k == key for k, _, _ in sections[current]):
                problems.append(f"line {lineno}: [{current}] {key!r} given twice")
            sections[current].append((key, value, lineno))
    return sections, problems


# ----------------------------------------------------------------------------- references

def load_fields(path):
    """(table, field) -> type"""
    with open(path, encoding="utf-8", newline="") as f:
        return {(r["table"], r["field"]): r["type"] for r in csv.DictReader(f)}


def load_codes(path):
    """(table, field) -> {code: label}; only rows whose code is an integer."""
    codes = collections.defaultdict(dict)
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            code = r["code/format"].strip()
            if re.fullmatch(r"-?\d+", code):
                codes[(r["table"].strip(), r["field name"].strip())][int(code)] = r["label"].strip()
    return codes


def read_csv(path, encoding):
    with open(path, encoding=encoding, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    return header, rows


def resolve_column(ref, header):
    """Source column reference -> 0-based index, or raise ValueError."""
    names = [h.strip() for h in header]
    if ref.startswith("@"):
        k = int(ref[1:])
        if not 1 <= k <= len(header):
            raise ValueError(f"@{k}: the file has {len(header)} columns")
        return k - 1
    if ref in names:
        hits = [i for i, n in enumerate(names) if n == ref]
        if len(hits) > 1:
            raise ValueError(f"{ref!r} is duplicated ({len(hits)} columns): use {ref}#k")
        return hits[0]
    m = re.fullmatch(r"(.*)#(\d+)", ref)
    if m:
        hits = [i for i, n in enumerate(names) if n == m.group(1).strip()]
        k = int(m.group(2))
        if 1 <= k <= len(hits):
            return hits[k - 1]
        raise ValueError(f"{ref!r}: only {len(hits)} column(s) headed {m.group(1)!r}")
    raise ValueError(f"no column headed {ref!r}")


def reads_as(kind, value, arg=None):
    v = value.strip()
    try:
        if kind in ("int",):
            int(v)
        elif kind in ("float",):
            float(v)
        elif kind == "yn":
            return v in ("Y", "N")
        elif kind == "date":
            if arg:
                datetime.datetime.strptime(v, arg)
            else:
                for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
                    try:
                        datetime.datetime.strptime(v, fmt)
                        break
                    except ValueError:
                        pass
                else:
                    return False
        elif kind == "time":
            if arg == "hmm":
                n = int(v)
                return 0 <= n and n // 100 <= 23 and n % 100 <= 59
            datetime.datetime.strptime(v, "%H:%M")
        return True
    except ValueError:
        return False


# ----------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("profile", nargs="?", default=DEFAULT_PROFILE)
    ap.add_argument("csv", nargs="?", default=DEFAULT_CSV)
    ap.add_argument("--fields", default=DEFAULT_FIELDS)
    ap.add_argument("--codes", default=DEFAULT_CODES)
    args = ap.parse_args(argv)

    errors, notes = [], []
    sections, problems = parse_profile(args.profile)
    errors += problems
    fields = load_fields(args.fields)
    codes = load_codes(args.codes)

    opts = dict((k, v) for k, v, _ in sections.get("profile", []))
    encoding = opts.get("encoding", "utf-8")
    header, rows = read_csv(args.csv, encoding)
    bad_len = sum(1 for r in rows if len(r) != len(header))
    if bad_len:
        errors.append(f"{bad_len} rows do not have {len(header)} fields")

    for name in sections:
        if not (name in KNOWN_SECTIONS or MAPPING_SECTIONS.match(name) or VALUES_SECTION.match(name)):
            errors.append(f"unknown section [{name}]")

    used = collections.defaultdict(list)          # column index -> ["[section] field", ...]
    values_uses = collections.defaultdict(list)   # field -> [(table, column index, where)]
    n_dft = n_extra = 0
    extras = []

    # constants and placeholders are collision-level data-guide fields
    for sec in ("constants", "placeholders"):
        for key, value, lineno in sections.get(sec, []):
            if ("collision", key) not in fields:
                errors.append(f"[{sec}] {key}: not a collision field of the data guide")
                continue
            if sec == "constants" and fields[("collision", key)] == "category":
                ok = re.fullmatch(r"-?\d+", value) and int(value) in codes.get(("collision", key), {})
                if not ok:
                    errors.append(f"[{sec}] {key} = {value}: no such code in the code list")
            if sec == "placeholders" and not reads_as("float", value):
                errors.append(f"[placeholders] {key} = {value}: not a number")

    for sec, entries in sections.items():
        if not MAPPING_SECTIONS.match(sec):
            continue
        table = "collision" if sec == "collision" else "vehicle"
        for key, value, lineno in entries:
            where = f"[{sec}] {key} (line {lineno})"
            src, _, transform = value.partition("|")
            src, transform = src.strip(), " ".join(transform.split())
            if src.startswith("="):                      # constant
                if key != "present" and (table, key) in fields and fields[(table, key)] == "category":
                    c = src[1:].strip()
                    if not (re.fullmatch(r"-?\d+", c) and int(c) in codes.get((table, key), {})):
                        errors.append(f"{where}: constant {c!r} is not a code of {key}")
                continue
            try:
                col = resolve_column(src, header)
            except ValueError as e:
                errors.append(f"{where}: {e}")
                continue
            used[col].append(f"[{sec}] {key}")
            if key == "present":
                continue
            is_dft = (table, key) in fields
            if is_dft:
                n_dft += 1
            else:
                n_extra += 1
                extras.append(f"{key}" if sec == "collision" else f"{sec}: {key}")
            kind, _, arg = transform.partition(" ")
            if kind not in ("", "int", "float", "text", "values", "yn", "date", "time"):
                errors.append(f"{where}: unknown transform {transform!r}")
                continue
            if kind == "time" and arg != "hmm":
                errors.append(f"{where}: only 'time hmm' is a time transform")
            if kind == "" and not is_dft:
                errors.append(f"{where}: {key} is not in the data guide, so it needs a transform")
                continue
            if kind == "values":
                values_uses[key].append((table, col, where))
                continue
            if kind == "":
                kind = {"index": "text", "category": "category"}.get(fields[(table, key)], fields[(table, key)])
            if kind == "text":
                continue
            bad = collections.Counter()
            for r in rows:
                v = r[col].strip()
                if not v:
                    continue
                if kind == "category":
                    ok = re.fullmatch(r"-?\d+", v) and int(v) in codes.get((table, key), {})
                else:
                    ok = reads_as(kind, v, arg or None)
                if not ok:
                    bad[v] += 1
            if bad:
                errors.append(f"{where}: {sum(bad.values())} values do not read as {transform or kind}: "
                              + ", ".join(f"{v!r} x{n}" for v, n in bad.most_common(5)))

    # values sections
    value_maps = {}
    for sec, entries in sections.items():
        m = VALUES_SECTION.match(sec)
        if m:
            value_maps[m.group(1)] = {k: v for k, v, _ in entries}
    for field, uses in values_uses.items():
        mapping = value_maps.get(field)
        if mapping is None:
            errors.append(f"{field}: used with `values` but there is no [values {field}] section")
            continue
        folded = {k.casefold(): v for k, v in mapping.items()}
        table = uses[0][0]
        dft_codes = codes.get((table, field)) if (table, field) in fields else None
        for key, code in mapping.items():
            if not re.fullmatch(r"-?\d+", code):
                errors.append(f"[values {field}] {key!r} = {code!r}: not an integer code")
            elif dft_codes is not None and int(code) not in dft_codes:
                errors.append(f"[values {field}] {key!r} = {code}: no code {code} for {field} in the code list")
        seen = set()
        for table, col, where in uses:
            missing = collections.Counter()
            for r in rows:
                v = r[col].strip()
                if not v:
                    continue
                seen.add(v.casefold())
                if v not in mapping and v.casefold() not in folded:
                    missing[v] += 1
            for v, n in missing.most_common():
                hint = ""
                if dft_codes and v.casefold() in {l.casefold() for l in dft_codes.values()}:
                    hint = " (the loader would fall back to the data-guide label)"
                errors.append(f"{where}: value {v!r} (x{n}) has no entry in [values {field}]{hint}")
        unused = [k for k in mapping if k.casefold() not in seen]
        if unused:
            notes.append(f"[values {field}]: entries never seen in the data: {unused}")
    for field in value_maps:
        if field not in values_uses:
            notes.append(f"[values {field}] is not used by any `values` entry")

    unused_cols = [i for i in range(len(header)) if i not in used]
    for i in unused_cols:
        errors.append(f"column {i + 1} {header[i]!r} is not used (would be reported as not loaded)")

    # ------------------------------------------------------------------ summary
    n_values = sum(len({r[c].strip() for r in rows if r[c].strip()} )
                   for uses in values_uses.values() for _, c, _ in uses)
    print(f"profile : {os.path.relpath(args.profile)}")
    print(f"source  : {os.path.relpath(args.csv)} ({encoding}), {len(rows):,} rows x {len(header)} columns")
    print(f"columns : {len(header) - len(unused_cols)}/{len(header)} used; "
          f"{n_dft} data-guide mappings, {n_extra} extra fields, "
          f"{len(sections.get('constants', []))} constants")
    print(f"values  : {len(values_uses)} `values` fields, {len(value_maps)} [values] sections, "
          f"{n_values} distinct source values checked across {sum(len(u) for u in values_uses.values())} columns")
    print(f"extras  : {', '.join(extras)}")
    for n in notes:
        print(f"note    : {n}")
    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print(f"  - {e}")
        return 1
    print("\nOK: full coverage - every column used, every value mapped, every DfT code valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
