"""Privacy review 12, findings 8, 4 and 7: company magnitudes under a dominance rule,
means beside hidden shares, and a stays curve's monthly counts under hidden levels."""

from __future__ import annotations

import itertools
import zipfile

import numpy as np
import pandas as pd
import pytest

import surveys
from analysis import evaluate, profile
from analysis.evaluation_model import Table
from analysis.profile import DOMINANCE as ANALYSIS_DOMINANCE
from analysis.profile import DOMINANCE_PARTS as ANALYSIS_PARTS
from reports import curve_grid
from reports.cli import main
from reports.render import prepare
from reports.suppression import DOMINANCE, DOMINANCE_P, DOMINANCE_PARTS, suppress

#: One firm of 400 eligible employees among four under 10 (review 12's att10), and
#: two other departments.
_SIZES = {"Manche": [3, 5, 6, 8, 400], "Orne": [20, 30, 25, 40, 35, 28],
          "Calvados": [12, 15, 9, 22, 18, 11, 14]}
_TELEWORKERS = {"Manche": [1, 2, 2, 3, 40], "Orne": [5, 6, 4, 8, 7, 5],
                "Calvados": [2, 3, 1, 4, 3, 2, 2]}


def _companies() -> pd.DataFrame:
    rows = [(d, x) for d, sizes in _SIZES.items() for x in sizes]
    return pd.DataFrame({"company_id": [f"c{i}" for i in range(len(rows))],
                         "department": [d for d, _ in rows],
                         "eligible_employees": [x for _, x in rows],
                         "teleworkers": [t for d in _SIZES for t in _TELEWORKERS[d]]})


def _company_profile(by: str | None = "department") -> pd.DataFrame:
    table = profile(surveys.read(_companies(), "company"), by=by)
    table["cell_count"] = table["n"]
    return table


def _suppressed(by: str | None = "department") -> pd.DataFrame:
    groups = ["category", by] if by else ["category"]
    return suppress(_company_profile(by), "cell_count", group_columns=groups)


def _row(out: pd.DataFrame, department: str, variable: str, statistic: str) -> pd.Series:
    at = ((out["department"] == department) & (out["variable"] == variable)
          & (out["statistic"] == statistic))
    return out[at].iloc[0]


# --- finding 8: dominance rule ---------------------------------------------------------

def test_the_profile_gives_the_p_percent_margin_of_each_company_group():
    """A company profile's dominance column is (total - two largest) / largest, by group."""
    table = _company_profile()
    expected = {d: (sum(x) - sorted(x)[-1] - sorted(x)[-2]) / sorted(x)[-1]
                for d, x in _SIZES.items()}
    rows = table[table["variable"] == "eligible_employees"]
    got = rows.groupby("department", observed=True)[DOMINANCE].agg(["min", "max"])
    for department, value in expected.items():
        assert got.loc[department, "min"] == pytest.approx(value)
        assert got.loc[department, "max"] == pytest.approx(value)


def test_the_dominance_column_is_only_added_to_company_profiles():
    """An agents' profile (or a plain DataFrame) keeps the public columns."""
    agents = surveys.read(pd.DataFrame({"respondent_id": list("abcdef"),
                                        "age": [30, 41, 35, 52, 28, 44]}), "agent")
    assert DOMINANCE not in profile(agents).columns
    assert DOMINANCE not in profile(_companies().drop(columns="company_id")).columns
    assert ANALYSIS_DOMINANCE == DOMINANCE


def test_a_dominated_group_loses_its_magnitudes_but_keeps_its_n():
    """The Manche mean, sd and quartiles are hidden; its n stays; the row is not flagged."""
    out = _suppressed()
    for statistic in ("mean", "sd", "q1", "median", "q3"):
        row = _row(out, "Manche", "eligible_employees", statistic)
        assert pd.isna(row["estimate"]) and pd.isna(row["ci_low"]) and pd.isna(row["ci_high"])
        assert row["n"] == 5 and not row["suppressed"]


def test_a_sibling_mean_is_hidden_with_the_dominated_one():
    """The department with the largest total loses its mean too, so the whole's total
    minus the published means does not give the Manche total back."""
    out = _suppressed()
    means = out[(out["variable"] == "eligible_employees") & (out["statistic"] == "mean")]
    hidden = set(means.loc[means["estimate"].isna(), "department"])
    assert hidden == {"Manche", "Orne"}          # Orne: 178 employees, Calvados: 101


def test_the_undominated_variable_stays_published():
    """Teleworkers of Manche (40 of 48, margin 12.5 %) pass the p % rule: published."""
    out = _suppressed()
    assert (48 - 40 - 3) / 40 >= DOMINANCE_P
    assert _row(out, "Manche", "teleworkers", "mean")["estimate"] == pytest.approx(9.6)


def test_the_dominance_column_is_never_published_by_suppress():
    """suppress leaves the private column out, as it does the tail counts."""
    assert DOMINANCE not in _suppressed().columns
    assert DOMINANCE not in _suppressed(None).columns


# --- second review 12, finding B: the hidden groups' union under the p % rule -----------

def _sized(sizes: dict[str, list[int]]) -> pd.DataFrame:
    """A company profile by department of the eligible employees ``sizes``, with each
    row's cell count as the report's (its n), suppressed as the report does."""
    rows = [(d, x) for d, values in sizes.items() for x in values]
    frame = pd.DataFrame({"company_id": [f"c{i}" for i in range(len(rows))],
                          "department": [d for d, _ in rows],
                          "eligible_employees": [x for _, x in rows]})
    table = profile(surveys.read(frame, "company"), by="department")
    table["cell_count"] = table["n"]
    return suppress(table, "cell_count", group_columns=["category", "department"])


def _hidden_means(out: pd.DataFrame) -> set[str]:
    means = out[(out["variable"] == "eligible_employees") & (out["statistic"] == "mean")]
    return set(means.loc[means["estimate"].isna(), "department"])


def _p_margin(values: list[int]) -> float:
    """The p % rule's margin of a set of firms: (total - two largest) / largest."""
    ranked = sorted(values, reverse=True)
    return (sum(ranked) - ranked[0] - ranked[1]) / ranked[0]


#: Second review 12's att11: a firm of 2 000 eligible employees in Calvados, one of 400
#: in Manche (each dominating its department), Orne's 15 firms (916 employees).
_ATT11 = {"Calvados": [2000, 25, 20, 15, 9, 6, 5], "Manche": [3, 5, 6, 8, 400],
          "Orne": [120, 95, 80, 75, 70, 65, 60, 55, 50, 45, 40, 35, 36, 30, 60]}


def test_the_profile_gives_each_company_group_total_and_two_largest():
    """The private parts are each group's total, largest and second largest value."""
    table = _company_profile()
    rows = table[(table["variable"] == "eligible_employees")
                 & (table["statistic"] == "mean")].set_index("department")
    for department, values in _SIZES.items():
        ranked = sorted(values, reverse=True)
        assert rows.loc[department, list(DOMINANCE_PARTS)].tolist() == pytest.approx(
            [sum(values), ranked[0], ranked[1]])
    assert ANALYSIS_PARTS == DOMINANCE_PARTS


def test_two_dominated_departments_do_not_give_their_dominated_union():
    """att11: the whole's total minus Orne's gave Calvados + Manche (2 502), from which
    the 400-employee firm put the 2 000 one within 5 % (HEAD); the hidden departments
    together now leave the largest firm more than p % unknown to the second."""
    out = _sized(_ATT11)
    hidden = _hidden_means(out)
    assert {"Calvados", "Manche"} <= hidden
    union = [x for d in hidden for x in _ATT11[d]]
    assert _p_margin(_ATT11["Calvados"] + _ATT11["Manche"]) < DOMINANCE_P   # the leak
    assert _p_margin(union) >= DOMINANCE_P


def test_the_reviewers_bound_on_the_large_firm_is_no_longer_within_p():
    """The reader's attack: the whole's total minus the published departments', minus
    the second firm's own 400, bounds the largest firm; its error is now over 10 %."""
    out = _sized(_ATT11)
    whole = profile(surveys.read(pd.DataFrame({
        "company_id": [f"c{i}" for i in range(27)],
        "eligible_employees": [x for v in _ATT11.values() for x in v]}), "company"))
    mean = whole[(whole["variable"] == "eligible_employees")
                 & (whole["statistic"] == "mean")].iloc[0]
    shown = out[(out["variable"] == "eligible_employees") & (out["statistic"] == "mean")
                & out["estimate"].notna()]
    rest = mean["n"] * mean["estimate"] - (shown["n"] * shown["estimate"]).sum()
    upper = rest - 400                         # the others of the union at least 0
    assert (upper - 2000) / 2000 >= DOMINANCE_P


def test_the_sibling_taken_is_the_one_that_most_dilutes_the_union():
    """Beside Manche (one firm of 400), Orne has the larger total (66) but with Manche
    its 50-employee firm leaves a union margin of 9.5 % (HEAD hid it, and the union was
    dominated); Calvados' five firms of 8-12 give 15 %: Calvados is hidden, Orne kept."""
    sizes = {"Manche": [3, 5, 6, 8, 400], "Orne": [50, 4, 4, 4, 4],
             "Calvados": [12, 11, 10, 9, 8]}
    assert _p_margin(sizes["Manche"] + sizes["Orne"]) < DOMINANCE_P
    assert _p_margin(sizes["Manche"] + sizes["Calvados"]) >= DOMINANCE_P
    assert _hidden_means(_sized(sizes)) == {"Manche", "Calvados"}


def test_a_union_that_cannot_pass_hides_every_group():
    """Two departments of one large firm each and a third of five one-employee firms:
    no union passes the rule (the whole is dominated too), so every mean is hidden."""
    sizes = {"Manche": [3, 5, 6, 8, 400], "Orne": [1, 2, 3, 4, 390],
             "Calvados": [1, 1, 1, 1, 1]}
    assert _p_margin([x for v in sizes.values() for x in v]) < DOMINANCE_P
    out = _sized(sizes)
    assert _hidden_means(out) == set(sizes)
    sd = out[(out["variable"] == "eligible_employees") & (out["statistic"] == "sd")]
    assert sd["estimate"].isna().all()


def test_a_group_hidden_for_its_count_counts_in_the_union():
    """Eure (3 firms, one of 1 500) is hidden as a small group with the smallest
    sibling; their union is dominated by the large firm (the sibling's 10-employee firm
    would put it within 2 %, HEAD): a further department is hidden."""
    sizes = {"Eure": [1500, 4, 3], "Manche": [3, 5, 6, 8, 10],
             "Orne": [20, 30, 25, 40, 35, 28], "Calvados": [12, 15, 9, 22, 18, 11, 14]}
    out = _sized(sizes)
    hidden = _hidden_means(out)
    assert {"Eure", "Manche"} <= hidden
    assert _p_margin(sizes["Eure"] + sizes["Manche"]) < DOMINANCE_P
    assert _p_margin([x for d in hidden for x in sizes[d]]) >= DOMINANCE_P


def test_the_private_parts_are_never_published_by_suppress():
    """suppress leaves the groups' totals and two largest values out too."""
    for columns in (_suppressed().columns, _suppressed(None).columns,
                    _sized(_ATT11).columns):
        assert not set(DOMINANCE_PARTS) & set(columns)


@pytest.fixture(scope="module")
def dominated_pilot(tmp_path_factory):
    """The demo pilot with five of its companies moved to a department 'Manche', one of
    400 eligible employees and four under 10 (review 12's att10), and its report."""
    out = tmp_path_factory.mktemp("dominated")
    assert main(["demo", "--out", str(out)]) == 0
    path = out / "entreprises_cci.xlsx"
    sheets = pd.read_excel(path, sheet_name=None)
    frame = sheets["Entreprises"]
    small = frame.index[frame["Effectif"].astype(str).eq("<10")][:4].tolist()
    moved = [*small, int(frame.index[0])]
    frame.loc[moved, "Département"] = "Manche"
    frame.loc[moved, "Salariés éligibles"] = [3, 5, 6, 8, 400]
    frame.loc[moved, "Télétravailleurs"] = [1, 2, 2, 3, 40]
    frame.loc[moved[-1], "Effectif"] = "250+"
    with pd.ExcelWriter(path) as writer:
        for name, sheet in sheets.items():
            sheet.to_excel(writer, sheet_name=name, index=False)
    assert main(["report", str(out / "pilot.toml"), "--out", str(out / "report")]) == 0
    return out


def test_the_dominated_department_mean_is_blank_in_the_report(dominated_pilot):
    """In the written CSV, the Manche mean of eligible employees is empty, n shown."""
    table = pd.read_csv(dominated_pilot / "report" / "csv"
                        / "profiles_companies_by_department.csv")
    row = _row(table, "Manche", "eligible_employees", "mean")
    assert pd.isna(row["estimate"]) and row["n"] == 5


def test_the_dominance_column_reaches_no_output(dominated_pilot):
    """No CSV, workbook cell, page table header or prepared table (the notebooks'
    source) carries the private column."""
    report = dominated_pilot / "report"
    private = (DOMINANCE, *DOMINANCE_PARTS)
    for csv in (report / "csv").glob("*.csv"):
        assert not set(private) & set(pd.read_csv(csv, nrows=0).columns), csv.name
    with zipfile.ZipFile(report / "tables.xlsx") as book:
        for name in book.namelist():
            text = book.read(name).decode("utf-8", errors="ignore")
            assert not any(f">{column}<" in text for column in private), name
    page = (report / "report.html").read_text(encoding="utf-8")
    assert not any(f">{column}<" in page for column in private)
    evaluation = evaluate(surveys.read_pilot(dominated_pilot / "pilot.toml"))
    assert any(set(private) <= set(t.data.columns) for s in evaluation.sections.values()
               for t in s.tables.values())   # the analysis did supply them
    for item in prepare(evaluation, figures=False):
        assert not set(private) & set(item.data.columns), item.stem


# --- finding 4: a mean beside hidden shares --------------------------------------------

def _likert(answers: dict[str, list[int]]) -> pd.DataFrame:
    """A Likert table by service: mean, top2, bottom2 of each service's answers, with
    each row's cell count as analysis writes it (fewer on either side of a share)."""
    rows = []
    for service, values in answers.items():
        x = np.asarray(values, dtype=float)
        n = len(x)
        for statistic, hits in (("mean", None), ("top2", (x >= 4).sum()),
                                ("bottom2", (x <= 2).sum())):
            cell = n if hits is None else (n if hits in (0, n) else min(hits, n - hits))
            rows.append({"service": service, "item": "sat_manager", "statistic": statistic,
                         "n": n, "estimate": x.mean() if hits is None else hits / n,
                         "se": 0.1, "ci_low": 0.0, "ci_high": 1.0, "cell_count": cell})
    return pd.DataFrame(rows)


def _enumerate(n: int, mean: float, pattern: dict[str, str]) -> list[tuple]:
    """Review 12's enum_small_mean.py: the answer sets (1-5) of a group fitting its n,
    mean (2 decimals) and shares (shown: their count; hidden: 1 to n - 1 and under 5 on
    one side), as a reader of the published table can list them."""
    out = []
    for c in itertools.combinations_with_replacement(range(1, 6), n):
        if abs(round(sum(c) / n + 1e-9, 2) - mean) > 1e-9:
            continue
        ok = True
        for statistic, count in (("top2", sum(v >= 4 for v in c)),
                                 ("bottom2", sum(v <= 2 for v in c))):
            rule = pattern[statistic]
            if rule == "hidden":
                ok &= 1 <= count <= n - 1 and (count < 5 or n - count < 5)
            elif rule != "any":
                ok &= count == int(rule)
        if ok:
            out.append(c)
    return out


def test_a_small_group_mean_beside_hidden_shares_is_hidden():
    """Communication (1, 5, 5, 5, 5): its shares are hidden and so is its mean (with
    it, the reviewer's enumeration leaves 2 answer sets, truth among them)."""
    answers = {"Communication": [1, 5, 5, 5, 5], "Finances": [4, 4, 5, 3, 2, 4] * 3,
               "Routes": [5, 4, 3, 4, 4, 2, 1] * 3}
    out = suppress(_likert(answers), "cell_count", group_columns=["service"])
    row = out[(out["service"] == "Communication")].set_index("statistic")
    assert row.loc["top2", "suppressed"] and row.loc["bottom2", "suppressed"]
    assert pd.isna(row.loc["mean", "estimate"]) and row.loc["mean", "n"] == 5
    assert len(_enumerate(5, 4.2, {"top2": "hidden", "bottom2": "hidden"})) == 2


def test_a_lone_hidden_mean_takes_the_smallest_sibling_mean_with_it():
    """With the whole's mean published, one hidden group mean would come back as the
    whole's sum minus the others': the smallest sibling's mean is hidden too."""
    answers = {"Communication": [1, 5, 5, 5, 5], "Finances": [4, 4, 5, 3, 2, 4] * 3,
               "Routes": [5, 4, 3, 4, 4, 2, 1] * 3}
    out = suppress(_likert(answers), "cell_count", group_columns=["service"])
    means = out[out["statistic"] == "mean"].set_index("service")["estimate"]
    assert means.isna().to_dict() == {"Communication": True, "Finances": True,
                                      "Routes": False}


def test_a_mean_with_every_share_published_stays():
    """Groups whose shares are all published keep their mean."""
    answers = {"A": [4, 4, 5, 3, 2, 4, 1, 2, 1, 5] * 2, "B": [5, 4, 3, 4, 4, 2, 1, 2, 1, 1] * 2}
    out = suppress(_likert(answers), "cell_count", group_columns=["service"])
    assert out.loc[out["statistic"] == "mean", "estimate"].notna().all()


def test_a_group_of_twice_the_threshold_keeps_its_mean_beside_a_hidden_share():
    """18 answers, 3 of them dissatisfied (hidden): the answer sets fitting n and the
    mean are many, and the mean stays (the rule covers groups under 2 x min_cell)."""
    answers = {"Finances": [4, 4, 5, 3, 2, 4] * 3,
               "Routes": [4, 4, 5, 3, 2, 1, 2, 1, 5, 4] * 2}
    out = suppress(_likert(answers), "cell_count", group_columns=["service"])
    row = out[out["service"] == "Finances"].set_index("statistic")
    assert row.loc["bottom2", "suppressed"]
    assert row.loc["mean", "estimate"] == pytest.approx(22 / 6)


def test_a_larger_group_near_the_top_of_the_scale_loses_its_mean_beside_a_hidden_share():
    """12 answers averaging 4.75 with a hidden dissatisfied share: three points short of
    all 5s, the only fit is eleven 5s and one 2 (second review 12, finding C); the mean
    is hidden, though the group has more than 2 x min_cell answers."""
    answers = {"Communication": [5] * 11 + [2], "Finances": [4, 4, 5, 3, 2, 4] * 3,
               "Routes": [4, 4, 5, 3, 2, 1, 2, 1, 5, 4] * 2}
    out = suppress(_likert(answers), "cell_count", group_columns=["service"])
    row = out[out["service"] == "Communication"].set_index("statistic")
    assert row.loc["bottom2", "suppressed"] and row.loc["mean", "n"] == 12
    assert pd.isna(row.loc["mean", "estimate"])
    assert _enumerate(12, 4.75, {"top2": "hidden", "bottom2": "hidden"}) == [
        (2,) + (5,) * 11]


# --- finding 7: a stays curve's counts under hidden levels ------------------------------

def _stays_curve() -> Table:
    """46 agents, one leaving in each of months 5, 6, 10 and 14 (review 12: the demo),
    the others followed to month 14."""
    times = [5.0, 5.6, 9.9, 13.0, 14.0]
    events = [1, 1, 1, 1, 0]
    censored = [0, 0, 0, 0, 42]
    at_risk = [46, 45, 44, 43, 42]
    survival = np.cumprod([1 - e / r for e, r in zip(events, at_risk)])
    data = pd.DataFrame({"time": times, "at_risk": at_risk, "events": events,
                         "censored": censored, "survival": survival})
    return Table("agents_stays_curve", data, "t", figure="km_curve")


def _determined(curve: pd.DataFrame, min_cell: int = 5) -> list[float]:
    """The months whose hidden exits a reader can work out: after the last level
    published, the hidden exits add up to 1 to min_cell - 1 (the level rule); a shown 0
    in that stretch says the publisher hides only non-zero counts (so each hidden one is
    at least 1). Every assignment fitting these is listed; a month is determined when
    all of them give it one value."""
    shown = curve["survival"].notna().to_numpy()
    last = int(np.flatnonzero(shown).max())
    tail = curve.iloc[last + 1:]
    hidden = tail["events"].isna().to_numpy()
    floor = 1 if (tail["events"] == 0).any() else 0
    k = int(hidden.sum())
    values = [a for a in itertools.product(range(floor, min_cell), repeat=k)
              if 1 <= sum(a) <= min_cell - 1]
    months = tail["time"].to_numpy()[hidden]
    return [m for j, m in enumerate(months) if len({a[j] for a in values}) == 1]


def test_no_hidden_monthly_exit_is_determined_after_the_last_level():
    """Zeros and non-zero exits after the last published level are hidden as a block:
    no hidden month's exits follow from the rest (HEAD: months 5, 6, 10, 13 at 1)."""
    curve = curve_grid.published_curve(_stays_curve(), 5).data
    assert _determined(curve) == []


def test_the_block_covers_zeros_and_censorings_of_hidden_level_months():
    """Every month after the last published level has its events and censored hidden."""
    curve = curve_grid.published_curve(_stays_curve(), 5).data
    tail = curve[curve["survival"].isna()]
    assert len(tail) == 10
    assert tail["events"].isna().all() and tail["censored"].isna().all()
    head = curve[curve["time"] <= 4]
    assert (head["events"] == 0).all()                # months before any exit: shown


# --- third review 12, finding 2: the spread of company sizes ----------------------------

def test_an_overall_sd_dominated_by_one_firm_is_hidden_with_the_means_interval():
    """27 companies, one of 400 eligible employees among firms under 50: the total
    passes the p % rule, but the sum of squares is nearly all the large firm's, and n,
    the mean and the SD placed it within 2 % (third review 12). The SD, and the mean's
    standard error and interval (which give it back with n), are hidden; the mean stays."""
    sizes = {"Orne": [400, 30, 45, 12, 40, 35, 28, 44, 38],
             "Calvados": [20, 25, 30, 35, 40, 45, 48, 22, 33],
             "Manche": [15, 18, 21, 24, 27, 30, 33, 36, 39]}
    out = _sized(sizes)
    rows = out[out["variable"] == "eligible_employees"].set_index(["department", "statistic"])
    sd = rows.xs("sd", level="statistic")["estimate"]
    mean = rows.xs("mean", level="statistic")
    assert sd.isna().all()
    assert mean["se"].isna().all() and mean["ci_low"].isna().all()
    total = sum(sum(v) for v in sizes.values())
    assert (total - 400 - 48) / 400 > 0.10      # the total alone passes the p % rule
    assert mean["estimate"].notna().any()


def test_the_spread_dominance_column_is_never_published():
    """The squares' margin is private, as the others."""
    from analysis.profile import DOMINANCE_SPREAD

    assert DOMINANCE_SPREAD in _company_profile().columns
    assert DOMINANCE_SPREAD not in _suppressed().columns
    assert DOMINANCE_SPREAD not in _suppressed(None).columns


def test_the_squares_rule_keeps_the_largest_firm_uncertain_by_p():
    """Squares margins between 10 % and 21 % (of the largest firm's square) hide the
    spread: with 10 % the overall SD still placed a 400-employee firm within 2 %
    (privacy review 13, finding 3); (1 + p)^2 - 1 keeps it uncertain by p."""
    sizes = {"Orne": [400, 49] + [30] * 20, "Calvados": [10] * 5, "Manche": [10] * 5}
    everyone = [x for values in sizes.values() for x in values]
    rest = sum(x * x for x in everyone) - 400 ** 2 - 49 ** 2
    assert 0.10 < rest / 400 ** 2 < 0.21   # and Orne's own: 18 000 / 160 000
    out = _sized(sizes)
    rows = out[out["variable"] == "eligible_employees"].set_index(["department", "statistic"])
    assert rows.xs("sd", level="statistic")["estimate"].isna().all()
    assert rows.xs("mean", level="statistic")["estimate"].notna().any()
