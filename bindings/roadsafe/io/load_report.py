"""The load report: what a read did with every input row (loaded, rejected or reported, and why)."""
from __future__ import annotations

import copy

import pandas as pd

from .report_entries import ENTRY_COLUMNS, EntryColumns


class LoadReport:
    """What a load did with every input row.

    ``files``: one row per input file (table, file generation, rows read / loaded / rejected / duplicate).
    ``entries``: one row per problem, with file, line, table, column, value, reason and outcome
    (row rejected, value set missing, row loaded and flagged, duplicate not loaded, column not loaded);
    built on first use (file, table, column, reason and outcome as categoricals).
    """

    FILE_COLUMNS = ["file", "table", "generation", "rows_read", "rows_loaded", "rows_rejected", "rows_duplicate"]
    ENTRY_COLUMNS = ENTRY_COLUMNS

    def __init__(self, engine_source) -> None:
        """The report of an engine read (a STATS19 dataset or a trauma registry)."""
        self.files = pd.DataFrame(engine_source.report_files, columns=self.FILE_COLUMNS)
        self._entries = EntryColumns(engine_source.report_entry_columns)
        self.coordinate_transformation: str = engine_source.coordinate_transformation
        #: What was selected from the loaded rows (area, period), one line each; printed as a footnote.
        self.selection: list[str] = []

    @classmethod
    def of_frames(cls, rows: dict[str, int]) -> "LoadReport":
        """The report of tables given as DataFrames: every row loaded, nothing to report."""
        report = cls.__new__(cls)
        report.files = pd.DataFrame([("DataFrame", table, "in memory", n, n, 0, 0) for table, n in rows.items()],
                                    columns=cls.FILE_COLUMNS)
        report._entries = EntryColumns(None)
        report.coordinate_transformation = ""
        report.selection = []
        return report

    def selected(self, lines: list[str]) -> "LoadReport":
        """This report with selection notes added (the loaded rows and their problems are unchanged)."""
        report = copy.copy(self)
        report.selection = [*self.selection, *lines]
        return report

    @property
    def entries(self) -> pd.DataFrame:
        """One row per problem: file, line, table, column, value, reason, outcome."""
        return self._entries.frame()

    @property
    def entry_count(self) -> int:
        """How many entries there are (without building ``entries``)."""
        return len(self._entries)

    @property
    def rows_read(self) -> int:
        return int(self.files.rows_read.sum())

    @property
    def rows_loaded(self) -> int:
        return int(self.files.rows_loaded.sum())

    @property
    def rows_rejected(self) -> int:
        return int(self.files.rows_rejected.sum())

    def failing_columns(self, share: float = 0.05) -> pd.DataFrame:
        """Columns whose values could not be read (set missing) in more than ``share`` of a table's loaded
        rows: a whole column gone wrong (a date format, a renamed code list), not a stray value."""
        out = self._entries.lost_values("value set missing")
        if out.empty:
            return pd.DataFrame(columns=["table", "column", "count", "rows", "reason"])
        loaded = self.files.groupby("table")["rows_loaded"].sum()
        out["rows"] = out["table"].map(loaded).fillna(0).astype("int64")
        return out[out["count"] > share * out["rows"]][["table", "column", "count", "rows", "reason"]]

    def summary(self) -> pd.DataFrame:
        """Problems counted by outcome, table, column and reason (with the first line of each); duplicates,
        each naming the row loaded before it, are one kind of problem."""
        return self._entries.problem_counts()

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
        for r in self.failing_columns().itertuples():
            lines.append(f"  WARNING: {r.table}.{r.column}: {r.count:,} of {r.rows:,} values could not be read "
                         f"({r.reason}); every table built from this column leaves them out")
        for note in self.selection:
            lines.append(f"  selected: {note}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"<LoadReport: {len(self.files)} file(s), {self.rows_read:,} rows read, {self.rows_loaded:,} loaded, "
                f"{self.rows_rejected:,} rejected, {self.entry_count:,} entries>")

    def _repr_html_(self) -> str:
        return f"<pre>{str(self)}</pre>"
