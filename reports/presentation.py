"""What a published table shows, and how its cells read, in the report's language.

The HTML page and the XLSX workbook show the same tables: the columns a reader needs
(detail and bookkeeping columns stay in the CSV files), codes and names as labels from
the message catalogue, a baseline's texts in the report's language, a comparison's pilot
source as the population it describes, and its verdict. This module decides those; the
HTML (:mod:`reports.html`) and the workbook (:mod:`reports.workbook_view`) lay them out.

Texts arrive in the analysis' language and are shown in the report's: codes and names
through the message catalogue (``values.<column>.<code>``); a baseline's ``publisher``,
``population`` and ``note`` from their French column ``<name>_fr``, which the analysis
carries next to them (``analysis.baselines`` and ``analysis.compare_baseline``); the
sources of the impact model's parameters from ``impact.parameter_source.<parameter>``,
used only when the analysis wrote the text the English catalogue holds (an override or
another parameter set is shown as written).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reports.formatting import is_missing
from reports.i18n import Catalogue, catalogue
from reports.suppression import HIDDEN_CELLS, SUPPRESSED, numeric_columns
from surveys.reason_text import reason_in_language

__all__ = ["Prepared", "share_mask", "verdict_key", "is_comparison", "shown_columns",
           "cell_label", "localised", "named_populations", "pilot_populations",
           "pilot_kinds", "quality_pairs", "table_kind", "p_values_where_tested",
           "filled_columns", "published_rows", "page_filter", "given_fractions", "INTERVALS"]

#: Statistics that are never shares, whatever a table's share columns say.
_NOT_SHARES = ["mean", "sd", "q1", "median", "q3", "min", "max", "alpha", "sum", "total"]
#: Rows that do not carry the variable's test between groups: never the spread within
#: each group; and the quartiles, since the test is written once, on the mean's row
#: (the analysis repeats it on every row of the variable).
_UNTESTED = ["sd", "q1", "median", "q3"]
#: Statistics of a satisfaction table (``analysis.likert``'s summary rows).
_LIKERT_SUMMARY = frozenset({"mean", "top2", "bottom2", "net"})
#: The rows the page prints of a whole-population satisfaction table: a question's mean
#: and its share satisfied, as the tables by group print their share satisfied.
_LIKERT_PAGE = {"statistic": ["mean", "top2"]}
#: Threshold on the (adjusted) p-value for calling a difference clear.
_CLEAR = 0.05
#: The beginnings of :func:`analysis.compare_baseline`'s English verdicts -> their keys.
_WRITTEN_VERDICTS = {"higher than": "verdict.higher", "lower than": "verdict.lower",
                     "no detectable difference": "verdict.similar"}
#: Columns kept out of HTML tables (in CSV/XLSX and, for methods, in the appendix).
_HIDDEN = {"se", "df", "method", "test", "verdict", SUPPRESSED, "reference", "cell_count",
           HIDDEN_CELLS}
#: Columns left out of the HTML only: bookkeeping, analysis-language text, detail bounds.
_DETAIL = {"unweighted_share", "missing", "n_missing", "nonsubstantive", "test_statistic",
           "df_denominator", "compared", "distribution", "seed_file", "note", "fallback",
           "difference_ci_low", "difference_ci_high", "population_se", "label_fr",
           "label_en", "verdict_fr", "verdict_en", "reference_note"}
#: Columns the page writes as one interval cell -> their bounds.
INTERVALS = {"ci": ("ci_low", "ci_high"),
             "population_ci": ("population_ci_low", "population_ci_high")}
#: Columns of a figure a reference or a model published, written as given.
_GIVEN = ("value", "baseline")
#: A given share with more decimals than this is a fraction (« un tiers »: 0.333…), not a
#: figure the source printed (0.455, 0.00125).
_GIVEN_DECIMALS = 6
#: Baseline texts given as written, with a French version in ``<name>_fr``.
_TRANSLATED = ("publisher", "population", "note", "compared", "reference_note")


@dataclass
class Prepared:
    """A table ready to publish: suppressed, stripped of private columns."""

    section: str
    table: object  # analysis.Table
    data: pd.DataFrame
    stem: str
    figure_svg: str | None = None
    files: list[str] = field(default_factory=list)


def share_mask(table, frame: pd.DataFrame) -> np.ndarray:
    """Rows whose ``share_columns`` hold shares (all rows unless ``share_rows`` says).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"statistic": ["mean", "top2"], "estimate": [3.9, 0.6]})
    >>> t = Table("l", f, "t", share_columns=["estimate"], share_rows={"statistic": ["top2"]})
    >>> share_mask(t, f).tolist()
    [False, True]

    Without ``share_rows``, rows whose ``statistic`` names a mean, a spread or a
    quantile are never shown as percentages.
    """
    mask = np.ones(len(frame), dtype=bool)
    for column, values in (table.share_rows or {}).items():
        if column in frame.columns:
            mask &= frame[column].isin(values).to_numpy(dtype=bool)
    if table.share_rows is None and "statistic" in frame.columns:
        mask &= ~frame["statistic"].isin(_NOT_SHARES).to_numpy(dtype=bool)
    return mask


def verdict_key(row: pd.Series) -> str:
    """Catalogue key of the plain-language verdict of one baseline comparison row.

    Examples
    --------
    >>> verdict_key(pd.Series({"estimate": 0.6, "baseline": 0.4, "p_adjusted": 0.01}))
    'verdict.higher'
    >>> verdict_key(pd.Series({"estimate": 0.41, "baseline": 0.4, "p_adjusted": 0.7}))
    'verdict.similar'

    The verdict :func:`analysis.compare_baseline` wrote (``verdict_en``) is the one
    given: within a distribution found different, a category is called higher or lower
    only when its own interval excludes the published share.

    >>> verdict_key(pd.Series({"estimate": 0.39, "baseline": 0.35, "p_adjusted": 1e-6,
    ...                        "verdict_en": "no detectable difference"}))
    'verdict.similar'
    """
    if bool(row.get(SUPPRESSED, False)) or is_missing(row.get("estimate")):
        return "verdict.too_few"
    p_value = row.get("p_adjusted")
    if is_missing(p_value):
        p_value = row.get("p_value")
    if is_missing(p_value) or is_missing(row.get("baseline")):
        return "verdict.untested"
    written = row.get("verdict_en")
    if isinstance(written, str):
        for start, key in _WRITTEN_VERDICTS.items():
            if written.startswith(start):
                return key
    if float(p_value) >= _CLEAR:
        return "verdict.similar"
    above = float(row["estimate"]) > float(row["baseline"])
    return "verdict.higher" if above else "verdict.lower"


def is_comparison(frame: pd.DataFrame) -> bool:
    """A table of baseline comparisons (one row per indicator against a reference)."""
    return {"indicator", "estimate", "baseline"} <= set(frame.columns)


def shown_columns(frame: pd.DataFrame, lang: str) -> list[str]:
    """Columns shown in the HTML: ``ci_low``/``ci_high`` merged into ``ci``, the
    ``label_<lang>`` column in place of ``indicator``, detail columns left to the CSV."""
    numeric = set(numeric_columns(frame))
    hidden = set(_HIDDEN) | _DETAIL
    if "p_adjusted" in frame.columns:
        hidden |= {"p_value", "effect_size", "effect_size_name"}
    if "population_estimate" in frame.columns and frame["population_estimate"].notna().any():
        # an impact extrapolated to the population: the page gives the population's total
        # (the cards' figure), the respondents' own total stays in the CSV file
        hidden |= {"estimate", "ci_low", "ci_high"}
    if is_comparison(frame):
        hidden |= {"difference", "unit", "count"}  # the unit goes with the numbers (49,5 km);
        # the count behind a share is in the CSV and workbook (the page has no room)
    shown = [c for c in frame.columns
             if c not in hidden and not (c == "statistic" and c in numeric)]
    label = f"label_{lang}"
    if label in frame.columns and "indicator" in shown:
        shown[shown.index("indicator")] = label
    if "test" in frame.columns and _identifies(frame, shown, numeric):
        keys = [c for c in shown if c not in numeric]
        shown.insert(shown.index(keys[-1]) + 1, "test")
    for name, (low, high) in INTERVALS.items():
        if {low, high} <= set(shown):
            shown[shown.index(low)] = name
            shown.remove(high)
    if is_comparison(frame):
        shown.append("verdict")
    return _variable_first(frame, shown, numeric)


def p_values_where_tested(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its p-values emptied on the rows no test is about: a test between
    groups compares their levels or distributions, so a standard deviation's row carries
    no p-value of its own, and the variable's test is written once, on its mean's row
    (the analysis repeats it on every row). The CSV and XLSX files keep the analysis'
    columns.

    Examples
    --------
    >>> f = pd.DataFrame({"statistic": ["mean", "sd"], "p_adjusted": [0.4, 0.4]})
    >>> p_values_where_tested(f)["p_adjusted"].tolist()
    [0.4, nan]
    """
    if "statistic" not in frame.columns:
        return frame
    tested = [c for c in ("p_value", "p_adjusted") if c in frame.columns]
    untested = frame["statistic"].isin(_UNTESTED).to_numpy(dtype=bool)
    if not tested or not untested.any():
        return frame
    return frame.assign(**{c: frame[c].astype(float).mask(untested) for c in tested})


def filled_columns(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """The ``columns`` that hold a value on some row of ``frame``: a column empty in the
    whole table (no test in a single-group profile, no interval on a Turnbull curve,
    no strata in any source) says nothing and is left out of the page. ``ci`` stands
    for ``ci_low`` and ``ci_high``. Kept even when empty: a column the page makes
    (``verdict``), and the columns it words where a value is missing (an ``estimate``
    "not reached" or "not observed", a quantile's interval "9 or more").

    Examples
    --------
    >>> f = pd.DataFrame({"item": ["a", "b"], "strata": [None, None], "ci_low": [0.1, None],
    ...                   "ci_high": [0.3, None], "p_adjusted": [float("nan")] * 2})
    >>> filled_columns(f, ["item", "strata", "ci", "p_adjusted", "verdict"])
    ['item', 'ci', 'verdict']
    """
    worded = {"verdict", "estimate"} | ({"ci"} if "probability" in frame.columns else set())

    def filled(column: str) -> bool:
        names = list(INTERVALS.get(column, [column]))
        if column in worded or not set(names) <= set(frame.columns):
            return True
        for name in names:
            values = frame[name]
            empty = values.isna()
            if values.dtype == object:
                empty |= values.astype(str).str.strip().eq("")
            if not empty.all():
                return True
        return False
    return [c for c in columns if filled(c)] if len(frame) else columns


def _variable_first(frame: pd.DataFrame, shown: list[str], numeric: set) -> list[str]:
    """A breakdown's ``variable`` (or ``item``) column moved before its group columns
    when the rows come variable by variable, so that each variable heads its rows once.

    Examples
    --------
    >>> f = pd.DataFrame({"manager": ["no", "yes", "no"], "variable": ["sex", "sex", "age"],
    ...                   "n": [3, 4, 5]})
    >>> _variable_first(f, ["manager", "variable", "n"], {"n"})
    ['variable', 'manager', 'n']
    """
    for lead in ("variable", "item"):
        if lead not in shown:
            continue
        at = shown.index(lead)
        if at == 0 or any(c in numeric for c in shown[:at]):
            return shown
        codes = pd.factorize(frame[lead])[0]
        runs = 1 + int(np.count_nonzero(codes[1:] != codes[:-1])) if len(codes) else 0
        if runs == len(set(codes.tolist())):  # each variable's rows are together
            return [lead] + shown[:at] + shown[at + 1:]
        return shown
    return shown


def _identifies(frame: pd.DataFrame, shown: list[str], numeric: set) -> bool:
    """True when the ``test`` column tells apart rows the shown text columns do not (two
    tests of one item, each with its own estimate): the HTML then shows it.

    Examples
    --------
    >>> f = pd.DataFrame({"item": ["a", "a"], "test": ["wilcoxon", "mcnemar"], "n": [3, 3]})
    >>> _identifies(f, ["item", "n"], {"n"}), _identifies(f.head(1), ["item", "n"], {"n"})
    (True, False)
    """
    keys = [c for c in shown if c not in numeric]
    if not keys:
        return False
    return bool(frame.duplicated(keys).any()) and not frame.duplicated([*keys, "test"]).any()


def cell_label(row: pd.Series, column: str, value: str, cat: Catalogue) -> str:
    """The label of a text cell; a ``category`` is labelled as a code of its ``variable``,
    a ``variable`` named ``<name>__<option>`` as the option of a multiple choice."""
    if column == "category" and isinstance(row.get("variable"), str):
        variable = row["variable"]
        label = cat.value(variable.split("__", 1)[0], value)
        if label != value or "__" in variable:
            return label
    if column in ("variable", "item") and "__" in value:
        name, option = value.split("__", 1)
        return cat.text("report.option", variable=cat.value(column, name),
                        option=cat.value(name, option))
    if column == "source_id":
        return cat.value("source", value)
    if column == "test":  # a method, or why no test was made ("none: fewer than two groups")
        label = cat.value("method", value)
        return label if label != value else cat.typeset(reason_in_language(value, cat.lang))
    if column == "source" and isinstance(row.get("parameter"), str):
        return _parameter_source(row["parameter"], value, cat)
    if column == "detail" and row.get("measure") == "nonsubstantive":  # the row's own source
        kind = row.get("kind")
        return cat.for_kind(kind if isinstance(kind, str) else None).value("variable", value)
    if column == "detail" and row.get("measure") != "problems":  # why rows were set aside
        return cat.typeset(reason_in_language(value, cat.lang))
    return cat.value(column, value)


def _parameter_source(parameter: str, text: str, cat: Catalogue) -> str:
    """Where an impact parameter comes from, in the report's language.

    The catalogue's ``impact.parameter_source.<parameter>`` replaces the analysis' text
    only when that text is the one the English catalogue holds; an ``override`` is named
    as such, and any other text (a user's own parameter set) is shown as written.

    Examples
    --------
    >>> en = catalogue("en").text("impact.parameter_source.commute_km")
    >>> _parameter_source("commute_km", en, catalogue("fr"))[-57:]
    '26 km par trajet (valeur retenue quand la réponse manque)'
    >>> _parameter_source("commute_km", "override", catalogue("fr"))
    "Valeur donnée par l'utilisateur"
    >>> _parameter_source("commute_km", "my survey, 2024", catalogue("fr"))
    'my survey, 2024'
    """
    key = f"impact.parameter_source.{parameter}"
    if cat.has(key) and text == catalogue("en").text(key):
        return cat.text(key)
    if text == "override":
        return cat.text("impact.override")
    return text


def localised(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``publisher``, ``population``, ``note`` and ``compared`` in ``lang``; ``<name>_fr``
    columns dropped; booleans of the shown text columns as labels (``Oui``, ``Non``).

    French takes ``<name>_fr``, else the text as given (a user's own text); English
    takes ``<name>``, else ``<name>_fr``. A boolean category or group (``manager``
    true or false) reads as the catalogue's ``values.boolean.true``/``false``, as
    other categories read as their labels; numbers and hidden columns are unchanged.

    Examples
    --------
    >>> f = pd.DataFrame({"population": ["teleworkers (France)", "agents du Calvados"],
    ...                   "population_fr": ["télétravailleurs (France)", None]})
    >>> localised(f, "fr")["population"].tolist()
    ['télétravailleurs (France)', 'agents du Calvados']
    >>> g = pd.DataFrame({"population": [None], "population_fr": ["agents"]})
    >>> localised(g, "en").columns.tolist(), localised(g, "en")["population"].tolist()
    (['population'], ['agents'])
    >>> localised(pd.DataFrame({"category": [False, "F", 1]}), "fr")["category"].tolist()
    ['Non', 'F', 1]
    """
    frame = _boolean_labels(frame, lang)
    names = [n for n in _TRANSLATED if n in frame.columns or f"{n}_fr" in frame.columns]
    if not names:
        return frame
    frame = frame.copy()
    empty = pd.Series(None, index=frame.index, dtype=object)
    for name in names:
        french_name = f"{name}_fr"
        position = min(frame.columns.get_loc(c) for c in (name, french_name)
                       if c in frame.columns)
        given = frame.pop(name) if name in frame.columns else empty
        french = frame.pop(french_name) if french_name in frame.columns else empty
        given, french = given.astype(object), french.astype(object)
        if lang == "fr":
            text = french.where(french.notna(), given)
        else:
            text = given.where(given.notna(), french)
        frame.insert(min(position, len(frame.columns)), name, text)
    return frame


def _boolean_labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with the booleans of its shown, non-numeric columns replaced by their
    labels; a copy only when some column changes.

    A value is a boolean by its type (``True``, never the code ``1``, which compares
    equal to it).
    """
    cat = catalogue(lang)
    labels = (cat.text("values.boolean.false"), cat.text("values.boolean.true"))
    numeric = set(numeric_columns(frame))
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if (column in numeric or column in _HIDDEN or column in _DETAIL
                or pd.api.types.is_datetime64_any_dtype(values.dtype)):
            continue
        values = values.astype(object)
        mask = values.map(type).isin((bool, np.bool_)).to_numpy(dtype=bool)
        if mask.any():
            text = values.to_numpy(copy=True)
            text[mask] = [labels[bool(v)] for v in text[mask]]
            changed[column] = pd.Series(text, index=frame.index, dtype=object)
    if not changed:
        return frame
    frame = frame.copy()
    for column, text in changed.items():
        frame[column] = text
    return frame


def named_populations(frame: pd.DataFrame, populations: dict[str, str]) -> pd.DataFrame:
    """A baseline comparison's ``source`` (the pilot's source name) as the population it
    describes (:func:`_populations`); other tables unchanged.

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": ["m"], "estimate": [.2], "baseline": [.3],
    ...                   "source": ["agents"]})
    >>> named_populations(f, {"agents": "Agents"})["source"].tolist()
    ['Agents']
    """
    if not populations or "source" not in frame.columns or not is_comparison(frame):
        return frame
    named = frame["source"].map(lambda v: populations.get(v, v) if isinstance(v, str) else v)
    return frame.assign(source=named)


def pilot_kinds(prepared: list[Prepared]) -> dict[str, str]:
    """The pilot's source names -> their kinds, from the data-quality table.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"source": ["users", "users"], "kind": ["thirdplace", "thirdplace"]})
    >>> pilot_kinds([Prepared("quality", Table("s", f, "t"), f, "q")])
    {'users': 'thirdplace'}
    """
    kinds: dict[str, str] = {}
    for name, kind in quality_pairs(prepared, "kind"):
        kinds.setdefault(name, kind)
    return kinds


def quality_pairs(prepared: list[Prepared], column: str) -> list[tuple[str, str]]:
    """The distinct (source name, ``column`` value) pairs of the data-quality table, in
    order (a source's kind, the file it was read from).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"source": ["a", "a", "b"], "file": ["a.csv", "a.csv", "b.csv"]})
    >>> quality_pairs([Prepared("quality", Table("s", f, "t"), f, "q")], "file")
    [('a', 'a.csv'), ('b', 'b.csv')]
    """
    pairs: list[tuple[str, str]] = []
    for item in prepared:
        frame = item.data
        if item.section == "quality" and {"source", column} <= set(frame.columns):
            found = frame[["source", column]].dropna().astype(str).drop_duplicates()
            pairs += list(zip(found["source"], found[column]))
    return pairs


def table_kind(key: str, kinds: dict[str, str]) -> str | None:
    """The kind of the source a table is about, from its key (``users_items_by_status``
    is about the source ``users``); None for a table of several sources or of none.

    Examples
    --------
    >>> table_kind("users_items_by_status", {"users": "thirdplace", "us": "agent"})
    'thirdplace'
    >>> table_kind("comparisons", {"users": "thirdplace"}) is None
    True
    """
    names = [n for n in kinds if key == n or key.startswith(f"{n}_")]
    return kinds[max(names, key=len)] if names else None


def pilot_populations(prepared: list[Prepared], cat: Catalogue) -> dict[str, str]:
    """The pilot's source names -> the population they describe (``agents`` ->
    ``Agents``), from the kinds the data-quality table gives each source.

    Two sources of one kind are told apart by their names; a source of unknown kind
    is named as written.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"source": ["a15", "a16", "shops"], "kind": ["agent", "agent", "company"]})
    >>> pilot_populations([Prepared("quality", Table("s", f, "t"), f, "q")], catalogue("fr"))
    {'a15': 'Agents (a15)', 'a16': 'Agents (a16)', 'shops': 'Entreprises'}
    """
    labels = {name: cat.value("kind", kind) for name, kind in pilot_kinds(prepared).items()}
    shared = pd.Series(labels, dtype=object).duplicated(keep=False) if labels else {}
    return {name: f"{label} ({name})" if shared[name] else label
            for name, label in labels.items()}


def published_rows(frame: pd.DataFrame | None,
                   columns: str | Sequence[str] = "estimate") -> pd.DataFrame:
    """The rows of a suppressed table whose ``columns`` are all published (the row not
    suppressed, none of them missing); an empty frame without the table or a column.

    Examples
    --------
    >>> f = pd.DataFrame({"estimate": [0.4, None, 0.7], "p_value": [0.01, 0.2, None],
    ...                   "suppressed": [False, False, True]})
    >>> published_rows(f).index.tolist(), published_rows(f, ["estimate", "p_value"]).index.tolist()
    ([0], [0])
    """
    names = [columns] if isinstance(columns, str) else list(columns)
    if frame is None or not set(names) <= set(frame.columns):
        return pd.DataFrame()
    kept = frame[names].notna().all(axis=1)
    if "suppressed" in frame.columns:
        kept &= ~frame["suppressed"].fillna(False).astype(bool)
    return frame[kept]


def page_filter(table, frame: pd.DataFrame) -> dict[str, list]:
    """The rows of a table the HTML page prints, as ``{column: values kept}``: the
    table's own ``html_filter``; else, for a satisfaction table (one row per question
    and statistic: mean, satisfied, dissatisfied, balance), its mean and share satisfied,
    and the dissatisfied shares and balances only where none of them is hidden. Those
    rest on the few unhappy answers and were mostly "—*" on the page (editorial review
    12b, item 6); the XLSX workbook and the CSV file keep every row, and the page says so.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"item": ["q"] * 4, "statistic": ["mean", "top2", "bottom2", "net"],
    ...                   "estimate": [3.9, 0.6, None, None]})
    >>> page_filter(Table("agents_items", f, "t"), f)
    {'statistic': ['mean', 'top2']}
    >>> page_filter(Table("users_items", f, "t"), f.assign(estimate=[3.9, 0.6, 0.1, 0.5]))
    {}
    >>> page_filter(Table("t", f, "t", html_filter={"statistic": ["top2"]}), f)
    {'statistic': ['top2']}
    """
    if table.html_filter is not None:
        return dict(table.html_filter)
    if not {"item", "statistic"} <= set(frame.columns):
        return {}
    statistics = frame["statistic"].astype(object)
    if not set(statistics.dropna()) <= _LIKERT_SUMMARY:
        return {}
    hidden = frame["estimate"].isna() if "estimate" in frame.columns else \
        pd.Series(False, index=frame.index)
    if SUPPRESSED in frame.columns:
        hidden |= frame[SUPPRESSED].fillna(False).astype(bool)
    kept = set(_LIKERT_PAGE["statistic"])
    dropped = set(statistics[hidden.to_numpy() & ~statistics.isin(kept).to_numpy()].dropna())
    if not dropped:
        return {}
    return {"statistic": [s for s in ("mean", "top2", "bottom2", "net") if s not in dropped]}


def given_fractions(table, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each published share given as a fraction (a source's « un tiers »,
    stored 0.3333…) rounded to its whole percentage: a figure a reference or a model
    published (``value``, ``baseline``) is written as given, with its own decimals
    (45,5 %, 2,6 %), but « 33,33 % » claims a precision the source never gave (fact-check
    13, item 7; the catalogue's note says how it was published). The page, the workbook
    and the CSV file all apply it, so that the three give the same figure.

    A share is a fraction when it needs more than six decimals (a division's repeating
    digits); one of at least 1 % is then rounded, a smaller one is left as given (it
    would read 0 %). Other values, and rows that are not shares (``share_mask``), are
    unchanged.

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> f = pd.DataFrame({"unit": ["share", "share", "share", "km"],
    ...                   "value": [1 / 3, 0.455, 0.00125, 1 / 3]})
    >>> t = Table("s", f, "t", share_columns=["value"], share_rows={"unit": ["share"]})
    >>> given_fractions(t, f)["value"].round(6).tolist()
    [0.33, 0.455, 0.00125, 0.333333]
    """
    names = [c for c in _GIVEN if c in frame.columns and c in set(table.share_columns)]
    if not names or not len(frame):
        return frame
    shares = share_mask(table, frame)
    changed = {}
    for name in names:
        number = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            fraction = shares & np.isfinite(number) & (np.abs(number) >= 0.01) & (
                np.abs(number - np.round(number, _GIVEN_DECIMALS)) > 1e-12)
        if fraction.any():
            changed[name] = pd.Series(np.where(fraction, np.round(number, 2), number),
                                      index=frame.index)
    return frame.assign(**changed) if changed else frame
