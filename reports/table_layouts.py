"""Tables the page lays out in a shape of their own, because their long form reads badly.

**Places, one block per place.** A table that gives places one row per place and
period (the yearly attendance of each third place) repeats, on every row, the place's
name and the attributes that do not change from one period to the next (type, zone,
department, governance, seats). The HTML page writes them once, in the place's cell:
its name, then its id and those attributes on a second line (``TL101 · Coworking ·
Urbaine · Orne · 26 places``), and a yearly period as its year; the rows below are
the years. Every value stays on the page. Places are not people: their ids and names
may be published.

**Cohorts, one line per month of arrival.** ``analysis.cohorts`` returns one row per
cohort (the users whose first visit fell in a month) and per month since: hundreds of
rows, which no one reads on a page. The page shows them as a grid: one line per month
of arrival, its number of new users, then the share of them who came back 1, 3, 6 and
12 months later (the horizons the table reaches). A share the log cannot tell yet (a
cohort too recent) reads as "not observed"; a cohort too small to publish is hidden
whole, as the table hides it. The XLSX workbook lays the same table out as the same
grid, in full (:func:`cohort_triangle`, shared by both): one row per month of arrival,
its new users, then one column per month since arrival that the table reaches (M+0,
M+1...), so that the sheet a reader pastes into a slide is a retention triangle and
holds every share of the long table.

**The survey design, one line per source and margin.** The methods appendix's design
table names each source as the population it describes (``Agents``), its file beside
it, rather than by the pilot file's internal name (``agents``); a population size the
pilot file does not give reads "not given".

**Profiles, the reader's columns.** A profile (``analysis`` profiles: one row per
variable, category and statistic) gives each number its mean, standard deviation and
quartiles, and each category its count, on rows of their own: six rows per variable and
group, which bury the few figures a reader compares. The page shows one row per
category (its share) and one per number (its mean, with its median beside it), with
the base ``n`` and the interval of the share or the mean; the XLSX workbook and the CSV
file keep every row and column. Suppression has run on the full table before: each
cell shown is the full table's own cell, formatted as it would be there (a hidden
median stays hidden), and nothing is derived from the rows left out.

**A test withheld for figures not on the page.** A test between groups is withheld
when any figure of its variable is hidden, quartiles and interval bounds included; the
page shows a profile's shares and means only, so a variable can show every one of its
figures with its p-value "—". That p-value is marked "—†" (not "—*") and a note says
the hidden figures are among those left to the files (editorial review 12b, item 4).

**Row labels on a phone.** A table whose rows are labelled by several columns
(variable, group, category) keeps all of them in view while its numbers scroll under
them, not only the first: at 390 pixels the category scrolled away, and "46 | 21 %"
and "—*" could no longer be told apart (:func:`label_columns`; the page gives those
columns a fixed width on narrow screens).

**Growth, with the places it leaves out.** The growth of a place is taken between its
first and last full years: a place with a single full year has none, and a place with
no full year is not in the table. A note names both, so that no place goes missing
without a word.

The CSV files keep the tables as they are (the XLSX workbook too, but for the cohort
grid). Nothing is computed here: each value is one of the table's, placed in its cell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports.cell_wording import table_cell
from reports.formatting import format_month, format_value, is_missing
from reports.i18n import Catalogue
from reports.presentation import Prepared, cell_label, quality_pairs
from reports.suppression import SUPPRESSED

__all__ = ["is_profile_table", "profile_rows", "profile_columns", "profile_headers",
           "profile_note", "profile_medians", "named_sources", "by_place", "place_names",
           "place_cell", "is_cohort_table", "cohort_grid", "cohort_triangle", "source_files",
           "is_design_table", "design_columns", "design_cells", "design_notes", "growth_notes",
           "p_values_hidden_elsewhere", "curve_stops", "label_columns"]

#: A place's attributes, written once under its name when a table repeats them per row.
_PLACE = ("type", "zone", "department", "governance", "capacity")
#: Months after arrival shown in a cohort grid (those the table reaches).
_HORIZONS = (1, 3, 6, 12)
#: Columns of a cohort table.
_COHORT = {"cohort", "period_index", "users", "share"}
#: Columns of the survey design table (``analysis.evaluate``'s ``methods`` ``design``).
_DESIGN = {"source", "kind", "n", "population_size"}
#: Statistics of a profile table, and those whose rows the page shows (a category's
#: share, a number's mean; the median goes beside the mean).
_PROFILE_STATISTICS = frozenset({"share", "mean", "sd", "q1", "median", "q3", "min", "max"})
_PROFILE_LEADS = ("share", "mean")
#: Columns a profile's page layout leaves to the files: the statistic's name (the
#: estimate column says "share or mean") and the count of a category.
_PROFILE_DROPPED = ("statistic", "count")
#: A test's p-values, as a table of groups gives them on each row of a variable.
_P_VALUES = ("p_value", "p_adjusted")
#: The mark of a p-value hidden for figures the page does not show (its own footnote).
_ELSEWHERE_MARK = "\u2020"
#: Columns of a growth table (``analysis.attendance_growth`` per place).
_GROWTH = {"place_id", "first_year", "last_year"}


def by_place(frame: pd.DataFrame, columns: list[str]):
    """A table of places laid out one block per place: the place first, its name and
    the attributes it repeats on every row (type, zone, department, governance, seats)
    folded into its cell, a yearly ``period`` written as its year.

    Returns ``(frame, columns, folded)``; ``folded`` is None when the table is not one
    row per place and period (the frame and columns are then unchanged), else the
    attribute columns the place's cell writes. Every value stays on the page.

    Examples
    --------
    >>> f = pd.DataFrame({"period": pd.to_datetime(["2015-01-01", "2016-01-01"]),
    ...                   "place_id": ["P1", "P1"], "name": ["Hub", "Hub"],
    ...                   "zone": ["rural", "rural"], "visits": [3, 4]})
    >>> g, columns, folded = by_place(f, ["period", "place_id", "name", "zone", "visits"])
    >>> columns, folded, g["year"].tolist()
    (['place_id', 'year', 'visits'], ['zone'], ['2015', '2016'])
    """
    if "place_id" not in columns or len(frame) == 0:
        return frame, columns, None
    ids = frame["place_id"]
    constant = [c for c in ("name", *_PLACE) if c in columns
                and (frame.groupby(ids, sort=False, observed=True)[c].nunique() <= 1).all()]
    if "name" not in constant or ids.duplicated().sum() == 0:
        return frame, columns, None
    columns = ["place_id"] + [c for c in columns if c not in constant and c != "place_id"]
    period = frame["period"] if "period" in frame.columns else None
    if (period is not None and pd.api.types.is_datetime64_any_dtype(period.dtype)
            and period.notna().all() and period.nunique() > 1
            and ((period.dt.month == 1) & (period.dt.day == 1)).all()):
        frame = frame.assign(year=period.dt.year.astype(str))
        columns = [("year" if c == "period" else c) for c in columns]
    return frame, columns, [c for c in constant if c != "name"]


def place_names(prepared: list[Prepared]) -> dict[str, str]:
    """Place id -> name, from the tables that give both (places are not people).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"place_id": ["P1", "P2"], "name": ["Hub", None]})
    >>> place_names([Prepared("attendance", Table("y", f, "t"), f, "a")])
    {'P1': 'Hub'}
    """
    names: dict[str, str] = {}
    for item in prepared:
        frame = item.data
        if {"place_id", "name"} <= set(frame.columns):
            pairs = frame[["place_id", "name"]].dropna().astype(str).drop_duplicates("place_id")
            for place, name in zip(pairs["place_id"], pairs["name"]):
                names.setdefault(place, name)
    return names


def place_cell(row, folded: list[str], places: dict[str, str], cat: Catalogue) -> dict:
    """A place's cell: its name, then its id and the ``folded`` attributes on a second
    line (``TL101 · Coworking · Urbaine · Orne · 26 places``).

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> cell = place_cell({"place_id": "P1", "name": "Hub", "zone": "rural", "capacity": 12.0},
    ...                    ["zone", "capacity"], {}, catalogue("fr"))
    >>> cell["text"], cell["detail"]
    ('Hub', 'P1 · Rurale · 12 places')
    """
    place = row["place_id"]
    if is_missing(place):
        return {"text": "", "num": False, "hidden": False}
    name = row.get("name")
    name = str(name) if isinstance(name, str) and name else places.get(str(place), "")
    parts = [str(place)] if name else []
    for column in folded:
        value = row.get(column)
        if is_missing(value):
            continue
        if column == "capacity":
            parts.append(cat.text("report.seats", seats=format_value(value, column, cat.lang)))
        else:
            parts.append(cell_label(row, column, value, cat) if isinstance(value, str)
                         else format_value(value, column, cat.lang))
    return {"text": name or str(place), "detail": " · ".join(parts), "num": False,
            "hidden": False}


def is_cohort_table(frame: pd.DataFrame) -> bool:
    """True for a table shaped like ``analysis.cohorts`` (``cohort``, ``period_index``,
    ``users``, ``share``).

    Examples
    --------
    >>> is_cohort_table(pd.DataFrame(columns=["cohort", "period_index", "users", "share"]))
    True
    """
    return _COHORT <= set(frame.columns)


def cohort_triangle(frame: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """A cohort table (``analysis.cohorts``, after suppression) as a triangle: one row
    per month of arrival, in time order, one column per month since arrival that the
    table reaches (``period_index``: 0, 1, 2...). Each value is one of the table's.

    Returns
    -------
    users : Series
        Each cohort's number of new users (its first published ``users``; NaN when the
        cohort is hidden whole), indexed by cohort.
    shares : DataFrame
        Cohorts (index) by months since arrival (columns, whole numbers): the table's
        ``share``; NaN where the table has none (the row is hidden, or the log does not
        reach that month yet: no row).
    hidden : DataFrame
        Same shape: True where the table's row is suppressed.

    Examples
    --------
    >>> f = pd.DataFrame({"cohort": pd.to_datetime(["2015-01-01"] * 2 + ["2015-02-01"]),
    ...                   "period_index": [0, 1, 0], "users": [18, 18, 30],
    ...                   "share": [1.0, None, 1.0], "suppressed": [False, True, False]})
    >>> users, shares, hidden = cohort_triangle(f)
    >>> users.tolist(), shares.columns.tolist(), shares[1].tolist(), hidden[1].tolist()
    ([18.0, 30.0], [0, 1], [nan, nan], [True, False])
    """
    months = pd.to_numeric(frame["period_index"], errors="coerce").rename("period_index")
    hidden = (frame[SUPPRESSED].fillna(False).astype(bool) if SUPPRESSED in frame.columns
              else pd.Series(False, index=frame.index))
    cells = pd.DataFrame({"share": pd.to_numeric(frame["share"], errors="coerce"),
                          "hidden": hidden.to_numpy(dtype=bool)}, index=frame.index)
    grouped = cells.groupby([frame["cohort"], months], sort=True)
    cohorts = pd.Index(pd.unique(frame["cohort"].dropna()), name="cohort").sort_values()
    reached = pd.Index(np.unique(months.dropna().to_numpy()).astype(int), name="period_index")
    shares = grouped["share"].first().unstack().reindex(index=cohorts, columns=reached)
    hidden_cells = grouped["hidden"].any().unstack(fill_value=False).reindex(
        index=cohorts, columns=reached, fill_value=False).astype(bool)
    users = pd.to_numeric(frame["users"], errors="coerce").groupby(
        frame["cohort"], sort=True).first().reindex(cohorts)
    return users.astype(float), shares.astype(float), hidden_cells


def cohort_grid(frame: pd.DataFrame, cat: Catalogue) -> tuple[list[str], list[bool],
                                                              list[list[dict]], list[str]]:
    """The grid of a cohort table: headers, which columns are numbers, the rows of
    cells (one per cohort, in time order), and the notes that explain them.

    The shares are those of :func:`cohort_triangle` at 1, 3, 6 and 12 months (the
    ones the table reaches); a cohort with a hidden row shows its missing shares as
    hidden, another one as "not observed".

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"cohort": pd.to_datetime(["2015-01-01"] * 3 + ["2015-02-01"] * 2),
    ...                   "period_index": [0, 1, 2, 0, 1], "users": [18, 18, 18, 30, 30],
    ...                   "share": [1.0, 0.5, 0.5, 1.0, 0.6]})
    >>> headers, numeric, rows, notes = cohort_grid(f, catalogue("en"))
    >>> headers
    ['Month of arrival', 'New users', '1 month later']
    >>> [[c["text"] for c in row] for row in rows]
    [['January 2015', '18', '50%'], ['February 2015', '30', '60%']]
    """
    users, shares, hidden = cohort_triangle(frame)
    horizons = [k for k in _HORIZONS if k in shares.columns]
    partly = hidden.any(axis=1).to_numpy(dtype=bool)
    values = shares[horizons].to_numpy(dtype=float)
    rows = []
    for cohort, size, part, row in zip(shares.index, users, partly, values):
        rows.append([{"text": format_month(cohort, cat.lang), "num": False, "hidden": False,
                      "short": True},
                     _count(size, cat), *(_share(v, bool(part), cat) for v in row)])
    headers = [cat.text("report.cohort_month"), cat.text("report.cohort_users"),
               *(_after(k, cat) for k in horizons)]
    notes = [cat.text("report.cohort_note")]
    if any(cell["text"] == cat.text("report.not_observed") for row in rows for cell in row):
        notes.append(cat.text("report.not_observed_note"))
    return headers, [False, True, *([True] * len(horizons))], rows, notes


def _after(months: int, cat: Catalogue) -> str:
    """A horizon's heading: ``3 mois après`` / ``3 months later`` (``1 month later``)."""
    key = f"report.cohort_after_{months}"
    return cat.text(key) if cat.has(key) else cat.text("report.cohort_after", months=months)


def _count(value, cat: Catalogue) -> dict:
    """The cohort's size, or the hidden mark."""
    if is_missing(value):
        return {"text": cat.text("report.suppressed_mark"), "num": True, "hidden": True}
    return {"text": format_value(value, "users", cat.lang), "num": True, "hidden": False}


def _share(value: float, hidden: bool, cat: Catalogue) -> dict:
    """One share: written as a percentage; hidden when its cohort has hidden rows; "not
    observed" when the log does not reach that month yet."""
    if np.isfinite(value):
        return {"text": format_value(value, "share", cat.lang, share=True), "num": True,
                "hidden": False}
    if hidden:
        return {"text": cat.text("report.suppressed_mark"), "num": True, "hidden": True}
    return {"text": cat.text("report.not_observed"), "num": True, "hidden": False}


def is_profile_table(frame: pd.DataFrame, columns: list[str]) -> bool:
    """True for a profile table shown with its statistics by name (``variable``,
    ``statistic`` among share, mean, sd, quartiles, min and max, ``estimate``).

    Examples
    --------
    >>> f = pd.DataFrame({"variable": ["age", "age"], "statistic": ["mean", "sd"],
    ...                   "estimate": [43.2, 9.4]})
    >>> is_profile_table(f, ["variable", "statistic", "estimate"])
    True
    >>> is_profile_table(f.assign(statistic=["mean", "top2"]), ["variable", "statistic"])
    False
    """
    if not {"variable", "statistic", "estimate"} <= set(frame.columns) or \
            "statistic" not in columns or not len(frame):
        return False
    statistics = set(frame["statistic"].dropna().astype(str))
    return statistics <= _PROFILE_STATISTICS and bool(statistics & set(_PROFILE_LEADS))


def profile_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The rows of a profile table the page shows, and the median beside each.

    The page shows a category's share, and a number's mean (its median, when the table
    gives no mean), in the table's order; a number is one variable in one group (the
    columns before ``variable``, such as a table's ``department``). Rows are picked,
    never recomputed.

    Returns
    -------
    shown : ndarray of int
        Positions (``iloc``) of the rows shown, in the table's order.
    median : ndarray of int
        For each row shown, the position of the median row of its variable and group
        (``-1`` for a share, a number without a median, or a median shown itself).

    Examples
    --------
    >>> f = pd.DataFrame({"variable": ["g", "g", "age", "age", "age", "age", "age"],
    ...                   "statistic": ["share", "share", "mean", "sd", "q1", "median",
    ...                                 "q3"]})
    >>> shown, median = profile_rows(f)
    >>> shown.tolist(), median.tolist()
    ([0, 1, 2], [-1, -1, 5])
    """
    lead = list(frame.columns[: frame.columns.get_loc("variable") + 1])
    labels = frame[lead].astype(object)
    keys = list(labels.where(labels.notna(), None).itertuples(index=False, name=None))
    statistics = frame["statistic"].astype(object).tolist()
    means = {key: i for i, (key, stat) in enumerate(zip(keys, statistics)) if stat == "mean"}
    shown = [i for i, (key, stat) in enumerate(zip(keys, statistics))
             if stat in _PROFILE_LEADS or (stat == "median" and key not in means)]
    beside = {means[key]: i for i, (key, stat) in enumerate(zip(keys, statistics))
              if stat == "median" and key in means}
    return np.array(shown, dtype=int), np.array([beside.get(i, -1) for i in shown], dtype=int)


def profile_columns(columns: list[str], medians: np.ndarray | None = None) -> list[str]:
    """A profile's columns on the page: without the statistic's name and the count, and
    with the ``median`` after the ``estimate`` (unless ``medians``, the positions from
    :func:`profile_rows` of the rows shown, has none).

    Examples
    --------
    >>> profile_columns(["variable", "category", "statistic", "n", "count", "estimate", "ci"])
    ['variable', 'category', 'n', 'estimate', 'median', 'ci']
    >>> profile_columns(["variable", "statistic", "estimate"], np.array([-1, -1]))
    ['variable', 'estimate']
    """
    out = [c for c in columns if c not in _PROFILE_DROPPED]
    if medians is not None and not (np.asarray(medians) >= 0).any():
        return out
    at = out.index("estimate") + 1 if "estimate" in out else len(out)
    return [*out[:at], "median", *out[at:]]


def profile_medians(frame: pd.DataFrame, medians: np.ndarray, numeric: set,
                    cat: Catalogue) -> list[dict]:
    """The median's cell beside each profile row shown: the full table's median row's
    own estimate cell (:func:`reports.cell_wording.table_cell`: hidden there, hidden
    here); an empty cell beside a share.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"statistic": ["mean", "median", "median"], "estimate": [4.2, 4.0, None],
    ...                   "suppressed": [False, False, True]})
    >>> [c["text"] for c in profile_medians(f, np.array([1, -1, 2]), {"estimate"},
    ...                                     catalogue("en"))]
    ['4', '', '—']
    """
    cells = []
    for position in medians:
        if position < 0:
            cells.append({"text": "", "num": True, "hidden": False})
            continue
        row = dict(zip(frame.columns, frame.iloc[position].tolist()))
        cells.append(table_cell(row, "estimate", False, numeric, cat))
    return cells


def profile_headers(columns: list[str], headers: list[str], statistics: pd.Series,
                    cat: Catalogue) -> list[str]:
    """A profile's headings on the page: its estimate named for what the rows shown
    hold (a share, a mean, or either), and the median's column.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> profile_headers(["n", "estimate", "median"], ["n", "Estimate", "median"],
    ...                 pd.Series(["share", "mean"]), catalogue("en"))
    ['n', 'Share or mean', 'Median']
    """
    kinds = set(statistics.dropna().astype(str)) & set(_PROFILE_LEADS)
    key = ("report.profile_share" if kinds == {"share"} else "report.profile_mean"
           if kinds == {"mean"} else "report.profile_estimate")
    out = list(headers)
    if "estimate" in columns and kinds:
        out[columns.index("estimate")] = cat.text(key)
    if "median" in columns:
        out[columns.index("median")] = cat.text("report.profile_median")
    return out


def profile_note(frame: pd.DataFrame, cat: Catalogue) -> list[str]:
    """The note under a profile on the page: where the rows and columns it leaves out
    are (the count per category; for a number, its spread, quartiles and the median's
    interval), and whose interval the page shows.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"statistic": ["share", "share"], "count": [3, 4]})
    >>> profile_note(f, catalogue("en"))
    ['The number of answers per category is in the XLSX workbook and the CSV file.']
    """
    if set(frame["statistic"].dropna().astype(str)) != {"share"}:
        return [cat.text("report.profile_full_table")]
    return [cat.text("report.profile_full_table_shares")] if "count" in frame.columns else []


def source_files(prepared: list[Prepared]) -> dict[str, str]:
    """The pilot's source names -> the file each was read from, from the data-quality
    table (a source read from several files: their names, joined).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"source": ["agents", "agents"], "file": ["a.csv", "a.csv"]})
    >>> source_files([Prepared("quality", Table("s", f, "t"), f, "q")])
    {'agents': 'a.csv'}
    """
    files: dict[str, list[str]] = {}
    for name, file in quality_pairs(prepared, "file"):
        files.setdefault(name, [])
        if file not in files[name]:
            files[name].append(file)
    return {name: ", ".join(names) for name, names in files.items()}


def is_design_table(frame: pd.DataFrame) -> bool:
    """True for the survey design table (``source``, ``kind``, ``n``,
    ``population_size``).

    Examples
    --------
    >>> is_design_table(pd.DataFrame(columns=["source", "kind", "n", "population_size"]))
    True
    """
    return _DESIGN <= set(frame.columns)


def design_columns(columns: list[str]) -> list[str]:
    """The design table's columns without ``kind``: the source's cell names the
    population (``Agents``), which is what its kind says.

    Examples
    --------
    >>> design_columns(["source", "kind", "n"])
    ['source', 'n']
    """
    return [c for c in columns if c != "kind"]


def design_notes(frame: pd.DataFrame, columns: list[str], cat: Catalogue) -> list[str]:
    """The design table's note when no source has strata (its empty column is left
    out, but the table's title names strata).

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> design_notes(pd.DataFrame({"strata": [None]}), ["source"], catalogue("en"))
    ['Strata: none (no source is stratified).']
    """
    if "strata" in frame.columns and "strata" not in columns:
        return [cat.text("report.no_strata")]
    return []


def design_cells(rows: list[list[dict]], columns: list[str], frame: pd.DataFrame,
                 populations: dict[str, str], files: dict[str, str],
                 cat: Catalogue) -> None:
    """The design table's cells in words: a source as the population it describes
    (``populations``, else its kind's label) with its file beside it (``files``); a
    population size the pilot file does not give as "not given".

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"source": ["agents"], "kind": ["agent"], "population_size": [None]})
    >>> rows = [[{"text": "agents"}, {"text": ""}]]
    >>> design_cells(rows, ["source", "population_size"], f, {}, {"agents": "a.csv"},
    ...              catalogue("fr"))
    >>> rows[0][0]["text"], rows[0][0]["detail"], rows[0][1]["text"]
    ('Agents', 'a.csv', 'non donnée')
    """
    at = {c: columns.index(c) for c in ("source", "population_size") if c in columns}
    names = frame["source"].tolist()
    kinds = frame["kind"].tolist()
    sizes = frame["population_size"].tolist()
    for row, name, kind, size in zip(rows, names, kinds, sizes):
        if "source" in at and isinstance(name, str):
            label = populations.get(name) or (cat.value("kind", kind)
                                              if isinstance(kind, str) else name)
            cell = row[at["source"]]
            cell.update(text=label, detail=files.get(name, ""))
        size_cell = row[at["population_size"]] if "population_size" in at else None
        if size_cell is not None and is_missing(size) and not size_cell.get("hidden"):
            size_cell.update(text=cat.text("report.not_given"))


def named_sources(frame: pd.DataFrame, columns: list[str],
                  populations: dict[str, str]) -> tuple[pd.DataFrame, list[str]]:
    """The sources of a table that gives their kinds (data quality, survey design) as
    the populations they describe (``agents`` -> ``Agents``), without the ``kind``
    column that said the same in other words; other tables unchanged.

    Examples
    --------
    >>> f = pd.DataFrame({"source": ["agents"], "kind": ["agent"], "file": ["a.csv"]})
    >>> frame, columns = named_sources(f, ["source", "kind", "file"], {"agents": "Agents"})
    >>> frame["source"].tolist(), columns
    (['Agents'], ['source', 'file'])
    """
    if not {"source", "kind"} <= set(frame.columns) or not populations:
        return frame, columns
    named = frame["source"].map(lambda v: populations.get(v, v) if isinstance(v, str) else v)
    return frame.assign(source=named), [c for c in columns if c != "kind"]


def growth_notes(frame: pd.DataFrame, places: dict[str, str], cat: Catalogue) -> list[str]:
    """The notes under a growth table: how growth is taken (between full years), the
    places with a single full year (no growth) and the places with none (not in the
    table), by name. A table that is not one of growth per place has none.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"place_id": ["P1", "P2"], "first_year": [2015, 2016],
    ...                   "last_year": [2016, 2016]})
    >>> notes = growth_notes(f, {"P1": "Hub", "P2": "Lab", "P3": "Den"}, catalogue("en"))
    >>> notes[1:]
    ['Only one full year, so no yearly change: Lab.', 'No full year, so not in the table: Den.']
    """
    if not _GROWTH <= set(frame.columns):
        return []
    ids = frame["place_id"].astype(str)
    # a year hidden by suppression (or undefined) says nothing: not "one full year"
    same = pd.Series(frame["first_year"] == frame["last_year"], index=frame.index)
    single = ids[same.astype("boolean").fillna(False).to_numpy(dtype=bool)]
    absent = [p for p in places if p not in set(ids)]
    notes = [cat.text("report.growth_full_years")]
    for key, group in (("report.growth_one_year", single), ("report.growth_no_year", absent)):
        if len(group):
            named = [places.get(p, p) for p in group]
            notes.append(cat.text(key, places=", ".join(named)))
    return notes


def p_values_hidden_elsewhere(rows: list[list[dict]], columns: list[str], frame: pd.DataFrame,
                           cat: Catalogue) -> list[str]:
    """Mark "†" the hidden p-values of the variables whose figures on the page are all
    published (the test was withheld for a quartile, a bound or a count left to the
    files) and return the note saying so; "*" stays on a p-value beside a hidden cell.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> frame = pd.DataFrame({"variable": ["age", "age", "sex"]})
    >>> cell = lambda text, hidden: {"text": text, "hidden": hidden}
    >>> rows = [[cell("37", False), cell("—", True)], [cell("36", False), cell("—", True)],
    ...         [cell("—", True), cell("—", True)]]
    >>> len(p_values_hidden_elsewhere(rows, ["estimate", "p_adjusted"], frame, catalogue("en")))
    1
    >>> [[c.get("mark", "*") for c in r] for r in rows]
    [['*', '†'], ['*', '†'], ['*', '*']]
    """
    at = [columns.index(c) for c in _P_VALUES if c in columns]
    if not at or "variable" not in frame.columns or len(frame) != len(rows) or not rows:
        return []
    others = [j for j in range(len(columns)) if j not in at]
    told = pd.Series([any(row[j]["hidden"] for j in others) for row in rows])
    variables = frame["variable"].astype(object).fillna("").reset_index(drop=True)
    explained = told.groupby(variables, sort=False).transform("any").to_numpy()
    marked = False
    for row, seen in zip(rows, explained):
        for j in at:
            if not seen and row[j]["hidden"]:
                row[j]["mark"] = _ELSEWHERE_MARK
                marked = True
    return [f"{_ELSEWHERE_MARK} {cat.text('report.test_hidden_elsewhere')}"] if marked else []


def curve_stops(frame: pd.DataFrame, cat: Catalogue) -> list[str]:
    """The sentence under a survival curve whose level is hidden from some month on while
    people are still followed: "beyond 4 months the curve is not published" (a section
    whose curve stops at once otherwise explains columns of a table it does not print:
    editorial review 12b, item 8). Empty for a curve published to its end.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"time": [0.0, 1.0, 2.0, 3.0], "at_risk": [9, 9, None, 0],
    ...                   "survival": [1.0, 1.0, None, None]})
    >>> curve_stops(f, catalogue("en"))
    ['Beyond 1 month the curve is not published: too few departures to draw it without risk of pointing at someone (statistical confidentiality).']
    >>> curve_stops(f.assign(survival=[1.0, 1.0, 0.5, 0.5]), catalogue("en"))
    []
    """
    if not {"time", "survival"} <= set(frame.columns) or not len(frame):
        return []
    data = frame.sort_values("time")
    level = data["survival"].to_numpy(dtype=float)
    shown = np.flatnonzero(np.isfinite(level))
    last = int(shown[-1]) if len(shown) else -1
    after = data.iloc[last + 1:]
    if not len(after):
        return []
    if "at_risk" in after.columns:   # still someone followed (or a hidden count)
        at_risk = pd.to_numeric(after["at_risk"], errors="coerce")
        if not (at_risk.isna() | at_risk.gt(0)).any():
            return []
    if last < 0:
        return [cat.text("report.curve_hidden")]
    months = float(data["time"].iloc[last])
    key = "report.curve_stops_1" if months == 1 else "report.curve_stops"
    return [cat.text(key, months=format_value(months, "time", cat.lang))]


def label_columns(leading: list[bool], rows: list[list[dict]] | None = None,
                  widest: int = 3) -> int:
    """How many label columns (variable, group, category) a table's rows start with, for
    the page to keep them all in view on a phone; 0 for a table of one label column,
    of labels only, or of more than ``widest`` (they would fill the screen). A label
    column at the end of them that says the same on every row of ``rows`` (the formatted
    cells: "Satisfied (4-5)") is not counted: scrolled, it would tell no row apart.

    Examples
    --------
    >>> label_columns([True, True, False, False]), label_columns([True, False])
    (2, 0)
    >>> label_columns([True] * 4 + [False])
    0
    >>> rows = [[{"text": t} for t in r] for r in (["A", "x", "top", "1"], ["B", "y", "top", "2"])]
    >>> label_columns([True, True, True, False], rows)
    2
    """
    lead = next((j for j, label in enumerate(leading) if not label), len(leading))
    if lead >= len(leading):
        return 0
    while rows and len(rows) > 1 and lead > 1 and \
            len({row[lead - 1]["text"] for row in rows}) == 1:
        lead -= 1
    return lead if 2 <= lead <= widest else 0
