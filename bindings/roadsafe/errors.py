"""Exceptions raised by roadsafe.

Every error from the engine carries a code from one closed set; each code maps to exactly one class
here. Input problems are ``ValueError`` subclasses, file-system problems ``OSError`` subclasses.
Each exception has ``file``, ``line``, ``column`` and ``value`` attributes (``None`` when unknown).
"""
from __future__ import annotations

from typing import Optional


class RoadsafeError(Exception):
    """Base class of every roadsafe error."""

    code = "Error"

    def __init__(self, message: str, *, file: Optional[str] = None, line: Optional[int] = None,
                 column: Optional[str] = None, value: Optional[str] = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.value = value


class InvalidInputError(RoadsafeError, ValueError):
    """A value, row or argument that cannot be used (a bad date, code, row or option)."""

    code = "InvalidInput"


class SchemaMismatchError(RoadsafeError, ValueError):
    """A file whose columns are not what the reader expects (not STATS19, not CSV, profile mismatch)."""

    code = "SchemaMismatch"


class EncodingError(RoadsafeError, ValueError):
    """Bytes that are not the declared text encoding."""

    code = "Encoding"


class ProjectionError(RoadsafeError, ValueError):
    """A coordinate transformation PROJ cannot set up or apply."""

    code = "Projection"


class NotConvergedError(RoadsafeError, ValueError):
    """An iterative fit that did not converge."""

    code = "NotConverged"


class RoadsafeIOError(RoadsafeError, OSError):
    """A file that cannot be opened, read or written."""

    code = "Io"


class CancelledError(RoadsafeError):
    """The work was cancelled by the caller (for example Ctrl-C during a progress bar)."""

    code = "Cancelled"


_BY_CODE = {cls.code: cls for cls in (InvalidInputError, SchemaMismatchError, EncodingError, ProjectionError,
                                      NotConvergedError, RoadsafeIOError, CancelledError)}


def class_for_code(code: str) -> type:
    """The exception class for an engine error code (used by the compiled module)."""
    return _BY_CODE.get(code, RoadsafeError)


__all__ = ["RoadsafeError", "InvalidInputError", "SchemaMismatchError", "EncodingError", "ProjectionError",
           "NotConvergedError", "RoadsafeIOError", "CancelledError", "class_for_code"]
