"""Figures drawn in a second process while the report's files are written.

Drawing a report's figures (matplotlib, SVG) and writing its CSV files and workbook
(openpyxl) are each pure Python, about a second apiece on a large pilot: one thread
cannot do both at once, two processes can. The figures' data are the tables already
suppressed (small); a forked child draws them and sends back their SVG text, which is
the same text as drawn in the parent (``reports.figures.to_svg`` numbers its ids from
the figure's own salt).

The child is a fork: it starts at once, with the tables and modules already in memory.
Where forking is not the system's way (macOS, Windows), where there is one processor,
or for a single figure, the figures are drawn in this process when asked for, as
before. A child that dies (out of memory) is replaced by drawing here.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd

__all__ = ["FigureJob", "draw_all", "start_drawing"]

#: One figure to draw: its file stem (the SVG ids' salt), figure kind and data.
FigureJob = tuple[str, str, pd.DataFrame]


def draw_all(jobs: list[FigureJob], lang: str) -> dict[str, str]:
    """Draw every figure; stem -> ``<svg>`` text.

    Examples
    --------
    >>> jobs = [("impact", "impact_bars", pd.DataFrame({"indicator": ["km"],
    ...                                                  "estimate": [1.0]}))]
    >>> draw_all(jobs, "fr")["impact"].startswith("<svg")
    True
    """
    # matplotlib is imported only when drawing (not by `bilan validate`)
    from reports.figures import draw, to_svg

    return {stem: to_svg(draw(kind, data, lang=lang), salt=stem) for stem, kind, data in jobs}


def start_drawing(jobs: list[FigureJob], lang: str, *,
                  fork: bool | None = None) -> Callable[[], dict[str, str]]:
    """Start drawing ``jobs``; return the function that gives their SVG text (waiting
    for the drawing to end).

    Parameters
    ----------
    jobs : list of (stem, kind, data)
    lang : {"fr", "en"}
    fork : bool, optional
        Draw in a forked child; by default when the system forks (Linux), has two
        processors or more and there are two figures or more.

    Examples
    --------
    >>> jobs = [("impact", "impact_bars", pd.DataFrame({"indicator": ["km"],
    ...                                                  "estimate": [1.0]}))]
    >>> svgs = start_drawing(jobs, "en", fork=False)
    >>> list(svgs())
    ['impact']
    """
    if fork is None:
        fork = (sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1
                and len(jobs) > 1)
    if not fork:
        return lambda: draw_all(jobs, lang)
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(draw_all, jobs, lang)
    except (OSError, ValueError, RuntimeError):  # no process to be had: draw here
        return lambda: draw_all(jobs, lang)

    def result() -> dict[str, str]:
        try:
            return future.result()
        except BrokenProcessPool:  # the child died (killed, out of memory): draw here
            return draw_all(jobs, lang)
        finally:
            pool.shutdown()

    return result
