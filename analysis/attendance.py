"""Third-place attendance from check-in logs: visits, users, occupancy and growth.

Check-in events (kind ``attendance``: ``place_id``, ``user_id``, ``timestamp``) are
joined with the registry of places (kind ``places``) and summarised per period and per
place. The work is aggregate-first: timestamps become integer day codes once, places,
users and periods become integer codes, and every count is a ``bincount`` or a sort of
64-bit keys -- never a Python loop over events.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import pandas as pd

from analysis._checkin_log import aggregate, encode, sorted_unique, to_datetime
from analysis._data import as_frame, as_list, check_columns, check_option
from surveys.errors import DataQualityWarning, SurveyError
from surveys.notes import Note

__all__ = ["attendance_summary", "attendance_by", "attendance_growth"]

_FREQS = ("M", "Q", "Y")
_OPEN_DAYS = ("all", "weekdays")
_MEASURES = ("users", "visits", "user_days")
_REGISTRY_COLUMNS = ("name", "type", "zone", "department", "governance")


# --------------------------------------------------------------------------- public


def attendance_summary(
    events,
    places,
    *,
    freq: Literal["M", "Q", "Y"] = "M",
    little_used: float = 0.2,
    start=None,
    end=None,
    open_days: Literal["all", "weekdays"] = "all",
) -> pd.DataFrame:
    """Attendance per period and per place, with occupancy and growth.

    Parameters
    ----------
    events : Survey or DataFrame
        Check-ins with ``place_id``, ``user_id`` and ``timestamp``.
    places : Survey or DataFrame
        The registry: ``place_id`` and, when known, ``capacity`` (seats), ``opened``
        (date), ``name``, ``type``, ``zone``, ``department``, ``governance``.
    freq : {"M", "Q", "Y"}
        Calendar months, quarters or years.
    little_used : float
        Occupancy below which a place is flagged as little used in a period.
    start, end : date-like, optional
        First and last day of the window (events outside are left out). By default
        the window runs from the first day of the first event's period to the last
        day of the last event's period.
    open_days : {"all", "weekdays"}
        Whether a place counts as open every day or Monday to Friday only.

    Returns
    -------
    DataFrame
        One row per place and period from the place's opening (or the window's
        first period) to the window's last period, places and periods without
        visits included with zero counts: ``period`` (first day of the period),
        ``place_id``, the registry's ``name``, ``type``, ``zone``, ``department``,
        ``governance`` (those present), ``capacity``, ``visits`` (check-ins),
        ``users`` (distinct), ``new_users`` (first check-in at this place in the
        log falls in this period), ``returning_users`` (``users - new_users``),
        ``user_days`` (distinct user x day), ``open_days`` (days open in the period
        within the window, from the opening date), ``occupancy`` (``user_days /
        (capacity x open_days)``; NaN without capacity or open days),
        ``little_used`` (occupancy below ``little_used``; NA where occupancy is NaN),
        ``growth`` (relative change in ``users`` from the previous period; NaN for
        the first period, after a period with no users, or where the place was not
        open the whole of either period).
        ``attrs["notes"]`` lists what was left out (unknown places, missing values).

    Raises
    ------
    SurveyError
        Missing columns, an unknown option, duplicated ``place_id`` in the registry.

    Warns
    -----
    DataQualityWarning
        Events at a place_id absent from the registry, or with no user or timestamp
        (they are counted in ``attrs["notes"]`` and left out); check-ins before a
        place's opening date (kept; its rows then start earlier, with 0 open days).

    Notes
    -----
    Checked by hand on a small log (tests/analysis/test_attendance.py) and against
    a DuckDB SQL query on ten million check-ins (benchmarks/attendance.py).

    Examples
    --------
    >>> places = pd.DataFrame({"place_id": ["a"], "type": ["coworking"],
    ...                        "zone": ["rural"], "capacity": [2.0],
    ...                        "opened": pd.to_datetime(["2016-01-01"])})
    >>> events = pd.DataFrame({"place_id": ["a", "a", "a"], "user_id": ["u", "v", "u"],
    ...     "timestamp": pd.to_datetime(["2016-01-04 09:00", "2016-01-04 10:00",
    ...                                  "2016-02-01 09:00"])})
    >>> out = attendance_summary(events, places)
    >>> out[["period", "visits", "users", "new_users", "returning_users"]]
          period  visits  users  new_users  returning_users
    0 2016-01-01       2      2          2                0
    1 2016-02-01       1      1          0                1
    >>> float(out["occupancy"].iloc[0])  # 2 user-days / (2 seats x 31 days)
    0.0322...
    """
    check_option("freq", freq, _FREQS)
    check_option("open_days", open_days, _OPEN_DAYS)
    registry = _registry(places)
    log = encode(events, registry)
    return _summary(log, registry, freq, little_used, start, end, open_days)


def _summary(log: dict, registry: pd.DataFrame, freq: str, little_used: float, start, end,
             open_days: str) -> pd.DataFrame:
    """:func:`attendance_summary` of a coded log (the coding is shared between calls)."""
    window = _window(log, freq, start, end)
    notes = list(log["notes"])
    cube = aggregate(log, window, notes)
    out = _assemble(cube, registry, window, freq, open_days, notes)
    out["occupancy"] = _occupancy(out)
    flagged = out["occupancy"] < little_used
    out["little_used"] = pd.array(flagged, dtype="boolean")
    out.loc[out["occupancy"].isna(), "little_used"] = pd.NA
    out["growth"] = _growth(out, "place_id", full=out.pop("_full").to_numpy())
    out.attrs["notes"] = notes
    return out


def attendance_by(summary: pd.DataFrame, by=("type", "zone")) -> pd.DataFrame:
    """Totals of an :func:`attendance_summary` per period and group of places.

    Parameters
    ----------
    summary : DataFrame
        The output of :func:`attendance_summary`.
    by : str or sequence of str
        Columns of ``summary`` to group places by (``()`` for the whole network).

    Returns
    -------
    DataFrame
        ``period``, the ``by`` columns, ``places`` (places open in the period),
        ``visits``, ``users``, ``new_users``, ``returning_users``, ``user_days``
        (sums over places: a user of two places counts twice), ``occupancy``
        (total user-days over total seat-days), ``little_used_places`` (places
        flagged little used), ``growth`` (relative change in ``users``).

    Examples
    --------
    >>> summary = pd.DataFrame({"period": pd.to_datetime(["2016-01-01"] * 2),
    ...     "place_id": ["a", "b"], "type": ["fablab"] * 2, "capacity": [2.0, 3.0],
    ...     "visits": [4, 6], "users": [2, 3], "new_users": [2, 3],
    ...     "returning_users": [0, 0], "user_days": [4, 6], "open_days": [10, 10],
    ...     "little_used": pd.array([True, False], dtype="boolean")})
    >>> attendance_by(summary, by="type")[["type", "places", "users", "occupancy"]]
         type  places  users  occupancy
    0  fablab       2      5        0.2
    """
    by = as_list(by)
    check_columns(summary, ["period", "capacity", "open_days", *by])
    frame = summary.assign(
        _seat_days=summary["capacity"] * summary["open_days"],
        _open=summary["open_days"] > 0,
        little_used_places=summary["little_used"].fillna(False).astype(bool),
    )
    sums = ["visits", "users", "new_users", "returning_users", "user_days",
            "_seat_days", "little_used_places"]
    grouped = frame.groupby(["period", *by], observed=True, dropna=False, sort=True)
    out = grouped[sums].sum().reset_index()
    out.insert(1 + len(by), "places", grouped["_open"].sum().to_numpy().astype("int64"))
    seat_days = out.pop("_seat_days").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = out["user_days"].to_numpy(dtype=float) / seat_days
    out["occupancy"] = np.where(seat_days > 0, occupancy, np.nan)
    out["little_used_places"] = out.pop("little_used_places").astype("int64")
    out["growth"] = _growth(out, by)
    return out


def attendance_growth(
    events,
    places,
    *,
    by: str | list | None = "place_id",
    measure: Literal["users", "visits", "user_days"] = "users",
    start=None,
    end=None,
) -> pd.DataFrame:
    """Compound annual growth rate of attendance between the first and last full year.

    Parameters
    ----------
    events, places : Survey or DataFrame
        As in :func:`attendance_summary`.
    by : "place_id", column name(s) of the registry, or None
        Per place, per group of places (sums over places) or for the whole network
        (``None``: distinct users across all places).
    measure : {"users", "visits", "user_days"}
        What grows.
    start, end : date-like, optional
        The window covered by the log; by default from the first day of the month of
        its first check-in to the last day of the month of its last check-in.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``first_year``, ``last_year``, ``first_value``,
        ``last_value``, ``estimate`` (``(last/first) ** (1 / (last_year -
        first_year)) - 1``; NaN with fewer than two full years or a first value of
        0), ``method``.

    Notes
    -----
    A calendar year is full when the window covers it from 1 January to 31 December
    and, per place, when the place was open on 1 January. Per group of places, the
    sums take every place open during a full year (openings add to the growth). The
    Nouvelle-Aquitaine figures (183 users in 2011, 4,863 in 2016) give
    ``(4863/183) ** (1/5) - 1``, about 93 % a year.

    Examples
    --------
    >>> places = pd.DataFrame({"place_id": ["a"], "capacity": [5.0]})
    >>> events = pd.DataFrame({"place_id": ["a"] * 3, "user_id": ["u", "u", "v"],
    ...     "timestamp": pd.to_datetime(["2015-03-01", "2016-03-01", "2016-05-01"])})
    >>> out = attendance_growth(events, places, start="2015-01-01", end="2016-12-31")
    >>> out[["place_id", "first_year", "last_year", "estimate"]]
      place_id  first_year  last_year  estimate
    0        a        2015       2016       1.0
    """
    check_option("measure", measure, _MEASURES)
    window_start, window_end = _growth_window(events, start, end)
    registry = _registry(places)
    return _growth_rates(encode(events, registry), registry, by, measure, window_start,
                         window_end)


def _growth_rates(log: dict, registry: pd.DataFrame, by, measure: str,
                  window_start: pd.Timestamp, window_end: pd.Timestamp) -> pd.DataFrame:
    """:func:`attendance_growth` of a coded log over a given window."""
    yearly = _summary(log, registry, "Y", 0.2, window_start, window_end, "all")
    year = yearly["period"].dt.year
    length = np.where(pd.DatetimeIndex(yearly["period"]).is_leap_year, 366, 365)
    full_for_log = _full_years(window_start, window_end)
    yearly = yearly.assign(year=year, _full=year.isin(full_for_log))
    if by is None:
        table = _network_yearly(log, window_start, window_end, measure)
        table = table[table["year"].isin(full_for_log)]
        return _cagr(table, [], measure)
    by = as_list(by)
    if by == ["place_id"]:
        table = yearly[yearly["_full"] & (yearly["open_days"] == length)]
    else:
        check_columns(yearly, by)
        table = (yearly[yearly["_full"]]
                 .groupby([*by, "year"], observed=True, dropna=False)[measure]
                 .sum().reset_index())
    return _cagr(table, by, measure)


def _report_tables(events, places, little_used: float = 0.2,
                   open_days: str = "all") -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The monthly and yearly summaries and the growth per place, from one coding of the
    log: what ``attendance_summary(freq="M")``, ``attendance_summary(freq="Y")`` (with
    ``little_used`` and ``open_days``) and ``attendance_growth()`` return, without coding
    and sorting the check-ins three times.
    """
    registry = _registry(places)
    log = encode(events, registry)
    check_option("open_days", open_days, _OPEN_DAYS)
    monthly = _summary(log, registry, "M", little_used, None, None, open_days)
    yearly = _summary(log, registry, "Y", little_used, None, None, open_days)
    window_start, window_end = _growth_window(events, None, None, log)
    growth = _growth_rates(log, registry, "place_id", "users", window_start, window_end)
    return monthly, yearly, growth


# --------------------------------------------------------------------------- registry


def _registry(places) -> pd.DataFrame:
    """The registry indexed 0..P-1, with float capacity and datetime opening dates."""
    frame = as_frame(places)
    check_columns(frame, ["place_id"])
    ids = frame["place_id"].astype(str)
    duplicated = ids[ids.duplicated()].unique()
    if len(duplicated):
        raise SurveyError(
            f"The places registry lists place_id {', '.join(map(repr, duplicated[:5]))} "
            "more than once; keep one row per place."
        )
    keep = [c for c in _REGISTRY_COLUMNS if c in frame.columns]
    registry = frame[keep].reset_index(drop=True)
    registry.insert(0, "place_id", ids.to_numpy())
    capacity = frame["capacity"] if "capacity" in frame.columns else np.nan
    registry["capacity"] = pd.to_numeric(pd.Series(capacity, index=frame.index),
                                         errors="coerce").to_numpy(dtype=float)
    opened = frame["opened"] if "opened" in frame.columns else pd.NaT
    registry["opened"] = pd.to_datetime(pd.Series(opened, index=frame.index)).to_numpy()
    return registry


# --------------------------------------------------------------------------- windows


def _period_of_days(days: np.ndarray, freq: str) -> np.ndarray:
    """Period codes (months, quarters or years since 1970) of day codes."""
    as_days = days.astype("datetime64[D]")
    if freq == "Y":
        return as_days.astype("datetime64[Y]").astype("int64")
    months = as_days.astype("datetime64[M]").astype("int64")
    return months if freq == "M" else np.floor_divide(months, 3)


def _period_bounds(codes: np.ndarray, freq: str) -> tuple[np.ndarray, np.ndarray]:
    """First day and first day of the next period, as day codes, for period codes."""
    unit = {"M": 1, "Q": 3, "Y": 12}[freq]
    months = codes.astype("int64") * unit
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype("int64")
    after = (months + unit).astype("datetime64[M]").astype("datetime64[D]").astype("int64")
    return first, after


def _as_day(value) -> int | None:
    if value is None:
        return None
    return int(pd.Timestamp(value).to_datetime64().astype("datetime64[D]").astype("int64"))


def _window(log: dict, freq: str, start, end) -> dict:
    """First and last day (day codes) and the period codes the summary covers."""
    first_day, last_day = _as_day(start), _as_day(end)
    if log["span"] == 0 and (first_day is None or last_day is None):
        raise SurveyError("No usable check-ins: give start= and end= to summarise "
                          "places without visits.")
    if first_day is None:
        first_period = _period_of_days(np.array([log["first_day"]]), freq)
        first_day = int(_period_bounds(first_period, freq)[0][0])
    if last_day is None:
        last_period = _period_of_days(np.array([log["first_day"] + log["span"] - 1]), freq)
        last_day = int(_period_bounds(last_period, freq)[1][0]) - 1
    if last_day < first_day:
        raise SurveyError(f"end ({end}) is before start ({start}).")
    bounds = np.array([first_day, last_day], dtype="int64")
    first_period, last_period = _period_of_days(bounds, freq)
    periods = np.arange(first_period, last_period + 1, dtype="int64")
    return {"first_day": first_day, "last_day": last_day, "periods": periods, "freq": freq,
            "period_of_day": _period_of_days(np.arange(first_day, last_day + 1), freq)
            - first_period}


# --------------------------------------------------------------------------- output


def _assemble(cube, registry, window, freq, open_days, notes) -> pd.DataFrame:
    """Long rows per place and period, from each place's first period on."""
    n_places, n_periods = cube["visits"].shape
    periods = window["periods"]
    first_days, after_days = _period_bounds(periods, freq)
    opened = registry["opened"].to_numpy(dtype="datetime64[ns]")
    opened_day = np.where(np.isnat(opened), np.iinfo(np.int64).min,
                          opened.astype("datetime64[D]").astype("int64"))
    opened_period = np.searchsorted(after_days, opened_day, side="right")
    start_index = np.minimum(opened_period, cube["first_event"])
    early = cube["first_event"] < opened_period
    if early.any():
        notes.append(Note("checkins_before_opening", count=int(early.sum())))
        warnings.warn(notes[-1], DataQualityWarning, stacklevel=4)
    place_index, period_index = np.nonzero(np.arange(n_periods)[None, :] >= start_index[:, None])
    out = registry.drop(columns=["opened"]).iloc[place_index].reset_index(drop=True)
    out.insert(0, "period", pd.to_datetime(first_days[period_index].astype("datetime64[D]"))
               .astype("datetime64[ns]"))
    for name in ("visits", "users", "new_users"):
        out[name] = cube[name][place_index, period_index].astype("int64")
    out["returning_users"] = out["users"] - out["new_users"]
    out["user_days"] = cube["user_days"][place_index, period_index].astype("int64")
    begin = np.maximum(np.maximum(first_days, window["first_day"])[period_index],
                       opened_day[place_index])
    stop = np.minimum(after_days, window["last_day"] + 1)[period_index]
    out["open_days"] = _count_days(begin, stop, open_days)
    # open the whole period (within the log's window): growth compares such periods only
    out["_full"] = (begin == first_days[period_index]) & (stop == after_days[period_index])
    return out


def _count_days(begin: np.ndarray, stop: np.ndarray, open_days: str) -> np.ndarray:
    """Days in [begin, stop) (day codes); Monday to Friday only for ``weekdays``."""
    begin = np.minimum(begin, stop)
    if open_days == "all":
        return (stop - begin).astype("int64")
    return np.busday_count(begin.astype("datetime64[D]"), stop.astype("datetime64[D]"))


def _occupancy(out: pd.DataFrame) -> np.ndarray:
    seat_days = out["capacity"].to_numpy(dtype=float) * out["open_days"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        occupancy = out["user_days"].to_numpy(dtype=float) / seat_days
    return np.where(seat_days > 0, occupancy, np.nan)


def _growth(frame: pd.DataFrame, by, full: np.ndarray | None = None) -> np.ndarray:
    """Relative change in users from the previous row of the same group; with ``full``
    (each row's place open the whole period), only between two whole periods: a place
    opened in the autumn has not "grown" by the next year's full twelve months."""
    by = as_list(by)
    users = frame["users"].astype(float)
    grouped = (lambda values: values.groupby([frame[c] for c in by], observed=True,
                                             dropna=False).shift(1)) if by else \
        (lambda values: values.shift(1))
    previous = grouped(users)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = users.to_numpy() / previous.to_numpy(dtype=float) - 1
    comparable = previous.to_numpy(dtype=float) > 0
    if full is not None:
        before = grouped(pd.Series(full, index=frame.index, dtype=float)).to_numpy()
        comparable &= full & (before == 1)
    return np.where(comparable, growth, np.nan)


# --------------------------------------------------------------------------- growth


def _growth_window(events, start, end, log: dict | None = None
                   ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The window of :func:`attendance_growth`; ``log`` (the coded ``events``) gives the
    first and last timestamp's days without reading the timestamps again."""
    if log is not None:
        days = log["stamp_days"] or (None, None)
        low, high = (pd.NaT if d is None else pd.Timestamp(d, unit="D") for d in days)
    else:
        stamps = to_datetime(as_frame(events)["timestamp"])
        low, high = stamps.min(), stamps.max()
    first = (pd.Timestamp(start) if start is not None
             else low.to_period("M").to_timestamp())
    last = (pd.Timestamp(end) if end is not None
            else high.to_period("M").to_timestamp(how="end").normalize())
    if pd.isna(first) or pd.isna(last):
        raise SurveyError("No check-in timestamps: give start= and end=.")
    return first, last


def _full_years(first: pd.Timestamp, last: pd.Timestamp) -> list[int]:
    first_year = first.year if (first.month, first.day) == (1, 1) else first.year + 1
    last_year = last.year if (last.month, last.day) == (12, 31) else last.year - 1
    return list(range(first_year, last_year + 1))


def _network_yearly(log: dict, first, last, measure: str) -> pd.DataFrame:
    """Yearly totals over the whole network (distinct users across places)."""
    window = _window(log, "Y", first, last)
    n_periods = len(window["periods"])
    n_days = len(window["period_of_day"])
    day = log["day"] - np.int64(window["first_day"])
    user = log["user"].astype(np.int64)          # codes may be 8 to 32 bits: keys need 64
    inside = (day >= 0) & (day < n_days)
    if not inside.all():
        day, user = day[inside], user[inside]
    per = window["period_of_day"][day]
    if measure == "visits":
        values = np.bincount(per, minlength=n_periods)
    elif measure == "users":
        distinct = sorted_unique(user * n_periods + per)
        values = np.bincount(distinct % n_periods, minlength=n_periods)
    else:
        distinct = sorted_unique(user * n_days + day)
        values = np.bincount(window["period_of_day"][distinct % n_days], minlength=n_periods)
    years = window["periods"] + 1970
    return pd.DataFrame({"year": years, measure: values})


def _cagr(table: pd.DataFrame, by: list, measure: str) -> pd.DataFrame:
    """First and last year per group and the compound annual growth rate between them."""
    ordered = table.sort_values([*by, "year"])
    grouped = ordered.groupby(by, observed=True, dropna=False) if by else None
    if grouped is None:
        first, last = ordered.head(1), ordered.tail(1)
        ends = pd.DataFrame({"first_year": first["year"].to_numpy(),
                             "last_year": last["year"].to_numpy(),
                             "first_value": first[measure].to_numpy(),
                             "last_value": last[measure].to_numpy()})
    else:
        ends = grouped.agg(first_year=("year", "first"), last_year=("year", "last"),
                           first_value=(measure, "first"), last_value=(measure, "last"))
        ends = ends.reset_index()
    years = (ends["last_year"] - ends["first_year"]).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):      # 0 / 0 for unused places
        ratio = (ends["last_value"].to_numpy(dtype=float)
                 / ends["first_value"].to_numpy(dtype=float))
        rate = np.power(ratio, 1 / years) - 1
    ok = (years > 0) & (ends["first_value"].to_numpy(dtype=float) > 0)
    ends["estimate"] = np.where(ok, rate, np.nan)
    ends["method"] = f"cagr of {measure} between the first and last full year"
    for column in ("first_year", "last_year"):
        ends[column] = ends[column].astype("int64")
    return ends.reset_index(drop=True)
