"""analysis._codes.factorize gives exactly pd.factorize's codes and uniques."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import _codes
from analysis._codes import factorize


@pytest.fixture(autouse=True)
def small_arrays(monkeypatch):
    """Take the address route on the small arrays of these tests."""
    monkeypatch.setattr(_codes, "_MIN_ROWS", 0)


def _copy(text: str) -> str:
    """An equal string that is a different object."""
    return (text + "#")[:-1]


def _assert_same(values) -> None:
    expected_codes, expected_uniques = pd.factorize(values)
    codes, uniques = factorize(values)
    np.testing.assert_array_equal(codes, expected_codes)
    assert codes.dtype == expected_codes.dtype
    assert type(uniques) is type(expected_uniques)
    if isinstance(expected_uniques, pd.Index):
        pd.testing.assert_index_equal(uniques, expected_uniques, exact=True)
    else:
        assert uniques.dtype == expected_uniques.dtype
        assert [(type(u), u) for u in uniques] == [(type(u), u) for u in expected_uniques]
        if uniques.dtype == object:  # the very objects pandas keeps: first occurrences
            assert all(a is b for a, b in zip(uniques, expected_uniques))


@pytest.fixture
def shared(rng) -> np.ndarray:
    """2,000 ids drawn from 50 string objects: equal ids are the same object."""
    ids = np.array([f"user{i:03d}" for i in range(50)], dtype=object)
    return ids[rng.integers(0, 50, 2000)]


def test_shared_objects(shared):
    """Ids that share their objects: same codes and uniques as pd.factorize."""
    _assert_same(shared)


def test_shared_objects_series_and_index(shared):
    """A Series or an Index of shared ids: pandas' Index of uniques, same codes."""
    _assert_same(pd.Series(shared, name="user_id"))
    _assert_same(pd.Index(shared))


def test_address_route_is_taken(shared, monkeypatch):
    """Shared ids go through the address route (not the plain pd.factorize fallback)."""
    calls = []
    real = _codes._by_address
    monkeypatch.setattr(_codes, "_by_address", lambda *a: calls.append(1) or real(*a))
    factorize(shared)
    assert calls == [1]


def test_distinct_equal_objects(shared):
    """Equal ids that are different objects still get one code each value."""
    mixed = shared.copy()
    mixed[::3] = [_copy(x) for x in mixed[::3]]
    assert any(a is not b and a == b for a, b in zip(mixed[:30], shared[:30]))
    _assert_same(mixed)
    codes, uniques = _codes._by_address(mixed, mixed)
    np.testing.assert_array_equal(codes, pd.factorize(mixed)[0])


def test_only_distinct_objects(shared):
    """No shared objects at all: the plain route, same result."""
    fresh = np.array([_copy(x) for x in shared], dtype=object)
    assert not _codes._shared(fresh)
    _assert_same(fresh)


def test_missing_values(shared):
    """None, NaN and pd.NA are -1 and not among the uniques."""
    holes = shared.copy()
    holes[::7] = None
    holes[3::11] = np.nan
    holes[5::13] = float("nan")
    holes[9::17] = pd.NA
    _assert_same(holes)
    _assert_same(pd.Series(holes))


def test_mixed_types(rng):
    """Strings, ints, floats and booleans mixed: pandas' equality (1 == 1.0 == True) kept."""
    pool = np.array(["a", 1, 1.0, True, "1", 2.5, None, ("t", 1), 0, False], dtype=object)
    values = pool[rng.integers(0, len(pool), 500)]
    _assert_same(values)


def test_empty():
    """An empty object array or Series: no codes, no uniques."""
    _assert_same(np.array([], dtype=object))
    _assert_same(pd.Series([], dtype=object))


def test_not_objects(rng):
    """Numbers and categoricals are left to pd.factorize."""
    _assert_same(rng.integers(0, 5, 100))
    _assert_same(pd.Series(pd.Categorical(["b", "a", None, "b"], categories=["a", "b", "c"])))
