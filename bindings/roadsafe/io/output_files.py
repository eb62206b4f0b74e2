"""Writing an output file whole or not at all: checked before the work, written beside its final name and
renamed on success, so an error or Ctrl-C never leaves a half-written file under the name a user opens."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator, Union

from .. import errors


def check_output(path: Union[str, os.PathLike]) -> Path:
    """The output path, once its folder is known to exist and be writable (before any slow work)."""
    out = Path(path)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise errors.RoadsafeIOError(f"cannot write {out}: folder {folder} does not exist", file=str(out))
    if not os.access(folder, os.W_OK):
        raise errors.RoadsafeIOError(f"cannot write {out}: folder {folder} is not writable", file=str(out))
    return out


def _new_file_mode() -> int:
    """The mode a new file gets from open(): 0666 less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def written_whole(path: Union[str, os.PathLike]) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed to ``path`` when the block ends normally,
    deleted when it raises (KeyboardInterrupt included)."""
    out = check_output(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=out.suffix, dir=out.parent if str(out.parent) else ".")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _new_file_mode())  # mkstemp's file is private (0600); the output is an ordinary file
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
