"""Reading a printed PDF back as the reader sees it (poppler-utils: pdfinfo, pdftotext, pdftoppm).

Shared by the map and report tests, which check what is printed rather than how it was drawn.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Optional, Union

import numpy as np

PathLike = Union[str, Path]


def page_sizes(pdf: PathLike) -> list[tuple[float, float]]:
    """Each page's (width, height) in points, in page order."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]


def page_size(pdf: PathLike) -> tuple[float, float]:
    """The first page's (width, height) in points."""
    sizes = page_sizes(pdf)
    assert sizes, f"pdfinfo reports no pages in {pdf}"
    return sizes[0]


def pdf_text(pdf: PathLike, page: Optional[int] = None) -> str:
    """The text of the whole document, or of one page (numbered from 1), with runs of white space as one space."""
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    text = subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def pdf_png(pdf: PathLike, tmp: Path, dpi: int = 40) -> np.ndarray:
    """The first page as an RGB(A) image, rendered at ``dpi``."""
    from matplotlib.image import imread

    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf), str(tmp / "page")], check=True)
    return imread(tmp / "page.png")


def ink(img: np.ndarray) -> float:
    """Share of pixels that are not (near) white."""
    rgb = img[..., :3]
    return float((rgb.min(axis=2) < 0.94).mean())
