"""Shared input handling for analysis functions: a Survey or a DataFrame in, checked columns out."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import pandas as pd

from surveys.errors import SurveyError

__all__ = ["as_frame", "check_columns", "check_option", "as_list", "ESTIMATE_COLUMNS"]

#: Columns every estimate row carries, in this order after the ``by`` columns.
ESTIMATE_COLUMNS = ["n", "estimate", "se", "ci_low", "ci_high"]


def as_frame(data) -> pd.DataFrame:
    """Return the DataFrame behind ``data`` (a ``surveys.Survey`` or a DataFrame).

    Examples
    --------
    >>> as_frame(pd.DataFrame({"a": [1]})).shape
    (1, 1)
    """
    frame = getattr(data, "data", data)
    if not isinstance(frame, pd.DataFrame):
        raise SurveyError(
            f"Expected a Survey or a pandas DataFrame, got {type(data).__name__}."
        )
    return frame


def as_list(columns) -> list:
    """``None`` -> ``[]``, a single name -> ``[name]``, an iterable -> list."""
    if columns is None:
        return []
    if isinstance(columns, str) or not isinstance(columns, Iterable):
        return [columns]
    return list(columns)


def check_columns(frame: pd.DataFrame, columns: Sequence, what: str = "column") -> None:
    """Raise :class:`SurveyError` naming the first missing column and the closest existing one."""
    for column in columns:
        if column is not None and column not in frame.columns:
            close = difflib.get_close_matches(str(column), [str(c) for c in frame.columns], n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise SurveyError(f"No {what} named '{column}' in the data.{hint}")


def check_option(name: str, value, allowed: Iterable) -> None:
    """Raise :class:`SurveyError` when ``value`` is not one of ``allowed``, listing them."""
    allowed = list(allowed)
    if value not in allowed:
        listed = ", ".join(repr(a) for a in allowed)
        raise SurveyError(f"{name}={value!r} is not allowed; use one of {listed}.")
