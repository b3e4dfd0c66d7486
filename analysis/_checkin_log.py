"""A check-in log coded once, and its counts per place and period.

:func:`encode` turns the events into integer codes (place in the registry, user, day)
and notes what it left out; :func:`_user_days` sorts the distinct (place, user, day)
keys once per log; :func:`aggregate` counts visits, users, new users and user-days
per place and period of a window (see :mod:`analysis.attendance`) -- bincounts and
comparisons of neighbouring sorted keys, never a Python loop over events.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from analysis._codes import factorize
from analysis._data import as_frame, check_columns
from surveys.errors import DataQualityWarning
from surveys.notes import Note

__all__ = ["encode", "aggregate", "sorted_unique", "to_datetime"]

_NS_PER_DAY = 86_400_000_000_000
#: Day code of a missing timestamp.
_NO_DAY = np.iinfo(np.int32).min
#: Largest (places x days) table of check-in counts kept in memory (int64 cells).
_DENSE_VISITS = 2**25
#: Rows worked on at once where a whole-log temporary array is not needed.
_CHUNK = 2**20


# --------------------------------------------------------------------------- coding


def to_datetime(values):
    """``pd.to_datetime(values)``, without its look at the values when they already are
    a Series or Index of datetime64[ns] (returned as they are: the same values)."""
    if isinstance(values, pd.Series | pd.Index) and values.dtype == "datetime64[ns]":
        return values
    return pd.to_datetime(values)


def _day_codes(timestamps: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as int32 (NaT -> the int32 minimum).

    Every day of a ``datetime64[ns]`` (about 1677 to 2262) fits in 32 bits: half the
    memory of int64 codes on a log of millions of check-ins.
    """
    values = to_datetime(timestamps).to_numpy(dtype="datetime64[ns]")
    days = np.empty(len(values), dtype=np.int32)
    np.floor_divide(values.view("int64"), _NS_PER_DAY, out=days, casting="unsafe")
    days[np.isnat(values)] = _NO_DAY
    return days


def _place_codes(column: pd.Series, registry_ids: pd.Index) -> np.ndarray:
    """Registry index of each event's place (-1 for unknown or missing places), in 16
    bits for a registry of fewer than 32,768 places, else 32."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = registry_ids.get_indexer(column.cat.categories.astype(str))
        codes = column.cat.codes.to_numpy()
    else:
        codes, uniques = factorize(column)
        lookup = registry_ids.get_indexer(pd.Index(uniques).astype(str))
    # code -1 (missing) reads the appended -1
    small = len(registry_ids) < 2**15
    return np.append(lookup, -1).astype(np.int16 if small else np.int32)[codes]


def _user_codes(column: pd.Series) -> tuple[np.ndarray, int]:
    """User codes (-1 for missing ids), as the category codes when the ids are
    categorical (no copy), and the number of codes."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), len(column.cat.categories)
    codes, uniques = factorize(column)
    return codes.astype(np.int32) if len(uniques) < 2**31 else codes, len(uniques)


def encode(events, registry: pd.DataFrame) -> dict:
    """The log coded once: place, user and day codes of the usable events, and notes.

    Every summary of the log (months, years, any window) starts from this coding;
    the distinct (place, user, day) keys are sorted once, on first use
    (:func:`_user_days`). ``stamp_days`` is the first and last day of any timestamp
    (None without timestamps), events left out included.
    """
    frame = as_frame(events)
    check_columns(frame, ["place_id", "user_id", "timestamp"])
    notes: list[str] = []
    place = _place_codes(frame["place_id"], pd.Index(registry["place_id"]))
    user, n_users = _user_codes(frame["user_id"])
    day = _day_codes(frame["timestamp"])
    no_day = day == _NO_DAY
    stamp_days = _range(day[~no_day] if no_day.any() else day)
    left_out = place < 0                    # missing or unknown place (usually none)
    left_out |= user < 0
    left_out |= no_day
    if left_out.any():
        unusable = frame["place_id"].isna().to_numpy() | (user < 0) | no_day
        unknown = (place < 0) & ~unusable
        _note_dropped(notes, frame, unusable, unknown)
        keep = ~left_out
        place, user, day = place[keep], user[keep], day[keep]
    first, last = _range(day) or (0, -1)
    return {"place": place, "user": user, "day": day, "n_users": n_users,
            "n_places": len(registry), "first_day": first, "span": last - first + 1,
            "notes": notes, "stamp_days": stamp_days}


def _range(days: np.ndarray) -> tuple[int, int] | None:
    """First and last of some day codes (None if there are none)."""
    return (int(days.min()), int(days.max())) if len(days) else None


#: What a place code looks like (``TL105``, ``cowork-3``): only such codes are written in
#: a note; anything else typed in the column (an e-mail, a phone number, a name) is not.
_CODE_LIKE = re.compile(r"[A-Za-z0-9_.\-]{1,16}")
#: Ten digits or more: a phone number rather than a code.
_PHONE_LIKE = re.compile(r"\d{9,}")


def _note_dropped(notes: list, frame: pd.DataFrame, unusable, unknown) -> None:
    if unusable.any():
        notes.append(Note("checkins_unusable", count=int(unusable.sum())))
    if unknown.any():
        ids = pd.unique(frame["place_id"].to_numpy()[unknown].astype(str))
        codes = [i for i in ids if _CODE_LIKE.fullmatch(i) and not _PHONE_LIKE.search(i)]
        listed = ", ".join(f"'{i}'" for i in codes[:5])
        others = len(ids) - min(len(codes), 5)
        if others:
            listed = Note("codes_not_shown", shown=listed, count=others)
        users = int(pd.unique(frame["user_id"].to_numpy()[unknown]).size)
        notes.append(Note("checkins_unknown_places", count=int(unknown.sum()), ids=listed,
                          users=users))
    for note in notes:
        warnings.warn(note, DataQualityWarning, stacklevel=4)


def _user_days(log: dict) -> dict:
    """Distinct (place, user, day) of the log, sorted, computed once per log.

    ``place_user`` (place x users + user, int64) of each distinct key, in order of
    place, user and day, and ``first`` (the key is the first day of its place-user);
    the place and day of each key come from :func:`_place_day`. When a (places x days)
    table is small enough to keep: ``cell`` (place x days + day, int32) of each key,
    and ``visits`` (check-ins), ``user_days`` (distinct users) and ``new_users``
    (users on their first day at the place) per place and day; else None.

    A log of millions of check-ins makes each new array expensive (memory to fault
    in): the keys are built, sorted and reduced in place, what fits in 32 bits is kept
    in 32 bits, and the rest is worked out a chunk of rows at a time.
    """
    if "distinct" not in log:
        n_users = np.int64(max(log["n_users"], 1))
        span = max(log["span"], 1)
        keys = np.empty(len(log["place"]), dtype=np.int64)
        for chunk in _chunks(len(keys)):
            key = log["place"][chunk] * n_users                    # int64
            key += log["user"][chunk]
            key *= span
            key += log["day"][chunk]
            key -= log["first_day"]
            keys[chunk] = key
        keys.sort()
        keys = _drop_repeats(keys)
        distinct = {"place_user": keys, "first": None, "cell": None, "place": None,
                    "day": None, "visits": None, "user_days": None, "new_users": None}
        size = log["n_places"] * span
        if size <= _DENSE_VISITS:                                  # cells fit in int32
            cell = np.empty(len(keys), dtype=np.int32)
            for chunk in _chunks(len(keys)):
                place_user = keys[chunk] // span
                day = keys[chunk] - place_user * span
                cell[chunk] = place_user // n_users * span + day
                keys[chunk] = place_user
            distinct["cell"] = cell
        else:
            distinct["place"], distinct["day"] = _split(keys, np.int64(span), n_users)
        distinct["first"] = _starts(keys)                          # keys: place-users now
        if distinct["cell"] is not None:
            shape = (log["n_places"], span)
            visits = np.zeros(size, dtype=np.int64)
            for chunk in _chunks(len(log["place"])):               # (place, day) of events
                at = log["place"][chunk] * np.int32(span)
                at += log["day"][chunk]
                at -= np.int32(log["first_day"])
                visits += np.bincount(at, minlength=size)
            distinct["visits"] = visits.reshape(shape)
            distinct["user_days"] = np.bincount(cell, minlength=size).reshape(shape)
            distinct["new_users"] = np.bincount(cell[distinct["first"]],
                                                minlength=size).reshape(shape)
        log["distinct"] = distinct
    return log["distinct"]


def _split(keys: np.ndarray, span, n_users) -> tuple[np.ndarray, np.ndarray]:
    """Place and day (int32) of (place x users + user) x span + day keys; the keys
    become place x users + user, in place."""
    day = np.empty(len(keys), dtype=np.int32)
    np.remainder(keys, span, out=day, casting="unsafe")          # < span: fits
    np.floor_divide(keys, span, out=keys)
    place = np.empty(len(keys), dtype=np.int32)
    np.floor_divide(keys, n_users, out=place, casting="unsafe")
    return place, day


def _place_day(log: dict) -> tuple[np.ndarray, np.ndarray]:
    """Place and day (days since the log's first day) of each distinct key, int32."""
    distinct = _user_days(log)
    if distinct["place"] is None:
        span = np.int32(max(log["span"], 1))
        distinct["place"], distinct["day"] = np.divmod(distinct["cell"], span)
    return distinct["place"], distinct["day"]


def _chunks(n: int) -> list[slice]:
    """Slices of ``range(n)``, ``_CHUNK`` rows each: the temporary arrays of a chunk
    stay small and their memory is reused from one chunk to the next."""
    return [slice(start, start + _CHUNK) for start in range(0, n, _CHUNK)]


def _drop_repeats(keys: np.ndarray) -> np.ndarray:
    """The distinct values of sorted keys, moved to the front of the array in place
    (a view of it; no second array of keys)."""
    if len(keys) == 0:
        return keys
    new = _starts(keys)
    end = 0
    for chunk in _chunks(len(keys)):
        kept = keys[chunk][new[chunk]]                             # a chunk-sized copy
        keys[end:end + len(kept)] = kept                           # end <= chunk start
        end += len(kept)
    return keys[:end]


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
    period_of_day = window["period_of_day"].astype(np.int32)     # period codes per key: 32 bits
    cells = n_places * n_periods
    distinct = _user_days(log)
    offset = window["first_day"] - log["first_day"]          # log day -> window day
    visits, outside = _visits(log, distinct["visits"], window, offset)
    first = distinct["first"]
    whole = offset <= 0 and offset + n_days >= log["span"]   # the window holds the log
    # the distinct keys are sorted by (place-user, day) and the period grows with the
    # day: a (place-user, period) pair starts where the place-user or the period changes,
    # and a place-user's first period (a new user) is that of its first key
    if whole and distinct["user_days"] is not None:
        # user-days and new users from the (places x days) tables; users from the
        # (place, period) cell of each key, read in a (place, day) -> cell table (within
        # a place-user, the cell changes where the period does)
        n_user_days = _table_counts(distinct["user_days"], window, offset, log["span"])[0]
        new = _table_counts(distinct["new_users"], window, offset, log["span"])[0]
        per_day = period_of_day[-offset:log["span"] - offset]
        to_cell = (np.arange(n_places, dtype=np.int32)[:, None] * np.int32(n_periods)
                   + per_day).ravel()
        users = np.zeros(cells, dtype=np.int64)
        for chunk in _chunks(len(first)):
            begin = max(chunk.start - 1, 0)                        # with the key before
            cell = to_cell[distinct["cell"][begin:chunk.stop]]
            pair = first[begin:chunk.stop].copy()
            pair[1:] |= cell[1:] != cell[:-1]
            if begin < chunk.start:
                cell, pair = cell[1:], pair[1:]
            users += np.bincount(cell[pair], minlength=cells)
        return _cube(visits, users, new, n_user_days, n_places, n_periods), outside
    place, d = _place_day(log)
    d = d - offset
    if not whole:
        inside = (d >= 0) & (d < n_days)
        place, d = place[inside], d[inside]
        first = _starts(distinct["place_user"][inside])
    per = period_of_day[d]
    cell = place * n_periods + per
    n_user_days = np.bincount(cell, minlength=cells)
    new = np.bincount(cell[first], minlength=cells)
    pair = first.copy()
    pair[1:] |= per[1:] != per[:-1]
    users = np.bincount(place[pair] * n_periods + per[pair], minlength=cells)
    return _cube(visits, users, new, n_user_days, n_places, n_periods), outside


def _cube(visits, users, new, user_days, n_places: int, n_periods: int) -> dict:
    """The (places x periods) counts of :func:`aggregate` and each place's first period
    with a visit (``n_periods`` if none)."""
    shape = (n_places, n_periods)
    seen = visits.reshape(shape) > 0
    first_event = np.where(seen.any(axis=1), seen.argmax(axis=1), n_periods)
    return {"visits": visits.reshape(shape), "users": users.reshape(shape),
            "new_users": new.reshape(shape), "user_days": user_days.reshape(shape),
            "first_event": first_event}


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
    visits = np.bincount(place.astype(np.int64) * n_periods + period_of_day[day],
                         minlength=n_places * n_periods)
    return visits, int((~inside).sum())
