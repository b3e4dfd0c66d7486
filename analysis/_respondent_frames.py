"""The respondents an evaluation describes, and their design.

One row per respondent (:func:`respondents`: the first wave each answered, or one
wave's answers, raked on the pilot's margins), the column of their weights, the
population a finite population correction uses (a number, or each stratum's size), the
waves answered, and the weighting class of each (:mod:`analysis._weight_classes`). Used
by :mod:`analysis.evaluate` and the sections it builds.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from analysis._weight_classes import weight_classes, with_classes
from analysis.weighting import rake
from surveys.errors import SurveyError
from surveys.notes import Note
from surveys.pilot import check_margins

__all__ = ["BREAKDOWNS", "WEIGHT", "respondents", "has_waves", "satisfaction_wave",
           "answered_waves", "population_size", "fpc", "stratum_sizes", "weights_column",
           "attempt", "classed", "as_survey"]

#: Breakdowns shown in the profile and satisfaction sections, by kind (where present).
BREAKDOWNS = {"agent": ("manager", "service"), "company": ("department",),
              "thirdplace": ("status",)}


#: Column of the raking weights :func:`respondents` adds.
WEIGHT = "weight"


def respondents(survey, margins, pilot_file: str, name: str,
                wave: str | None = None) -> pd.DataFrame:
    """One row per respondent, raked when margins are given (a margin that does not fit
    the data is reported with the pilot file and source).

    Over several waves, by default the first wave each respondent answered (who joined
    the pilot: profiles, baselines, retention); with ``wave`` (a wave's code), that
    wave's answers only (what they think at the end: satisfaction)."""
    frame = survey.data
    if has_waves(frame) and wave is not None:
        frame = frame[frame["wave"] == wave].drop(columns=["wave"])
    elif has_waves(frame) and "respondent_id" in frame:
        order = frame["wave"].cat.codes if hasattr(frame["wave"], "cat") else frame["wave"]
        frame = frame.assign(_order=order).sort_values("_order", kind="stable")
        # a respondent without an id cannot be linked across waves: each is one respondent
        first = ~frame.duplicated("respondent_id") | frame["respondent_id"].isna()
        frame = frame[first].drop(columns=["_order", "wave"]).sort_index()
    frame = frame.copy()
    if margins:  # the calibration goes with the frame: standard errors as R's rake()
        # the pilot file's margins against these respondents (a margin of 0 for people
        # who are there, an absent column...), in the pilot file's words
        check_margins(frame, margins, pilot_file, name, data=survey.source,
                      book=getattr(survey, "codebook", None))
        try:
            weights = rake(frame, margins)
        except SurveyError as error:
            raise type(error)(Note("in_weighting", file=pilot_file, source=name,
                                   message=error.args[0])) from None
        frame[WEIGHT] = weights.to_numpy()
        frame.attrs["calibration"] = weights.attrs["calibration"]
    return frame


def has_waves(frame: pd.DataFrame) -> bool:
    """Whether the rows hold answers of more than one survey wave."""
    return "wave" in frame and frame["wave"].nunique() > 1


def satisfaction_wave(data: pd.DataFrame, items: list[str]) -> tuple[str | None, list[str]]:
    """The wave whose answers describe satisfaction, and the note saying which: the last
    wave (in the codebook's order: ``pre``, ``post``) where any item was answered; none
    for a single wave."""
    found = answered_waves(data, items)
    if not found:
        return None, []
    waves = data["wave"]
    present = [w for w in _wave_order(waves) if (waves == w).any()]
    return found[-1], ["report.last_wave" if found[-1] == present[-1] else "report.earlier_wave"]


def _wave_order(waves: pd.Series) -> list:
    return list(waves.cat.categories) if hasattr(waves, "cat") else sorted(waves.dropna().unique())


def answered_waves(data: pd.DataFrame, items: list[str]) -> list:
    """The waves, in order, where any of ``items`` was answered (none for one wave)."""
    if not items or not has_waves(data):
        return []
    waves = data["wave"]
    answered = data[items].notna().any(axis=1).to_numpy()
    return [w for w in _wave_order(waves) if (answered & (waves == w).to_numpy()).any()]


def population_size(survey, frame: pd.DataFrame) -> float | None:
    """The surveyed population (finite population correction) when the pilot gives a
    number at least as large as the respondents; else None."""
    size = survey.population
    if isinstance(size, (int, float)) and not isinstance(size, bool) and size >= len(frame):
        return float(size)
    return None


def fpc(survey, frame: pd.DataFrame, strata: str | None) -> float | str | None:
    """The population for a finite population correction: on a stratified design the
    column of each stratum's size (checked when the pilot read the source), else none
    (one total cannot serve: reading the source noted it); unstratified, the total."""
    if strata is not None:
        return stratum_sizes(survey, strata)
    return population_size(survey, frame)


def stratum_sizes(survey, strata: str | None) -> str | None:
    """The column of per-stratum population sizes of a stratified source, or None."""
    size = survey.population
    return size if strata is not None and isinstance(size, str) else None


def weights_column(frame: pd.DataFrame) -> str | None:
    """The column of the respondents' raking weights, or None (unweighted)."""
    return WEIGHT if WEIGHT in frame else None


def attempt(note: list, what: str, compute: Callable):
    """Run one analysis; a user-level problem (too few answers...) becomes a note."""
    try:
        return compute()
    except SurveyError as error:
        note.append(f"{what}: {error}")
        return None


def classed(survey, frame: pd.DataFrame, design: dict):
    """The respondents with their weighting class in ``CLASS`` (a survey), or None when
    they all weigh the same."""
    classes = weight_classes(frame, design.get("weights"), design.get("strata"),
                             design.get("population"))
    return None if classes is None else as_survey(survey, with_classes(frame, classes))


def as_survey(survey, frame: pd.DataFrame):
    """The survey with its data replaced (one row per respondent, weights added)."""
    from dataclasses import replace

    keep = survey.nonsubstantive
    if len(keep) and not keep.index.equals(frame.index):  # the same rows: no copy (1M rows)
        keep = keep.reindex(frame.index)
    return replace(survey, data=frame, nonsubstantive=keep)
