"""A check-in log coded once, and its counts per place and period.

:func:`encode` turns the events into integer codes (place in the registry, user, day)
and notes what it left out; :func:`_user_days` sorts the distinct (place, user, day)
keys once per log; :func:`aggregate` counts visits, users, new users and user-days
per place and period of a window (see :mod:`analysis.attendance`) -- bincounts and
comparisons of neighbouring sorted keys, never a Python loop over events.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from analysis._codes import factorize
from analysis._data import as_frame, check_columns
from surveys.errors import DataQualityWarning

__all__ = ["encode", "aggregate", "sorted_unique"]

_NS_PER_DAY = 86_400_000_000_000
#: Largest (places x days) table of check-in counts kept in memory (int64 cells).
_DENSE_VISITS = 2**25


# --------------------------------------------------------------------------- coding


def _day_codes(timestamps: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as int64 (NaT -> the int64 minimum)."""
    values = pd.to_datetime(timestamps).to_numpy(dtype="datetime64[ns]")
    days = values.view("int64") // _NS_PER_DAY
    days[np.isnat(values)] = np.iinfo(np.int64).min
    return days


def _place_codes(column: pd.Series, registry_ids: pd.Index) -> np.ndarray:
    """Registry index of each event's place (-1 for unknown or missing places)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = registry_ids.get_indexer(column.cat.categories.astype(str))
        codes = column.cat.codes.to_numpy()
        return np.where(codes >= 0, lookup[codes], -1)
    codes, uniques = factorize(column)
    lookup = registry_ids.get_indexer(pd.Index(uniques).astype(str))
    return np.where(codes >= 0, np.append(lookup, -1)[codes], -1)


def _user_codes(column: pd.Series) -> tuple[np.ndarray, int]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype("int64"), len(column.cat.categories)
    codes, uniques = factorize(column)
    return codes.astype("int64"), len(uniques)


def encode(events, registry: pd.DataFrame) -> dict:
    """The log coded once: place, user and day codes of the usable events, and notes.

    Every summary of the log (months, years, any window) starts from this coding;
    the distinct (place, user, day) keys are sorted once, on first use
    (:func:`_user_days`).
    """
    frame = as_frame(events)
    check_columns(frame, ["place_id", "user_id", "timestamp"])
    notes: list[str] = []
    place = _place_codes(frame["place_id"], pd.Index(registry["place_id"]))
    user, n_users = _user_codes(frame["user_id"])
    day = _day_codes(frame["timestamp"])
    no_place = frame["place_id"].isna().to_numpy()
    unusable = no_place | (user < 0) | (day == np.iinfo(np.int64).min)
    unknown = (place < 0) & ~unusable
    _note_dropped(notes, frame, unusable, unknown)
    keep = ~(unusable | unknown)
    if not keep.all():
        place, user, day = place[keep], user[keep], day[keep]
    first = int(day.min()) if len(day) else 0
    span = int(day.max()) - first + 1 if len(day) else 0
    return {"place": place, "user": user, "day": day, "n_users": n_users,
            "n_places": len(registry), "first_day": first, "span": span, "notes": notes}


def _note_dropped(notes: list, frame: pd.DataFrame, unusable, unknown) -> None:
    if unusable.any():
        notes.append(f"{int(unusable.sum())} check-ins without place_id, user_id or "
                     "timestamp were left out.")
    if unknown.any():
        ids = pd.unique(frame["place_id"].to_numpy()[unknown].astype(str))
        listed = ", ".join(map(repr, ids[:5])) + (", ..." if len(ids) > 5 else "")
        notes.append(f"{int(unknown.sum())} check-ins at {len(ids)} place_id(s) absent "
                     f"from the places registry ({listed}) were left out.")
    for note in notes:
        warnings.warn(note, DataQualityWarning, stacklevel=4)


def _user_days(log: dict) -> dict:
    """Distinct (place, user, day) of the log, sorted, computed once per log.

    ``place_user`` (place x users + user), ``place`` and ``day`` (days since the log's
    first day) of each distinct key, in order of place, user and day, and ``first``
    (the key is the first day of its place-user). When a (places x days) table is small
    enough to keep: ``visits`` (check-ins), ``user_days`` (distinct users) and
    ``new_users`` (users on their first day at the place) per place and day; else None.
    """
    if "distinct" not in log:
        n_users = np.int64(max(log["n_users"], 1))
        span = max(log["span"], 1)
        # the keys are built and sorted in place: a log of millions of check-ins makes
        # each new array expensive
        keys = log["place"] * n_users
        keys += log["user"]
        keys *= span
        keys += log["day"]
        keys -= log["first_day"]
        keys.sort()
        keys = sorted_unique(keys, presorted=True)
        day_of = keys % span
        place_user = np.floor_divide(keys, span, out=keys)
        place, first = place_user // n_users, _starts(place_user)
        distinct = {"place_user": place_user, "place": place, "day": day_of, "first": first,
                    "visits": None, "user_days": None, "new_users": None}
        size = log["n_places"] * span
        if size <= _DENSE_VISITS:
            shape = (log["n_places"], span)
            cell = log["place"] * span
            cell += log["day"]
            cell -= log["first_day"]
            distinct["visits"] = np.bincount(cell, minlength=size)
            cell = place * span
            cell += day_of
            distinct["user_days"] = np.bincount(cell, minlength=size)
            distinct["new_users"] = np.bincount(cell[first], minlength=size)
            for name in ("visits", "user_days", "new_users"):
                distinct[name] = distinct[name].reshape(shape)
        log["distinct"] = distinct
    return log["distinct"]


def _starts(values: np.ndarray) -> np.ndarray:
    """True where a sorted array takes a new value (its first element included)."""
    start = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=start[1:])
    return start


def sorted_unique(keys: np.ndarray, *, presorted: bool = False) -> np.ndarray:
    """Distinct values of an int64 array, sorted (sort + adjacent difference).

    ``presorted=True`` skips the sort for keys already in non-decreasing order.
    """
    if len(keys) == 0:
        return keys
    ordered = keys if presorted else np.sort(keys)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


# --------------------------------------------------------------------------- counting


def aggregate(log: dict, window: dict, notes: list) -> dict[str, np.ndarray]:
    """(places x periods) arrays of visits, users, new users and user-days in the window.

    Two windows with the same periods that keep the same check-ins have the same counts
    (e.g. a year summary over whole years and one over whole months): they are counted
    once per log.
    """
    offset = window["first_day"] - log["first_day"]          # log day -> window day
    kept = (max(offset, 0), min(offset + len(window["period_of_day"]), log["span"]))
    key = (window["freq"], int(window["periods"][0]), len(window["periods"]), kept)
    cubes = log.setdefault("cubes", {})
    if key not in cubes:
        cubes[key] = _count(log, window)
    cube, outside = cubes[key]
    if outside:
        notes.append(f"{outside} check-ins outside the window were left out.")
    return cube


def _count(log: dict, window: dict) -> tuple[dict[str, np.ndarray], int]:
    """The counts of :func:`aggregate` and the number of check-ins outside the window."""
    n_places, n_periods = log["n_places"], len(window["periods"])
    n_days = len(window["period_of_day"])
    period_of_day = window["period_of_day"]
    cells = n_places * n_periods
    distinct = _user_days(log)
    offset = window["first_day"] - log["first_day"]          # log day -> window day
    visits, outside = _visits(log, distinct["visits"], window, offset)
    place, d, first = distinct["place"], distinct["day"], distinct["first"]
    whole = offset <= 0 and offset + n_days >= log["span"]   # the window holds the log
    if whole and distinct["user_days"] is not None:
        # user-days and new users from the (places x days) tables; only the distinct
        # (place-user, period) pairs need the keys
        n_user_days = _table_counts(distinct["user_days"], window, offset, log["span"])[0]
        new = _table_counts(distinct["new_users"], window, offset, log["span"])[0]
        per = period_of_day[-offset:log["span"] - offset][d]
    else:
        d = d - offset
        if not whole:
            inside = (d >= 0) & (d < n_days)
            place, d = place[inside], d[inside]
            first = _starts(distinct["place_user"][inside])
        per = period_of_day[d]
        cell = place * n_periods + per
        n_user_days = np.bincount(cell, minlength=cells)
        new = np.bincount(cell[first], minlength=cells)
    # the distinct keys are sorted by (place-user, day) and the period grows with the
    # day: a (place-user, period) pair starts where the place-user or the period changes,
    # and a place-user's first period (a new user) is that of its first key
    pair = first.copy()
    pair[1:] |= per[1:] != per[:-1]
    users = np.bincount(place[pair] * n_periods + per[pair], minlength=cells)
    shape = (n_places, n_periods)
    seen = visits.reshape(shape) > 0
    first_event = np.where(seen.any(axis=1), seen.argmax(axis=1), n_periods)
    return {"visits": visits.reshape(shape), "users": users.reshape(shape),
            "new_users": new.reshape(shape), "user_days": n_user_days.reshape(shape),
            "first_event": first_event}, outside


def _table_counts(table: np.ndarray, window: dict, offset: int,
                  span: int) -> tuple[np.ndarray, int]:
    """Sums per (place, period) of the window of a (places x log days) table, and the
    total left outside the window."""
    n_places, n_periods = table.shape[0], len(window["periods"])
    period_of_day = window["period_of_day"]
    lo, hi = max(offset, 0), min(offset + len(period_of_day), span)
    if hi <= lo:
        return np.zeros(n_places * n_periods, dtype=np.int64), int(table.sum())
    counts = table[:, lo:hi]
    cell = np.arange(n_places)[:, None] * n_periods + period_of_day[lo - offset:hi - offset]
    sums = np.bincount(cell.ravel(), weights=counts.ravel(), minlength=n_places * n_periods)
    return sums.astype(np.int64), int(table.sum() - counts.sum())


def _visits(log: dict, table, window: dict, offset: int) -> tuple[np.ndarray, int]:
    """Check-ins per (place, period) of the window, and the number outside the window."""
    n_places, n_periods = log["n_places"], len(window["periods"])
    period_of_day = window["period_of_day"]
    if table is not None:                      # from the (places x days) table
        return _table_counts(table, window, offset, log["span"])
    day = log["day"] - window["first_day"]
    inside = (day >= 0) & (day < len(period_of_day))
    place = log["place"]
    if not inside.all():
        place, day = place[inside], day[inside]
    visits = np.bincount(place * n_periods + period_of_day[day], minlength=n_places * n_periods)
    return visits, int((~inside).sum())
