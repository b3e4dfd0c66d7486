"""The report's methods appendix: how to read the tables, the glossary, the methods used
and the sources of the baselines.

The appendix closes the HTML page (:mod:`reports.html` puts these lists in the
template's context). Each list is read from what the page already holds: the reading
guide names the columns a reader meets, the glossary keeps only the terms the page
uses, the methods are the distinct ``method`` and ``test`` values of the tables, and
the sources are the reference studies the baseline tables compare with. Like the rest
of :mod:`reports`, this module words and arranges; it computes no statistic.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from reports.formatting import format_value
from reports.i18n import Catalogue
from reports.presentation import Prepared, localised

__all__ = ["reading_guide", "glossary", "methods_used", "method_names", "baseline_sources"]

#: The column naming a reference study (``source`` names the pilot's own sources).
_SOURCE = ("source_id",)
_BASE_N = ("baseline_n", "base_n")
#: The glossary's terms, in the order the appendix lists them (``glossary.<key>``).
_GLOSSARY = ("ci", "net", "nps", "turnbull", "mass", "user_days", "returning", "occupancy",
             "reversed", "margin", "effect_size")
#: Parts of the page's views that are not text a reader sees.
_NOT_TEXT = frozenset({"figure", "id", "files", "cls", "numeric", "narrow", "key"})


def reading_guide(cat: Catalogue, min_cell: int) -> list[dict]:
    """How to read the tables: each column a reader meets, named as its heading, with a
    plain-language explanation.

    Parameters
    ----------
    cat : Catalogue
        Messages of the report's language.
    min_cell : int
        The suppression threshold in force, quoted by the hidden mark's explanation.

    Returns
    -------
    list of dict
        One ``{"term", "text"}`` per column (count, estimate, interval, adjusted
        p-value), then the mark of a hidden figure.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> [entry["term"] for entry in reading_guide(catalogue("en"), 5)]
    ['n', 'Estimate', 'Confidence interval', 'Adjusted p', '—*']
    """
    terms = [(cat.column(c), f"report.reading_{c}")
             for c in ("n", "estimate", "ci", "p_adjusted")]
    terms.append((cat.text("report.suppressed_mark") + "*", "report.reading_suppressed"))
    return [{"term": term, "text": cat.text(key, min_cell=min_cell)} for term, key in terms]


def _texts(part):
    """Every text a reader sees in part of the page's context (views, cards), the
    figures' drawings and the page's bookkeeping aside."""
    if isinstance(part, str):
        yield part
    elif isinstance(part, dict):
        for key, value in part.items():
            if key not in _NOT_TEXT:
                yield from _texts(value)
    elif isinstance(part, (list, tuple)):
        for value in part:
            yield from _texts(value)


def glossary(parts, cat: Catalogue) -> list[dict]:
    """The glossary of the appendix: each term of ``glossary.<key>`` that the page uses
    (its ``match`` text is found, as a word, in ``parts``: the sections' tables, notes
    and the summary's cards), with its one-sentence explanation.

    Parameters
    ----------
    parts : str, dict, list or tuple
        Part of the page's context, nested; the figures and the page's bookkeeping
        (ids, file names, CSS classes) are not read.
    cat : Catalogue
        Messages of the report's language.

    Returns
    -------
    list of dict
        One ``{"term", "text"}`` per term used, in the glossary's order.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> [e["term"] for e in glossary([{"headers": ["Masse", "Effectif"]}], catalogue("fr"))]
    ['Masse']
    >>> glossary([{"headers": ["Masses d'eau"]}], catalogue("fr"))
    []
    """
    seen = " ".join(_texts(parts)).replace("\u00a0", " ").replace("\u202f", " ").casefold()
    entries = []
    for key in _GLOSSARY:
        match = cat.text(f"glossary.{key}.match").replace("\u00a0", " ").casefold()
        if re.search(rf"(?<!\w){re.escape(match)}(?!\w)", seen):
            entries.append({"term": cat.text(f"glossary.{key}.term"),
                            "text": cat.text(f"glossary.{key}.text")})
    return entries


def methods_used(prepared: list[Prepared], cat: Catalogue) -> list[str]:
    """Distinct ``method`` and ``test`` values of every table, labelled, in order.

    Parameters
    ----------
    prepared : list of Prepared
        The evaluation's tables, in display order.
    cat : Catalogue
        Messages of the report's language.

    Returns
    -------
    list of str
        Each method's label once, in the order first met. ``none: ...`` (no test
        run) is no method, and the counts some methods append after ``;`` are left out.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"method": ["Welch t-test", "none: too few groups", "Welch t-test"]})
    >>> methods_used([Prepared("profiles", Table("t", f, "t"), f, "p")], catalogue("en"))
    ['Welch t-test']
    """
    return list(dict.fromkeys(cat.value("method", name) for name in method_names(prepared)))


def method_names(prepared: list[Prepared]) -> list[str]:
    """Distinct ``method`` and ``test`` names of every table, in order, untranslated.

    Parameters
    ----------
    prepared : list of Prepared
        The evaluation's tables, in display order.

    Returns
    -------
    list of str
        Each name once (the catalogue's ``values.method`` keys), without ``none: ...``
        and without the counts some methods append after ``;``.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"test": ["Welch t-test", "none: too few groups"]})
    >>> method_names([Prepared("profiles", Table("t", f, "t"), f, "p")])
    ['Welch t-test']
    """
    names: dict[str, None] = {}
    for item in prepared:
        for column in ("method", "test"):
            if column in item.data.columns:
                for value in pd.unique(item.data[column].dropna().astype(str)):
                    if value.startswith("none"):  # "none: too few groups" is not a method
                        continue
                    # the method's name, without the counts some methods append after ";"
                    names[value.split("; paired:")[0].split(" (")[0] if ";" in value
                          else value] = None
    return list(names)


def _first(frame: pd.DataFrame, names) -> str | None:
    """The first of ``names`` that is a column of ``frame``."""
    return next((c for c in names if c in frame.columns), None)


def _year(value) -> str:
    """A year as written (``2015``), never with a thousands separator."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return str(int(value))
    return str(value)


def baseline_sources(prepared: list[Prepared], cat: Catalogue) -> list[dict]:
    """Every baseline source used: name, publisher, year and base n, from the tables.

    Parameters
    ----------
    prepared : list of Prepared
        The evaluation's tables; those of the ``baselines`` and ``methods`` sections
        with a ``source_id`` column are read, before suppression (a source's base n
        is public).
    cat : Catalogue
        Messages of the report's language.

    Returns
    -------
    list of dict
        One ``{"name", "publisher", "year", "base_n"}`` per source, in the order
        first met; ``base_n`` is the list of its distinct base sizes, formatted.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"source_id": ["bva-2015"] * 2, "year": [2015, 2015],
    ...                   "publisher": ["BVA", "BVA"], "baseline_n": [1200, 1200]})
    >>> baseline_sources([Prepared("baselines", Table("b", f, "t"), f, "b")], catalogue("en"))
    [{'name': 'BVA, 2015', 'publisher': 'BVA', 'year': '2015', 'base_n': ['1,200']}]
    """
    found: dict[str, dict] = {}
    for item in prepared:
        if item.section not in ("baselines", "methods"):
            continue
        # the sources' base n are public: read before suppression
        frame = localised(item.table.data, cat.lang)
        source = _first(frame, _SOURCE)
        if source is None:
            continue
        base_n, year = _first(frame, _BASE_N), _first(frame, ("year",))
        publisher = _first(frame, ("publisher",))
        for name, rows in frame.groupby(source, sort=False):
            entry = found.setdefault(str(name), {"name": cat.value("source", name),
                                                 "publisher": "", "year": "", "base_n": []})
            if publisher and rows[publisher].notna().any():
                entry["publisher"] = str(rows[publisher].dropna().iloc[0])
            if year and rows[year].notna().any():
                entry["year"] = _year(rows[year].dropna().mode().iloc[0])
            if base_n:
                for value in pd.unique(rows[base_n].dropna()):
                    text = format_value(value, "baseline_n", cat.lang)
                    if text not in entry["base_n"]:
                        entry["base_n"].append(text)
    return list(found.values())
