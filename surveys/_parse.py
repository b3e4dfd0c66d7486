"""Vectorised parsing of numbers and dates written the way survey exports write them.

Text readers keep every cell as a string; validation calls :func:`parse_numbers` and
:func:`parse_dates` on a column. Both are aggregate-first: the column is factorised,
only its distinct values are parsed, and the result is mapped back through the codes,
so a million rows holding a few hundred distinct answers cost a few hundred parses.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["parse_numbers", "parse_dates", "parse_fixed_dates", "has_offset", "short_year_dates",
           "serial_text_dates"]

#: Characters used as thousands separators in French and English exports.
_SPACES = r"[\s\u00a0\u202f\u2009\u2007']"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Excel serial day numbers accepted as dates (1900-01-01 .. 9999-12-31).
_EXCEL_RANGE = (1.0, 2958465.0)

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_DMY = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD_SLASH = re.compile(r"^\d{4}/\d{1,2}/\d{1,2}")
_ZONE_SUFFIX = r"\s+(?:UTC|GMT)?[A-Z]{0,5}(?:[+\-]\d{1,2}(?::?\d{2})?)?$"


def _factorize(series: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes per row (-1 for missing) and the distinct non-missing values."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype=object)


#: Above this many distinct strings, white space is stripped by Arrow (no Python call each).
_ARROW_STRIP = 1000


def _strip(text: pd.Series) -> pd.Series:
    """``text.str.strip()`` for a Series of ``str``; long ones stripped by Arrow's
    ``utf8_trim_whitespace`` (the same white space as ``str.strip``)."""
    if len(text) > _ARROW_STRIP:
        try:
            arr = pa.array(text.to_numpy(dtype=object), type=pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # not all plain str
            return text.str.strip()
        stripped = pc.utf8_trim_whitespace(arr).to_numpy(zero_copy_only=False)
        return pd.Series(stripped, index=text.index, dtype=object)
    return text.str.strip()


def _take(values: np.ndarray, codes: np.ndarray, fill) -> np.ndarray:
    """Map parsed distinct values back onto rows; code -1 gives ``fill``."""
    out = values[np.where(codes < 0, 0, codes)] if len(values) else np.full(len(codes), fill)
    out = np.asarray(out).copy()
    out[codes < 0] = fill
    return out


#: Numbers already in Python syntax but for a decimal comma: no normalising needed.
_PLAIN_NUMBER = r"-?\d+(?:[.,]\d+)?"


def _number_text(text: pd.Series) -> pd.Series:
    """Normalise distinct strings to Python float syntax (decimal point, no separators)."""
    if text.str.fullmatch(_PLAIN_NUMBER).all():  # the usual case, in two string passes
        return text.str.replace(",", ".", regex=False)
    s = text.str.strip().str.replace(_SPACES, "", regex=True)
    comma, dot = s.str.rfind(","), s.str.rfind(".")
    both = (comma >= 0) & (dot >= 0)
    comma_decimal = both & (comma > dot)
    s = s.where(~comma_decimal, s.str.replace(".", "", regex=False))
    s = s.where(~(both & ~comma_decimal), s.str.replace(",", "", regex=False))
    n_commas = s.str.count(",")
    s = s.where(n_commas != 1, s.str.replace(",", ".", regex=False))
    s = s.where(n_commas <= 1, s.str.replace(",", "", regex=False))
    many_dots = s.str.count(r"\.") > 1
    return s.where(~many_dots, s.str.replace(".", "", regex=False))


def parse_numbers(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of numbers written as text (French or English style).

    Parameters
    ----------
    series : Series
        Strings such as ``"3,5"``, ``"1 234,5"`` (no-break or narrow no-break space
        as thousands separator), ``"1.234,5"``, ``"1,234.5"``, ``"12"``; numbers pass
        through. Missing values stay missing.

    Returns
    -------
    values : Series of float64
        The parsed numbers on the same index, NaN where missing or unparseable.
    bad : Series of bool
        True where the cell held something that is not a number.

    Notes
    -----
    A single comma is a decimal comma (French default), so ``"1,234"`` is 1.234.
    When both ``,`` and ``.`` appear, the last one is the decimal separator. Only
    distinct values are parsed.

    Examples
    --------
    >>> values, bad = parse_numbers(pd.Series(["3,5", "1\\u00a0234,5", "abc", None]))
    >>> values.tolist()
    [3.5, 1234.5, nan, nan]
    >>> bad.tolist()
    [False, False, True, False]
    """
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = pd.Series(np.asarray(series, dtype="float64"), index=series.index)
        return values, pd.Series(False, index=series.index)
    codes, uniques = _factorize(series)
    is_num = uniques.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
    parsed = pd.Series(np.nan, index=uniques.index, dtype="float64")
    parsed[is_num] = uniques[is_num].astype("float64")
    text = uniques[~is_num].astype(str)
    if len(text):
        parsed[~is_num] = pd.to_numeric(_number_text(text), errors="coerce").astype("float64")
    blank = uniques.astype(str).str.strip().eq("")
    ok = parsed.notna() | blank
    values = _take(parsed.to_numpy(), codes, np.nan).astype("float64")
    bad = _take(~ok.to_numpy(), codes, False).astype(bool)
    return pd.Series(values, index=series.index), pd.Series(bad, index=series.index)


#: A time stamp's UTC offset (``Z``, ``+01:00``, ``-0500``, ``+02``) after its time.
_ISO_OFFSET = re.compile(
    r"^(\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*"
    r"(?:[Zz]|(?:UTC|GMT)?[+\-]\d{2}(?::?\d{2})?)$")
#: The same with a numeric offset (what :func:`has_offset` looks for).
_NUMERIC_OFFSET = re.compile(
    r"^\s*\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*"
    r"(?:UTC|GMT)?[+\-]\d{2}(?::?\d{2})?\s*$")


def has_offset(values) -> bool:
    """Whether some of ``values`` (distinct cells) are time stamps with a UTC offset
    (``2015-01-01T00:30:00+01:00``, or a timezone-aware datetime), whose offset
    :func:`parse_dates` drops to keep the local clock time.

    Examples
    --------
    >>> has_offset(["2015-01-01T00:30:00+01:00", "x"]), has_offset(["2015-01-01", None])
    (True, False)
    """
    for value in values:
        if isinstance(value, str):
            if _NUMERIC_OFFSET.match(value):
                return True
        elif getattr(value, "tzinfo", None) is not None:
            return True
    return False


def _to_naive(parsed: pd.Series) -> pd.Series:
    """Timezone-aware -> naive, keeping the local clock time (the offset dropped: a
    check-in at 00:30+01:00 stays at 00:30 on its day); naive stays as it is."""
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _wall_clock(value):
    """A datetime object without its timezone, at its local clock time."""
    if getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value


def _try_formats(text: pd.Series, formats: list[str]) -> pd.Series:
    """Parse with the first format that fits each value (NaT if none)."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = out.isna()
        if not todo.any():
            break
        out[todo] = _to_naive(pd.to_datetime(text[todo], format=fmt, errors="coerce"))
    return out


#: Fixed-width day-first layouts parsed by arithmetic on bytes: digit positions of day,
#: month, year, hour, minute, second, and the separator positions.
_FIXED = {
    10: ((0, 3, 6, None, None, None), (2, 5)),          # dd/mm/yyyy
    16: ((0, 3, 6, 11, 14, None), (2, 5, 10, 13)),      # dd/mm/yyyy hh:mm
    19: ((0, 3, 6, 11, 14, 17), (2, 5, 10, 13, 16)),    # dd/mm/yyyy hh:mm:ss
}
#: The ISO layouts of the same widths (``yyyy-mm-dd[ hh:mm[:ss]]``, ``T`` or a space
#: before the time), in the same terms.
_ISO_FIXED = {
    10: ((8, 5, 0, None, None, None), (4, 7)),
    16: ((8, 5, 0, 11, 14, None), (4, 7, 10, 13)),
    19: ((8, 5, 0, 11, 14, 17), (4, 7, 10, 13, 16)),
}
_DMY_SEPARATORS = (ord("/"), ord("."), ord("-"))
_ISO_SEPARATORS = (ord("-"),)
#: Last year whose dates all fit ``datetime64[ns]`` (which ends in April 2262).
_LAST_YEAR = 2261


def _two(b: np.ndarray, at: int) -> np.ndarray:
    return (b[:, at] - 48).astype(np.int64) * 10 + (b[:, at + 1] - 48)


def _layout_stamps(b: np.ndarray, digits: tuple, seps: tuple,
                   date_seps: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Datetimes of rows of bytes ``b`` (one fixed-width value per row) written in one
    layout (``digits``: positions of day, month, year, hour, minute, second; ``seps``:
    of the separators, the date's among ``date_seps``, then ``T`` or a space, then
    colons); returns the values, which rows are valid dates in that layout, and the
    years (the values of other rows are meaningless)."""
    width = b.shape[1]
    sep_ok = np.isin(b[:, list(seps[:2])], date_seps).all(axis=1)
    if width > 10:
        sep_ok &= np.isin(b[:, seps[2]], (ord(" "), ord("T")))
        sep_ok &= (b[:, list(seps[3:])] == ord(":")).all(axis=1)
    positions = [i for i in range(width) if i not in seps]
    ok = sep_ok & ((b[:, positions] >= 48) & (b[:, positions] <= 57)).all(axis=1)
    day, month = _two(b, digits[0]), _two(b, digits[1])
    year = _two(b, digits[2]) * 100 + _two(b, digits[2] + 2)
    clock = [_two(b, d) if d is not None else np.zeros(len(b), np.int64) for d in digits[3:]]
    ok &= (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (year >= 1678)
    ok &= (clock[0] < 24) & (clock[1] < 60) & (clock[2] < 60)
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    stamp = months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    ok &= stamp.astype("datetime64[M]") == months  # 31/02 rolls into March: refuse it
    seconds = clock[0] * 3600 + clock[1] * 60 + clock[2]
    value = stamp.astype("datetime64[ns]") + seconds.astype("timedelta64[s]")
    return value, ok, year


def _fixed_dmy(text: pd.Series, dayfirst: bool) -> tuple[np.ndarray, np.ndarray]:
    """Fast path for ``dd/mm/yyyy[ hh:mm[:ss]]`` (the French Excel layout): parse by
    arithmetic on the bytes of the distinct strings, no per-value Python call.

    Returns the datetimes and a mask of the values it parsed; the others go through
    the general parser.
    """
    out = np.full(len(text), np.datetime64("NaT", "ns"))
    done = np.zeros(len(text), dtype=bool)
    lengths = text.str.len().to_numpy()
    for width, (digits, seps) in _FIXED.items():
        rows = np.flatnonzero(lengths == width)
        if rows.size == 0:
            continue
        try:
            raw = text.iloc[rows].to_numpy().astype(f"S{width}")
        except UnicodeEncodeError:
            continue
        b = np.frombuffer(raw.tobytes(), dtype=np.uint8).reshape(-1, width)
        order = digits if dayfirst else (digits[1], digits[0], *digits[2:])
        value, ok, _ = _layout_stamps(b, order, seps, _DMY_SEPARATORS)
        out[rows[ok]] = value[ok]
        done[rows[ok]] = True
    return out, done


def _string_parts(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (one more than values) and the data bytes of an Arrow string array."""
    wide = pa.types.is_large_string(arr.type)
    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64 if wide else np.int32)
    offsets = offsets[arr.offset: arr.offset + n + 1]
    data = arr.buffers()[2]
    return offsets, (np.frombuffer(data, dtype=np.uint8) if data is not None
                     else np.zeros(0, np.uint8))


def parse_fixed_dates(text: pa.Array | pa.ChunkedArray) -> np.ndarray | None:
    """Datetimes of Arrow strings all written in fixed-width layouts, or None.

    The layouts are ``dd/mm/yyyy`` (``/``, ``.`` or ``-``) and ISO ``yyyy-mm-dd``,
    each alone or followed (after a space or ``T``) by ``hh:mm`` or ``hh:mm:ss``: the
    values :func:`parse_dates` reads day first by arithmetic on bytes or as ISO 8601,
    here read straight from the Arrow buffers, with no Python string each.

    Parameters
    ----------
    text : Arrow string array
        The values (a column's rows, or its distinct values).

    Returns
    -------
    ndarray of datetime64[ns] or None
        One datetime per value (NaT where null); None as soon as one non-null value is
        in none of the layouts, is no valid date, has white space around it or falls
        after 2261: the caller then takes the general path (:func:`parse_dates`), which
        gives the same datetimes for the values accepted here.

    Examples
    --------
    >>> parse_fixed_dates(pa.array(["05/01/2015 08:01", None, "2016-03-01T10:22:00"]))
    array(['2015-01-05T08:01:00.000000000',                           'NaT',
           '2016-03-01T10:22:00.000000000'], dtype='datetime64[ns]')
    >>> parse_fixed_dates(pa.array(["31/02/2015"])) is None
    True
    """
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks() if text.num_chunks != 1 else text.chunk(0)
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        return None
    n = len(text)
    offsets, data = _string_parts(text)
    lengths = np.diff(offsets)
    valid = (np.ones(n, dtype=bool) if text.null_count == 0
             else np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool))
    out = np.full(n, np.datetime64("NaT", "ns"))
    todo = int(valid.sum())
    for width in (10, 16, 19):
        rows = np.flatnonzero(valid & (lengths == width)) if todo else np.zeros(0, np.int64)
        for lo in range(0, rows.size, _DATE_STEP):  # by steps: the temporaries stay in cache
            part = rows[lo: lo + _DATE_STEP]
            if rows.size == n:  # every value of one width: the data buffer read as a matrix
                first = offsets[0] + lo * width
                b = data[first: first + len(part) * width].reshape(len(part), width)
            else:
                b = data[offsets[part][:, None] + np.arange(width)]
            if not _read_layouts(b, width, out, part):
                return None
        todo -= len(rows)
    return out if todo == 0 else None


#: Values parsed per step by :func:`parse_fixed_dates`.
_DATE_STEP = 1 << 16


def _read_layouts(b: np.ndarray, width: int, out: np.ndarray, rows: np.ndarray) -> bool:
    """Write into ``out[rows]`` the datetimes of the byte rows ``b`` (day-first layout,
    else ISO); False when one of them is in neither or falls after 2261."""
    left = np.ones(len(rows), dtype=bool)
    for layouts, separators in ((_FIXED, _DMY_SEPARATORS), (_ISO_FIXED, _ISO_SEPARATORS)):
        digits, seps = layouts[width]
        value, ok, year = _layout_stamps(b, digits, seps, separators)
        ok &= left & (year <= _LAST_YEAR)
        out[rows[ok]] = value[ok]
        left &= ~ok
        if not left.any():
            return True
    return False


def _parse_date_text(text: pd.Series, dayfirst: bool) -> pd.Series:
    """Parse distinct date strings: ISO, dd/mm/yyyy (or mm/dd), yyyy/mm/dd h:mm:ss pm."""
    text = _strip(text)
    fast, done = _fixed_dmy(text, dayfirst)
    out = pd.Series(fast, index=text.index, dtype="datetime64[ns]")
    if done.all():
        return out
    rest = _parse_date_general(text[~done], dayfirst)
    out[~done] = rest
    return out


def _parse_date_general(text: pd.Series, dayfirst: bool) -> pd.Series:
    """Every layout the readers meet, by pattern (slower: one regex pass per layout)."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    iso = text.str.match(_ISO)
    if iso.any():
        # the local clock time is kept: the offset goes before parsing (mixed offsets)
        clock = text[iso].str.replace(_ISO_OFFSET, r"\1", regex=True)
        parsed = pd.to_datetime(clock, format="ISO8601", errors="coerce", utc=True)
        out[iso] = _to_naive(parsed)
        rest = iso & out.isna()
        out[rest] = _try_formats(text[rest], ["%Y-%m-%d-%H-%M-%S", "%Y-%m-%d %H:%M:%S.%f"])
    dmy = text.str.match(_DMY)
    if dmy.any():
        norm = text[dmy].str.replace(r"^(\d{1,2})[.\-](\d{1,2})[.\-]", r"\1/\2/", regex=True)
        norm = norm.str.replace("T", " ", regex=False)
        d, m = ("%d", "%m") if dayfirst else ("%m", "%d")
        out[dmy] = _try_formats(
            norm, [f"{d}/{m}/%Y", f"{d}/{m}/%Y %H:%M", f"{d}/{m}/%Y %H:%M:%S"]
        )
    ymd = text.str.match(_YMD_SLASH)
    if ymd.any():
        norm = text[ymd].str.replace(_ZONE_SUFFIX, "", regex=True).str.upper()
        out[ymd] = _try_formats(
            norm,
            ["%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %I:%M %p", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"],
        )
    return out


def _parse_date_objects(values: pd.Series) -> pd.Series:
    """Datetimes pass through; numbers are Excel serial days (1900 date system)."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    is_dt = values.map(lambda v: isinstance(v, (_dt.date, np.datetime64)))
    if is_dt.any():
        local = values[is_dt].map(_wall_clock)
        out[is_dt] = _to_naive(pd.to_datetime(local, errors="coerce", utc=True))
    is_num = values.map(lambda v: isinstance(v, (int, float, np.number)) and not isinstance(v, bool))
    if is_num.any():
        days = values[is_num].astype("float64")
        days = days.where(days.between(*_EXCEL_RANGE))
        out[is_num] = _EXCEL_EPOCH + pd.to_timedelta(days, unit="D")
    return out


def parse_dates(series: pd.Series, *, dayfirst: bool = True) -> tuple[pd.Series, pd.Series]:
    """Parse a column of dates or date-times as survey tools write them.

    Parameters
    ----------
    series : Series
        Strings in ISO form (``2016-03-01``, ``2016-03-01 10:22:00``,
        ``2016-03-01T10:22:00Z``, with an offset), ``dd/mm/yyyy`` with an optional
        ``hh:mm(:ss)`` (also with ``.`` or ``-``), Google Forms'
        ``2023/11/13 4:20:37 pm CET``, Kobo's ``2019-01-08-14-49-06``; datetimes pass
        through; numbers are Excel serial days.
    dayfirst : bool
        Read ``01/02/2016`` as 1 February (French default) or, if False, as 2 January.

    Returns
    -------
    values : Series of datetime64[ns]
        Naive date-times on the same index, NaT where missing or unparseable.
    bad : Series of bool
        True where the cell held something that is not a date.

    Notes
    -----
    Values with a UTC offset or ``Z`` (and timezone-aware datetimes) keep their local
    clock time, the offset dropped: ``2015-01-01T00:30:00+01:00`` is 00:30 on
    1 January, not 23:30 the day before in UTC; a trailing zone name (``CET``,
    ``UTC+3``) is dropped and the wall time kept too. Dates before 1677 do not fit
    ``datetime64[ns]`` and count as bad. Only distinct values are parsed.

    Examples
    --------
    >>> values, bad = parse_dates(pd.Series(["01/02/2016", "2016-03-01T10:22:00Z", "x"]))
    >>> [str(v) for v in values]
    ['2016-02-01 00:00:00', '2016-03-01 10:22:00', 'NaT']
    >>> bad.tolist()
    [False, False, True]
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        values = _to_naive(pd.Series(series, index=series.index))
        return values, pd.Series(False, index=series.index)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        series = series.astype(object).where(series.notna(), None)
    codes, uniques = _factorize(series)
    if pd.api.types.infer_dtype(uniques, skipna=True) == "string":
        is_text = pd.Series(True, index=uniques.index)
    else:
        is_text = uniques.map(lambda v: isinstance(v, str))
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
    if is_text.any():
        parsed[is_text] = _parse_date_text(uniques[is_text].astype(str), dayfirst)
    if (~is_text).any():
        parsed[~is_text] = _parse_date_objects(uniques[~is_text])
    blank = is_text & _strip(uniques.astype(str)).eq("")
    ok = parsed.notna() | blank
    values = _take(parsed.to_numpy(dtype="datetime64[ns]"), codes, np.datetime64("NaT", "ns"))
    bad = _take(~ok.to_numpy(), codes, False).astype(bool)
    return (
        pd.Series(values.astype("datetime64[ns]"), index=series.index),
        pd.Series(bad, index=series.index),
    )


#: Day and month (in either order) then a two-digit year, an optional time after it:
#: ``16/10/15``, ``16.10.15 08:30``, ``10-16-15 08:30:05``.
_SHORT_YEAR = (r"^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{2})"
               r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
#: Two-digit years up to this one are 20xx, later ones 19xx (the POSIX ``%y`` rule).
_LAST_YY_2000S = 68
#: A number written as text (a decimal point or comma, no thousands separator).
_NUMBER_TEXT = r"^\s*[+\-]?\d+(?:[.,]\d+)?\s*$"
#: Excel serial days read from text: 1990-01-01 .. 2100-12-31 (1900 date system).
SERIAL_RANGE = (32874, 73415)


def _year_first(first: pd.Series, last: pd.Series) -> bool:
    """Whether values read day first may as well be two-digit year/month/day
    (``15-10-16`` for 16 October 2015): every last part could be a day, they take more
    than 12 values (more years than a survey spans) and more than the first parts do
    (days vary more than years). A column of first days of the month over a few years
    (``01/09/15``, ``01/10/16``) stays day first.

    Examples
    --------
    >>> _year_first(pd.Series([15] * 7 + [16] * 7), pd.Series(range(1, 15)))
    True
    >>> _year_first(pd.Series([1, 1, 1]), pd.Series([15, 16, 17]))
    False
    """
    days = last.nunique()
    return bool(days > 12 and days > first.nunique() and last.between(1, 31).all())


def short_year_dates(text: pd.Series, order: str | None = None) -> tuple[pd.Series, str | None]:
    """Read distinct strings written day/month/two-digit year (``16/10/15``), or
    month/day/two-digit year, the order decided on all of them together.

    Parameters
    ----------
    text : Series of str
        The distinct values of one column (those no other layout read).
    order : {"day_first", "month_first"}, optional
        The file's order (another column shows it): values reading both ways follow it.

    Returns
    -------
    values : Series of datetime64[ns]
        The datetimes on the same index, NaT where a value is not in this layout or
        is no valid date in the order found.
    order : str or None
        ``"day_first"`` when a value's first part is above 12 (``16/10/15``),
        ``"month_first"`` when a value's second part is (``10/16/15``),
        ``"day_first_assumed"`` when every value reads both ways (day first, as French
        exports write; ``"<order>_file"`` with ``order``), None when no value is in the
        layout, the values disagree (one is day first, another month first) or may be
        year/month/day (:func:`_year_first`): nothing is read then.

    Notes
    -----
    Years ``00``–``68`` are 2000–2068, ``69``–``99`` are 1969–1999 (as Python's and
    C's ``%y``). Checked against :func:`datetime.datetime.strptime` with ``%d/%m/%y``.

    Examples
    --------
    >>> values, order = short_year_dates(pd.Series(["16/10/15", "05/01/16 08:30", "x"]))
    >>> [str(v) for v in values], order
    (['2015-10-16 00:00:00', '2016-01-05 08:30:00', 'NaT'], 'day_first')
    >>> short_year_dates(pd.Series(["10/16/15"]))[1], short_year_dates(pd.Series(["05/01/16"]))[1]
    ('month_first', 'day_first_assumed')
    >>> str(short_year_dates(pd.Series(["05/01/16"]), order="month_first")[0][0])
    '2016-05-01 00:00:00'
    """
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    parts = text.astype(str).str.extract(_SHORT_YEAR)
    found = parts[0].notna().to_numpy()
    if not found.any():
        return out, None
    numbers = parts[found].drop(columns=1).fillna("0").astype("int64")
    first, second, yy = numbers[0], numbers[2], numbers[3]
    day_first = ((first > 12) & (first <= 31) & (second >= 1) & (second <= 12)).any()
    month_first = ((second > 12) & (second <= 31) & (first >= 1) & (first <= 12)).any()
    if (day_first and month_first) or (not month_first and _year_first(first, yy)):
        return out, None
    both = not (month_first or day_first)  # every value reads both ways: the file's order
    month_first = month_first or (both and order == "month_first")
    order = (f"{order}_file" if order else "day_first_assumed") if both else (
        "month_first" if month_first else "day_first")
    day, month = (second, first) if month_first else (first, second)
    clock = (numbers[4] < 24) & (numbers[5] < 60) & (numbers[6] < 60)
    stamps = pd.to_datetime(pd.DataFrame({
        "year": np.where(yy <= _LAST_YY_2000S, 2000 + yy, 1900 + yy), "month": month,
        "day": day, "hour": numbers[4].where(clock, 0), "minute": numbers[5].where(clock, 0),
        "second": numbers[6].where(clock, 0)}), errors="coerce")
    out[found] = stamps.where(clock).to_numpy(dtype="datetime64[ns]")
    return out, order


def serial_text_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Read distinct strings holding Excel serial day numbers (``"42293"``,
    ``"42293,354166667"``): a spreadsheet's date column saved to CSV as numbers.

    Parameters
    ----------
    text : Series of str
        The distinct values of one column.

    Returns
    -------
    values : Series of datetime64[ns]
        The datetimes (to the second) of the numbers within :data:`SERIAL_RANGE`, NaT
        elsewhere.
    number : Series of bool
        True where the value is a number written as text (within the range or not).

    Notes
    -----
    Excel's 1900 date system counts days from 1899-12-30 (its day 60, the
    29 February 1900 that never was, lies before the range read here); the fraction
    is the time of day. Checked against Excel's documented serials (42293 is
    16 October 2015) and :func:`openpyxl.utils.datetime.from_excel`.

    Examples
    --------
    >>> values, number = serial_text_dates(pd.Series(["42293", "42293,5", "12", "abc"]))
    >>> [str(v) for v in values], number.tolist()
    (['2015-10-16 00:00:00', '2015-10-16 12:00:00', 'NaT', 'NaT'], [True, True, True, False])
    """
    text = text.astype(str)
    number = text.str.match(_NUMBER_TEXT)
    days = pd.to_numeric(text[number].str.strip().str.replace(",", ".", regex=False),
                         errors="coerce")
    lo, hi = SERIAL_RANGE
    days = days.where((days >= lo) & (days < hi + 1))
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    out[number] = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("s")
    return out, number
