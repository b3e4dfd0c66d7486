"""Integer codes of identifiers: ``pandas.factorize``, faster on large id columns.

Check-in logs carry millions of user and place ids. ``pd.factorize`` hashes every
string, which dominates the cost of a retention or attendance summary when the ids are
Python strings (object dtype). A shortcut gives exactly its result:
equal ids read from a file are usually the *same* Python object (pandas shares one
string object per distinct value, and indexing an array of ids copies pointers). The
objects' addresses are factorised first, as 64-bit integers (no string hashing), and
only one object per address is then factorised by value. Other inputs (categoricals,
numbers, small arrays, ids that do not share objects) go straight to ``pd.factorize``.

Codes and uniques are those of ``pd.factorize(values)``: codes numbered in order of
first appearance, -1 for missing values, uniques of the same type as pandas returns.
"""

from __future__ import annotations

import ctypes

import numpy as np
import pandas as pd

#: Object arrays shorter than this go straight to ``pd.factorize``.
_MIN_ROWS = 50_000
#: Rows looked at to decide whether equal ids share their objects.
_SAMPLE = 2**15


def factorize(values) -> tuple[np.ndarray, object]:
    """``pd.factorize(values)`` (default options), faster on large id columns.

    Parameters
    ----------
    values : Series, Index or 1-d array

    Returns
    -------
    codes : ndarray of intp
        Code of each value in order of first appearance, -1 for missing values.
    uniques
        The distinct values, as ``pd.factorize`` returns them (an array for an array,
        an Index for a Series or Index).

    Notes
    -----
    Equal to ``pd.factorize`` (same codes, same uniques in the same order), checked in
    ``tests/analysis/test_codes.py`` on shared and distinct string objects, missing
    values, mixed types, categoricals and empty input.

    Examples
    --------
    >>> codes, uniques = factorize(pd.Series(["b", "a", None, "b"]))
    >>> codes.tolist(), list(uniques)
    ([0, 1, -1, 0], ['b', 'a'])
    """
    if isinstance(values, (pd.Series, pd.Index)):
        array = values.to_numpy() if values.dtype == object else None
    else:
        array = values if isinstance(values, np.ndarray) else None
    if (isinstance(array, np.ndarray) and array.dtype == object and array.ndim == 1
            and len(array) >= _MIN_ROWS):
        objects = np.ascontiguousarray(array)
        if _shared(objects):
            return _by_address(values, objects)
    return pd.factorize(values)


def _take(values, positions: np.ndarray):
    """The elements of ``values`` at ``positions``, in the container ``values`` came in."""
    if isinstance(values, pd.Series):
        return values.iloc[positions]
    return values[positions]


def _addresses(objects: np.ndarray) -> np.ndarray:
    """The object pointers of a contiguous object array, viewed as integers (no copy).

    The view keeps ``objects`` alive; it is valid while ``objects`` is not modified.
    """
    buffer = (ctypes.c_ssize_t * len(objects)).from_address(objects.ctypes.data)
    buffer.owner = objects                     # the integers live in its memory
    return np.ctypeslib.as_array(buffer)


def _shared(objects: np.ndarray) -> bool:
    """Whether repeated values mostly repeat the same object (judged on a sample)."""
    sample = objects[:: max(len(objects) // _SAMPLE, 1)]
    distinct_values = len(pd.unique(sample))
    distinct_objects = len(pd.unique(_addresses(np.ascontiguousarray(sample))))
    repeats = len(sample) - distinct_values
    return repeats > 0 and len(sample) - distinct_objects >= repeats / 2


def _by_address(values, objects: np.ndarray) -> tuple[np.ndarray, object]:
    """Factorise object addresses, then one object per address by value."""
    pointer_codes = pd.factorize(_addresses(objects))[0]
    # codes are numbered in order of first appearance: an address appears for the first
    # time where the running maximum of the codes goes up
    running = np.maximum.accumulate(pointer_codes)
    step = np.empty(len(running), dtype=bool)
    step[:1] = True
    np.not_equal(running[1:], running[:-1], out=step[1:])
    del running
    value_codes, uniques = pd.factorize(_take(values, np.flatnonzero(step)))
    if np.array_equal(value_codes, np.arange(len(value_codes))):
        return pointer_codes, uniques               # one object per value (the usual case)
    return value_codes[pointer_codes], uniques
