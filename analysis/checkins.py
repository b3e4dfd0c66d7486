"""Retention from check-in logs and dates: durations per user, cohort tables, and the
seniority of people active at a date compared with the Nouvelle-Aquitaine 2016 figures.

Two different questions are kept apart:

* **completed-stay retention** -- how long people keep coming -- uses every user's
  duration, right-censored while they are still coming (:func:`retention_from_checkins`,
  :func:`durations_from_dates`, then :func:`analysis.kaplan_meier`);
* **cross-sectional seniority** -- among the people active at a date, how long they
  have been coming (:func:`seniority_bands`) -- which is what the Nouvelle-Aquitaine
  2016 survey published (14/17/23/32/13 % in five bands) and what
  :func:`compare_seniority` tests against.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis._checkin_log import to_datetime
from analysis._codes import factorize
from analysis._data import as_frame, check_columns
from analysis.baselines import baselines, parse_condition
from analysis.interval_censoring import default_bands
from surveys.errors import DataQualityWarning, SurveyError

__all__ = ["retention_from_checkins", "cohorts", "durations_from_dates", "seniority_bands",
           "compare_seniority", "DAYS_PER_MONTH"]

#: Average month length used to turn days into months (365.25 / 12).
DAYS_PER_MONTH = 365.25 / 12
_NS_PER_DAY = 86_400 * 10**9
#: Longest span of days turned into periods through a table of days (about 270 years).
_CALENDAR_DAYS = 100_000
#: Largest (users x periods) table of visits the cohort table is counted on (bytes).
_DENSE_COHORTS = 2**28
#: Most (cohort, period) cells counted slice by slice in that table.
_COHORT_CELLS = 20_000
#: Rows worked on at once where a whole-log temporary array is not needed.
_CHUNK = 2**20


# ----------------------------------------------------------------------------- check-ins
def _checkins(events, as_of) -> dict:
    """Checked check-in log: user codes, int64 timestamps, row positions, users, places.

    The user column is factorised once (codes -1 mark missing ids) and everything else
    works on integer arrays; the place of a row is looked up only for first visits.
    The per-user summary (:func:`_per_user`) is computed once per log, on first use.
    """
    frame = as_frame(events)
    check_columns(frame, ["place_id", "user_id", "timestamp"])
    codes, users, first_rows = _user_codes(frame["user_id"])
    stamps = to_datetime(frame["timestamp"]).to_numpy(dtype="datetime64[ns]").view("i8")
    keep = (codes >= 0) & (stamps != np.iinfo(np.int64).min)          # NaT is int64 min
    if not keep.all():
        warnings.warn(f"{int((~keep).sum())} check-ins without a user or a timestamp were "
                      "left out.", DataQualityWarning, stacklevel=3)
    if not keep.any():
        raise SurveyError("The check-in log has no usable row (user_id and timestamp).")
    if as_of is None:
        as_of = pd.Timestamp((stamps if keep.all() else stamps[keep]).max())
    as_of = pd.Timestamp(as_of)
    before = stamps <= as_of.value
    if not (keep & before).any():
        first = pd.Timestamp((stamps if keep.all() else stamps[keep]).min())
        raise SurveyError(f"No check-in on or before as_of={as_of.date()}: the log starts on "
                          f"{first.date()}; choose a later as_of.")
    keep &= before
    rows = None if keep.all() else np.flatnonzero(keep)
    if rows is not None:
        codes, stamps = codes[rows], stamps[rows]
        used, codes = np.unique(codes, return_inverse=True)       # drop users with no row left
        users, first_rows = users[used], None
    return {"codes": codes, "users": np.asarray(users), "stamps": stamps, "rows": rows,
            "places": frame["place_id"], "as_of": as_of, "first_rows": first_rows}


def _user_codes(ids: pd.Series) -> tuple[np.ndarray, object, np.ndarray | None]:
    """Codes, uniques and first rows of the user ids: :func:`analysis._codes.factorize`.

    Codes number the users in order of first appearance (-1 for a missing id) and
    ``np.asarray(uniques)`` lists them in that order, as ``pd.factorize`` does. For
    categorical ids (check-in logs are read so) the category codes are renumbered by
    the row of each category's first appearance -- one pass, no hashing; none when the
    categories are all used and first appear in their order, as read -- and those rows
    are returned too (else None).
    """
    if not isinstance(ids.dtype, pd.CategoricalDtype):
        codes, users = factorize(ids)                       # hash-based, no sort: O(rows)
        return codes, users, None
    categories = ids.cat.categories
    category = ids.cat.codes.to_numpy()
    rows = _rows_in_order(category, len(categories))
    if rows is not None:
        return category, np.asarray(categories), rows
    n = len(category)
    first = np.full(len(categories) + 1, n, dtype=np.intp)     # last slot: missing ids (-1)
    for chunk in _chunks(n):                # row numbers a chunk at a time: no n-row array
        np.minimum.at(first, category[chunk], np.arange(chunk.start, min(chunk.stop, n)))
    present = np.flatnonzero(first[:-1] < n)
    order = present[np.argsort(first[present])]                # by first appearance
    renumber = np.full(len(categories) + 1, -1, dtype=np.int32 if n < 2**31 else np.intp)
    renumber[order] = np.arange(len(order))
    return renumber[category], np.asarray(categories)[order], first[order]


def _rows_in_order(codes: np.ndarray, n_codes: int) -> np.ndarray | None:
    """The row where each code first appears, if codes 0, 1, ... n_codes - 1 all appear
    and first do so in that order (-1, missing, anywhere); else None.

    Codes appear in order when none exceeds the largest code before it by more than
    one; a code appears first where the running largest code grows.
    """
    top, rows = -1, []
    for chunk in _chunks(len(codes)):
        part = codes[chunk]
        largest = np.maximum.accumulate(part)
        np.maximum(largest, top, out=largest)                      # with the chunks before
        before = np.concatenate([[top], largest[:-1]])
        if (part > before + 1).any():
            return None
        rows.append(np.flatnonzero(largest > before) + chunk.start)
        top = int(largest[-1])
    if top != n_codes - 1:
        return None
    return np.concatenate(rows) if rows else np.zeros(0, dtype=np.intp)


def _in_order(stamps: np.ndarray) -> bool:
    """Whether timestamps never decrease (a chunk at a time, stopping at the first
    that does)."""
    last = len(stamps) - 1                  # pairs (i, i + 1) for i < last
    return all((stamps[pair.start + 1:pair.stop + 1] >= stamps[pair.start:min(pair.stop, last)])
               .all() for pair in _chunks(last))


def _per_user(log: dict):
    """First and last timestamp (int64 ns), visit count and row of the first visit."""
    if "per_user" not in log:
        log["per_user"] = _first_last(log["codes"], log["stamps"], len(log["users"]),
                                      log.get("first_rows"))
    return log["per_user"]


def _first_last(codes, stamps, n_users, first_rows=None):
    """:func:`_per_user` of user codes and int64 timestamps.

    ``first_rows`` (optional) is each user's first row; in a log in time order (the
    usual case, checked) it is the row of the first visit, and no search is needed.
    """
    last = np.full(n_users, np.iinfo(np.int64).min)
    np.maximum.at(last, codes, stamps)
    visits = np.bincount(codes, minlength=n_users)
    if first_rows is not None and _in_order(stamps):
        return stamps[first_rows], last, visits, first_rows
    first = np.full(n_users, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, stamps)
    candidates = np.flatnonzero(stamps == first[codes])       # rows at a user's first visit
    _, at = np.unique(codes[candidates], return_index=True)   # earliest row among ties
    return first, last, visits, candidates[at]


def retention_from_checkins(events, *, inactivity_days: float = 60, as_of=None) -> pd.DataFrame:
    """One duration per user from a check-in log, right-censored while they still come.

    Parameters
    ----------
    events : Survey of kind ``attendance`` or DataFrame
        Columns ``place_id``, ``user_id``, ``timestamp``.
    inactivity_days : float
        A user whose last visit is more than this many days before ``as_of`` has left.
    as_of : date-like, optional
        Date of the analysis; default the last timestamp in the log. Check-ins after it
        are ignored.

    Returns
    -------
    DataFrame
        One row per user, in order of first appearance in the log: ``user_id``, ``place_id`` (of the
        first visit), ``first_visit``, ``last_visit``, ``visits``, ``duration_days``,
        ``duration_months`` (days / 30.4375), ``observed``. A user who left
        (``observed`` true) stayed ``last_visit - first_visit``; a user still coming
        (``observed`` false) has been followed for ``as_of - first_visit``.

    Notes
    -----
    Aggregated with one group-by over integer user codes (no loop over users).
    Feed ``duration_months`` and ``observed`` to :func:`analysis.kaplan_meier`.

    Examples
    --------
    >>> log = pd.DataFrame({"place_id": ["p", "p", "q", "p"], "user_id": ["a", "a", "b", "b"],
    ...     "timestamp": pd.to_datetime(["2016-01-01", "2016-01-11", "2016-01-05",
    ...                                  "2016-06-01"])})
    >>> retention_from_checkins(log)[["user_id", "place_id", "visits", "duration_days",
    ...                               "observed"]]
      user_id place_id  visits  duration_days  observed
    0       a        p       2           10.0      True
    1       b        q       2          148.0     False
    """
    return _stays(_checkins(events, as_of), inactivity_days)


def _stays(log: dict, inactivity_days: float) -> pd.DataFrame:
    """:func:`retention_from_checkins` of a checked log."""
    first, last, visits, first_row = _per_user(log)
    as_of, rows = log["as_of"], log["rows"]
    left = (as_of.value - last) > inactivity_days * _NS_PER_DAY
    days = (np.where(left, last, as_of.value) - first) / _NS_PER_DAY
    first_row = first_row if rows is None else rows[first_row]
    return pd.DataFrame({
        "user_id": log["users"],
        "place_id": log["places"].take(first_row).array,            # keeps the dtype
        "first_visit": first.view("M8[ns]"), "last_visit": last.view("M8[ns]"),
        "visits": visits, "duration_days": days, "duration_months": days / DAYS_PER_MONTH,
        "observed": left})


def cohorts(events, period: str = "M", *, as_of=None) -> pd.DataFrame:
    """Cohort table: users by period of first visit x periods since, share still coming.

    Parameters
    ----------
    events : Survey of kind ``attendance`` or DataFrame
        Columns ``place_id``, ``user_id``, ``timestamp``.
    period : str
        A pandas period alias: ``"M"`` (months, default), ``"W"``, ``"Q"``...
    as_of : date-like, optional
        Last date of the log to use; default its last timestamp.

    Returns
    -------
    DataFrame
        Long format, one row per cohort and period index: ``cohort`` (start of the
        period of first visit), ``period_index`` (0 = the period of the first visit,
        1 = the next calendar period...), ``users`` (size of the cohort), ``active``
        (users of the cohort with at least one visit *in* that period), ``share``
        (active / users). Rows run up to the period of ``as_of`` (the last one may be
        incomplete).

    Notes
    -----
    "Still coming at k" means a visit during the k-th calendar period after the period
    of the first visit -- the usual product-analytics cohort table, so the share is 1 at
    k = 0 and need not decrease (a user may skip a month and come back).

    Examples
    --------
    >>> log = pd.DataFrame({"place_id": "p", "user_id": ["a", "a", "b", "a"],
    ...     "timestamp": pd.to_datetime(["2016-01-03", "2016-02-09", "2016-02-01",
    ...                                  "2016-03-30"])})
    >>> cohorts(log)
          cohort  period_index  users  active  share
    0 2016-01-01             0      1       1    1.0
    1 2016-01-01             1      1       1    1.0
    2 2016-01-01             2      1       1    1.0
    3 2016-02-01             0      1       1    1.0
    4 2016-02-01             1      1       0    0.0
    """
    return _cohort_table(_checkins(events, as_of), period)


def _cohort_table(log: dict, period: str) -> pd.DataFrame:
    """:func:`cohorts` of a checked log."""
    codes = log["codes"]
    ordinal, last = _period_ordinals(log["stamps"], log["as_of"], period)
    # the period is non-decreasing in time: a user's first period is that of the first visit
    first = _period_ordinals(_per_user(log)[0], log["as_of"], period)[0].astype(np.int64)
    span = int(last - first.min()) + 1
    cohort_ids, cohort_of_user = np.unique(first, return_inverse=True)
    users = np.bincount(cohort_of_user)
    n_users = len(first)
    if n_users * span <= _DENSE_COHORTS:
        # a (k x user) table of visits, users numbered cohort by cohort so that a cohort
        # is a slice of each row: its active users at k are the true cells of the slice
        rank = np.empty(n_users, dtype=np.int64)
        rank[np.argsort(cohort_of_user, kind="stable")] = np.arange(n_users)
        seen = np.zeros(span * n_users, dtype=bool)
        # cell = rank + (ordinal - first) x n_users < 2**28, with periods counted from
        # the first cohort's so that every term fits in 32 bits
        base = int(first.min())
        column = (rank - (first - base) * n_users).astype(np.int32)
        ordinal = ordinal if ordinal.flags.writeable else ordinal.copy()
        for chunk in _chunks(len(codes)):                          # in place: no new array
            cell = ordinal[chunk]
            cell -= base
            cell *= n_users
            cell += column[codes[chunk]]
            seen[cell] = True                                      # row k, column rank
        active = _active_counts(seen.reshape(span, n_users), users)
    else:                                                          # distinct (user, k)
        pairs = np.unique(codes.astype(np.int64) * span + ordinal - first[codes])
        user_of, k_of = pairs // span, pairs % span
        active = np.bincount(cohort_of_user[user_of] * span + k_of,
                             minlength=len(cohort_ids) * span).reshape(len(cohort_ids), span)
    lengths = last - cohort_ids + 1
    row, k = np.nonzero(np.arange(span)[None, :] < lengths[:, None])
    start = pd.PeriodIndex.from_ordinals(cohort_ids, freq=period).to_timestamp()
    return pd.DataFrame({"cohort": start[row], "period_index": k, "users": users[row],
                         "active": active[row, k], "share": active[row, k] / users[row]})


def _active_counts(seen: np.ndarray, users: np.ndarray) -> np.ndarray:
    """(cohorts x k) true cells of a (k x user) table whose users come cohort by cohort."""
    span = seen.shape[0]
    ends = np.cumsum(users)
    if len(users) * span <= _COHORT_CELLS:                       # cohorts x periods slices
        return np.array([[np.count_nonzero(seen[k, start:end]) for k in range(span)]
                         for start, end in zip(ends - users, ends)], dtype=np.int64)
    k, rank = np.divmod(np.flatnonzero(seen), seen.shape[1])
    cohort = np.repeat(np.arange(len(users)), users)[rank]
    return np.bincount(cohort * span + k, minlength=len(users) * span).reshape(len(users), span)


_NUMPY_UNITS = {"D": ("D", 1), "M": ("M", 1), "Q": ("M", 3), "Y": ("Y", 1)}


def _period_ordinals(stamps, as_of, period: str):
    """pandas Period ordinals of int64-ns ``stamps`` and of ``as_of`` for ``period``.

    Days, months, quarters and years are computed with numpy datetime units (the same
    ordinals as pandas, much faster on millions of rows); other aliases go through
    ``pandas.PeriodIndex``.
    """
    try:
        last = pd.Period(as_of, freq=period).ordinal
        if period in _NUMPY_UNITS:
            unit, size = _NUMPY_UNITS[period]
            ordinal = _calendar(stamps, unit)
            if size > 1:
                np.floor_divide(ordinal, size, out=ordinal)
        else:
            ordinal = pd.PeriodIndex(pd.DatetimeIndex(stamps.view("M8[ns]")), freq=period).asi8
    except (ValueError, TypeError) as error:
        raise SurveyError(f"period={period!r} is not a pandas period alias such as 'M', "
                          f"'W' or 'Q' ({error}).") from None
    return ordinal, last


def _calendar(stamps: np.ndarray, unit: str) -> np.ndarray:
    """numpy ``datetime64[unit]`` ordinals of int64-ns ``stamps``.

    Through a table of the days the stamps cover (one calendar conversion per day, not
    per stamp) when they span at most ``_CALENDAR_DAYS`` days.
    """
    # every day of a datetime64[ns] (about 1677 to 2262) fits in 32 bits, and so do
    # the ordinals of its days, months and years: half the memory of int64
    days = np.empty(len(stamps), dtype=np.int32)
    np.floor_divide(stamps, _NS_PER_DAY, out=days, casting="unsafe")   # floor division
    low, high = (int(days.min()), int(days.max())) if len(days) else (0, 0)
    if len(days) and high - low <= _CALENDAR_DAYS:
        table = (np.arange(low, high + 1).astype("M8[D]").astype(f"M8[{unit}]").view("i8")
                 .astype(np.int32))
        for chunk in _chunks(len(days)):                           # day -> period in place
            days[chunk] = table[days[chunk] - np.int32(low)]
        return days
    return stamps.view("M8[ns]").astype(f"M8[{unit}]").view("i8")


def _chunks(n: int) -> list[slice]:
    """Slices of ``range(n)``, ``_CHUNK`` rows each: the temporary arrays of a chunk
    stay small and their memory is reused from one chunk to the next."""
    return [slice(start, start + _CHUNK) for start in range(0, n, _CHUNK)]


# ----------------------------------------------------------------------------- dates
def durations_from_dates(start, end=None, *, as_of=None) -> pd.DataFrame:
    """Durations in months from start and end dates (end empty while still enrolled).

    Parameters
    ----------
    start, end : array-like of dates
        E.g. companies' ``joined`` / ``left`` or agents' ``telework_start`` /
        ``telework_end``. A missing ``end`` (or one after ``as_of``) means still there.
    as_of : date-like, optional
        Date of the analysis; default the latest start or end date.

    Returns
    -------
    DataFrame
        ``duration_months`` (days / 30.4375) and ``observed`` (the stay ended by
        ``as_of``), on the index of ``start``; rows that start after ``as_of`` or have
        no start are NaN / False.

    Examples
    --------
    >>> durations_from_dates(pd.to_datetime(["2016-01-01", "2016-03-01"]),
    ...                      pd.to_datetime(["2016-07-01", None]), as_of="2016-09-01")
       duration_months  observed
    0         5.979466      True
    1         6.045175     False
    """
    begin = pd.Series(to_datetime(start))
    stop = (pd.Series(pd.NaT, index=begin.index, dtype="datetime64[ns]") if end is None
            else pd.Series(to_datetime(end), index=begin.index))
    if (stop < begin).any():
        raise SurveyError(f"{int((stop < begin).sum())} end date(s) come before their start "
                          "date; fix or blank them.")
    as_of = pd.concat([begin, stop]).max() if as_of is None else pd.Timestamp(as_of)
    ended = stop.notna() & (stop <= as_of)
    days = (stop.where(ended, as_of) - begin) / pd.Timedelta(days=1)
    days = days.where(begin <= as_of)
    return pd.DataFrame({"duration_months": days / DAYS_PER_MONTH, "observed": ended})


# ----------------------------------------------------------------------------- seniority
def _active_seniority(data, at, inactivity_days, start, end):
    """Months since the start of everyone active at ``at`` (check-ins or dates)."""
    if start is None:
        return _checkin_seniority(_checkins(data, at), inactivity_days)
    frame = as_frame(data)
    check_columns(frame, [start] + ([end] if end else []))
    durations = durations_from_dates(frame[start], frame[end] if end else None, as_of=at)
    active = durations["duration_months"].notna() & ~durations["observed"]
    return durations.loc[active, "duration_months"].to_numpy()


def _checkin_seniority(log: dict, inactivity_days: float) -> np.ndarray:
    """Months since the first visit of every user active at the log's ``as_of``."""
    first, last, _visits, _first_rows = _per_user(log)
    at = log["as_of"]
    active = (at.value - last) <= inactivity_days * _NS_PER_DAY
    return (at.value - first[active]) / _NS_PER_DAY / DAYS_PER_MONTH


def seniority_bands(
    data,
    *,
    at=None,
    inactivity_days: float = 60,
    start: str | None = None,
    end: str | None = None,
    bands: Mapping[str, tuple[float, float]] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """How long the people active at a date have been coming, in duration bands.

    Parameters
    ----------
    data : Survey or DataFrame
        A check-in log (``place_id``, ``user_id``, ``timestamp``), or -- with ``start``
        -- one row per company or agent with start and end dates.
    at : date-like, optional
        Date of the cross-section; default the last date in the data.
    inactivity_days : float
        Check-ins: a user is active at ``at`` when their last visit is at most this many
        days before it.
    start, end : str, optional
        Date columns (e.g. ``"joined"``/``"left"``, ``"telework_start"``/
        ``"telework_end"``); active at ``at`` = started by then and not yet ended.
    bands : mapping, optional
        code -> (lower, upper] in months; default the codebook's duration bands.
    level : float
        Confidence level of the Wilson intervals.

    Returns
    -------
    DataFrame
        One row per band: ``band``, ``lower``, ``upper``, ``n`` (people active at
        ``at``: the base), ``count`` (in the band), ``estimate`` (share), ``ci_low``,
        ``ci_high`` (Wilson), ``method``.

    Notes
    -----
    Seniority is ``at - first visit`` (or ``at - start``) in months of 30.4375 days; a
    seniority of exactly 0 counts in the first band. This is a cross-section of current
    users, the quantity the Nouvelle-Aquitaine 2016 survey published; it is not the
    distribution of completed stays (use :func:`analysis.kaplan_meier` for that).

    Examples
    --------
    >>> log = pd.DataFrame({"place_id": "p", "user_id": ["a", "b", "b", "c"],
    ...     "timestamp": pd.to_datetime(["2016-05-20", "2015-01-10", "2016-06-01",
    ...                                  "2016-01-01"])})
    >>> seniority_bands(log)[["band", "n", "count", "estimate"]]
        band  n  count  estimate
    0    <3m  2      1       0.5
    1   3-6m  2      0       0.0
    2  6-12m  2      0       0.0
    3   1-2y  2      1       0.5
    4    >2y  2      0       0.0
    """
    bands = _checked_bands(bands)
    return _band_table(_active_seniority(data, at, inactivity_days, start, end), bands, level)


def _checked_bands(bands) -> dict:
    """The bands (default: the codebook's), checked contiguous and in order."""
    bands = default_bands() if bands is None else dict(bands)
    lower = np.array([b[0] for b in bands.values()], float)
    upper = np.array([b[1] for b in bands.values()], float)
    if (np.diff(lower) <= 0).any() or (lower[1:] != upper[:-1]).any():
        raise SurveyError(f"seniority_bands needs contiguous bands in order, got {bands}.")
    return bands


def _band_table(months: np.ndarray, bands: dict, level: float) -> pd.DataFrame:
    """Counts and Wilson intervals of seniorities (months) in the bands."""
    lower = np.array([b[0] for b in bands.values()], float)
    upper = np.array([b[1] for b in bands.values()], float)
    index = np.searchsorted(upper, months, side="left")
    if (index >= len(upper)).any() or (months < lower[0]).any():
        raise SurveyError(f"Some seniorities fall outside the bands {bands}; widen them.")
    count = np.bincount(index, minlength=len(upper))
    n = int(count.sum())
    if n == 0:
        raise SurveyError("Nobody is active at that date; choose another `at`.")
    low, high = proportion_confint(count, n, alpha=1 - level, method="wilson")
    share = count / n
    low, high = np.minimum(low, share), np.maximum(high, share)  # rounding at 0 and 1
    return pd.DataFrame({"band": list(bands), "lower": lower, "upper": upper, "n": n,
                         "count": count, "estimate": share, "ci_low": low,
                         "ci_high": high, "method": "Wilson"})


def _report_tables(events, inactivity_days: float = 60) -> tuple[pd.DataFrame, ...]:
    """``retention_from_checkins``, ``seniority_bands`` and ``cohorts`` of a log (default
    options), from one check of the log and one per-user summary."""
    log = _checkins(events, None)
    return (_stays(log, inactivity_days),
            _band_table(_checkin_seniority(log, inactivity_days), _checked_bands(None), 0.95),
            _cohort_table(log, "M"))


def _published_seniority(source_id: str) -> pd.Series:
    """Band code -> published share of the seniority distribution of ``source_id``."""
    table = baselines(source_id)
    table = table[table["distribution"] == "attendance_seniority"]
    if table.empty:
        raise SurveyError(f"Source {source_id!r} has no seniority distribution "
                          "(distribution 'attendance_seniority').")
    codes = [parse_condition(c)[1] for c in table["condition"]]
    return pd.Series(table["value"].to_numpy(float), index=codes)


def compare_seniority(table: pd.DataFrame, source_id: str = "aquitaine-2016") -> pd.DataFrame:
    """Goodness-of-fit of a :func:`seniority_bands` table to a published distribution.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`seniority_bands` with the codebook's bands.
    source_id : str
        A catalogue source with a seniority distribution (default ``"aquitaine-2016"``,
        Nouvelle-Aquitaine third places, photographie 2016: 14/17/23/32/13 %).

    Returns
    -------
    DataFrame
        One row: ``source_id``, ``n``, ``statistic`` (Pearson chi-square), ``df``,
        ``p_value``, ``effect_size`` (Cohen's w), ``method``, ``note``.

    Notes
    -----
    ``scipy.stats.chisquare`` with expected counts ``n * share``, the published shares
    renormalised to sum to 1 (Aquitaine's sum to 99 % as published; the note says so).
    The published figure has no base n, so this is a one-sample test against fixed
    shares.

    Examples
    --------
    >>> t = pd.DataFrame({"band": ["<3m", "3-6m", "6-12m", "1-2y", ">2y"], "n": 100,
    ...                   "count": [14, 17, 23, 32, 14]})
    >>> compare_seniority(t)[["n", "df", "p_value"]]
         n  df  p_value
    0  100   4  0.99...
    """
    check_columns(table, ["band", "n", "count"])
    published = _published_seniority(source_id)
    missing = sorted(set(published.index) - set(table["band"]))
    if missing or len(table) != len(published):
        raise SurveyError(f"The table's bands {list(table['band'])} do not match the "
                          f"published bands {list(published.index)} of {source_id!r}.")
    counts = table.set_index("band")["count"].reindex(published.index).to_numpy(float)
    n = counts.sum()
    total = published.sum()
    expected = n * published.to_numpy() / total
    statistic, p_value = stats.chisquare(counts, expected)
    note = (f"published shares sum to {100 * total:.0f} %; renormalised to 100 % for the test"
            if abs(total - 1) > 1e-9 else "published shares sum to 100 %")
    return pd.DataFrame([{
        "source_id": source_id, "n": int(n), "statistic": float(statistic),
        "df": len(counts) - 1, "p_value": float(p_value),
        "effect_size": float(np.sqrt(statistic / n)),
        "method": "chi-square goodness of fit (one sample, fixed shares)", "note": note}])
