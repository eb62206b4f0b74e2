"""Police records and a hospital trauma registry: reading the registry, linking the two, MAIS 3+ tables."""
from . import police_records, trauma
from .links import COMPARISONS, LinkEvaluation, LinkModel, Links, chapman, link, severity_table
from .police_records import police_casualties, police_collisions
from .trauma import GeneratedTrauma, TraumaRegistry, generate_trauma, read_trauma

__all__ = ["police_records", "trauma", "police_casualties", "police_collisions", "TraumaRegistry", "GeneratedTrauma",
           "read_trauma", "generate_trauma", "COMPARISONS", "LinkModel", "LinkEvaluation", "Links", "link", "chapman",
           "severity_table"]
