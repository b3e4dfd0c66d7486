"""Session 13: the suppression module split by rule, a mean pinned by a published top-2
(privacy review 12c, finding 3) and a hidden check-in cohort's size from the log's users
(review 12c, residual of finding 5)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis._cell_counts import likert_cells
from analysis.evaluation_model import Evaluation
from reports import suppression
from reports.suppression import SUPPRESSED, suppress, suppress_table

MIN_CELL = 5


# --- the split --------------------------------------------------------------------------

#: Every name other modules, tests and notebooks import from reports.suppression.
_IMPORTED = ("SUPPRESSED", "HIDDEN_CELLS", "KEPT_ON_HIDDEN", "FREE_TEXT_MIN_CELL", "BEYOND",
             "DOMINANCE", "DOMINANCE_P", "DOMINANCE_PARTS", "key_columns",
             "numeric_columns", "hidden_rows", "hidden_parts", "blank_cells", "suppress",
             "suppress_table")


def test_every_name_imported_from_the_module_is_still_there():
    """The names the rest of the code base imports from reports.suppression still
    import from it after the split."""
    missing = [name for name in _IMPORTED if not hasattr(suppression, name)]
    assert missing == [] and set(_IMPORTED) <= set(suppression.__all__)


def test_each_suppression_module_is_small():
    """The rules are split into modules of at most 600 lines each."""
    folder = Path(suppression.__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines())
             for p in [folder / "suppression.py", *folder.glob("_suppression_*.py")]}
    assert len(sizes) >= 5 and max(sizes.values()) <= 600, sizes


def test_the_private_columns_are_those_analysis_writes():
    """The registry of private columns is made of the names analysis writes them under."""
    from analysis._log_lanes import (COHORT_USERS, SERIES_MONTH_USERS, SERIES_PLACE_USERS,
                                     SERIES_USERS, YEAR_USERS)
    from analysis.profile import DOMINANCE, DOMINANCE_PARTS, DOMINANCE_SPREAD, INTEGER_RANGE
    from reports.suppression import PRIVATE_COLUMNS

    assert PRIVATE_COLUMNS == {DOMINANCE, *DOMINANCE_PARTS, DOMINANCE_SPREAD, *INTEGER_RANGE,
                               SERIES_MONTH_USERS, SERIES_PLACE_USERS, SERIES_USERS,
                               YEAR_USERS, COHORT_USERS}


def test_suppress_drops_every_private_column():
    """A table carrying every private column and a tail count comes out without them
    (a value with too few answers beyond it hidden first)."""
    from reports.suppression import PRIVATE_COLUMNS

    frame = pd.DataFrame({"dept": ["A", "B"], "n": [3, 20], "q3": [7.0, 9.0],
                          "q3_beyond": [2, 3]})
    frame = frame.assign(**{column: np.nan for column in PRIVATE_COLUMNS})
    out = suppress(frame, "n")
    assert not (PRIVATE_COLUMNS | {"q3_beyond"}) & set(out.columns)
    assert out.columns.tolist() == ["dept", "n", "q3", "hidden_cells", SUPPRESSED]
    assert out["hidden_cells"].tolist()[1] == "q3"


# --- finding 3: a mean at the end of what a published top-2 allows ---------------------

def _likert(groups: dict[str, list[int]]) -> pd.DataFrame:
    """The Likert table by status of the groups' answers to one item, with each row's
    cell count as analysis writes it (analysis.likert, likert_cells)."""
    status = [g for g, answers in groups.items() for _ in answers]
    answers = [a for values in groups.values() for a in values]
    frame = pd.DataFrame({"status": pd.Categorical(status, categories=list(groups)),
                          "sat_overall": pd.Categorical(answers, categories=[1, 2, 3, 4, 5],
                                                        ordered=True)})
    table = analysis.likert(frame, ["sat_overall"], by="status")
    return table.assign(cell_count=likert_cells(table, table, ["status"]))


def _cell(out: pd.DataFrame, status: str, statistic: str, column: str = "estimate"):
    return out.loc[(out["status"] == status) & (out["statistic"] == statistic),
                   column].iloc[0]


#: Review 12c's att30: 30 jobseekers, one answered 2, fourteen 3, fifteen 5 (mean 3.97,
#: top-2 0.50 published, bottom-2 hidden); two large groups with every share published.
_ATT30 = {"jobseeker": [2] + [3] * 14 + [5] * 15,
          "freelancer": [1, 2, 3, 4, 5, 4, 4, 5, 3, 2] * 6,
          "employee": [1, 2, 2, 3, 4, 4, 5, 5, 3, 4] * 6}


def test_a_mean_at_the_top_of_what_the_published_top2_allows_is_hidden():
    """30 answers averaging 3.97 beside a published top-2 of 0.50 and a hidden bottom-2
    fit one set of answers only (one 2, fourteen 3s, fifteen 5s): the mean is hidden."""
    out = suppress(_likert(_ATT30), "cell_count", group_columns=["status"])
    assert _cell(out, "jobseeker", "top2") == pytest.approx(0.5)
    assert _cell(out, "jobseeker", "bottom2", SUPPRESSED)
    assert pd.isna(_cell(out, "jobseeker", "mean"))
    assert _cell(out, "jobseeker", "mean", "n") == 30


def test_the_hidden_mean_takes_a_siblings_with_it():
    """The jobseekers' mean, hidden alone among its siblings, would come back from the
    whole's: the smallest sibling's mean goes too, the other stays."""
    out = suppress(_likert(_ATT30), "cell_count", group_columns=["status"])
    means = out[out["statistic"] == "mean"].set_index("status")["estimate"]
    assert means.isna().sum() == 2 and means.notna().sum() == 1


def test_the_same_shape_at_the_bottom_is_hidden():
    """By symmetry: one answer of 4, fourteen 3s, fifteen 1s beside a published bottom-2
    and a hidden top-2 is hidden."""
    groups = {**_ATT30, "jobseeker": [4] + [3] * 14 + [1] * 15}
    out = suppress(_likert(groups), "cell_count", group_columns=["status"])
    assert _cell(out, "jobseeker", "top2", SUPPRESSED)
    assert _cell(out, "jobseeker", "bottom2") == pytest.approx(0.5)
    assert pd.isna(_cell(out, "jobseeker", "mean"))


def test_a_mean_inside_what_the_published_top2_allows_stays():
    """30 answers, 15 satisfied (published), 3 dissatisfied (hidden), averaging 3.53: 1
    to 4 dissatisfied all fit, and the mean stays."""
    answers = [1, 2, 2] + [3] * 12 + [4] * 10 + [5] * 5
    groups = {**_ATT30, "jobseeker": answers}
    out = suppress(_likert(groups), "cell_count", group_columns=["status"])
    assert _cell(out, "jobseeker", "bottom2", SUPPRESSED)
    assert _cell(out, "jobseeker", "mean") == pytest.approx(sum(answers) / 30)


def test_a_small_group_mean_beside_shares_of_100_percent_is_hidden():
    """7 answers all satisfied (top-2 100 %, bottom-2 0 %: both published) averaging
    4.71 are five 5s and two 4s: under 2 x min_cell answers, the mean is hidden even
    with no share hidden (it was published, in review 12c's att20, once a sibling's
    mean was hidden for its own reasons)."""
    groups = {**_ATT30, "jobseeker": [5, 5, 5, 5, 5, 4, 4]}
    out = suppress(_likert(groups), "cell_count", group_columns=["status"])
    assert _cell(out, "jobseeker", "top2") == 1.0 and _cell(out, "jobseeker", "bottom2") == 0
    assert pd.isna(_cell(out, "jobseeker", "mean"))
    assert pd.isna(_cell(out, "jobseeker", "mean", "se"))


def _compositions(n: int) -> np.ndarray:
    """Every answer set of n answers on 1-5 as counts (c1, ..., c5)."""
    cuts = np.array(list(itertools.combinations(range(n + 4), 4)))
    bounds = np.column_stack([np.full(len(cuts), -1), cuts, np.full(len(cuts), n + 4)])
    return np.diff(bounds, axis=1) - 1


@pytest.mark.parametrize("n", [12, 20, 30])
def test_no_published_mean_narrows_a_hidden_share(n):
    """Every answer set of n answers with a published top-2 and a hidden bottom-2 (and
    the reverse), each as a group of its own: wherever the mean is published, the
    answer sets of that n, sum and published share (enumerated) still allow every count
    from 1 to 4 for the hidden share, as the reviewer's scanner asks."""
    sets = _compositions(n)
    scores = np.arange(1, 6)
    sums, bottom, top = sets @ scores, sets[:, :2].sum(1), sets[:, 3:].sum(1)

    def cell(k):
        return np.where((k == 0) | (k == n), n, np.minimum(k, n - k))

    for hidden, shown in ((bottom, top), (top, bottom)):
        chosen = np.flatnonzero((cell(hidden) < MIN_CELL) & (hidden > 0) & (hidden < n)
                                & (cell(shown) >= MIN_CELL))
        rows = []
        for i in chosen:   # one group per answer set
            for statistic, value in (("mean", sums[i] / n), ("top2", top[i] / n),
                                     ("bottom2", bottom[i] / n)):
                count = {"mean": n, "top2": cell(top[i]), "bottom2": cell(bottom[i])}
                rows.append((f"g{i}", "sat_overall", statistic, n, value,
                             int(count[statistic])))
        table = pd.DataFrame(rows, columns=["group", "item", "statistic", "n", "estimate",
                                            "cell_count"])
        out = suppress(table, "cell_count")
        means = out[out["statistic"] == "mean"]
        published = chosen[means["estimate"].notna().to_numpy()]
        assert published.size and published.size < chosen.size
        possible: dict = {}
        for i in np.flatnonzero((cell(hidden) < MIN_CELL) & (hidden > 0) & (hidden < n)):
            possible.setdefault((sums[i], shown[i]), set()).add(hidden[i])
        for i in published:
            side = range(1, MIN_CELL) if hidden[i] < MIN_CELL else range(n - MIN_CELL + 1, n)
            assert set(side) <= possible[(sums[i], shown[i])], (n, sets[i])


# --- the residual of finding 5: one hidden cohort's size ---------------------------------

class _Source:
    """A read log as checkin_retention sees it."""

    def __init__(self, kind: str, data: pd.DataFrame) -> None:
        self.kind, self.data = kind, data

    def __len__(self) -> int:
        return len(self.data)


def _cohorts(sizes: dict[int, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The check-in cohorts table of a log whose cohorts (first month of 2016 -> badges)
    come every month until July, and the same table suppressed."""
    from analysis._log_lanes import checkin_retention

    rows = [("A", f"u{first}-{u}", pd.Timestamp(2016, month, 5))
            for first, size in sizes.items() for u in range(size)
            for month in range(first, 8)]
    events = pd.DataFrame(rows, columns=["place_id", "user_id", "timestamp"])
    evaluation = Evaluation("Pilote", lang="fr", min_cell=MIN_CELL)
    checkin_retention(evaluation, {"log": _Source("attendance", events)})
    table = evaluation.sections["retention"].tables["log_cohorts"]
    return table.data, suppress_table(table, MIN_CELL)


def _hidden_sizes(data: pd.DataFrame, out: pd.DataFrame) -> dict[str, int]:
    """The true size of each cohort whose rows are all hidden."""
    cohort = data[data.columns[0]].astype(str)
    hidden = out.groupby(cohort.to_numpy())[SUPPRESSED].all()
    sizes = data.groupby(cohort.to_numpy())["users"].first()
    return sizes[hidden[hidden].index].to_dict()


def test_a_lone_small_cohort_takes_the_smallest_other_cohort_with_it():
    """One badge arriving in March beside cohorts of 12, 9 and 30: the log's users (52,
    published) less the visible cohorts would give the lone cohort's size, so the
    smallest other cohort (9) is hidden whole with it."""
    data, out = _cohorts({1: 12, 2: 30, 3: 1, 4: 9})
    assert _hidden_sizes(data, out) == {"2016-03-01": 1, "2016-04-01": 9}
    assert out.loc[out[SUPPRESSED], ["users", "active", "share"]].isna().all(axis=None)


def test_the_hidden_cohorts_sizes_are_not_recoverable_from_the_users_total():
    """Whatever the cohorts, those hidden whole are two or more and hold min_cell badges
    or more together: the users total less the visible cohorts fixes none of them."""
    for sizes in ({1: 12, 3: 1}, {1: 12, 2: 3, 3: 30, 4: 1}, {1: 20, 2: 2, 5: 40},
                  {1: 7, 2: 4, 3: 6, 4: 4}):
        data, out = _cohorts(sizes)
        hidden = _hidden_sizes(data, out)
        assert len(hidden) >= 2 and sum(hidden.values()) >= MIN_CELL, sizes


def test_two_small_cohorts_hiding_each_other_take_no_third():
    """Cohorts of 3 and 4 badges hidden together (7 badges between them): the larger
    cohorts stay published."""
    data, out = _cohorts({1: 12, 2: 3, 3: 30, 4: 4})
    assert _hidden_sizes(data, out) == {"2016-02-01": 3, "2016-04-01": 4}


def test_the_cohort_sizes_column_is_private():
    """analysis writes each row's cohort size in a private column; it is never
    published."""
    from analysis._log_lanes import COHORT_USERS

    data, out = _cohorts({1: 12, 3: 1})
    assert (data[COHORT_USERS] == data["users"]).all()
    assert COHORT_USERS not in out.columns
