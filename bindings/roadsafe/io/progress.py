"""Progress bars for long engine work (tqdm), shown only when the work is large."""
from __future__ import annotations

import contextlib
import os
from typing import Callable, Iterator, Optional

_LARGE_BYTES = 50 * 1024 * 1024


def _total_size(paths: list[str]) -> int:
    total = 0
    for p in paths:
        with contextlib.suppress(OSError):
            total += os.path.getsize(p)
    return total


@contextlib.contextmanager
def progress_callback(paths: list[str], show: Optional[bool]) -> Iterator[Optional[Callable[[float, str], bool]]]:
    if show is None:
        show = _total_size(paths) > _LARGE_BYTES
    if not show:
        yield None
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=100, unit="%", desc="reading", bar_format="{l_bar}{bar}| {elapsed}<{remaining}")

    def callback(fraction: float, stage: str) -> bool:
        bar.n = round(100 * fraction, 1)
        bar.refresh()
        return True

    try:
        yield callback
    finally:
        bar.close()
