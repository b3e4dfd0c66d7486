"""What the page says beside the tables of reference figures, from the tables themselves.

**A verdict that holds for a finite population.** When the pilot file gives a source's
population size, a comparison's test rests on the finite population correction, as
the pilot's interval does (``analysis.compare_baseline``: the test's n is Kish's n
raised by the variance ratio the correction brings; a mean's t uses the corrected
standard error). With 46 answers out of 60 agents, that correction more than quadruples
the test's n: a difference can be clear for those 60 agents and not beyond them (the
fact-check of session 13 found p = 0,0495 with it, 0,22 without). The correction can
only make a difference clearer, never hide one, so the page marks every clear verdict
("higher", "lower") whose test used it, with a footnote (:func:`fpc_verdicts`). Whether
the verdict would change without it is not known here: that needs a second test, and
the report computes no statistic; marking every clear verdict that rests on it says
no more than is known.

**Holm's families, masked tests included.** The p-values of a reference study's
comparisons of one population are adjusted together (Holm), a distribution counting
as one test. A test whose row is hidden (secret statistique) still counts in its
family, so the adjusted p-values of the published rows cannot be worked out from them
alone; the table's note says how many tests each such family has, and how many of them
are masked (:func:`holm_families`).

**The catalogue's notes.** The methods appendix's catalogue of reference figures gives
each figure as its source published it; the catalogue's note (« Publié sous la forme
« un tiers » », « Non imprimé ; déduit comme 100 % − 64 % ») goes under the figure's
label (:func:`catalogue_notes`), as the CSV file and the workbook keep it.

Nothing is computed here but counts of the table's own rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.formatting import format_value, is_missing
from reports.i18n import Catalogue
from reports.presentation import Prepared, is_comparison, verdict_key
from reports.suppression import SUPPRESSED

__all__ = ["FPC_MARK", "population_sizes", "fpc_verdicts", "fpc_notes", "holm_families",
           "comparison_notes", "is_catalogue", "catalogue_notes"]

#: The mark of a verdict resting on the finite population correction (its footnote).
FPC_MARK = "\u2021"
#: Tests that do not rest on the pilot's sampling error: no correction to speak of.
_NOT_SAMPLED = frozenset({"reference_score", "none", "descriptive"})
#: Tests that are none: a row without a p-value to adjust.
_NO_TEST = frozenset({"none", "descriptive"})
#: Verdicts of a clear difference: the only ones the correction can have made.
_CLEAR = frozenset({"verdict.higher", "verdict.lower"})


def population_sizes(prepared: list[Prepared]) -> dict[str, float]:
    """The pilot's source names -> the population size the pilot file gives them, from
    the methods appendix's design table (sources without one are absent).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"source": ["agents", "agents", "users"], "kind": ["agent"] * 3,
    ...                   "n": [46, 46, 601], "population_size": [60.0, 60.0, None]})
    >>> population_sizes([Prepared("methods", Table("design", f, "t"), f, "d")])
    {'agents': 60.0}
    """
    sizes: dict[str, float] = {}
    for item in prepared:
        frame = item.data
        if item.section != "methods" or not {"source", "population_size"} <= set(frame.columns):
            continue
        size = pd.to_numeric(frame["population_size"], errors="coerce")
        for name, value in zip(frame["source"], size):
            if isinstance(name, str) and np.isfinite(value) and value > 0:
                sizes.setdefault(name, float(value))
    return sizes


def fpc_verdicts(frame: pd.DataFrame, sizes: dict[str, float]) -> np.ndarray:
    """The rows of a comparison table whose clear verdict rests on the finite
    population correction: a published row of a source of known population size, whose
    test rests on the pilot's sample (not a raking margin's reference-only test), and
    whose verdict is "higher" or "lower".

    Parameters
    ----------
    frame : DataFrame
        A baseline comparison table, its ``source`` the pilot's source names.
    sizes : dict
        :func:`population_sizes`.

    Returns
    -------
    numpy.ndarray of bool, one per row.

    Examples
    --------
    >>> f = pd.DataFrame({"source": ["agents", "agents", "agents", "users"],
    ...                   "indicator": ["a", "b", "c", "d"], "test": ["two_sample_score",
    ...                   "two_sample_score", "reference_score", "one_sample_score"],
    ...                   "estimate": [0.35, 0.35, 0.35, 0.5], "baseline": [0.44, 0.28, 0.69, 0.6],
    ...                   "p_adjusted": [0.0495, 0.06, 1e-50, 0.001]})
    >>> fpc_verdicts(f, {"agents": 60.0}).tolist()
    [True, False, False, False]
    """
    if not is_comparison(frame) or "source" not in frame.columns or not sizes or not len(frame):
        return np.zeros(len(frame), dtype=bool)
    known = frame["source"].map(lambda v: isinstance(v, str) and v in sizes).to_numpy(bool)
    sampled = ~frame["test"].isin(_NOT_SAMPLED).to_numpy(bool) if "test" in frame.columns \
        else np.ones(len(frame), dtype=bool)
    rows = np.flatnonzero(known & sampled)
    clear = np.zeros(len(frame), dtype=bool)
    for at in rows:     # the rows of the populations with a known size: a few dozen
        clear[at] = verdict_key(frame.iloc[at]) in _CLEAR
    return clear


def fpc_notes(frame: pd.DataFrame, marked: np.ndarray, sizes: dict[str, float],
              populations: dict[str, str], cat: Catalogue) -> list[str]:
    """The footnote of the verdicts :func:`fpc_verdicts` marks, one per population.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"source": ["agents"]})
    >>> fpc_notes(f, [True], {"agents": 60.0}, {"agents": "Agents"}, catalogue("en"))[0][:52]
    '‡ A clear difference for the 60 people of the popula'
    """
    names = pd.unique(frame["source"].to_numpy(dtype=object)[np.asarray(marked, bool)])
    return [cat.text("report.fpc_verdict", mark=FPC_MARK,
                     size=format_value(sizes[name], "n", cat.lang),
                     population=populations.get(name, name))
            for name in names if name in sizes]


def holm_families(frame: pd.DataFrame, cat: Catalogue,
                  populations: dict[str, str] | None = None) -> list[str]:
    """The note saying how many tests each family of Holm's correction holds, masked
    tests included, for the families with a masked test and a published one.

    A family is a reference study's comparisons of one pilot source (``source_id``,
    ``source``); a distribution (rows sharing ``distribution``) is one test. A test is
    published when its row gives a p-value, masked when its row is hidden
    (``suppressed``) and its ``test`` names a test (not ``descriptive`` nor ``none``).
    A hidden row whose test had no p-value (a mean on fewer than two answers) would be
    counted as masked: the hidden row no longer says why.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"source_id": ["bva-2015"] * 4, "source": ["agents"] * 4,
    ...                   "indicator": ["m", "m2", "h", "h2"], "distribution": [None] * 4,
    ...                   "test": ["two_sample_score"] * 4, "estimate": [None, None, .3, .3],
    ...                   "baseline": [.5] * 4, "p_value": [None, None, .02, .06],
    ...                   "suppressed": [True, True, False, False]})
    >>> holm_families(f, catalogue("en"), {"agents": "Agents"})[0][-46:]
    'BVA, 2015, Agents: 4 tests, 2 of them masked).'
    """
    needed = {"source_id", "source", "indicator", "test", "p_value"}
    if not is_comparison(frame) or not needed <= set(frame.columns) or not len(frame):
        return []
    key = frame["indicator"].astype(object)
    if "distribution" in frame.columns:
        key = frame["distribution"].astype(object).where(frame["distribution"].notna(), key)
    hidden = frame[SUPPRESSED].fillna(False).astype(bool) if SUPPRESSED in frame.columns \
        else pd.Series(False, index=frame.index)
    published = frame["p_value"].notna() & ~hidden
    masked = hidden & frame["test"].notna() & ~frame["test"].isin(_NO_TEST)
    tests = pd.DataFrame({"source_id": frame["source_id"], "source": frame["source"],
                          "key": key, "published": published, "masked": masked})
    tests = tests[published | masked].groupby(["source_id", "source", "key"], sort=False,
                                              dropna=False)["published"].any().reset_index()
    parts = []
    for (source_id, source), family in tests.groupby(["source_id", "source"], sort=False):
        count, shown = len(family), int(family["published"].sum())
        if shown == 0 or shown == count:
            continue
        hidden_count = count - shown
        parts.append(cat.text("report.holm_family" if hidden_count > 1 else
                              "report.holm_family_1",
                              source=cat.value("source", source_id),
                              population=(populations or {}).get(source, source),
                              count=count, masked=hidden_count))
    if not parts:
        return []
    return [cat.text("report.holm_families",
                     families=cat.text("report.list_separator").join(parts))]


def comparison_notes(rows: list[list[dict]], columns: list[str], frame: pd.DataFrame,
                    shown: pd.DataFrame, data: pd.DataFrame, sizes: dict[str, float],
                    populations: dict[str, str], cat: Catalogue) -> list[str]:
    """A comparison table's own notes for the page: its shown verdicts resting on the
    finite population correction marked (the verdict cell's ``sup``), with their
    footnote, and its Holm families that count masked tests.

    Parameters
    ----------
    rows, columns
        The page's formatted rows (cells as dicts) and their columns.
    frame : DataFrame
        The table's rows, sources named as populations.
    shown : DataFrame
        The rows printed (``rows``), with the table's index.
    data : DataFrame
        The table as prepared, sources by their names.
    sizes, populations : dict
        :func:`population_sizes`; source names -> populations.
    cat : Catalogue

    Returns
    -------
    list of str
        The notes, in order.
    """
    fpc = pd.Series(fpc_verdicts(data, sizes), index=data.index)
    marked = fpc.reindex(shown.index, fill_value=False).to_numpy(dtype=bool)
    notes = []
    if "verdict" in columns and marked.any():
        at = columns.index("verdict")
        for row, flag in zip(rows, marked):
            if flag:
                row[at]["sup"] = FPC_MARK
        names = data.loc[shown.index[marked], ["source"]]
        notes += fpc_notes(names, np.ones(len(names), dtype=bool), sizes, populations, cat)
    return notes + holm_families(frame, cat)


def is_catalogue(frame: pd.DataFrame) -> bool:
    """The methods appendix's catalogue of reference figures (one row per figure).

    Examples
    --------
    >>> is_catalogue(pd.DataFrame(columns=["source_id", "indicator", "value", "note"]))
    True
    """
    return {"source_id", "indicator", "value", "note"} <= set(frame.columns) \
        and "baseline" not in frame.columns


def catalogue_notes(rows: list[list[dict]], columns: list[str], frame: pd.DataFrame,
                    cat: Catalogue) -> None:
    """Put, in place, each catalogue figure's note (in the report's language: ``frame``
    is localised), typeset as the page's French, under its label: the cell's ``detail``.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> rows = [[{"text": "Part"}, {"text": "33 %"}], [{"text": "Âge"}, {"text": "40"}]]
    >>> f = pd.DataFrame({"label_fr": ["Part", "Âge"], "value": [0.33, 40],
    ...                   "note": ["Publié sous la forme « un tiers ».", None]})
    >>> catalogue_notes(rows, ["label_fr", "value"], f, catalogue("fr"))
    >>> [r[0].get("detail") for r in rows]
    ['Publié sous la forme «\xa0un tiers\xa0».', None]
    """
    label = f"label_{cat.lang}" if f"label_{cat.lang}" in columns else "indicator"
    if label not in columns or "note" not in frame.columns:
        return
    at = columns.index(label)
    for row, note in zip(rows, frame["note"].tolist()):
        if not is_missing(note) and str(note).strip():
            row[at]["detail"] = cat.typeset(str(note).strip())
