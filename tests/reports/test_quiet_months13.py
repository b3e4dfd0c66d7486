"""Privacy review 13, findings 2 and 7: a quiet stretch of the check-in log (one badge the
only user of a type and zone's year, or of a whole year) is hidden as one block in the
attendance tables, L'essentiel does not tell a year of zeros, and a place's growth
follows the table by place and year (analysis/_log_lanes.py,
reports/_suppression_attendance.py, reports/key_messages.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis._log_lanes import _occupancy_note, attendance_section
from analysis.evaluation_model import Evaluation, Table
from reports.i18n import catalogue
from reports.key_messages import _occupancy
from reports.presentation import Prepared
from reports.suppression import SUPPRESSED, suppress_table

MIN_CELL = 5
#: Review 12c's att40: badge B99999 at TL105, the log's only check-ins of 2017.
LONE_VISITS = ["2017-01-09", "2017-01-23", "2017-03-14", "2017-05-02"]


class _Source:
    """A read source as the attendance lane sees it: a kind and its rows."""

    def __init__(self, kind: str, data: pd.DataFrame) -> None:
        self.kind, self.data = kind, data

    def __len__(self) -> int:
        return len(self.data)


def _visits(place: str, users: int, years=(2015, 2016), months=range(1, 13)) -> list[tuple]:
    """``users`` badges of ``place`` each coming on the 3rd and 17th of every month."""
    return [(place, f"{place}-u{u}", pd.Timestamp(year, month, day, 9 + u % 8))
            for year in years for month in months for u in range(users) for day in (3, 17)]


def _places(spec: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"place_id": [p for p, _, _ in spec], "type": [t for _, t, _ in spec],
                         "zone": [z for _, _, z in spec], "capacity": 10.0,
                         "opened": pd.Timestamp("2014-01-01")})


def _tables(rows: list[tuple], places: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The attendance tables of a log, suppressed as the report publishes them."""
    events = pd.DataFrame(rows, columns=["place_id", "user_id", "timestamp"])
    evaluation = Evaluation("Pilote", lang="fr", min_cell=MIN_CELL)
    attendance_section(evaluation, {"log": _Source("attendance", events),
                                    "places": _Source("places", places)})
    return {key: suppress_table(table, MIN_CELL)
            for key, table in evaluation.sections["attendance"].tables.items()}


def _quiet_year() -> tuple[list[tuple], pd.DataFrame]:
    """Review 12c's att40 shape: busy places in 2015-2016, then one badge alone at one
    coworking place in 2017 (9 and 23 January, 14 March, 2 May)."""
    places = _places([("C1", "coworking", "urban"), ("C2", "coworking", "urban"),
                      ("TL105", "coworking", "urban"), ("F1", "fablab", "rural"),
                      ("F2", "fablab", "rural")])
    rows = (_visits("C1", 12) + _visits("C2", 8) + _visits("TL105", 6) + _visits("F1", 7)
            + _visits("F2", 6)
            + [("TL105", "B99999", pd.Timestamp(day + " 10:00")) for day in LONE_VISITS])
    return rows, places


def _quiet_series() -> tuple[list[tuple], pd.DataFrame]:
    """A busy 2016, but one badge the only user of the fablab x rural places that year:
    at F1 in January and May, at F2 in March."""
    places = _places([("C1", "coworking", "urban"), ("C2", "coworking", "urban"),
                      ("F1", "fablab", "rural"), ("F2", "fablab", "rural")])
    lone = [("F1", "B1", "2016-01-12"), ("F2", "B1", "2016-03-08"), ("F1", "B1", "2016-05-03")]
    rows = (_visits("C1", 12) + _visits("C2", 8) + _visits("F1", 7, years=(2015,))
            + _visits("F2", 6, years=(2015,))
            + [(place, user, pd.Timestamp(day + " 10:00")) for place, user, day in lone])
    return rows, places


def _zero_beside_hidden(frame: pd.DataFrame, keys: list[str]) -> list:
    """The groups (``keys`` and year) holding both a hidden row and a row published
    with 0 users: a hidden row among zeros says where the few went, and when."""
    year = frame["period"].dt.year.rename("year")
    shown_zero = (~frame[SUPPRESSED]) & (frame["users"].fillna(-1) == 0)
    both = (frame[SUPPRESSED].groupby([frame[k] for k in keys] + [year]).any()
            & shown_zero.groupby([frame[k] for k in keys] + [year]).any())
    return both[both].index.tolist()


def test_quiet_year_publishes_no_month_as_zero_beside_a_hidden_one():
    """att40: no type and zone's month of 2017 is published as 0 beside a hidden one."""
    tables = _tables(*_quiet_year())
    assert _zero_beside_hidden(tables["by_type_zone"], ["type", "zone"]) == []


def test_quiet_year_publishes_no_place_as_zero_beside_the_hidden_one():
    """att40: 2017's places published with 0 users do not name the one place used."""
    tables = _tables(*_quiet_year())
    assert _zero_beside_hidden(tables["by_place_year"], []) == []


def test_quiet_series_in_a_busy_year_hides_its_months_as_one_block():
    """One badge alone in a type and zone's year: all its months hidden, the 0s too."""
    months = _tables(*_quiet_series())["by_type_zone"]
    series = months[(months["type"] == "fablab") & (months["period"].dt.year == 2016)]
    assert series[SUPPRESSED].all()


def test_quiet_series_leaves_the_busy_series_of_its_year_published():
    """The block is the quiet series': the busy coworking months of 2016 stay."""
    months = _tables(*_quiet_series())["by_type_zone"]
    busy = months[(months["type"] == "coworking") & (months["period"].dt.year == 2016)]
    assert not busy[SUPPRESSED].any() and (busy["users"] == 20).all()


def test_quiet_series_counts_a_badge_at_several_places_once():
    """Three place-years of 1 user each are 1 person: 2 badges at 3 places (6 place-year
    users) are still a series of fewer than 5 users, hidden whole."""
    places = _places([("C1", "coworking", "urban"), ("F1", "fablab", "rural"),
                      ("F2", "fablab", "rural"), ("F3", "fablab", "rural")])
    lone = [(place, user, pd.Timestamp(f"2016-0{month}-10 10:00"))
            for month, place in ((1, "F1"), (4, "F2"), (7, "F3")) for user in ("B1", "B2")]
    months = _tables(_visits("C1", 12) + lone, places)["by_type_zone"]
    series = months[(months["type"] == "fablab") & (months["period"].dt.year == 2016)]
    assert series[SUPPRESSED].all()


def test_series_and_year_users_are_never_published():
    """The private distinct-user columns are read by the suppression and left out."""
    tables = _tables(*_quiet_year())
    for key in ("by_type_zone", "by_place_year"):
        assert not {"series_users", "year_users"} & set(tables[key].columns)


def _partner_growth() -> tuple[list[tuple], pd.DataFrame]:
    """Review 12c-6: F1 alone of its kind (8 users in 2015, 2 in 2016), C4 a single
    hybrid place of 12 users, 3 of them in February and August 2016: the series rule
    hides C4's 2016 in the table by place and year as F1's partner."""
    places = _places([("C1", "coworking", "urban"), ("C2", "coworking", "urban"),
                      ("C3", "coworking", "urban"), ("C4", "hybrid", "urban"),
                      ("F1", "fablab", "rural")])
    rows = (_visits("C1", 12) + _visits("C2", 12) + _visits("C3", 12)
            + _visits("F1", 8, years=(2015,)) + _visits("F1", 2, years=(2016,))
            + _visits("C4", 12, years=(2015,))
            + _visits("C4", 12, years=(2016,), months=[1, 3, 4, 5, 6, 7, 9, 10, 11, 12])
            + _visits("C4", 3, years=(2016,), months=[2, 8]))
    return rows, places


def test_growth_of_a_place_year_the_yearly_table_hides_is_hidden():
    """C4 2016 hidden in the yearly table: its growth row (last_value 12) is hidden."""
    tables = _tables(*_partner_growth())
    years, growth = tables["by_place_year"], tables["growth"]
    hidden = years.loc[years[SUPPRESSED], "place_id"] + "-" \
        + years.loc[years[SUPPRESSED], "period"].dt.year.astype(str)
    assert "C4-2016" in set(hidden)
    assert growth.set_index("place_id").loc["C4", SUPPRESSED]


def test_growth_rows_follow_every_hidden_place_year():
    """No growth row is published whose first or last year the yearly table hides."""
    tables = _tables(*_partner_growth())
    years, growth = tables["by_place_year"], tables["growth"]
    gone = set(zip(years.loc[years[SUPPRESSED], "place_id"],
                   years.loc[years[SUPPRESSED], "period"].dt.year))
    shown = growth[~growth[SUPPRESSED]]
    assert not [p for p, a, b in zip(shown["place_id"], shown["first_year"],
                                     shown["last_year"]) if (p, a) in gone or (p, b) in gone]
    assert not growth.attrs   # the yearly table it read is not carried out


def _yearly(occupancy_2017: list[float], hidden_2017: int) -> Prepared:
    """A published table by place and year: 2016 used, 2017 places at the given
    occupancy plus ``hidden_2017`` hidden rows, with the occupancy note."""
    n16, n17 = 3, len(occupancy_2017)
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2016-01-01"] * n16 + ["2017-01-01"] * (n17 + hidden_2017)),
        "place_id": [f"P{i}" for i in range(n16)] + [f"P{i}" for i in range(n17 + hidden_2017)],
        "occupancy": [0.05, 0.1, 0.3] + occupancy_2017 + [np.nan] * hidden_2017,
        "little_used": pd.array([True, True, False] + [o < 0.2 for o in occupancy_2017]
                                + [None] * hidden_2017, dtype="boolean"),
        SUPPRESSED: [False] * (n16 + n17) + [True] * hidden_2017})
    note = _occupancy_note({"open_days": "all", "little_used": 0.2})
    table = Table("by_place_year", frame, "tables.attendance.by_place", notes=[note])
    return Prepared("attendance", table, frame, "attendance_by_place_year")


def test_essentials_skip_a_year_of_zero_occupancy():
    """« en 2017, les 19 lieux … (de 0 à 0 %) ; masqués : 1 »: the sentence tells 2016."""
    text = _occupancy(_yearly([0.0] * 19, 1), catalogue("fr"))
    assert "2016" in text and "2017" not in text and "0\u00a0à 0" not in text


def test_essentials_do_not_count_the_hidden_place_of_a_skipped_year():
    """The hidden place of the year of zeros is not counted in the sentence."""
    text = _occupancy(_yearly([0.0] * 19, 1), catalogue("fr"))
    assert "masqué" not in text


def test_essentials_count_as_hidden_only_rows_the_table_hides():
    """A published place without capacity (no occupancy) is not called hidden."""
    item = _yearly([0.1, np.nan], 0)
    text = _occupancy(item, catalogue("fr"))
    assert "2017" in text and "masqué" not in text


def test_essentials_quiet_year_log_tells_the_last_used_year():
    """End to end on att40's shape: L'essentiel speaks of 2016, not of 2017."""
    rows, places = _quiet_year()
    events = pd.DataFrame(rows, columns=["place_id", "user_id", "timestamp"])
    evaluation = Evaluation("Pilote", lang="fr", min_cell=MIN_CELL)
    attendance_section(evaluation, {"log": _Source("attendance", events),
                                    "places": _Source("places", places)})
    table = evaluation.sections["attendance"].tables["by_place_year"]
    item = Prepared("attendance", table, suppress_table(table, MIN_CELL), "x")
    text = _occupancy(item, catalogue("fr"))
    assert "en 2016" in text and "masqué" not in text


def test_series_and_year_users_match_pandas_nunique():
    """The private distinct users equal pandas' nunique over the check-ins, where exact."""
    from analysis import attendance
    from analysis._log_lanes import _with_series_users

    rng = np.random.default_rng(13)
    places = _places([(f"P{i}", ["coworking", "fablab"][i % 2], ["urban", "rural"][i % 3 > 0])
                      for i in range(9)])
    n = 3000
    events = pd.DataFrame({
        "place_id": pd.Categorical(rng.choice(places["place_id"], n)),
        "user_id": pd.Categorical([f"u{k}" for k in rng.integers(0, 60, n)]),
        "timestamp": pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D")})
    monthly, yearly, _ = attendance._report_tables(events, places)
    months, years = _with_series_users(attendance.attendance_by(monthly), yearly, events)
    joined = events.assign(year=events["timestamp"].dt.year).merge(
        places[["place_id", "type", "zone"]].astype({"place_id": str}),
        left_on=events["place_id"].astype(str), right_on="place_id")
    series = joined.groupby(["type", "zone", "year"])["user_id"].nunique()
    per_year = joined.groupby("year")["user_id"].nunique()
    got = months.assign(year=months["period"].dt.year).groupby(["type", "zone", "year"],
                                                               observed=True)
    assert (got["series_users"].first() == series.reindex(got["series_users"].first().index)
            .fillna(0)).all()
    got_year = years.groupby(years["period"].dt.year)["year_users"].first()
    assert (got_year == per_year.reindex(got_year.index).fillna(0)).all()
