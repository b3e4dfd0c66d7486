"""Open lists' rare labels, folded into one "other" category before anything is published.

An open categorical variable (a codebook ``categorical`` without codes: agents'
``service`` and ``department``, companies' ``department``, third-place users' ``field``)
takes its categories from the data: every value typed in the file becomes a row label
of the report, published even where the row's figures are hidden. A label given by one
to a few people says that those people took part, and a value typed with a name
("Cabinet du Président (Claire Dupuis)") publishes the name. So a label given by fewer
than ``min_cell`` respondents of the source (every wave together, distinct respondents
counted) is never published: :func:`fold_rare` folds those values into one category,
:func:`other_label` ("Other (fewer than 5 answers each)"; the report writes it in its
language), before the analysis, so that their rows still count and the folded group is
itself hidden by the usual rules when it is small. :func:`rare_labels` lists them for
``bilan validate`` (the operator's console, never the report), so that they can be
recoded in the pilot file. ``surveys.read`` keeps the raw values (a notebook user's
``Survey.data``); :func:`analysis.evaluate` uses the folded ones everywhere.

Spellings of one label that differ only by case or spacing ("Ressources humaines",
"ressources  humaines") are one label (:func:`merge_spellings`): counted together
before the rare ones are folded, published once, in the commonest spelling.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import numpy as np
import pandas as pd

from surveys.notes import Note

__all__ = ["OTHER", "other_label", "open_columns", "rare_labels", "fold_rare", "fold_margins",
           "spelling_key", "merge_spellings"]

#: The folded category's code (English, as in the CSV files); the report's catalogue
#: writes it in the report's language (``values.open_other``).
OTHER = "Other (fewer than {min_cell} answers each)"
#: Kinds of source whose rows are people (whose labels say who took part).
_PEOPLE = ("agent", "company", "thirdplace")


def other_label(min_cell: int) -> str:
    """The code of the folded category for ``min_cell``.

    Examples
    --------
    >>> other_label(5)
    'Other (fewer than 5 answers each)'
    """
    return OTHER.format(min_cell=int(min_cell))


def open_columns(survey) -> list[str]:
    """The open categorical columns of a people's source (codebook order).

    Examples
    --------
    >>> import surveys
    >>> s = surveys.read(pd.DataFrame({"id": ["a", "b"], "Service": ["RH", "DSI"],
    ...                                "Sexe": ["F", "M"]}), "agent")
    >>> open_columns(s)
    ['service']
    """
    if survey.kind not in _PEOPLE:
        return []
    return [name for name, var in survey.codebook.variables.items()
            if var.type in ("categorical", "ordinal") and not var.codes
            and name in survey.data and isinstance(survey.data[name].dtype, pd.CategoricalDtype)]


def spelling_key(label) -> str:
    """What two spellings of one label share: the text case-folded, its spaces (any
    white space, no-break ones too) trimmed and collapsed, accents composed alike.

    Examples
    --------
    >>> spelling_key(" Ressources\u00a0 Humaines ") == spelling_key("ressources humaines")
    True
    """
    return " ".join(unicodedata.normalize("NFC", str(label)).split()).casefold()


def merge_spellings(values: pd.Series) -> pd.Series:
    """An open list's categories with the spellings of one label merged into one
    category, named after its commonest spelling (most rows; a tie goes to the first in
    the categories' order), in the categories' order.

    Parameters
    ----------
    values : Series
        A categorical column.

    Returns
    -------
    Series
        The same Series when no two categories share a :func:`spelling_key`; else a
        categorical on the same index whose categories are the labels kept.

    Notes
    -----
    Only the categories are looked at (a few hundred at most), the rows through their
    codes: counting the spellings is one ``bincount``.

    Examples
    --------
    >>> s = pd.Series(["Ressources humaines"] * 2 + ["ressources  humaines", "DSI"],
    ...               dtype="category")
    >>> merge_spellings(s).tolist(), list(merge_spellings(s).cat.categories)
    (['Ressources humaines', 'Ressources humaines', 'Ressources humaines', 'DSI'], \
['DSI', 'Ressources humaines'])
    """
    categories = values.cat.categories
    keys = pd.Index([spelling_key(c) for c in categories])
    if keys.is_unique:
        return values
    codes = values.cat.codes.to_numpy()
    rows = np.bincount(codes[codes >= 0], minlength=len(categories))
    group, firsts = pd.factorize(keys)  # each category's label, in the categories' order
    # the commonest spelling of each label: most rows, then the first one
    order = np.lexsort((np.arange(len(categories)), -rows, group))
    first = np.r_[True, group[order][1:] != group[order][:-1]]
    published = np.empty(len(firsts), dtype=object)
    published[group[order][first]] = np.asarray(categories, dtype=object)[order][first]
    new = np.where(codes >= 0, group[np.maximum(codes, 0)], -1)
    merged = pd.Categorical.from_codes(new, categories=pd.Index(published, dtype=object),
                                       ordered=values.cat.ordered)
    return pd.Series(merged, index=values.index, name=values.name)


def _person(survey) -> str | None:
    """The column identifying a respondent across waves (None: each row is one)."""
    for name in survey.codebook.key:
        var = survey.codebook.variables.get(name)
        if var is not None and var.type == "id" and name in survey.data:
            return name
    return None


def _givers(survey, values: pd.Series, min_cell: int) -> np.ndarray:
    """The distinct respondents who gave each category of ``values`` (a column of the
    survey's data, its spellings perhaps merged; category order):
    a respondent giving a label in two waves counts once, a row without an id is one
    respondent. Exact where a category could have fewer than ``min_cell``; elsewhere
    its rows (a respondent has at most one row per wave, so ``min_cell`` rows per wave
    are ``min_cell`` people): the distinct count runs on the few rows of the doubtful
    categories only, not on a million."""
    size = len(values.cat.categories)
    codes = values.cat.codes.to_numpy()
    rows = np.bincount(codes[codes >= 0], minlength=size)
    person = _person(survey)
    waves = survey.data["wave"].nunique() if "wave" in survey.data else 1
    doubtful = rows < min_cell * max(int(waves), 1)
    if person is None or waves <= 1 or not doubtful.any():
        return rows
    at = np.flatnonzero((codes >= 0) & doubtful[np.maximum(codes, 0)])
    ids, _ = pd.factorize(survey.data[person].iloc[at], use_na_sentinel=True)
    codes = codes[at]
    named = ids >= 0
    pairs = np.unique(ids[named].astype(np.int64) * size + codes[named])
    exact = (np.bincount(pairs % size, minlength=size)
             + np.bincount(codes[~named], minlength=size))
    return np.where(doubtful, exact, rows)


def rare_labels(survey, min_cell: int) -> pd.DataFrame:
    """The labels of open lists given by fewer than ``min_cell`` respondents.

    Parameters
    ----------
    survey : surveys.Survey
        A source as read (raw labels).
    min_cell : int
        The pilot's smallest group.

    Returns
    -------
    DataFrame
        ``variable``, ``label``, ``n`` (distinct respondents who gave it, every wave
        together), one row per rare label, in the codebook's then the labels' order.
        Spellings of one label (case, spaces: :func:`merge_spellings`) are counted
        together; each spelling of a rare label is listed, with the label's count (a
        recoding in the pilot file names each spelling). For the operator's eyes only
        (``bilan validate``): never published.

    Examples
    --------
    >>> import surveys
    >>> s = surveys.read(pd.DataFrame({"id": list("abcdef"),
    ...                                "Service": ["RH"] * 5 + ["Cabinet"]}), "agent")
    >>> rare_labels(s, 5)
      variable    label  n
    0  service  Cabinet  1
    """
    rows = []
    for column in open_columns(survey):  # a handful of columns
        raw = survey.data[column]
        merged = merge_spellings(raw)
        counts = _givers(survey, merged, min_cell)
        label = {spelling_key(c): i for i, c in enumerate(merged.cat.categories)}
        for spelling in raw.cat.categories:  # each spelling, with its label's count
            n = int(counts[label[spelling_key(spelling)]])
            if 0 < n < min_cell:
                rows.append((column, str(spelling), n))
    return pd.DataFrame(rows, columns=["variable", "label", "n"]).astype({"n": "int64"})


def fold_rare(survey, min_cell: int, strata: str | None = None):
    """The source with every rare label of its open lists folded into one category.

    Parameters
    ----------
    survey : surveys.Survey
        A source as read.
    min_cell : int
        A label given by fewer respondents (every wave together) is folded.
    strata : str, optional
        The source's strata column: when it is folded and ``survey.population`` names
        each stratum's size, the folded stratum's size is the sum of its strata's.

    Returns
    -------
    (surveys.Survey, dict)
        The survey (the same object when nothing is rare nor spelled two ways; else a
        copy whose notes say how many labels were folded, never which nor by how many
        people: the folded group's count may be a hidden one) and ``{column: [labels
        folded]}`` (every spelling of each).

    Notes
    -----
    Spellings of one label that differ only by case or spacing are one label
    (:func:`merge_spellings`): counted together, so that "Ressources humaines" given by
    3 people and "ressources humaines " by 2 make a label of 5, not two rare ones, and
    published once, in the commonest spelling.

    Examples
    --------
    >>> import surveys
    >>> s = surveys.read(pd.DataFrame({"id": list("abcdefg"),
    ...                                "Service": ["RH"] * 5 + ["Cabinet", "Mission"]}), "agent")
    >>> folded, labels = fold_rare(s, 5)
    >>> list(folded.data["service"].cat.categories), labels
    (['RH', 'Other (fewer than 5 answers each)'], {'service': ['Cabinet', 'Mission']})
    >>> folded.data["service"].value_counts().tolist(), list(s.data["service"].cat.categories)
    ([5, 2], ['Cabinet', 'Mission', 'RH'])
    >>> s = surveys.read(pd.DataFrame({"id": list("abcdef"),
    ...                                "Service": ["RH"] * 3 + ["rh"] * 2 + ["Cabinet"]}), "agent")
    >>> folded, labels = fold_rare(s, 5)
    >>> folded.data["service"].value_counts().to_dict(), labels
    ({'RH': 5, 'Other (fewer than 5 answers each)': 1}, {'service': ['Cabinet']})
    """
    other = other_label(min_cell)
    columns, folded, notes = {}, {}, []
    for column in open_columns(survey):
        raw = survey.data[column]
        values = merge_spellings(raw)
        counts = _givers(survey, values, min_cell)
        categories = values.cat.categories
        rare = (counts < min_cell) & (counts > 0)
        if not rare.any():
            if values is not raw:  # spellings merged, nothing folded
                columns[column] = values.array
            continue
        kept = [c for c, r in zip(categories, rare) if not r and c != other]
        position = {c: i for i, c in enumerate(kept)}
        where = np.array([len(kept) if r or c == other else position[c]
                          for c, r in zip(categories, rare)], dtype=np.int64)
        codes = values.cat.codes.to_numpy()
        new = np.where(codes >= 0, where[np.maximum(codes, 0)], -1)
        columns[column] = pd.Categorical.from_codes(new, categories=[*kept, other],
                                                    ordered=values.cat.ordered)
        gone = {spelling_key(c) for c, r in zip(categories, rare) if r}
        folded[column] = [str(c) for c in raw.cat.categories if spelling_key(c) in gone]
        var = survey.codebook.variables[column]
        notes.append(Note("open_labels_folded", file=survey.source, count=int(rare.sum()),
                          column={"en": f"“{var.label.get('en', column)}”",
                                  "fr": f"« {var.label.get('fr', column)} »"},
                          min_cell=int(min_cell)))
    if not columns:
        return survey, {}
    data = survey.data.copy(deep=False)
    for column, values in columns.items():
        data[column] = pd.Series(values, index=data.index, name=column)
    population = survey.population
    if strata in columns and isinstance(population, str) and population in data:
        data[population] = _folded_sizes(merge_spellings(survey.data[strata]),
                                         columns[strata], survey.data[population], other)
    return replace(survey, data=data, notes=[*survey.notes, *notes]), folded


def _folded_sizes(raw: pd.Series, folded, sizes: pd.Series, other: str) -> pd.Series:
    """Each respondent's stratum size once rare strata are folded: in the folded
    stratum, the sum of the sizes of the strata folded into it."""
    into = np.asarray(folded == other)
    if not into.any():
        return sizes
    total = sizes[into].groupby(raw[into].to_numpy(), observed=True).first().sum()
    return sizes.astype(float).mask(into, float(total))


def fold_margins(margins: dict | None, folded: dict, min_cell: int,
                 categories: dict | None = None) -> dict | None:
    """A source's raking margins with those of the folded labels summed into the folded
    category's, and those keyed by another spelling (case, spaces) of a label the data
    publishes renamed to it (a margin the data does not have stays as given).

    Parameters
    ----------
    margins : dict or None
        ``{column: {label: share or count}}`` as the pilot file gives them.
    folded : dict
        ``{column: [labels folded]}`` from :func:`fold_rare`.
    min_cell : int
        The threshold the labels were folded at (it names the folded category).
    categories : dict, optional
        ``{column: labels}`` the folded data publishes (their spellings win).

    Returns
    -------
    dict or None
        The margins, keyed by the data's labels.

    Examples
    --------
    >>> fold_margins({"service": {"RH": 0.8, "Cabinet": 0.1, "Mission": 0.1}},
    ...              {"service": ["Cabinet", "Mission"]}, 5)
    {'service': {'RH': 0.8, 'Other (fewer than 5 answers each)': 0.2}}
    >>> fold_margins({"service": {"rh ": 0.8, "DSI": 0.2}}, {}, 5, {"service": ["RH", "DSI"]})
    {'service': {'RH': 0.8, 'DSI': 0.2}}
    """
    if not margins or not (folded or categories):
        return margins
    out = {}
    for column, shares in margins.items():
        if not isinstance(shares, dict):
            out[column] = shares
            continue
        rare = {spelling_key(label) for label in folded.get(column, [])}
        named = {spelling_key(label): label for label in (categories or {}).get(column, [])}
        kept: dict = {}
        for key, value in shares.items():
            spelling = spelling_key(key)
            label = other_label(min_cell) if spelling in rare else named.get(spelling, key)
            kept[label] = kept[label] + value if label in kept else value
        out[column] = kept
    return out
