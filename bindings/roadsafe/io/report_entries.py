"""The load report's entries as the engine keeps them: per entry integer codes (file, table, column, reason,
outcome), the line and the value, with each distinct text once. The entries DataFrame is built from them when
first asked for; the problem counts of the summary are taken from the codes without building it."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import _text

ENTRY_COLUMNS = ["file", "line", "table", "column", "value", "reason", "outcome"]
_LABELLED = ["file", "table", "column", "reason", "outcome"]
# Each duplicate names the row loaded before it; counted, they are one kind of problem.
_DUPLICATE_REASON = r"^already loaded from\b.*$"
_DUPLICATE_SUMMARY = "a row with the same key was loaded before it"


class EntryColumns:
    """The engine's entry columns (read-only numpy views of its buffers, which they keep alive)."""

    def __init__(self, columns: dict | None) -> None:
        """``columns``: an engine object's ``report_entry_columns``; None for a report with no entries."""
        if columns is None:
            empty = np.zeros(0, np.int32)
            columns = {name: (empty, []) for name in _LABELLED}
            columns |= {"line": np.zeros(0, np.int64), "value": (np.zeros(1, np.int64), np.zeros(0, np.uint8)),
                        "related_file": empty, "related_line": np.zeros(0, np.int64)}
        self._columns = columns
        self._frame: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self._columns["line"])

    def codes(self, name: str) -> np.ndarray:
        return self._columns[name][0]

    def labels(self, name: str) -> list[str]:
        return self._columns[name][1]

    def frame(self) -> pd.DataFrame:
        """One row per entry (file, line, table, column, value, reason, outcome), the texts as categoricals;
        built once, on first use."""
        if self._frame is None:
            offsets, chars = self._columns["value"]
            # The lines copied: the DataFrame is the user's to change, the engine's buffers are read-only.
            data = {"file": self._categorical("file"), "line": np.array(self._columns["line"]),
                    "table": self._categorical("table"), "column": self._categorical("column"),
                    "value": _text(offsets, chars, empty_is_missing=False), "reason": self._reasons(),
                    "outcome": self._categorical("outcome")}
            self._frame = pd.DataFrame(data, copy=False)
        return self._frame

    def _categorical(self, name: str) -> pd.Categorical:
        codes, labels = self.codes(name), self.labels(name)
        if name == "outcome":  # the engine lists every outcome; the categories are those that occur
            present = np.flatnonzero(np.bincount(codes, minlength=len(labels)))
            recode = np.full(len(labels), -1, np.int8)
            recode[present] = np.arange(len(present))
            codes, labels = recode[codes], [labels[i] for i in present]
        return pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object), validate=False)

    def _reasons(self) -> pd.Categorical:
        """A reason naming another place of the input is its text, a space and FILE:LINE."""
        related = self._columns["related_file"]
        named = np.flatnonzero(related >= 0)
        if not len(named):
            return self._categorical("reason")
        import pyarrow as pa
        import pyarrow.compute as pc

        def take(name: str, codes: np.ndarray) -> pa.Array:
            return pa.array(self.labels(name), pa.large_string()).take(pa.array(codes))

        def text(s: str) -> pa.Scalar:
            return pa.scalar(s, pa.large_string())

        reasons = take("reason", self.codes("reason")).to_numpy(zero_copy_only=False)
        lines = pa.array(self._columns["related_line"][named]).cast(pa.large_string())
        named_reasons = pc.binary_join_element_wise(take("reason", self.codes("reason")[named]), text(" "),
                                                    take("file", related[named]), text(":"), lines, text(""))
        reasons[named] = named_reasons.to_numpy(zero_copy_only=False)
        codes, distinct = pd.factorize(reasons)
        return pd.Categorical.from_codes(codes, categories=pd.Index(distinct, dtype=object), validate=False)

    def problem_counts(self) -> pd.DataFrame:
        """Entries counted by outcome, table, column and reason (a reason naming another place counted by its
        text, duplicates as one kind): outcome, table, column, reason, count, first_line; in the order each
        first occurs."""
        columns = ["outcome", "table", "column", "reason", "count", "first_line"]
        if not len(self):
            return pd.DataFrame(columns=columns)
        names = ["outcome", "table", "column", "reason"]
        # One integer key per entry (mixed radix over the four codes): one grouping, on integers.
        key = np.zeros(len(self), np.int64)
        for name in names:
            key = key * max(len(self.labels(name)), 1) + self.codes(name)
        g = pd.DataFrame({"key": key, "line": self._columns["line"]}).groupby("key", sort=False)["line"]
        counted = g.agg(["size", "min"])
        out = {}
        rest = counted.index.to_numpy()
        for name in reversed(names):
            size = max(len(self.labels(name)), 1)
            out[name] = np.asarray(self.labels(name), dtype=object)[rest % size]
            rest = rest // size
        summary = pd.DataFrame({name: out[name] for name in names})
        summary["reason"] = summary["reason"].str.replace(_DUPLICATE_REASON, _DUPLICATE_SUMMARY, regex=True)
        summary["count"] = counted["size"].to_numpy()
        summary["first_line"] = counted["min"].to_numpy()
        # Reasons that read the same once rewritten are one kind of problem.
        g = summary.groupby(names, sort=False)
        return g.agg(count=("count", "sum"), first_line=("first_line", "min")).reset_index()[columns]

    def lost_values(self, outcome: str) -> pd.DataFrame:
        """Entries with ``outcome`` counted by table and column: table, column, count, reason (the first)."""
        labels = self.labels("outcome")
        if outcome not in labels:
            return pd.DataFrame(columns=["table", "column", "count", "reason"])
        rows = np.flatnonzero(self.codes("outcome") == labels.index(outcome))
        if not len(rows):
            return pd.DataFrame(columns=["table", "column", "count", "reason"])
        key = pd.DataFrame({"table": self.codes("table")[rows], "column": self.codes("column")[rows],
                            "reason": self.codes("reason")[rows]})
        out = key.groupby(["table", "column"], sort=False).agg(count=("reason", "size"), reason=("reason", "first"))
        out = out.reset_index()
        for name in ("table", "column", "reason"):
            out[name] = np.asarray(self.labels(name), dtype=object)[out[name].to_numpy()]
        return out
