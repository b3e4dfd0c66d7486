"""Numbers, percentages and dates written the way each language's readers expect.

French: ``1 234,5`` (narrow no-break space between thousands, decimal comma) and
``45 %`` (narrow no-break space before the sign); English: ``1,234.5`` and ``45%``.
Negative numbers take a true minus sign (U+2212). Every interval of the report (a
confidence interval in a table or on a card, a range in a sentence) is written by
:func:`format_interval`, with a word between its bounds: ``55 à 74 %``, ``−0,12 à 0,30``;
``55% to 74%``, ``−0.12 to 0.30``. An estimated total (kilometres avoided) is written to
three significant figures (:func:`format_significant`). These functions are for the HTML
report only: CSV and XLSX keep machine numbers.

Nothing here rounds a statistic for later use: rounding happens only in the text
written for a reader.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "NNBSP",
    "MINUS",
    "COUNT_COLUMNS",
    "P_COLUMNS",
    "auto_decimals",
    "format_number",
    "format_count",
    "format_percent",
    "format_p_value",
    "format_date",
    "format_month",
    "format_value",
    "format_signed",
    "format_change",
    "format_significant",
    "format_interval",
    "given_decimals",
    "signed_scores",
    "is_missing",
]

Lang = Literal["fr", "en"]

#: Narrow no-break space: French thousands separator and space before ``%``.
NNBSP = "\u202f"
#: The minus sign used for negative numbers.
MINUS = "\u2212"

#: Columns that hold counts of respondents, events or places (shown without decimals).
COUNT_COLUMNS = frozenset({
    "n", "count", "at_risk", "events", "censored", "visits", "users", "new_users",
    "returning_users", "baseline_n", "capacity", "rows", "kept", "excluded",
    "problems", "places", "respondents",
})
#: Columns that hold p-values.
P_COLUMNS = frozenset({"p_value", "p_adjusted"})

_YEAR_COLUMNS = frozenset({"year", "baseline_year", "first_year", "last_year"})
_SEPARATORS = {"fr": (NNBSP, ","), "en": (",", ".")}
_PERCENT = {"fr": NNBSP + "%", "en": "%"}
_MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
_SHORT_MONTHS = {
    "fr": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
           "oct.", "nov.", "déc."],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
_BOOLEANS = {"fr": ("oui", "non"), "en": ("yes", "no")}
_P_FLOOR = 0.001


def is_missing(value) -> bool:
    """True for None, NaN, NaT and ``pd.NA``.

    Examples
    --------
    >>> is_missing(float("nan")), is_missing(pd.NA), is_missing(0)
    (True, True, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False


def auto_decimals(value: float) -> int:
    """Decimals that keep three significant figures for everyday magnitudes, and two
    for values under 0.01 (a cost per kilometre) so that they do not print as zero.

    Examples
    --------
    >>> auto_decimals(1234.5), auto_decimals(45.4), auto_decimals(3.14)
    (0, 1, 2)
    >>> auto_decimals(0.0007), auto_decimals(0.00123)
    (5, 4)
    """
    size = abs(value)
    if size >= 100 or size == 0 or not math.isfinite(size):
        return 0
    if size >= 10:
        return 1
    if size >= 0.01:
        return 2
    return 1 - math.floor(math.log10(size))


def format_number(value: float, lang: Lang = "fr", decimals: int | None = None) -> str:
    """Write ``value`` with the language's separators.

    Parameters
    ----------
    value : float
        The number; missing values give an empty string.
    lang : {"fr", "en"}
    decimals : int, optional
        Digits after the decimal mark; by default 0 from 100 up, 1 from 10, else 2.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(1234.5, "fr", 1) == "1\\u202f234,5"
    True
    >>> format_number(1234.5, "en", 1)
    '1,234.5'
    >>> format_number(-3.14159, "en")
    '−3.14'
    >>> format_number(0.0007, "fr")
    '0,0007'
    >>> format_number(float("inf"), "fr")  # an open upper bound
    '∞'
    """
    if is_missing(value):
        return ""
    value = float(value)
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "\u221e"
    digits = auto_decimals(value) if decimals is None else decimals
    text = f"{abs(value):,.{digits}f}"
    if decimals is None and digits > 2:  # a small value: no trailing zeros (0.0007)
        text = text.rstrip("0")
    thousands, point = _SEPARATORS[lang]
    text = text.replace(",", "\0").replace(".", point).replace("\0", thousands)
    negative = value < 0 and float(text.replace(thousands, "").replace(point, ".")) != 0
    return (MINUS if negative else "") + text


def format_count(value, lang: Lang = "fr") -> str:
    """Write a count without decimals (``12 345``), or with them if it is not whole.

    Examples
    --------
    >>> format_count(12345, "en")
    '12,345'
    >>> format_count(2.5, "en")
    '2.50'
    """
    if is_missing(value):
        return ""
    whole = float(value).is_integer()
    return format_number(value, lang, 0 if whole else None)


def format_percent(value: float, lang: Lang = "fr", decimals: int = 0) -> str:
    """Write a share (a fraction) as a percentage.

    Examples
    --------
    >>> format_percent(0.45, "fr") == "45\\u202f%"
    True
    >>> format_percent(0.4567, "en", 1)
    '45.7%'
    """
    if is_missing(value):
        return ""
    return format_number(float(value) * 100, lang, decimals) + _PERCENT[lang]


def format_p_value(value: float, lang: Lang = "fr") -> str:
    """Write a p-value with three decimals, or as ``< 0.001`` below that; a value just
    under the 0.05 threshold that three decimals would round up to it gets four, so
    that a difference called clear never shows "0.050".

    Examples
    --------
    >>> format_p_value(0.04321, "en")
    '0.043'
    >>> format_p_value(1e-9, "en") == "<\\u00a00.001"
    True
    >>> format_p_value(0.0496, "fr")
    '0,0496'
    """
    if is_missing(value):
        return ""
    if float(value) < _P_FLOOR:
        return "<\u00a0" + format_number(_P_FLOOR, lang, 3)
    if float(value) < 0.05 <= round(float(value), 3):
        return format_number(value, lang, 4)
    return format_number(value, lang, 3)


def format_date(value, lang: Lang = "fr") -> str:
    """Write a date as ``21 mars 2017`` / ``21 March 2017``.

    Examples
    --------
    >>> format_date(pd.Timestamp("2017-03-21"), "fr")
    '21 mars 2017'
    """
    if is_missing(value):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {_MONTHS[lang][stamp.month - 1]} {stamp.year}"


def format_month(value, lang: Lang = "fr", *, short: bool = False) -> str:
    """Write a month as ``mars 2017`` / ``March 2017`` (``short``: ``sept. 2017``).

    Examples
    --------
    >>> format_month(pd.Timestamp("2017-03-01"), "en")
    'March 2017'
    >>> format_month(pd.Timestamp("2017-09-01"), "fr", short=True)
    'sept. 2017'
    """
    if is_missing(value):
        return ""
    if isinstance(value, pd.Period):
        value = value.to_timestamp()
    stamp = pd.Timestamp(value)
    names = _SHORT_MONTHS if short else _MONTHS
    return f"{names[lang][stamp.month - 1]} {stamp.year}"


def _format_time(value, column: str, lang: Lang) -> str:
    """Dates at the first of a month in a period-like column are shown as months."""
    stamp = pd.Timestamp(value)
    monthly = column in {"period", "month", "first_visit", "cohort"} and stamp.day == 1
    return format_month(stamp, lang) if monthly else format_date(stamp, lang)


def format_value(value, column: str, lang: Lang = "fr", *, share: bool = False) -> str:
    """Write one cell of a table for the HTML report.

    Parameters
    ----------
    value
        The cell's value as the analysis returned it.
    column : str
        Its column name: counts (:data:`COUNT_COLUMNS`) get no decimals, p-values three.
    lang : {"fr", "en"}
    share : bool
        True when the value is a fraction to show as a percentage.

    Returns
    -------
    str
        The text to show (empty for a missing value); not yet HTML-escaped.

    Examples
    --------
    >>> format_value(0.5, "estimate", "en", share=True)
    '50%'
    >>> format_value(1500, "n", "en")
    '1,500'
    >>> format_value(True, "still_attending", "fr")
    'oui'
    >>> format_value(2015, "year", "fr"), format_value(6.0, "time", "fr")
    ('2015', '6')
    >>> format_value(2016.0, "last_year", "fr")
    '2016'
    >>> format_value(217.5, "value", "fr"), format_value(0.844, "value", "fr")
    ('217,5', '0,844')
    >>> format_value(0.455, "baseline", "fr", share=True)  # a reference, as published
    '45,5\u202f%'
    >>> format_value(0.64, "baseline", "en", share=True)
    '64%'
    """
    if is_missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return _BOOLEANS[lang][0 if value else 1]
    if isinstance(value, pd.Period):
        return format_month(value, lang)
    if isinstance(value, (pd.Timestamp, datetime, date, np.datetime64)):
        return _format_time(value, column, lang)
    if isinstance(value, (int, float, np.integer, np.floating)):
        if column in P_COLUMNS:
            return format_p_value(value, lang)
        if share and column in _GIVEN_COLUMNS:  # a reference's 45,5 %: as published
            return format_percent(value, lang, given_decimals(float(value) * 100, 2))
        if share:
            return format_percent(value, lang, 1 if column == "se" else 0)
        if column in _YEAR_COLUMNS and float(value).is_integer():
            return str(int(value))
        if column in COUNT_COLUMNS or float(value).is_integer():
            return format_count(value, lang)
        if column in _GIVEN_COLUMNS:  # a figure given, not estimated: as given
            return format_number(value, lang, max(given_decimals(float(value), 4), 1))
        return format_number(value, lang)
    return str(value)


#: Columns holding figures given to the report (a model's parameters, a reference's
#: published value, as ``value`` in the catalogue and ``baseline`` beside the pilot's
#: estimate): written with the decimals they have (217,5 days; 0,844 €/km; 45,5 %).
_GIVEN_COLUMNS = frozenset({"value", "baseline"})


def given_decimals(value: float, most: int) -> int:
    """The decimals a given figure has (at most ``most``): 45.5 has 1, 64.0 none.

    Examples
    --------
    >>> given_decimals(45.5, 2), given_decimals(64.0, 2), given_decimals(18.18, 1)
    (1, 0, 1)
    """
    return len(f"{value:.{most}f}".rstrip("0").partition(".")[2])


def format_significant(value: float, lang: Lang = "fr", figures: int = 3) -> str:
    """Write an estimated total to ``figures`` significant figures: ``321 217`` km
    avoided is an estimate, not a count, and reads ``321 000``; from 1 down to 0 the
    page's usual decimals (:func:`format_number`).

    Examples
    --------
    >>> format_significant(321217.4, "en"), format_significant(-6706.2, "en")
    ('321,000', '−6,710')
    >>> format_significant(61.995, "fr"), format_significant(3.7481, "en")
    ('62,0', '3.75')
    >>> format_significant(0.844, "en"), format_significant(float("nan"), "fr")
    ('0.84', '')
    """
    if is_missing(value) or not math.isfinite(float(value)):
        return format_number(value, lang)
    rounded, decimals = _significant(float(value), float(value), figures)
    return format_number(rounded, lang, decimals)


def _significant(value: float, largest: float, figures: int) -> tuple[float, int | None]:
    """``value`` rounded where ``figures`` significant figures of ``largest`` end, and the
    decimals left (None below 1: the page's usual decimals)."""
    size = abs(largest)
    if size < 1:
        return value, None
    place = figures - 1 - math.floor(math.log10(size))
    return (round(value, place) + 0.0, max(place, 0))


#: How each language joins an interval's bounds. French writes a unit, the percent sign
#: too, once after the upper bound (``55 à 74 %``); English repeats a percent sign on
#: both (``55% to 74%``). A word rather than a dash: ``−0,12 à 0,30`` cannot be misread
#: as a subtraction, nor ``−27 to −2`` as a range of dashes.
_RANGE = {"fr": "{low}\u00a0à {high}", "en": "{low}\u00a0to {high}"}


def format_interval(low: float, high: float, lang: Lang = "fr", *, share: bool = False,
                    decimals: int | None = None, signed: bool = False,
                    significant: int | None = None, unit: str = "") -> str:
    """Write an interval from its two bounds, the one way the report writes them (a
    confidence interval in a table or on a card, a range in a sentence).

    Parameters
    ----------
    low, high : float
        The bounds; when either is missing the result is empty (a one-sided interval is
        written in words by :func:`reports.cell_wording.interval`).
    lang : {"fr", "en"}
    share : bool
        Fractions written as whole percentages.
    decimals : int, optional
        Digits after the decimal mark of both bounds; by default none when both bounds
        are whole, else those :func:`auto_decimals` gives the larger bound.
    signed : bool
        Bounds of a score centred on zero, written with their sign and by default
        whole (``−17 à +31``), as :func:`format_signed`.
    significant : int, optional
        Estimated totals: both bounds rounded where that many significant figures of
        the larger one end (``276 000 à 367 000``).
    unit : str
        Written once, after the upper bound, with a no-break space.

    Returns
    -------
    str

    Examples
    --------
    >>> format_interval(0.55, 0.74, "fr", share=True) == "55\\u00a0à 74\\u202f%"
    True
    >>> format_interval(0.55, 0.74, "en", share=True) == "55%\\u00a0to 74%"
    True
    >>> format_interval(-0.1234, 0.3, "fr").replace("\\u00a0", " ")
    '−0,12 à 0,30'
    >>> format_interval(-17.2, 30.6, "en", signed=True).replace("\\u00a0", " ")
    '−17 to +31'
    >>> format_interval(275736.2, 366699.1, "en", significant=3, unit="km").split("\\u00a0")
    ['276,000', 'to 367,000', 'km']
    >>> format_interval(float("nan"), 3.0, "en")
    ''
    """
    if is_missing(low) or is_missing(high):
        return ""
    low, high = float(low), float(high)
    if share:
        texts = [format_percent(v, lang, decimals or 0) for v in (low, high)]
        if lang == "fr" and not unit:
            texts[0] = texts[0].removesuffix(_PERCENT[lang])
    else:
        if significant is not None and all(map(math.isfinite, (low, high))):
            largest = max(abs(low), abs(high))
            (low, places), (high, _) = (_significant(v, largest, significant)
                                        for v in (low, high))
            decimals = places if decimals is None else decimals
        if decimals is None and signed:
            decimals = 0
        if decimals is None:
            finite = [abs(v) for v in (low, high) if math.isfinite(v)]
            whole = all(v.is_integer() for v in finite)
            decimals = 0 if whole or not finite else auto_decimals(max(finite))
        write = format_signed if signed else format_number
        texts = [write(v, lang, decimals) for v in (low, high)]
    text = _RANGE[lang].format(low=texts[0], high=texts[1])
    return f"{text}\u00a0{unit}" if unit else text


def format_signed(value: float, lang: Lang = "fr", decimals: int = 0) -> str:
    """Write a score on a scale centred on zero with its sign, by default whole: a net
    promoter score (−100 to +100) is ``+34``, ``−15`` or ``0``.

    Examples
    --------
    >>> format_signed(33.777, "fr"), format_signed(-14.59, "en"), format_signed(0.4, "en")
    ('+34', '−15', '0')
    >>> format_signed(7.4074, "en", 1), format_signed(float("nan"), "fr")
    ('+7.4', '')
    """
    text = format_number(value, lang, decimals)
    return text if text.startswith(MINUS) or text in ("", "0") or not text[0].isdigit() \
        else "+" + text


def format_change(value: float, lang: Lang = "fr") -> str:
    """A relative change (a fraction) as a signed whole percentage: ``+146 %``, ``0 %``,
    ``−5 %``; the sign tells a change from a level (146 % of what?).

    Examples
    --------
    >>> format_change(1.4615, "en"), format_change(0.0, "en"), format_change(-0.052, "en")
    ('+146%', '0%', '−5%')
    >>> format_change(float("nan"), "fr")
    ''
    """
    if is_missing(value):
        return ""
    return format_signed(float(value) * 100, lang) + _PERCENT[lang]


#: A score's cells in a table of net promoter scores: the estimate, and the interval
#: cell (``ci``, as :data:`reports.presentation.INTERVALS` names it) with its bounds.
_SCORE_CELLS = {"estimate": ("estimate",), "ci": ("ci_low", "ci_high")}


def signed_scores(cells: list[dict], row: dict, columns: list[str], lang: Lang = "fr") -> None:
    """Write a net promoter score's estimate and interval signed and whole, as the
    report's card does (``+7``, ``−17 à +31``), in place of the page's default decimals.

    A table of net promoter scores is one with a ``promoters`` column
    (:func:`analysis.nps`); other rows and hidden cells are left as they are.

    Parameters
    ----------
    cells : list of dict
        The row's formatted cells (``text``, ``hidden``...), one per column.
    row : dict
        The row's values by column.
    columns : list of str
        The columns shown, in the order of ``cells``.
    lang : {"fr", "en"}

    Examples
    --------
    >>> cells = [{"text": "7.41", "hidden": False}, {"text": "−17.2 – 30.6", "hidden": False}]
    >>> row = {"promoters": 0.26, "estimate": 7.407, "ci_low": -17.22, "ci_high": 30.55}
    >>> signed_scores(cells, row, ["estimate", "ci"], "en")
    >>> [cell["text"].replace("\\u00a0", " ") for cell in cells]
    ['+7', '−17 to +31']
    """
    if "promoters" not in row:
        return
    for position, column in enumerate(columns):
        cell = cells[position]
        bounds = _SCORE_CELLS.get(column)
        if bounds is None or cell.get("hidden") or any(is_missing(row.get(b)) for b in bounds):
            continue
        values = [row[b] for b in bounds]
        cell["text"] = (format_signed(values[0], lang) if len(values) == 1
                        else format_interval(*values, lang, signed=True))
