"""Means and spreads of a whole-number variable of a few values in profiles (privacy
review 12c, finding 4): a small group's mean and SD, or a mean near an end of the
variable's own range, are hidden; a sibling group's mean goes with a lone hidden one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import surveys
from analysis.profile import profile
from reports.suppression import suppress

#: Cells a hidden mean or spread loses.
_MEAN_CELLS = ["estimate", "se", "ci_low", "ci_high"]


def _agents(days: dict[str, list[int]], km: dict[str, list[float]] | None = None,
            recommend: dict[str, list[int]] | None = None) -> surveys.Survey:
    """An agent survey with these answers by service (telework days, km, 0-10 scores)."""
    services = [s for s, values in days.items() for _ in values]
    data = {"respondent_id": [f"r{i}" for i in range(len(services))], "service": services,
            "telework_days": [d for values in days.values() for d in values]}
    if km is not None:
        data["commute_km"] = [k for values in km.values() for k in values]
    if recommend is not None:
        data["recommend"] = [r for values in recommend.values() for r in values]
    return surveys.read(pd.DataFrame(data), "agent")


def _by_service(survey: surveys.Survey, variables) -> pd.DataFrame:
    """The profile by service, suppressed as the report does for its breakdown."""
    return suppress(profile(survey, variables, by="service"), "n",
                    group_columns=["category", "service"])


def _row(out: pd.DataFrame, statistic: str, variable: str = "telework_days",
         service: str | None = None) -> pd.Series:
    """The one row of a statistic (of a variable, in a service)."""
    mask = (out["statistic"] == statistic) & (out["variable"] == variable)
    if service is not None:
        mask &= out["service"] == service
    assert mask.sum() == 1
    return out[mask].iloc[0]


def _communication() -> surveys.Survey:
    """Review 12c's Communication (eight agents at 1 day, one at 3: n 9, mean 1.22, SD
    0.67, every quartile 1) beside Finances (30 agents) and Routes (33), far from the
    ends; commute distances beside them."""
    days = {"Communication": [1] * 8 + [3], "Finances": [1, 2, 3] * 10,
            "Routes": [2, 3, 2] * 11}
    km = {s: list(np.linspace(3.0, 40.0, len(v)) + i)
          for i, (s, v) in enumerate(days.items())}
    return _agents(days, km)


def test_communication_publishes_neither_mean_nor_sd():
    """The reviewer's group of 9 (profiled as mean 1.22, SD 0.67, every quartile 1) loses
    its mean, the mean's SE and interval, and its SD."""
    survey = _communication()
    table = profile(survey, ["telework_days"], by="service")
    given = table[table["service"] == "Communication"].set_index("statistic")["estimate"]
    assert given["mean"] == pytest.approx(1.22, abs=0.005)
    assert given["sd"] == pytest.approx(0.67, abs=0.005)
    assert given[["q1", "median", "q3"]].tolist() == [1.0, 1.0, 1.0]
    out = _by_service(survey, ["telework_days"])
    mean, sd = _row(out, "mean", service="Communication"), _row(out, "sd", service="Communication")
    assert mean["n"] == 9
    assert mean[_MEAN_CELLS].isna().all()
    assert pd.isna(sd["estimate"])


def test_twelve_near_the_top_hide_their_mean():
    """12 agents averaging 4.92 days on 0-5 (eleven 5s and one 4) lose mean and SD."""
    survey = _agents({"Tous": [5] * 11 + [4]})
    out = suppress(profile(survey, ["telework_days"]), "n", group_columns=["category"])
    mean = _row(out, "mean")
    assert mean["n"] == 12 and not out["suppressed"].any()
    assert mean[_MEAN_CELLS].isna().all()
    assert pd.isna(_row(out, "sd")["estimate"])


def test_a_large_group_near_an_end_hides_its_mean():
    """40 agents averaging 4.95 (two points short of all 5s) lose the mean however many."""
    survey = _agents({"Tous": [5] * 38 + [4] * 2})
    out = suppress(profile(survey, ["telework_days"]), "n", group_columns=["category"])
    assert pd.isna(_row(out, "mean")["estimate"])


def test_a_large_group_far_from_the_ends_keeps_everything():
    """Beside the hidden Communication, Routes (33 agents, mean 2.33) keeps its mean, the
    mean's SE and interval, its SD and quartiles."""
    out = _by_service(_communication(), ["telework_days"])
    assert pd.isna(_row(out, "mean", service="Communication")["estimate"])
    routes = out[(out["service"] == "Routes")].set_index("statistic")
    assert routes.loc["mean", _MEAN_CELLS].notna().all()
    assert routes.loc["mean", "estimate"] == pytest.approx(7 / 3)
    assert routes.loc[["sd", "q1", "median", "q3"], "estimate"].notna().all()


def test_a_number_variable_is_untouched():
    """Commute distances (a ``number``) keep mean and SD in the group of 9 whose telework
    days lose theirs."""
    out = _by_service(_communication(), ["telework_days", "commute_km"])
    assert pd.isna(_row(out, "mean", service="Communication")["estimate"])
    km = _row(out, "mean", "commute_km", "Communication")
    assert km[_MEAN_CELLS].notna().all()
    assert pd.notna(_row(out, "sd", "commute_km", "Communication")["estimate"])


def test_a_wide_integer_range_is_untouched():
    """Age (15-90, 76 values) keeps its mean in a group of 9, where a 0-10 score (11
    values, the widest range the rule covers) loses it."""
    ages = {"Communication": [25, 31, 38, 44, 47, 52, 55, 58, 61],
            "Finances": list(range(25, 55))}
    scores = {"Communication": [8] * 8 + [3], "Finances": [5, 6, 7] * 10}
    frame = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(39)],
                          "service": ["Communication"] * 9 + ["Finances"] * 30,
                          "age": ages["Communication"] + ages["Finances"],
                          "recommend": scores["Communication"] + scores["Finances"]})
    out = _by_service(surveys.read(frame, "agent"), ["age", "recommend"])
    assert pd.notna(_row(out, "mean", "age", "Communication")["estimate"])
    assert pd.isna(_row(out, "mean", "recommend", "Communication")["estimate"])


def test_the_smallest_sibling_mean_goes_with_a_lone_hidden_one():
    """Communication's hidden mean takes Finances' (30 agents, the smallest sibling) with
    its SD: else the whole's n times its mean minus Routes' gives Communication's back."""
    out = _by_service(_communication(), ["telework_days"])
    finances = _row(out, "mean", service="Finances")
    assert finances["n"] == 30
    assert finances[_MEAN_CELLS].isna().all()
    assert pd.isna(_row(out, "sd", service="Finances")["estimate"])
    assert pd.notna(_row(out, "mean", service="Routes")["estimate"])


def test_the_range_columns_are_private():
    """The profile writes the variable's range on its rows; the suppression drops it."""
    from analysis.profile import INTEGER_RANGE
    from reports.suppression import PRIVATE_COLUMNS

    table = profile(_communication(), ["telework_days", "commute_km"], by="service")
    days = table["variable"] == "telework_days"
    assert table.loc[days, list(INTEGER_RANGE)].drop_duplicates().values.tolist() == [[0, 5]]
    assert table.loc[~days, list(INTEGER_RANGE)].isna().all().all()
    assert set(INTEGER_RANGE) <= PRIVATE_COLUMNS
    out = suppress(table, "n", group_columns=["category", "service"])
    assert not set(INTEGER_RANGE) & set(out.columns)


def _whole(days: list[int]) -> pd.DataFrame:
    """The profile of one group's telework days, without a breakdown, suppressed."""
    return suppress(profile(_agents({"A": days}), ["telework_days"]), "n")


def test_answers_bunched_on_one_value_lose_their_spread():
    """Eleven agents, nine at 1 day, one at 2, one at 3 (review 13b's Finances: mean
    1.27, SD 0.65, every quartile 1): squared distances to the median of 5, under
    2 * min_cell, so the SD and the mean's interval are hidden (mean, SD and quartiles
    gave the three answers back); the mean stays."""
    out = _whole([1] * 9 + [2, 3])
    mean = _row(out, "mean")
    assert pd.notna(mean["estimate"]) and mean[["se", "ci_low", "ci_high"]].isna().all()
    assert pd.isna(_row(out, "sd")["estimate"])


def test_answers_off_the_median_in_numbers_keep_their_spread():
    """22 agents at 2 days and 11 at 3 (11 answers off the median, distances 11): the SD
    and the mean's interval stay published."""
    out = _whole([2, 3, 2] * 11)
    assert _row(out, "mean")[_MEAN_CELLS].notna().all()
    assert pd.notna(_row(out, "sd")["estimate"])
