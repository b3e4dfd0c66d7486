"""Figures drawn in a second process while the report's files are written.

Drawing a report's figures (matplotlib, SVG) and writing its CSV files, workbook
(openpyxl) and page's tables are each pure Python, half a second or more apiece on a
large pilot: one thread cannot do both at once, two processes can. The figures' data are the tables already
suppressed (small); a forked child draws them and sends back their SVG text, which is
the same text as drawn in the parent (``reports.figures.to_svg`` numbers its ids from
the figure's own salt).

The child is a fork: it starts at once, with the tables and modules already in memory.
It takes the figures one at a time, the costliest kinds first; once the parent has
written the files, it takes the ones left (the cheaper ones), so the two end together.
Where forking is not the system's way (macOS, Windows), where there is one processor,
or for a single figure, the figures are drawn in this process when asked for, as
before. A child that dies (out of memory) or does not answer is replaced by drawing
here.
"""

from __future__ import annotations

import importlib
import multiprocessing
import warnings
from collections.abc import Callable

import pandas as pd

from analysis.forked import can_fork, run_in_child

__all__ = ["FigureJob", "PATIENCE", "draw_all", "start_drawing"]

#: Seconds to wait for the drawing child before drawing here (a report's figures take
#: about a second).
PATIENCE = 120.0


#: One figure to draw: its file stem (the SVG ids' salt), figure kind and data.
FigureJob = tuple[str, str, pd.DataFrame]

#: Relative drawing time of each figure kind (several panels, many ticks and labels
#: cost more than a curve): the costliest are taken first, so that the last ones left,
#: which the parent shares, are short.
_COST = {"attendance_series": 4, "impact_bars": 4, "baseline_dots": 3, "likert_bars": 1,
         "km_curve": 1}


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

    Notes
    -----
    The standard streams are flushed before the fork (``multiprocessing`` does) and
    the child leaves with ``os._exit``: nothing buffered is written twice, and none of
    the parent's exit handlers runs in the child. A child that dies is replaced by
    drawing here; so is one that has not answered after :data:`PATIENCE` seconds (it is
    killed): a fork copies only the thread that forks, and a lock another thread held
    then would never be released in the child.

    Examples
    --------
    >>> jobs = [("impact", "impact_bars", pd.DataFrame({"indicator": ["km"],
    ...                                                  "estimate": [1.0]}))]
    >>> svgs = start_drawing(jobs, "en", fork=False)
    >>> list(svgs())
    ['impact']
    """
    if fork is None:
        fork = can_fork() and len(jobs) > 1
    if not fork:
        return lambda: draw_all(jobs, lang)
    # matplotlib loaded before the fork: the child draws at once, and the parent can
    # take its share of the figures once its files are written
    importlib.import_module("reports.figures")
    queue = _costliest_first(jobs)
    try:
        context = multiprocessing.get_context("fork")
        counter = context.Value("i", 0)  # the next job to take, shared with the child
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=run_in_child,
                                args=(sender, _take_and_draw, (queue, lang, counter)), daemon=True)
        with warnings.catch_warnings():  # Python 3.12+ warns of any fork beside threads
            warnings.simplefilter("ignore", DeprecationWarning)
            child.start()
        sender.close()
    except (OSError, ValueError, RuntimeError):  # no process to be had: draw here
        return lambda: draw_all(jobs, lang)

    def result() -> dict[str, str]:
        answer = None
        try:
            drawn = _take_and_draw(queue, lang, counter)  # the jobs the child has not taken
            if receiver.poll(PATIENCE):
                answer = receiver.recv()
        except (EOFError, OSError):  # the child died (killed, out of memory)
            answer = None
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            receiver.close()
        if answer is not None and answer[0] == "error":
            raise answer[1]
        drawn.update(answer[1] if answer is not None else
                     draw_all([job for job in jobs if job[0] not in drawn], lang))
        return {stem: drawn[stem] for stem, _, _ in jobs}

    return result


def _costliest_first(jobs: list[FigureJob]) -> list[FigureJob]:
    """The jobs in drawing order: costliest kinds first, in their order within a kind.

    Examples
    --------
    >>> jobs = [("a", "km_curve", None), ("b", "impact_bars", None), ("c", "km_curve", None)]
    >>> [stem for stem, _, _ in _costliest_first(jobs)]
    ['b', 'a', 'c']
    """
    return sorted(jobs, key=lambda job: -_COST.get(job[1], 1))


def _take_and_draw(jobs: list[FigureJob], lang: str, counter) -> dict[str, str]:
    """Draw the jobs not yet taken, one at a time from the counter the parent and the
    child share (whoever is free takes the next)."""
    drawn = {}
    while True:
        with counter.get_lock():
            number = counter.value
            counter.value = number + 1
        if number >= len(jobs):
            return drawn
        drawn.update(draw_all([jobs[number]], lang))
