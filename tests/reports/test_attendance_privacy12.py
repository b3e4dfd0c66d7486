"""Privacy review 12, findings 1 and 2: a place-year hidden in the yearly attendance table
is not given back by the monthly sums of its type and zone nor by the log's check-ins
total, and a hidden year's users are not given back by the growth tables
(analysis/_log_lanes.py, reports/suppression.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from analysis._log_lanes import attendance_section
from analysis.evaluation_model import Evaluation
from reports.suppression import SUPPRESSED, suppress, suppress_table

MIN_CELL = 5
YEARS = (2015, 2016)


class _Source:
    """A read source as the attendance lane sees it: a kind and its rows."""

    def __init__(self, kind: str, data: pd.DataFrame) -> None:
        self.kind, self.data = kind, data

    def __len__(self) -> int:
        return len(self.data)


def _visits(place: str, users: int, years=YEARS, months=range(1, 13),
            days=(3, 17)) -> list[tuple]:
    """``users`` badges of ``place`` each coming on ``days`` of every month given."""
    return [(place, f"{place}-u{u}", pd.Timestamp(year, month, day, 9 + u % 8))
            for year in years for month in months for u in range(users) for day in days]


def _tables(rows: list[tuple], places: pd.DataFrame, margins: bool = True
            ) -> dict[str, pd.DataFrame]:
    """The attendance tables of a log, suppressed as the report publishes them (with
    ``margins`` False, the yearly table without its margins, as before the fix)."""
    events = pd.DataFrame(rows, columns=["place_id", "user_id", "timestamp"])
    evaluation = Evaluation("Pilote", lang="fr", min_cell=MIN_CELL)
    attendance_section(evaluation, {"log": _Source("attendance", events),
                                    "places": _Source("places", places)})
    tables = evaluation.sections["attendance"].tables
    if not margins:
        tables["by_place_year"] = replace(tables["by_place_year"], count_margins=[])
    out = {key: suppress_table(table, MIN_CELL) for key, table in tables.items()}
    out["checkins"] = len(events)
    return out


def _places(spec: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"place_id": [p for p, _, _ in spec], "type": [t for _, t, _ in spec],
                         "zone": [z for _, _, z in spec], "capacity": 10.0,
                         "opened": pd.Timestamp("2014-01-01")})


def _sum_fixed(tables: dict, column: str, targets: set) -> bool:
    """Whether the published figures fix the sum of ``column`` over the hidden
    place-years ``targets`` ({(place, year)}): the same linear programme as
    :func:`_recoverable`, with the sum as its objective."""
    year = tables["by_place_year"]
    hy = np.flatnonzero(year[SUPPRESSED])
    keys = [(year["place_id"].iloc[i], year["period"].iloc[i].year) for i in hy]
    weights = np.array([1.0 if key in targets else 0.0 for key in keys])
    a_eq, b_eq, size = _constraints(tables, column)
    c = np.r_[weights, np.zeros(size - len(hy))]
    low = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None))
    high = linprog(-c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None))
    return bool(low.success and high.success and abs(low.fun + high.fun) < 1e-6)


def _constraints(tables: dict, column: str) -> tuple[list, list, int]:
    """The linear programme's equalities over the hidden place-years then the hidden
    months: each type and zone's year by month equals it by place, and (visits) each
    table's hidden cells add up to the check-ins less its visible ones."""
    year, month = tables["by_place_year"], tables["by_type_zone"]
    hy, hm = np.flatnonzero(year[SUPPRESSED]), np.flatnonzero(month[SUPPRESSED])
    size = len(hy) + len(hm)
    a_eq, b_eq = [], []
    y_year, m_year = year["period"].dt.year, month["period"].dt.year
    for (kind, zone, when), rows in year.groupby(["type", "zone", y_year]):
        months = month[(month["type"] == kind) & (month["zone"] == zone) & (m_year == when)]
        row = np.zeros(size)
        row[np.searchsorted(hy, year.index.get_indexer(rows.index[rows[SUPPRESSED]]))] = 1
        row[len(hy) + np.searchsorted(hm, month.index.get_indexer(
            months.index[months[SUPPRESSED]]))] = -1
        a_eq.append(row)
        b_eq.append(months.loc[~months[SUPPRESSED], column].sum()
                    - rows.loc[~rows[SUPPRESSED], column].sum())
    if column == "visits":
        for part, visible in ((slice(None, len(hy)), year), (slice(len(hy), None), month)):
            row = np.zeros(size)
            row[part] = 1
            a_eq.append(row)
            b_eq.append(tables["checkins"] - visible.loc[~visible[SUPPRESSED], column].sum())
    return a_eq, b_eq, size


def _recoverable(tables: dict, column: str) -> dict[str, float]:
    """Every hidden place-year's ``column`` that the published figures fix exactly: a
    linear programme over the hidden place-years and hidden months, with each type and
    zone's year equal by month and by place, and (visits) the check-ins total; a hidden
    value whose least and greatest feasible values agree is given back."""
    year = tables["by_place_year"]
    hy = np.flatnonzero(year[SUPPRESSED])
    a_eq, b_eq, size = _constraints(tables, column)
    found = {}
    for k, i in enumerate(hy):
        c = np.zeros(size)
        c[k] = 1
        low = linprog(c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None))
        high = linprog(-c, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None))
        if low.success and high.success and abs(low.fun + high.fun) < 1e-6:
            found[f"{year['place_id'].iloc[i]} {year['period'].iloc[i].year}"] = low.fun
    return found


def _busy_and_lone() -> tuple[list[tuple], pd.DataFrame]:
    """Four busy coworking places of an urban zone (12 users every month) and a fifth
    whose only user in 2016 came 7 times (the review's Argentan coworking), and one busy
    fablab elsewhere."""
    places = _places([*[(f"C{i}", "coworking", "urban") for i in range(1, 6)],
                      ("F1", "fablab", "rural")])
    rows = [r for i in range(1, 5) for r in _visits(f"C{i}", 12)]
    rows += _visits("C5", 1, years=(2016,), months=range(3, 10), days=(8,))
    rows += _visits("F1", 12)
    return rows, places


def test_lone_place_year_does_not_come_back_from_its_type_and_zone_months():
    """A place-year of 1 user among busy places of its type and zone takes a sibling with
    it: neither the months' sums nor the check-ins total give its visits or days back."""
    tables = _tables(*_busy_and_lone())
    year = tables["by_place_year"]
    hidden = year[year[SUPPRESSED]]
    assert "C5" in set(hidden["place_id"])
    assert (hidden["period"].dt.year == 2016).sum() >= 2
    assert _recoverable(tables, "visits") == {}
    assert _recoverable(tables, "user_days") == {}


def test_without_margins_the_lone_place_year_comes_back():
    """The review's attack works on the same log when the yearly table has no margins:
    the months' sums minus the visible places give the 7 visits and 7 days (so the audit
    above can tell a recoverable row)."""
    tables = _tables(*_busy_and_lone(), margins=False)
    assert tables["by_place_year"][SUPPRESSED].sum() == 1
    assert _recoverable(tables, "visits") == {"C5 2016": 7.0}
    assert _recoverable(tables, "user_days") == {"C5 2016": 7.0}


def test_place_alone_of_its_kind_does_not_come_back_from_the_checkins_total():
    """A place alone of its type and zone (its months hidden with it) with 2 users in 2016
    takes another place-year with it, one alone of its kind too, whose small months are
    hidden: the check-ins total minus the visible place-years no longer gives it."""
    places = _places([*[(f"C{i}", "coworking", "urban") for i in range(1, 5)],
                      ("F1", "fablab", "rural"), ("H1", "hybrid", "rural")])
    rows = [r for i in range(1, 5) for r in _visits(f"C{i}", 12)]
    rows += _visits("F1", 12, years=(2015,)) + _visits("F1", 2, years=(2016,), days=(5,))
    # a small hybrid place: 6 regulars in spring, 3 in the other months
    rows += _visits("H1", 6, months=range(3, 7)) + _visits("H1", 3, months=(1, 2, 8, 9, 10))
    tables = _tables(rows, places)
    year = tables["by_place_year"]
    hidden = year[year[SUPPRESSED]]
    assert len(hidden) >= 2
    assert set(hidden["place_id"]) == {"F1", "H1"}          # not a busy coworking place
    assert tables["checkins"] - year["visits"].sum() != 24  # F1's 2 users x 12 visits
    assert _recoverable(tables, "visits") == {}


def test_margin_of_the_whole_table_takes_a_place_alone_of_its_kind_first():
    """A row hidden alone in the whole table and in its group takes the smallest row alone
    in its own group, not a smaller one with siblings (whose group's total, published
    by month, would give the pair and then the first row back)."""
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2016-01-01"] * 5),
        "place_id": ["a", "b", "c", "d", "e"],
        "type": ["fablab", "coworking", "coworking", "hybrid", "telecentre"],
        "zone": "rural", "users": [2, 20, 25, 40, 30]})
    out = suppress(frame, "users", count_margins=["type", "zone", "period:Y"])
    assert out.loc[out[SUPPRESSED], "place_id"].tolist() == ["a", "e"]


def test_margins_hide_nothing_where_no_place_year_is_small():
    """Busy places only: the margins hide no place-year (no rule without a hidden row)."""
    places = _places([(f"C{i}", "coworking", "urban") for i in range(1, 4)])
    tables = _tables([r for i in range(1, 4) for r in _visits(f"C{i}", 8)], places)
    assert not tables["by_place_year"][SUPPRESSED].any()
    assert not tables["growth"][SUPPRESSED].any()


def test_growth_after_a_hidden_year_is_hidden_whatever_its_flags():
    """The review's two rows: the 2016 growth (50 users over 2) is hidden although the
    hidden 2015 row's little_used flag is blanked (it used to start a series of its own)."""
    frame = pd.DataFrame({"period": pd.to_datetime(["2015-01-01", "2016-01-01"]),
                          "place_id": "A", "users": [2, 50],
                          "little_used": pd.array([True, True], dtype="boolean"),
                          "growth": [np.nan, 24.0]})
    out = suppress(frame, "users")
    assert out[SUPPRESSED].tolist() == [True, False]
    assert np.isnan(out["growth"].iloc[1])
    assert out["hidden_cells"].iloc[1] == "growth"


def test_growth_table_hides_a_small_first_year():
    """A place with 2 users in its first full year and 12 in the last: the growth table
    does not print the 2 (nor the growth from it), nor does the yearly table's growth."""
    places = _places([(f"C{i}", "coworking", "urban") for i in range(1, 4)])
    rows = [r for i in range(1, 3) for r in _visits(f"C{i}", 12)]
    rows += _visits("C3", 2, years=(2015,)) + _visits("C3", 12, years=(2016,))
    tables = _tables(rows, places)
    growth = tables["growth"].set_index("place_id")
    assert growth.loc["C3", SUPPRESSED]
    assert pd.isna(growth.loc["C3", "first_value"]) and pd.isna(growth.loc["C3", "estimate"])
    year = tables["by_place_year"]
    # a place's growth is published where both its years are (C1's 2015, the series
    # partner of C3's, is hidden in the yearly table: privacy review 13, finding 7)
    hidden_2015 = year[year["period"].dt.year == 2015].set_index("place_id")[SUPPRESSED]
    assert (growth.loc[["C1", "C2"], SUPPRESSED] == hidden_2015[["C1", "C2"]]).all()
    assert not hidden_2015[["C1", "C2"]].all()
    assert year.loc[year["place_id"] == "C3", "growth"].isna().all()


def _lone_after_busy_year() -> tuple[list[tuple], pd.DataFrame]:
    """Review 12b, finding A: four busy coworking places (each shares its type and zone)
    and a fablab alone of its kind, 8 users every month of 2015 and 2 users in 2016."""
    places = _places([*[(f"C{i}", "coworking", "urban") for i in range(1, 5)],
                      ("F1", "fablab", "rural")])
    rows = [r for i in range(1, 5) for r in _visits(f"C{i}", 12)]
    rows += _visits("F1", 8, years=(2015,)) + _visits("F1", 2, years=(2016,), days=(5,))
    return rows, places


def test_lone_place_year_after_a_busy_year_does_not_come_back():
    """A place alone of its kind with 2 users in 2016 after a busy 2015 (whose months are
    all published): neither its 24 visits nor its 2015 come back from the two tables and
    the check-ins total."""
    tables = _tables(*_lone_after_busy_year())
    assert _recoverable(tables, "visits") == {}
    assert _recoverable(tables, "user_days") == {}


def test_monthly_table_does_not_give_a_lone_series_year_from_the_checkins():
    """The table by type and zone hides months of a second series with the lone fablab
    year's: the check-ins minus the visible months are no longer its 24 visits."""
    tables = _tables(*_lone_after_busy_year())
    month = tables["by_type_zone"]
    hidden = month[month[SUPPRESSED]]
    assert hidden.groupby([hidden["type"], hidden["zone"],
                           hidden["period"].dt.year]).ngroups >= 2
    assert tables["checkins"] - month.loc[~month[SUPPRESSED], "visits"].sum() != 24


def test_partner_alone_of_its_kind_with_all_months_published_does_not_give_it_back():
    """Review 12b's first shape: the only hybrid place (6 users every month, so its
    months are published) is no partner that protects; the fablab's 2 users of 2016
    stay hidden from the months, the place-years and the check-ins together."""
    places = _places([*[(f"C{i}", "coworking", "urban") for i in range(1, 5)],
                      ("F1", "fablab", "rural"), ("H1", "hybrid", "rural")])
    rows = [r for i in range(1, 5) for r in _visits(f"C{i}", 12)]
    rows += _visits("F1", 12, years=(2015,)) + _visits("F1", 2, years=(2016,), days=(5,))
    rows += _visits("H1", 6)
    tables = _tables(rows, places)
    assert _recoverable(tables, "visits") == {}
    assert _recoverable(tables, "user_days") == {}


def test_series_minima_are_read_by_the_suppression_and_never_published():
    """Both attendance tables carry the private smallest month and place-year of each
    row's type, zone and year; the suppressed tables (CSV, workbook, page) do not."""
    rows, places = _lone_after_busy_year()
    evaluation = Evaluation("Pilote", lang="fr", min_cell=MIN_CELL)
    attendance_section(evaluation, {
        "log": _Source("attendance", pd.DataFrame(rows, columns=["place_id", "user_id",
                                                                 "timestamp"])),
        "places": _Source("places", places)})
    private = {"series_month_users", "series_place_users"}
    for key in ("by_type_zone", "by_place_year"):
        table = evaluation.sections["attendance"].tables[key]
        assert private <= set(table.data.columns)
        assert not private & set(suppress_table(table, MIN_CELL).columns)
    year = evaluation.sections["attendance"].tables["by_place_year"].data.set_index("place_id")
    assert year.loc["F1", "series_month_users"].tolist() == [8.0, 2.0]


# --- third review: a cohort of one badge --------------------------------------------------

def test_a_cohort_of_one_badge_is_hidden_whole():
    """One newcomer in a month, coming back in months 2 and 4 only: with none (or all)
    of the cohort still coming counted as 0, its rows were published and gave that
    person's months back (privacy review 12c, finding 5); every row of a cohort under
    min_cell is hidden now, and the only other cohort (12) with it: the log's users less
    its size would give the lone cohort's back (session 13)."""
    from analysis._log_lanes import checkin_retention

    rows = [("A", f"u{u}", pd.Timestamp(2016, month, 5)) for u in range(12)
            for month in range(1, 8)]
    rows += [("A", "lone", pd.Timestamp(2016, month, 9)) for month in (3, 4, 6)]
    events = pd.DataFrame(rows, columns=["place_id", "user_id", "timestamp"])
    evaluation = Evaluation("Pilote", lang="fr", min_cell=MIN_CELL)
    checkin_retention(evaluation, {"log": _Source("attendance", events)})
    table = evaluation.sections["retention"].tables["log_cohorts"]
    out = suppress_table(table, MIN_CELL)
    cohort = out[table.data.columns[0]].astype(str)
    lone = cohort.str.startswith("2016-03").to_numpy()
    assert lone.any() and out.loc[lone, SUPPRESSED].all()
    assert out.loc[lone, "active"].isna().all()
    assert out.loc[cohort.str.startswith("2016-01").to_numpy(), SUPPRESSED].all()


def test_two_open_series_of_one_user_each_take_a_third():
    """Two places alone of their kind, one user each in 2016: the check-ins less every
    other series give their visits together, so either user could take their own off
    and read the other's (review 12c, finding 1). A third series is opened until the
    hidden place-years hold min_cell users between them."""
    places = _places([*[(f"C{i}", "coworking", "urban") for i in range(1, 5)],
                      ("F1", "fablab", "rural"), ("H1", "hybrid", "periurban"),
                      ("T1", "telecentre", "rural")])
    rows = [r for i in range(1, 5) for r in _visits(f"C{i}", 12)]
    rows += _visits("F1", 8, years=(2015,)) + _visits("F1", 1, years=(2016,), days=(5,))
    rows += _visits("H1", 8, years=(2015,)) + _visits("H1", 1, years=(2016,), days=(6,))
    rows += _visits("T1", 7)
    tables = _tables(rows, places)
    year = tables["by_place_year"]
    hidden = year[year[SUPPRESSED]]
    assert {("F1", 2016), ("H1", 2016)} <= {(p, t.year) for p, t in
                                            zip(hidden["place_id"], hidden["period"])}
    assert not _sum_fixed(tables, "visits", {("F1", 2016), ("H1", 2016)})
