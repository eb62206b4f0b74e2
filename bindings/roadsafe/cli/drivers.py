"""`roadsafe drivers`: culpability of each driver, involvement ratios by a driver field, the culpable-driver
profile; the drivers table to CSV, the page to PDF.

    roadsafe drivers Accidents_2015.csv Vehicles_2015.csv Casualties_2015.csv
    roadsafe drivers --dataset cambridgeshire --by vehicle_type --out drivers.csv --pdf drivers.pdf
    roadsafe drivers FILES --factors contributory_factors.csv --by sex_of_driver,age_band_of_driver
"""
from __future__ import annotations

import argparse

from .common import UsageError, add_input_arguments, load_and_report


def _drivers(args: argparse.Namespace) -> int:
    from ..drivers.culpability import culpability, rule_summary
    from ..drivers.involvement import BY_FIELDS, involvement_ratios
    from ..drivers.profile import driver_profile
    from ..io.output_files import written_whole

    by = [b.strip() for b in args.by.split(",") if b.strip()]
    wrong = [b for b in by if b not in BY_FIELDS]
    if wrong or not by:
        raise UsageError(f"--by takes one or more (comma-separated) of {', '.join(BY_FIELDS)}, not {args.by!r}")
    ds = load_and_report(args)
    drivers = culpability(ds, args.factors, mitigation=not args.no_conditions)
    summary = rule_summary(drivers)
    print(f"Culpability of {len(drivers):,} drivers ({drivers.attrs['method']}); "
          f"undetermined: {summary.attrs['undetermined_share']:.1%}")
    print(summary.assign(share=(summary["share"] * 100).round(1)).rename(columns={"share": "share_%"})
          .to_string(index=False))
    print()
    missing = [b for b in by if b not in drivers.columns]
    if missing:
        raise UsageError(f"the data have no {missing[0]} field (fields here: "
                         f"{', '.join(f for f in BY_FIELDS if f in drivers.columns)})")
    ratios = involvement_ratios(drivers, by=by)
    print(ratios)
    print("rair = relative accident involvement ratio (quasi-induced exposure); sv_rair = single-vehicle culpable "
          "drivers against the same exposure; 95% intervals")
    print()
    profile = driver_profile(ds, drivers=drivers)
    print(f"Culpable drivers in severe ({profile.severe_basis}) collisions against fatal and all collisions:")
    print(profile.tests.round(4).to_string(index=False))
    if args.out:
        with written_whole(args.out) as tmp:
            drivers.to_csv(tmp, index=False)
        print(f"written: {args.out}")
    if args.pdf:
        from ..maps.driver_page import driver_page

        driver_page(ds, args.pdf, by=by[0], drivers=drivers)
        print(f"written: {args.pdf}")
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the `drivers` command to the `roadsafe` parser."""
    p = sub.add_parser(
        "drivers", help="driver culpability, involvement ratios and the culpable-driver profile",
        description="Score each driver culpable, not culpable or undetermined from the vehicle table (or a "
                    "contributory-factors file), print the share each rule decides, the relative accident "
                    "involvement ratios (quasi-induced exposure) by a driver field with 95%% intervals, and "
                    "how culpable drivers in KSI collisions differ from those in fatal and all collisions.")
    add_input_arguments(p)
    p.add_argument("--by", default="age_band_of_driver", metavar="FIELDS",
                   help="driver field(s) to compare, comma-separated: age_band_of_driver (default), sex_of_driver, "
                        "vehicle_type, journey_purpose_of_driver, driver_imd_decile, engine_size, vehicle_age, ...")
    p.add_argument("--factors", metavar="CSV",
                   help="a contributory-factors file (collision_index, vehicle_reference, factor): score the "
                        "drivers of its collisions from their factors")
    p.add_argument("--no-conditions", dest="no_conditions", action="store_true",
                   help="do not let road, weather and site conditions mark a culpable driver undetermined")
    p.add_argument("--out", metavar="CSV", help="write one row per driver (status, rule, fields) to this CSV file")
    p.add_argument("--pdf", metavar="PDF", help="write the drivers page (A4) to this PDF file")
    p.set_defaults(run=_drivers)
