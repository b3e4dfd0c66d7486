"""Counts of 1–4 people inside published rows: sub-counts of a row (new and returning
users), and the monthly counts of a survival curve (exits, censorings, people followed),
hidden with whatever would give them back by difference (reports/suppression.py,
reports/curve_grid.py)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis import kaplan_meier
from analysis.evaluation_model import Evaluation, Table
from reports import render
from reports.curve_grid import level_steps, protected_counts, published_curve
from reports.i18n import catalogue
from reports.suppression import SUPPRESSED, hidden_parts, suppress, suppress_table
from surveys.errors import SurveyError

MIN_CELL = 5
PARTS = ["new_users", "returning_users"]


def _attendance() -> pd.DataFrame:
    """Three months of one type and zone: 47 users of whom 3 return (a small part in a
    large row), 30 users (20 and 10), 3 users (a small row)."""
    return pd.DataFrame({
        "period": pd.to_datetime(["2015-01-01", "2015-02-01", "2015-03-01"]),
        "type": ["coworking"] * 3, "zone": ["urban"] * 3,
        "visits": [120, 80, 6], "users": [47, 30, 3], "new_users": [44, 20, 1],
        "returning_users": [3, 10, 2],
    })


def _evaluation() -> Evaluation:
    evaluation = Evaluation("Pilote", min_cell=MIN_CELL)
    evaluation.section("attendance").add(Table(
        "by_type_zone", _attendance(), "tables.attendance.by_type_zone",
        count_column="users", subcount_columns=PARTS))
    return evaluation


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The small evaluation rendered once: {"html": text, "csv": frame, "xlsx": rows}."""
    out = tmp_path_factory.mktemp("subcounts")
    paths = render(_evaluation(), out)
    csv = pd.read_csv(out / "csv" / "attendance_by_type_zone.csv")
    book = load_workbook(paths[1], read_only=True)
    sheet = next(book[name] for name in book.sheetnames if name.startswith("01 "))
    rows = list(sheet.iter_rows(values_only=True))
    return {"html": paths[0].read_text(encoding="utf-8"), "csv": csv, "xlsx": rows}


def _html_rows(html: str) -> list[list[str]]:
    """The text of each body cell of the page's tables, row by row."""
    rows = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S):
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in cells])
    return rows


def test_small_part_and_its_complement_are_hidden_in_the_csv(written):
    """A row of 47 users keeps its 47 in the CSV; its 3 returning and 44 new are empty."""
    row = written["csv"].set_index("users").loc[47]
    assert np.isnan(row["returning_users"]) and np.isnan(row["new_users"])
    assert not row[SUPPRESSED] and row["visits"] == 120


def test_large_parts_stay_published_in_the_csv(written):
    """A row whose parts both rest on 5 people or more keeps them."""
    row = written["csv"].set_index("users").loc[30]
    assert (row["new_users"], row["returning_users"]) == (20, 10)


def test_small_part_and_its_complement_are_empty_in_the_workbook(written):
    """The workbook's row of 47 users has empty cells for its new and returning users."""
    header, *rows = [r for r in written["xlsx"] if r and any(v is not None for v in r)]
    cat = catalogue("fr")
    users = header.index(cat.column("users"))
    parts = [header.index(cat.column(c)) for c in PARTS]
    row = next(r for r in rows if r[users] == 47)
    assert [row[i] for i in parts] == [None, None]
    other = next(r for r in rows if r[users] == 30)
    assert [other[i] for i in parts] == [20, 10]


def test_small_part_and_its_complement_are_not_shown_in_the_html(written):
    """The page's row of 47 users shows neither 3 nor 44; the 30 users' row shows 20 and 10."""
    rows = _html_rows(written["html"])
    large = next(r for r in rows if "47" in r)
    assert "3" not in large and "44" not in large and "120" in large
    other = next(r for r in rows if "30" in r)
    assert "20" in other and "10" in other


def test_hidden_parts_are_marked_in_the_html(written):
    """The page marks the 47 users' hidden new and returning users "—*", as any
    hidden cell, not as empty cells."""
    rows = _html_rows(written["html"])
    large = next(r for r in rows if "47" in r)
    mark = catalogue("fr").text("report.suppressed_mark")
    assert sum(cell.startswith(mark) for cell in large) == 2


def test_part_given_back_by_the_row_count_is_hidden():
    """47 users of whom 44 are new: the 44 is hidden, since 47 - 44 = 3 returning."""
    frame = pd.DataFrame({"users": [47], "new_users": [44]})
    out = suppress(frame, "users", subcount_columns=["new_users"])
    assert out["new_users"].isna().all() and out["users"].tolist() == [47]


def test_lone_hidden_part_gets_a_partner():
    """A part hidden for another reason (here given as hidden) is not left alone in its
    group: its value would be the total minus the visible parts."""
    hidden = hidden_parts(np.array([16.0, 30.0, 8.0]), np.array([0, 0, 0]),
                          np.array([54.0]), np.array([True, False, False]))
    assert hidden.tolist() == [True, False, True]


def test_empty_part_protects_only_when_asked():
    """Beside a hidden part, an empty one is hidden where readers cannot tell it is empty."""
    values, groups, totals = np.array([16.0, 0.0]), np.array([0, 0]), np.array([16.0])
    start = np.array([True, False])
    assert hidden_parts(values, groups, totals, start).tolist() == [True, False]
    assert hidden_parts(values, groups, totals, start,
                        empty_protects=True).tolist() == [True, True]


def test_part_recoverable_from_a_published_margin_is_protected():
    """New users summed over a year (published by the table by place and year): a month's
    hidden new users are not the only hidden ones of their year."""
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2015-01-01", "2015-02-01", "2015-03-01", "2016-01-01"]),
        "zone": ["urban"] * 4, "users": [18, 25, 40, 30], "new_users": [16, 8, 20, 20],
        "returning_users": [2, 17, 20, 10]})
    out = suppress(frame, "users", subcount_columns=PARTS,
                   subcount_margins={"new_users": ["zone", "period:Y"]})
    hidden = out["new_users"].isna().to_numpy()
    assert hidden.tolist() == [True, True, False, False]  # 8: the smallest sibling
    assert (out["returning_users"].isna().to_numpy() == hidden).all()


def test_subcount_settings_name_columns_of_the_table():
    """A sub-count column absent from the data is a clear error."""
    with pytest.raises(SurveyError, match="'returning'"):
        Table("t", _attendance(), "t", count_column="users",
              subcount_columns=["new_users", "returning"])


def test_margin_names_one_of_the_subcount_columns():
    """A margin for a column that is not a sub-count is a clear error."""
    with pytest.raises(SurveyError, match="subcount_columns"):
        Table("t", _attendance(), "t", count_column="users", subcount_columns=["new_users"],
              subcount_margins={"visits": ["zone"]})


def test_tables_without_subcounts_are_unchanged():
    """A table without sub-count settings is suppressed as before (row by row only)."""
    table = Table("t", _attendance(), "t", count_column="users")
    out = suppress_table(table, MIN_CELL)
    assert out["returning_users"].tolist()[:2] == [3, 10]


# --- survival curves -------------------------------------------------------------------


def _curve_table(seed: int, size: int) -> Table:
    """A Kaplan–Meier curve of ``size`` stays, a tenth of them same-day ones."""
    rng = np.random.default_rng(seed)
    durations = rng.exponential(6.0, size) + 1e-6
    durations[: size // 10] = 0.0
    observed = rng.random(size) < 0.6
    return Table("users_curve", kaplan_meier(durations, observed), "t",
                 count_column="at_risk", figure="km_curve")


def _published(table: Table) -> pd.DataFrame:
    return suppress_table(published_curve(table, MIN_CELL), MIN_CELL)


CASES = [(seed, size) for seed in range(4) for size in (30, 80, 400)]


@pytest.mark.parametrize(("seed", "size"), CASES)
def test_no_published_monthly_count_is_below_min_cell(seed, size):
    """No visible exit, censoring or followed count of a month rests on 1 to 4 people."""
    published = _published(_curve_table(seed, size))
    for column in ("at_risk", "events", "censored"):
        values = published[column].dropna().astype(float)
        assert not ((values > 0) & (values < MIN_CELL)).any(), column


@pytest.mark.parametrize(("seed", "size"), CASES)
def test_hidden_counts_are_not_given_back_by_followed_differences(seed, size):
    """Between two published followed counts (and after the last, when all have left)
    the months' hidden exits and censorings add up to 0 or to at least min_cell people,
    and are never a lone hidden cell."""
    published = _published(_curve_table(seed, size))
    visible = ~published[SUPPRESSED].to_numpy()
    at_risk = published["at_risk"].astype(float).to_numpy()
    cells = published[["events", "censored"]].astype(float).to_numpy()
    # everyone at the start (published elsewhere: the log's users), then each month's
    # followed count at the month's end
    at_risk = np.r_[size, at_risk]
    given = np.flatnonzero(np.r_[True, visible] & ~np.isnan(at_risk))
    cells = np.r_[[[0.0, 0.0]], cells]
    bounds = [*given, len(at_risk)]
    for start, end in zip(bounds[:-1], bounds[1:]):
        rows = slice(start + 1, end + 1)
        followed_after = at_risk[end] if end < len(at_risk) else 0.0
        total = at_risk[start] - followed_after
        assert total == 0 or total >= MIN_CELL
        stretch = cells[rows]
        rest = total - np.nansum(stretch)
        assert rest == 0 or rest >= MIN_CELL
        if rest:
            assert np.isnan(stretch).sum() >= 2


def test_curve_keeps_its_level_and_band_on_rows_not_suppressed():
    """Hiding counts leaves the level and interval of a published row wherever the
    curve's steps allow them (reports.curve_grid.level_steps)."""
    published = _published(_curve_table(0, 80))
    steps = level_steps(published_curve(_curve_table(0, 80)).data, MIN_CELL)
    shown = published[~published[SUPPRESSED].to_numpy() & steps]
    assert len(shown) > 1
    assert shown[["survival", "ci_low", "ci_high"]].notna().all().all()
    assert shown["at_risk"].isna().any()  # some counts were hidden in this curve


def test_followed_counts_published_elsewhere_are_kept():
    """A month whose followed count the horizons table publishes keeps it in the curve,
    so that the curve's stretches are cut where readers can cut them."""
    table = _curve_table(1, 80)
    monthly = published_curve(table).data
    protected = protected_counts(monthly, MIN_CELL, given=[3.0, 6.0, 12.0])
    for month in (3, 6, 12):
        expected = monthly.loc[monthly["time"] == month, "at_risk"].iloc[0]
        if expected >= MIN_CELL:
            assert protected.loc[protected["time"] == month, "at_risk"].iloc[0] == expected


def test_curve_note_says_what_the_counts_are_in_both_languages():
    """The published curve carries a note on its counts, written in French and English."""
    table = published_curve(_curve_table(0, 80), MIN_CELL)
    assert "report.curve_counts" in table.notes
    assert "Encore suivis" in catalogue("fr").text("report.curve_counts")
    assert "Still followed" in catalogue("en").text("report.curve_counts")


# --- the demo report -------------------------------------------------------------------


def test_demo_publishes_no_small_subcount_or_curve_count(demo_reports):
    """In the demo's CSVs, no visible new/returning users or monthly curve count is 1–4,
    and no visible new users leave 1–4 returning users by difference."""
    folder = demo_reports["fr"].parent / "csv"
    for name in ("attendance_by_type_zone", "attendance_by_place_year"):
        table = pd.read_csv(folder / f"{name}.csv")
        table = table[~table[SUPPRESSED]]
        for column in (*PARTS, "users"):
            assert not table[column].between(1, MIN_CELL - 1).any(), (name, column)
        assert not (table["users"] - table["new_users"]).between(1, MIN_CELL - 1).any()
    for name in ("agents_stays", "companies_stays", "checkins_users"):
        curve = pd.read_csv(folder / f"retention_{name}_curve.csv")
        curve = curve[~curve[SUPPRESSED]]
        for column in ("at_risk", "events", "censored"):
            assert not curve[column].between(1, MIN_CELL - 1).any(), (name, column)
