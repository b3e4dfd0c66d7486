"""What may leave the package: formula-safe text and no free text or personal data.

Two guards run on every table before it is written to CSV or XLSX (and before the
HTML is built):

- :func:`drop_private` removes every column whose name is a free-text, personal-data
  or person-identifier variable of a shipped codebook (``comment``, ``email``,
  ``company_name``, ``respondent_id``...), unless the pilot file explicitly allows it.
  Places are not people: ``place_id`` and a place's ``name`` stay.
- :func:`neutralise_frame` prefixes an apostrophe to every text cell that a spreadsheet
  would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return), as LimeSurvey's ``csvMaskEquations`` option does. Numbers stay numbers: a
  negative number is not text and is left alone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources

import pandas as pd

from surveys._yaml import safe_load

__all__ = [
    "FORMULA_PREFIXES",
    "neutralise",
    "neutralise_frame",
    "private_columns",
    "drop_private",
    "make_safe",
]

#: First characters that make a spreadsheet cell a formula (or a DDE payload).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Always private, whatever the codebooks say (the contract's text and pii variables,
#: and the pseudonymised identifiers of people and companies).
_ALWAYS_PRIVATE = frozenset({
    "comment", "email", "company_name", "first_name", "last_name", "phone",
    "ip_address", "token", "postal_address", "respondent_id", "user_id", "company_id",
})


def neutralise(value):
    """Prefix ``'`` to a text that a spreadsheet would run as a formula.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("-12"), neutralise(-12), neutralise("3-6m")
    ("'-12", -12, '3-6m')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _neutralise_series(series: pd.Series) -> pd.Series:
    """Neutralise the text cells of one column; other dtypes are returned as they are."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype(object)
    if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
        return series
    if pd.api.types.is_object_dtype(series):  # text, missing values, maybe labels of other types
        risky = pd.Series([isinstance(v, str) and v.startswith(FORMULA_PREFIXES)
                           for v in series.to_numpy()], index=series.index, dtype=bool)
    else:
        risky = series.str.startswith(FORMULA_PREFIXES, na=False).astype(bool)
    if not risky.any():
        return series
    out = series.copy()
    out[risky] = "'" + series[risky].astype(str)
    return out


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells and column names cannot start a formula.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
        Same shape; categorical columns become plain text columns; numeric, boolean
        and date columns are unchanged.

    Examples
    --------
    >>> out = neutralise_frame(pd.DataFrame({"a": ["=1+1", "ok"], "n": [-1, 2]}))
    >>> out["a"].tolist(), out["n"].tolist()
    (["'=1+1", 'ok'], [-1, 2])
    """
    out = pd.DataFrame(
        {neutralise(str(c)): _neutralise_series(frame[c]) for c in frame.columns},
        index=frame.index,
    )
    return out


def _codebook_private(spec: dict, kind: str | None) -> bool:
    """True for a codebook variable that must never reach an output."""
    if not isinstance(spec, dict):
        return False
    if spec.get("pii"):
        return True
    if spec.get("type") == "id":
        return bool(spec.get("hash"))
    return spec.get("type") == "text" and kind != "places"


@functools.lru_cache(maxsize=1)
def private_columns() -> frozenset[str]:
    """Names of every free-text, personal-data and person-identifier variable.

    Read from the codebooks shipped in ``surveys/codebooks`` (variables with
    ``pii: true``, ``type: text`` outside the place registry, and hashed ``id``
    variables), plus a fixed list that holds even if a codebook is missing.

    Examples
    --------
    >>> {"comment", "email", "respondent_id"} <= private_columns()
    True
    >>> "place_id" in private_columns()
    False
    """
    names = set(_ALWAYS_PRIVATE)
    folder = resources.files("surveys") / "codebooks"
    if not folder.is_dir():
        return frozenset(names)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        tree = safe_load(entry.read_text(encoding="utf-8")) or {}
        kind = tree.get("kind")
        for block in ("variables", "personal_data"):
            specs = tree.get(block)
            if isinstance(specs, dict):
                names.update(n for n, s in specs.items() if _codebook_private(s, kind))
    return frozenset(names)


def _is_private(column, private: frozenset[str]) -> bool:
    """A private variable, or one of its multiselect columns (``<variable>__<code>``)."""
    name = str(column)
    return name in private or name.split("__", 1)[0] in private


def drop_private(frame: pd.DataFrame, allow: Iterable[str] = ()) -> pd.DataFrame:
    """Drop the columns holding free text, personal data or people's identifiers.

    Parameters
    ----------
    frame : pandas.DataFrame
    allow : iterable of str
        Private columns the pilot file explicitly allows in outputs.

    Returns
    -------
    pandas.DataFrame
        ``frame`` without those columns (the same object when none is present).

    Examples
    --------
    >>> frame = pd.DataFrame({"dept": ["A"], "comment": ["hi"], "email": ["a@b.fr"]})
    >>> list(drop_private(frame).columns)
    ['dept']
    """
    private = private_columns() - set(allow)
    dropped = [c for c in frame.columns if _is_private(c, private)]
    return frame.drop(columns=dropped) if dropped else frame


def make_safe(frame: pd.DataFrame, allow: Iterable[str] = ()) -> pd.DataFrame:
    """:func:`drop_private` then :func:`neutralise_frame`: ready for CSV or XLSX.

    Examples
    --------
    >>> make_safe(pd.DataFrame({"email": ["x"], "k": ["@SUM(A1)"]}))["k"].tolist()
    ["'@SUM(A1)"]
    """
    return neutralise_frame(drop_private(frame, allow))
