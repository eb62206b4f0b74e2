"""The load report: what a read did with every input row (loaded, rejected or reported, and why)."""
from __future__ import annotations

import pandas as pd


class LoadReport:
    """What a load did with every input row.

    ``files``: one row per input file (table, file generation, rows read / loaded / rejected / duplicate).
    ``entries``: one row per problem, with file, line, table, column, value, reason and outcome
    (row rejected, value set missing, row loaded and flagged, duplicate not loaded, column not loaded).
    """

    def __init__(self, engine_dataset) -> None:
        self.files = pd.DataFrame(
            engine_dataset.report_files,
            columns=["file", "table", "generation", "rows_read", "rows_loaded", "rows_rejected", "rows_duplicate"])
        self.entries = pd.DataFrame(
            engine_dataset.report_entries,
            columns=["file", "line", "table", "column", "value", "reason", "outcome"])
        self.coordinate_transformation: str = engine_dataset.coordinate_transformation

    @property
    def rows_read(self) -> int:
        return int(self.files.rows_read.sum())

    @property
    def rows_loaded(self) -> int:
        return int(self.files.rows_loaded.sum())

    @property
    def rows_rejected(self) -> int:
        return int(self.files.rows_rejected.sum())

    def summary(self) -> pd.DataFrame:
        """Problems counted by outcome, table, column and reason."""
        if self.entries.empty:
            return pd.DataFrame(columns=["outcome", "table", "column", "reason", "count", "first_line"])
        g = self.entries.groupby(["outcome", "table", "column", "reason"], sort=False)
        return g.agg(count=("line", "size"), first_line=("line", "min")).reset_index()

    def __str__(self) -> str:
        lines = ["Load report"]
        for f in self.files.itertuples():
            lines.append(f"  {f.file}: {f.table} file ({f.generation}): {f.rows_read:,} rows read, "
                         f"{f.rows_loaded:,} loaded, {f.rows_rejected:,} rejected, {f.rows_duplicate:,} duplicate")
        if self.coordinate_transformation:
            lines.append(f"  coordinates filled with PROJ: {self.coordinate_transformation}")
        s = self.summary()
        if len(s):
            lines.append("  problems:")
            for r in s.itertuples():
                lines.append(f"    {r.count:>6,} x {r.outcome}: {r.table}.{r.column}: {r.reason} (first at line {r.first_line})")
        else:
            lines.append("  no problems")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<LoadReport: {len(self.files)} file(s), {self.rows_read:,} rows read, {self.rows_loaded:,} loaded, "
                f"{self.rows_rejected:,} rejected, {len(self.entries):,} entries>")

    def _repr_html_(self) -> str:
        return f"<pre>{str(self)}</pre>"
