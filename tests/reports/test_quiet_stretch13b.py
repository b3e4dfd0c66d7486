"""Privacy review 13b, finding 2: inside a busy year, a type and zone's series with a
month hidden for its own count (1 to 4 users) hides its months with nobody too, so that
« January hidden, February 0, March hidden » no longer gives a newcomer's calendar
(reports/_suppression_attendance.py, ``_stretch_rows``)."""

from __future__ import annotations

import pandas as pd

from analysis._log_lanes import attendance_section
from analysis.evaluation_model import Evaluation
from reports.suppression import SUPPRESSED, suppress_table

MIN_CELL = 5


class _Source:
    """A read source as the attendance lane sees it: a kind and its rows."""

    def __init__(self, kind: str, data: pd.DataFrame) -> None:
        self.kind, self.data = kind, data

    def __len__(self) -> int:
        return len(self.data)


def _visits(place: str, users: int, year: int, months) -> list[tuple]:
    """``users`` badges of ``place`` each coming on the 3rd and 17th of the months."""
    return [(place, f"{place}-u{u}", pd.Timestamp(year, month, day, 9 + u % 8))
            for month in months for u in range(users) for day in (3, 17)]


def _stretch_log() -> tuple[pd.DataFrame, pd.DataFrame]:
    """v6's shape: a busy 2016 (coworking x urban, 12 users a month), a fablab x urban
    series of 6 users in 2016 (4 badges in January, a newcomer in March, the newcomer and
    one more in May, nobody in the other months) and a hybrid x rural series of 9 users
    from January to June, nobody from July (busy: nothing hidden for its own count)."""
    places = pd.DataFrame({"place_id": ["C1", "C2", "F1", "H1"],
                           "type": ["coworking", "coworking", "fablab", "hybrid"],
                           "zone": ["urban", "urban", "urban", "rural"], "capacity": 10.0,
                           "opened": pd.Timestamp("2014-01-01")})
    lone = ([("F1", f"B{k}", "2016-01-12") for k in range(1, 5)]
            + [("F1", "B5", "2016-03-03"), ("F1", "B5", "2016-05-10"),
               ("F1", "B6", "2016-05-11")])
    rows = (_visits("C1", 7, 2016, range(1, 13)) + _visits("C2", 5, 2016, range(1, 13))
            + _visits("F1", 8, 2015, range(1, 13)) + _visits("H1", 9, 2015, range(1, 13))
            + _visits("H1", 9, 2016, range(1, 7))
            + [(p, u, pd.Timestamp(day + " 10:00")) for p, u, day in lone])
    return pd.DataFrame(rows, columns=["place_id", "user_id", "timestamp"]), places


def _months() -> pd.DataFrame:
    """The table by type and zone of :func:`_stretch_log`, suppressed as published."""
    events, places = _stretch_log()
    evaluation = Evaluation("Pilote", lang="fr", min_cell=MIN_CELL)
    attendance_section(evaluation, {"log": _Source("attendance", events),
                                    "places": _Source("places", places)})
    return suppress_table(evaluation.sections["attendance"].tables["by_type_zone"], MIN_CELL)


def _zeros_between_hidden(months: pd.DataFrame) -> list[tuple]:
    """(type, zone, month) of every month published as 0 with a hidden month of its
    series (type, zone, year) before it and another after it."""
    found = []
    frame = months.assign(year=months["period"].dt.year).sort_values("period")
    for key, series in frame.groupby(["type", "zone", "year"], observed=True):
        hidden = series[SUPPRESSED].to_numpy()
        zero = (~hidden) & (series["users"].fillna(-1).to_numpy() == 0)
        before = hidden.cumsum() > 0
        after = hidden[::-1].cumsum()[::-1] > 0
        found += [(key[0], key[1], p) for p in series["period"][zero & before & after]]
    return found


def _hidden_zeros(months: pd.DataFrame) -> set[tuple]:
    """(type, zone, month) of the months with nobody that the table hides."""
    keys = ["type", "zone", "period"]
    raw = _months_raw()[keys + ["users"]].rename(columns={"users": "raw_users"})
    both = months[keys + [SUPPRESSED]].astype({"type": object, "zone": object}).merge(
        raw.astype({"type": object, "zone": object}), on=keys, validate="one_to_one")
    empty = both[both[SUPPRESSED] & (both["raw_users"] == 0)]
    return set(zip(empty["type"], empty["zone"], empty["period"].dt.strftime("%Y-%m")))


def _months_raw() -> pd.DataFrame:
    """The same table before suppression."""
    events, places = _stretch_log()
    evaluation = Evaluation("Pilote", lang="fr", min_cell=MIN_CELL)
    attendance_section(evaluation, {"log": _Source("attendance", events),
                                    "places": _Source("places", places)})
    return evaluation.sections["attendance"].tables["by_type_zone"].data


def test_stretch_publishes_no_zero_month_between_hidden_months():
    """v6: no fablab x urban month of 2016 is published as 0 between two hidden ones."""
    months = _months()
    fablab = months[(months["type"] == "fablab") & (months["period"].dt.year == 2016)]
    assert fablab[SUPPRESSED].sum() >= 3   # January, March and May at least
    assert _zeros_between_hidden(months) == []


def test_stretch_hides_only_the_zeros_between_its_hidden_months():
    """Only fablab x urban's February and April 2016 (between hidden January, March and
    May) are hidden 0s: its June to December and the busy hybrid x rural series' July
    to December stay published as 0."""
    months = _months()
    hybrid = months[(months["type"] == "hybrid") & (months["period"].dt.year == 2016)]
    assert (hybrid["users"].iloc[6:] == 0).all() and not hybrid[SUPPRESSED].any()
    assert _hidden_zeros(months) == {("fablab", "urban", "2016-02"),
                                     ("fablab", "urban", "2016-04")}
