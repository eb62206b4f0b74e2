"""Drivers: culpability from the vehicle table (or a factors file), quasi-induced exposure involvement
ratios, and the profile of culpable drivers in severe collisions.

    drivers = rs.culpability(ds)                        # one row per driver: status, rule, fields
    rs.drivers.rule_summary(drivers)                    # share decided by each rule, share undetermined
    rs.involvement_ratios(ds, by="age_band_of_driver")  # RAIR with 95% intervals, victims-random check
    rs.driver_profile(ds, links)                        # severe vs fatal vs all, field by field
"""
from .culpability import RULES, STATUSES, culpability, rule_summary
from .factors import DRIVER_CODES, MITIGATING_CODES, read_factors
from .involvement import BY_FIELDS, InvolvementRatios, involvement_ratios
from .profile import PROFILE_FIELDS, DriverProfile, driver_profile

__all__ = ["RULES", "STATUSES", "culpability", "rule_summary", "DRIVER_CODES", "MITIGATING_CODES", "read_factors",
           "BY_FIELDS", "InvolvementRatios", "involvement_ratios", "PROFILE_FIELDS", "DriverProfile",
           "driver_profile"]
