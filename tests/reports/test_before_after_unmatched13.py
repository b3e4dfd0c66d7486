"""Review 13-1: an agent who answered one wave only. The tables by wave publish each
wave's n and mean (and top-2 share) over everyone who answered it, the paired table the
mean change (and McNemar's top-2 change) over the pairs only, so that
n_pre * mean_pre - n_post * mean_post + n * change is the unmatched answers' signed sum:
the paired rows rest on those answers too (analysis/before_after.py)."""

from __future__ import annotations

import csv
import io
import re
import shutil

import numpy as np
import pandas as pd
import pytest

import analysis
import surveys
from analysis.before_after import before_after
from reports.csv_numbers import published_numbers
from reports.render import prepare

SCALE = [1, 2, 3, 4, 5]
MIN_CELL = 5
ITEMS = ["sat_overall", "sat_balance", "sat_autonomy", "sat_manager", "sat_equipment"]
#: The demo agents' file: its id, wave and satisfaction columns (0-based).
ID, WAVE, SAT = 0, 1, slice(15, 20)
#: The demo's agents who answered the first wave only (review 13's v3/v4 used the first).
PRE_ONLY = ["CD14-100006", "CD14-100010", "CD14-100012", "CD14-100014", "CD14-100037"]


# --- analysis: the paired rows' cell count ------------------------------------------

def _waves(pre: dict, post: dict) -> pd.DataFrame:
    """Answers to ``sat`` (and ``other``) by id in each wave: {id: (sat, other)}."""
    rows = [{"respondent_id": i, "wave": w, "sat": a, "other": b}
            for w, answers in (("pre", pre), ("post", post)) for i, (a, b) in answers.items()]
    return pd.DataFrame(rows)


#: 12 pairs: on ``sat`` the first 6 move up by one, on ``other`` the odd ones do.
_PAIRS_PRE = {f"p{i:02d}": (2 + i % 3, 3) for i in range(12)}
_PAIRS_POST = {f"p{i:02d}": (2 + i % 3 + (i < 6), 3 + (i % 2)) for i in range(12)}


def _cells(frame: pd.DataFrame) -> dict:
    out = before_after(frame, ["sat", "other"], scale=SCALE)
    return {(row.item, row.test): row.cell_count for row in out.itertuples()}


def test_one_unmatched_answer_bounds_both_paired_rows():
    """One agent answered the first wave only: both paired rows of each item rest on 1."""
    frame = _waves(_PAIRS_PRE | {"lone": (2, 4)}, _PAIRS_POST)
    assert set(_cells(frame).values()) == {1.0}


def test_unmatched_answers_of_both_waves_count_together():
    """One pre-only and one post-only agent: the rows rest on the 2 unmatched answers."""
    frame = _waves(_PAIRS_PRE | {"left": (2, 4)}, _PAIRS_POST | {"came": (5, 1)})
    assert set(_cells(frame).values()) == {2.0}


def test_item_nonresponse_makes_an_answer_unmatched_for_that_item_only():
    """A matched agent without a substantive post answer to one item: that item's pre
    answer is unmatched (cell count 1); the other item keeps the movers' count."""
    full = _cells(_waves(_PAIRS_PRE, _PAIRS_POST))
    post = dict(_PAIRS_POST)
    post["p11"] = (np.nan, post["p11"][1])
    cells = _cells(_waves(_PAIRS_PRE, post))
    assert cells[("sat", "wilcoxon")] == cells[("sat", "mcnemar")] == 1.0
    assert cells[("other", "wilcoxon")] == full[("other", "wilcoxon")]
    assert cells[("other", "mcnemar")] == full[("other", "mcnemar")]


def test_no_unmatched_answer_keeps_the_movers_count():
    """Every answer paired: the rows rest on the movers (6 moved up, none down; 2 and 6
    moved into the top-2-box)."""
    cells = _cells(_waves(_PAIRS_PRE, _PAIRS_POST))
    assert cells == {("sat", "wilcoxon"): 6.0, ("sat", "mcnemar"): 2.0,
                     ("other", "wilcoxon"): 6.0, ("other", "mcnemar"): 6.0}


def test_many_unmatched_answers_keep_the_movers_count():
    """Seven pre-only agents (as in the demo): the movers' 6 stays the row's count."""
    lone = {f"l{i}": (1 + i % 5, 2) for i in range(7)}
    cells = _cells(_waves(_PAIRS_PRE | lone, _PAIRS_POST))
    assert cells[("sat", "wilcoxon")] == 6.0 and cells[("other", "wilcoxon")] == 6.0


def test_independent_rows_are_unchanged():
    """Waves compared as separate samples: Mann-Whitney rests on n, as before."""
    frame = _waves(_PAIRS_PRE | {"lone": (2, 4)}, _PAIRS_POST)
    out = before_after(frame, "sat", scale=SCALE, pairing="independent")
    assert out.set_index("test").loc["mann_whitney", "cell_count"] == 25.0


# --- the published tables of review 13's variant v4, and its attack ------------------

def _variant(demo: str, folder, pre_only: list[str], weighted: bool):
    """The demo pilot reduced to the agents who answered both waves plus ``pre_only``
    (first wave only), every non 1-5 satisfaction answer set to 3 (v4: each item has
    n_pre = pairs + len(pre_only), n_post = pairs)."""
    shutil.copytree(demo, folder, ignore=shutil.ignore_patterns("report"))
    path = folder / "agents_cd14.csv"
    with path.open(encoding="cp1252", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    header, body = rows[0], [r for r in rows[1:] if r and r[ID]]
    waves: dict = {}
    for row in body:
        waves.setdefault(row[ID], set()).add(row[WAVE])
    keep = {i for i, w in waves.items() if w == {"Avant", "Après"}} | set(pre_only)
    assert all(waves[i] == {"Avant"} for i in pre_only)
    kept = []
    for row in body:
        if row[ID] in keep:
            row[SAT] = [v if v in {"1", "2", "3", "4", "5"} else "3" for v in row[SAT]]
            kept.append(row)
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows([header, *kept])
    path.write_text(text.getvalue(), encoding="cp1252", newline="")
    if not weighted:
        toml = folder / "pilot.toml"
        toml.write_text(re.sub(r"\[weighting\.agents\][^\[]*", "",
                               toml.read_text(encoding="utf-8")), encoding="utf-8")
    return surveys.read_pilot(folder / "pilot.toml")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo pilot's folder (read only here)."""
    return surveys.demo(tmp_path_factory.mktemp("demo13")).parent


@pytest.fixture(scope="module")
def published(demo, tmp_path_factory):
    """``published(pre_only, weighted)``: the variant's evaluation and its published
    (suppressed, rounded as the CSV writes them) by-wave and paired tables."""
    done: dict = {}

    def make(pre_only: tuple, weighted: bool = False):
        if (pre_only, weighted) not in done:
            pilot = _variant(demo, tmp_path_factory.mktemp("v") / "pilot", list(pre_only),
                             weighted)
            evaluation = analysis.evaluate(pilot)
            tables = {item.table.key: published_numbers(item)
                      for item in prepare(evaluation, min_cell=MIN_CELL, figures=False)
                      if item.section == "satisfaction"}
            done[pre_only, weighted] = (pilot, evaluation, tables)
        return done[pre_only, weighted]

    return make


def _candidates(n: int, value: float, lo: int, hi: int) -> list[int]:
    """Whole sums s in [lo * n, hi * n] with s / n rounding to ``value`` (2 decimals)."""
    return [s for s in range(lo * n, hi * n + 1) if abs(s / n - value) <= 0.005 + 1e-9]


def _shown(row: pd.Series, columns: list[str]) -> bool:
    return not bool(row.get("suppressed", False)) and row[columns].notna().all()


def _attack(by_wave: pd.DataFrame, paired: pd.DataFrame) -> dict:
    """Review 13's arithmetic (att/lone_wave.py) on two published tables: for each item
    whose figures are all shown, the unmatched answers' signed sum (mean route: the sum
    of their answers; top-2 route: how many were satisfied) as its possible values."""
    found = {}
    routes = (("mean", "wilcoxon", 1, 5), ("top2", "mcnemar", 0, 1))
    for statistic, test, lo, hi in routes:
        for item in ITEMS:
            waves = by_wave[(by_wave["item"] == item) & (by_wave["statistic"] == statistic)]
            rows = paired[(paired["item"] == item) & (paired["test"] == test)]
            waves = waves.set_index(waves["wave"].astype(str))
            if rows.empty or not {"pre", "post"} <= set(waves.index):
                continue
            pre, post, row = waves.loc["pre"], waves.loc["post"], rows.iloc[0]
            if not (_shown(pre, ["n", "estimate"]) and _shown(post, ["n", "estimate"])
                    and _shown(row, ["n", "estimate"])):
                continue
            m = int(row["n"])
            change = _candidates(m, float(row["estimate"]), lo - hi, hi - lo)
            sums = {a - b + d
                    for a in _candidates(int(pre["n"]), float(pre["estimate"]), lo, hi)
                    for b in _candidates(int(post["n"]), float(post["estimate"]), lo, hi)
                    for d in change}
            found[statistic, item] = sorted(sums)
    return found


def _unsuppressed(evaluation) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables as analysis made them, rounded as published (2 decimals)."""
    tables = evaluation.sections["satisfaction"].tables
    by_wave = tables["agents_items_by_wave"].data.copy()
    paired = tables["agents_before_after"].data.copy()
    for frame in (by_wave, paired):
        frame["estimate"] = frame["estimate"].round(2)
    return by_wave, paired


def _source_answers(pilot, who: str) -> dict:
    """The first-wave answers of ``who`` in the variant's source file (the target)."""
    path = pilot.path.parent / "agents_cd14.csv"
    with path.open(encoding="cp1252", newline="") as file:
        row = next(r for r in csv.reader(file, delimiter=";") if r and r[ID] == who)
    return dict(zip(ITEMS, map(int, row[SAT])))


def test_attack_pins_the_lone_answers_before_suppression(published):
    """The variant has review 13's shape: on the tables before suppression, the arithmetic
    gives every answer of the one agent who answered the first wave only."""
    pilot, evaluation, _ = published(tuple(PRE_ONLY[:1]))
    data = evaluation.sections["satisfaction"].tables["agents_items_by_wave"].data
    means = data[data["statistic"] == "mean"].set_index(["wave", "item"])["n"]
    assert all(means["pre", i] == means["post", i] + 1 for i in ITEMS)
    truth = _source_answers(pilot, PRE_ONLY[0])
    found = _attack(*_unsuppressed(evaluation))
    assert {i: found["mean", i] for i in ITEMS} == {i: [truth[i]] for i in ITEMS}
    assert {i: found["top2", i] for i in ITEMS} == {i: [int(truth[i] >= 4)] for i in ITEMS}


def test_lone_answers_not_in_the_published_tables(published):
    """Published by-wave and paired tables of v4: no item gives the lone agent's answer,
    by the mean route or the top-2 route."""
    _, _, tables = published(tuple(PRE_ONLY[:1]))
    found = _attack(tables["agents_items_by_wave"], tables["agents_before_after"])
    assert {key: v for key, v in found.items() if len(v) == 1} == {}


def test_paired_rows_hidden_with_one_unmatched_agent(published):
    """v4: every paired row is hidden; the tables by wave stay published."""
    _, _, tables = published(tuple(PRE_ONLY[:1]))
    assert tables["agents_before_after"]["suppressed"].all()
    by_wave = tables["agents_items_by_wave"]
    assert not by_wave.loc[by_wave["statistic"] == "mean", "suppressed"].any()


def test_paired_rows_hidden_with_one_unmatched_agent_when_weighted(published):
    """v4 raked by gender (the by-wave means are then not sums): the rule holds as well."""
    _, _, tables = published(tuple(PRE_ONLY[:1]), True)
    assert tables["agents_before_after"]["suppressed"].all()


def test_four_unmatched_agents_hide_the_paired_rows(published):
    """Four agents answered the first wave only: their sum is 4 people's, so hidden."""
    _, _, tables = published(tuple(PRE_ONLY[:4]))
    assert tables["agents_before_after"]["suppressed"].all()


def test_five_unmatched_agents_keep_the_paired_rows(published):
    """Five agents answered the first wave only: the same paired rows are shown as with
    none (the same pairs: only the movers' rule hides rows)."""
    shown = {}
    for pre_only in ((), tuple(PRE_ONLY)):
        paired = published(pre_only)[2]["agents_before_after"]
        shown[pre_only] = (~paired["suppressed"].astype(bool)).tolist()
    assert any(shown[()]) and shown[tuple(PRE_ONLY)] == shown[()]


def test_essentials_name_no_hidden_change(published):
    """L'essentiel writes no score change for v4 (its paired rows are hidden)."""
    from reports.i18n import catalogue
    from reports.key_messages import key_messages

    _, evaluation, _ = published(tuple(PRE_ONLY[:1]))
    prepared = prepare(evaluation, min_cell=MIN_CELL, figures=False)
    messages = key_messages(prepared, catalogue("fr"), {"agents": "Agents"}, [])
    assert not any("entre les deux vagues" in m for m in messages), messages
