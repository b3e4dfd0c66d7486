"""The check-in logs' share of an evaluation, computed beside the people's sources.

A log (millions of rows) is read, and its retention and attendance tables computed,
while :func:`analysis.evaluate` reads the people's sources and computes theirs: in a
forked child when the log is large (:data:`FORK_BYTES`; only its tables and its
data-quality summary come back, never its rows, and the two do not compete for
Python's lock), else in a second thread. :class:`Share` gives the child's answer the
interface of a thread's future, so that ``evaluate`` treats both alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import attendance as _attendance
from analysis import checkins as _checkins
from analysis._cell_counts import CELL_COUNT, share_cells
from analysis._checkin_log import sorted_unique
from analysis._data import as_frame
from analysis._evaluation_tables import add, new_part, survival_tables
from analysis.evaluation_model import Evaluation
from analysis.forked import Child, can_fork, start_child
from surveys.errors import SurveyError
from surveys.notes import Note

__all__ = ["FORK_BYTES", "log_lane", "attendance_lane", "start_log_child", "Share"]

#: Private column of the check-in cohorts table (never published: ``reports.suppression``
#: reads and drops it): the size of the row's cohort. The cohorts' sizes add up to the
#: log's users, which the report publishes (its opening card, the curve's start), so a
#: cohort hidden alone would have its size given back by difference.
COHORT_USERS = "cohort_users"

#: Check-in logs of at least this many bytes are read in a forked child (where the
#: system forks): below it, a thread costs less than the fork and the tables' trip back.
FORK_BYTES = 16 << 20
#: Days in a month, as everywhere in the report.
DAYS_PER_MONTH = 365.25 / 12


def log_lane(pilot, name: str) -> tuple:
    """Read one check-in log and compute its retention tables (the background thread)."""
    survey = pilot.read(name)
    part = new_part(pilot)
    checkin_retention(part, {name: survey})
    return survey, part


def attendance_lane(pilot, lanes: dict, sources: dict) -> Evaluation:
    """The attendance section, from the logs read in the background and the places
    (run in the background thread after the logs' own work)."""
    part = new_part(pilot)
    logs = {name: lane.result()[0] for name, lane in lanes.items()}
    attendance_section(part, {name: logs.get(name, sources.get(name)) for name in pilot.sources},
                       getattr(pilot, "attendance", None))
    return part


def start_log_child(pilot, logs: list[str]) -> Child | None:
    """A forked child reading the check-in logs when they are large enough to pay for
    it (:data:`FORK_BYTES`) and the system forks; None otherwise."""
    size = sum(path.stat().st_size for path in (pilot.sources[name].path for name in logs)
               if path.is_file())
    if not logs or not can_fork() or size < FORK_BYTES:
        return None
    return start_child(log_child, pilot, logs)


def log_child(pilot, logs: list[str]) -> tuple[dict, Evaluation]:
    """The child's work: each log's retention tables, or its reading error, with what
    the data-quality table needs of it (not its rows); then the attendance section,
    from the logs and the places (read here too: a small file)."""
    answers, read = {}, {}
    for name in logs:
        try:
            survey, part = log_lane(pilot, name)
        except SurveyError as error:
            answers[name] = ("error", error)
            continue
        read[name] = survey
        answers[name] = ("ok", LogSummary(survey.kind, survey.source, survey.notes,
                                          survey.summary()), part)
    places = {}
    for name, spec in pilot.sources.items():
        if spec.kind == "places":
            try:
                places[name] = pilot.read(name)
            except SurveyError:  # the people's lane reads it too, and says so
                pass
    attendance = new_part(pilot)
    if len(read) == len(logs):
        attendance_section(attendance, {**read, **places}, getattr(pilot, "attendance", None))
    return answers, attendance


@dataclass
class LogSummary:
    """A log read in the child, as the data-quality table sees it."""

    kind: str
    source: str
    notes: list
    table: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """The log's data-quality summary (``surveys.Survey.summary``)."""
        return self.table


class Share:
    """One log's share of the child's answer (``(summary, tables)``, or its reading
    error raised), or with ``name`` None the attendance section: a thread future's
    ``result()``."""

    def __init__(self, child: Child, name: str | None) -> None:
        self._child, self._name = child, name

    def result(self):
        answers, attendance = self._child.result()
        if self._name is None:
            return attendance
        kind, *value = answers[self._name]
        if kind == "error":
            raise value[0]
        return tuple(value)


def checkin_retention(evaluation: Evaluation, sources: dict) -> None:
    """Retention read from check-in logs: users' stays, seniority bands and cohorts."""
    for name, survey in sources.items():
        if survey.kind == "attendance" and len(survey):
            # retention_from_checkins, seniority_bands and cohorts from one pass over the log
            stays, seniority, cohorts = _checkins._report_tables(survey)
            # A stay is counted in whole days (the time of day of a badge says nothing
            # about retention), in months of 30.4375 days as everywhere in the report.
            months = np.floor(stays["duration_days"].to_numpy()) / DAYS_PER_MONTH
            one_day = np.mean((months == 0) & np.asarray(stays["observed"], dtype=bool))
            notes = [Note("checkins_one_day", percent=round(100 * one_day))] if one_day else []
            survival_tables(evaluation, f"{name}_users", months,
                            stays["observed"], "tables.retention.checkins", notes=notes)
            covered = _covers_every_band(survey.data["timestamp"], seniority)
            # a band's share rests on the fewer of its users and the others (6 of 8)
            seniority = seniority.assign(**{CELL_COUNT: share_cells(seniority["count"],
                                                                    seniority["n"])})
            add(evaluation, "retention", f"{name}_seniority", seniority,
                "tables.retention.seniority", count_column=CELL_COUNT, group_columns=["band"],
                share_columns=["estimate", "ci_low", "ci_high"],
                notes=["report.seniority_from_log"]
                + ([] if covered else ["report.seniority_window"]))
            if covered:  # else the longest band is empty by construction, not by fact
                add(evaluation, "retention", f"{name}_seniority_test",
                    _checkins.compare_seniority(seniority), "tables.retention.seniority_test",
                    count_column="n")
            # the report shows it as a grid, one line per month of arrival
            # the table counts the users still coming (and so those gone): a row rests
            # on the fewer of the two (2 of a cohort of 18 after a year are 2 people);
            # where none or all are still coming, on the whole cohort: "0 gone" of a
            # cohort of one badge published that person's months (privacy review 12c)
            gone = cohorts["users"] - cohorts["active"]
            fewer = np.minimum(cohorts["active"], gone)
            cohorts = cohorts.assign(**{CELL_COUNT: np.where(fewer == 0, cohorts["users"],
                                                             fewer)})
            # the cohorts' sizes add up to the log's users, which the report publishes:
            # a single hidden cohort's size would come back by difference (review 12c)
            cohorts = cohorts.assign(**{COHORT_USERS: cohorts["users"]})
            add(evaluation, "retention", f"{name}_cohorts", cohorts,
                "tables.retention.cohorts", count_column=CELL_COUNT, share_columns=["share"])


def _covers_every_band(timestamps: pd.Series, seniority: pd.DataFrame) -> bool:
    """True when the log spans at least the lower bound of every seniority band: a log
    of two years cannot show a user coming for more than two years, so comparing its
    bands with a published distribution that has such users says nothing."""
    if timestamps.empty or "lower" not in seniority:
        return True
    span = (timestamps.max() - timestamps.min()) / pd.Timedelta(days=1) / DAYS_PER_MONTH
    return bool(span >= float(seniority["lower"].max()))


#: The days a place counts as open, in words, by the pilot file's ``open_days``.
_OPEN_DAYS_WORDS = {"all": {"en": "calendar days", "fr": "jours calendaires"},
                    "weekdays": {"en": "weekdays (Monday to Friday)",
                                 "fr": "jours de semaine (du lundi au vendredi)"}}


def _occupancy_note(settings: dict) -> Note:
    """How occupancy was computed: the days counted and the "little used" threshold."""
    percent = f"{100 * settings['little_used']:.1f}".removesuffix(".0")
    return Note("occupancy_rule", days=_OPEN_DAYS_WORDS[settings["open_days"]],
                threshold={"en": percent, "fr": percent.replace(".", ",")})


def attendance_section(evaluation: Evaluation, sources: dict,
                       settings: dict | None = None) -> None:
    """Attendance by month, type and zone; by place and year; growth of each place.
    ``settings`` are the pilot file's ``[attendance]`` (``open_days``, ``little_used``)."""
    events = [s for s in sources.values() if s.kind == "attendance" and len(s)]
    places = [s for s in sources.values() if s.kind == "places" and len(s)]
    if not events or not places:
        return
    settings = {"open_days": "all", "little_used": 0.2, **(settings or {})}
    # attendance_summary(freq="M"), (freq="Y") and attendance_growth(), coded once
    monthly, yearly, growth = _attendance._report_tables(
        events[0], places[0], settings["little_used"], settings["open_days"])
    occupancy = _occupancy_note(settings)
    # check-ins left out (unknown places, no time), places visited before their opening;
    # a count of check-ins at unknown places is given only where enough people are behind
    left_out = [Note("checkins_unknown_places_few", min_cell=evaluation.min_cell)
                if getattr(note, "key", None) == "checkins_unknown_places"
                and note.values["users"] < evaluation.min_cell else note
                for note in monthly.attrs.get("notes", [])]
    by_type_zone = _attendance.attendance_by(monthly)
    # each table learns, privately, the smallest month and the smallest place-year of
    # every row's type, zone and year: the suppression then hides place-years and
    # months of the same series in both tables (reports.suppression._margin_rows);
    # and how many distinct users the series and the year had: a series or a year of
    # 1-4 users is hidden as one block, its empty months too (privacy review 13)
    by_type_zone, yearly = _with_series_minima(by_type_zone, yearly)
    by_type_zone, yearly = _with_series_users(by_type_zone, yearly, events[0])
    # the growth of a place gives its first and last full years' users: it is hidden
    # where the table by place and year hides either (privacy review 12c, finding 6)
    growth.attrs[PLACE_YEARS] = yearly
    add(evaluation, "attendance", "by_type_zone", by_type_zone,
        "tables.attendance.by_type_zone", count_column="users", figure="attendance_series",
        share_columns=["occupancy"], html_rows=0,
        subcount_columns=["new_users", "returning_users"],
        subcount_margins={"new_users": SERIES_MARGINS},
        count_margins=SERIES_MARGINS,
        notes=[occupancy, "report.subcounts_hidden", "report.users_summed_over_places",
               *left_out])
    # a type and zone's year is published by month (visits and user-days add up over
    # places), and every year's by the log's check-ins: a place-year hidden alone in
    # either came back by difference (privacy review 12, finding 1)
    add(evaluation, "attendance", "by_place_year", yearly, "tables.attendance.by_place",
        count_column="users", share_columns=["occupancy", "growth"],
        subcount_columns=["new_users", "returning_users"],
        subcount_margins={"new_users": SERIES_MARGINS},
        count_margins=SERIES_MARGINS,
        notes=[occupancy, "report.growth_whole_years", "report.subcounts_hidden", *left_out])
    # a growth rests on both years' users: 2 users in the first year were printed as
    # such beside the 50 of the last (privacy review 12, finding 2)
    growth = growth.assign(**{CELL_COUNT: np.fmin(growth["first_value"].to_numpy(dtype=float),
                                                  growth["last_value"].to_numpy(dtype=float))})
    add(evaluation, "attendance", "growth", growth,
        "tables.attendance.growth", count_column=CELL_COUNT, share_columns=["estimate"])


#: Private columns of both attendance tables (never published: ``reports.suppression``
#: reads and drops them): the fewest users of any month (:data:`SERIES_MONTH_USERS`) and
#: of any place-year (:data:`SERIES_PLACE_USERS`) of the row's type, zone and year, among
#: those with users.
SERIES_MONTH_USERS = "series_month_users"
SERIES_PLACE_USERS = "series_place_users"
#: Private column of the table by type and zone: the distinct users of the row's type,
#: zone and year (a series), and of both attendance tables: the distinct users of the
#: row's year over the whole log. Exact where the series' (the year's) largest
#: place-year has fewer than :data:`QUIET_LIMIT` users, else that largest place-year's
#: users (a lower bound, :data:`QUIET_LIMIT` or more): enough to tell a series or a year
#: of fewer than ``min_cell`` users, which ``reports.suppression`` hides as one block.
SERIES_USERS = "series_users"
YEAR_USERS = "year_users"
#: Below this, a series' or a year's distinct users are counted exactly from the log.
QUIET_LIMIT = 100
#: A type and zone's year: the groups both attendance tables add up to (``period`` by
#: year), whose totals one table gives for the other.
SERIES_MARGINS = ["type", "zone", "period:Y"]
#: Key of the growth table's ``attrs`` holding the table by place and year (with its
#: private columns), whose suppression the growth's first and last years follow.
PLACE_YEARS = "place_years"


def _with_series_minima(months: pd.DataFrame, years: pd.DataFrame
                        ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables with :data:`SERIES_MONTH_USERS` and :data:`SERIES_PLACE_USERS`.

    A type and zone's year adds up by month (the table by type and zone) and by place
    (the table by place and year), and every year's by the log's check-ins: a place
    alone of its type and zone with 2 users in a year has its months hidden, but if no
    other series has both a hidden month and a hidden place-year, the check-ins minus
    the visible months give its visits (privacy review 12b, finding A). Telling which
    series have a hidden month in one table and a hidden place-year in the other needs
    both tables' smallest counts.
    """
    keys = ["type", "zone"]

    def minima(frame: pd.DataFrame) -> pd.Series:
        users = pd.to_numeric(frame["users"], errors="coerce").astype(float)
        key = [frame[c].astype(object) for c in keys] + [frame["period"].dt.year.rename("year")]
        return users.where(users > 0).groupby(key, dropna=False).min()

    def spread(frame: pd.DataFrame, small: pd.Series) -> np.ndarray:
        index = pd.MultiIndex.from_arrays(
            [frame[c].astype(object) for c in keys] + [frame["period"].dt.year])
        return small.reindex(index).to_numpy(dtype=float)

    month_min, place_min = minima(months), minima(years)
    out = []
    for frame in (months, years):
        out.append(frame.assign(**{SERIES_MONTH_USERS: spread(frame, month_min),
                                   SERIES_PLACE_USERS: spread(frame, place_min)}))
    return out[0], out[1]


def _with_series_users(months: pd.DataFrame, years: pd.DataFrame, events
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables with :data:`YEAR_USERS`, the one by type and zone with
    :data:`SERIES_USERS` too.

    In a quiet stretch of the log (one badge the only user of 2017), the table by type
    and zone published the months with nobody as 0 and hid those with 1 to 4 users: the
    pattern was that person's calendar, and the table by place and year, every other
    place published with 0 users, named the place (privacy review 13, finding 2). The
    months' and place-years' own counts cannot tell such a series: a user counted in
    three months is one person, not three. So the log's distinct users are counted, only
    for the series whose place-years all have fewer than :data:`QUIET_LIMIT` users (the
    others' largest place-year bounds them from below), from the check-ins at those
    place-years only.

    Examples
    --------
    >>> years = pd.DataFrame({"period": pd.to_datetime(["2017-01-01"] * 2),
    ...     "place_id": ["a", "b"], "type": ["cowork", "cowork"], "zone": ["urban"] * 2,
    ...     "users": [1, 0]})
    >>> months = pd.DataFrame({"period": pd.to_datetime(["2017-01-01", "2017-02-01"]),
    ...     "type": ["cowork"] * 2, "zone": ["urban"] * 2, "users": [1, 0]})
    >>> events = pd.DataFrame({"place_id": ["a", "a"], "user_id": ["u", "u"],
    ...     "timestamp": pd.to_datetime(["2017-01-09", "2017-01-23"])})
    >>> months, years = _with_series_users(months, years, events)
    >>> months[[SERIES_USERS, YEAR_USERS]].to_numpy().tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    users = pd.to_numeric(years["users"], errors="coerce").astype(float)
    year = years["period"].dt.year.rename("year")
    series = [years["type"].astype(object), years["zone"].astype(object), year]
    largest = users.groupby(series, dropna=False).transform("max")
    largest_in_year = users.groupby(year).transform("max")
    few = (largest < QUIET_LIMIT).to_numpy() & (users > 0).to_numpy()
    by_series = users.groupby(series, dropna=False).max()          # lower bounds
    by_year = users.groupby(year).max()
    if few.any():
        counted = _distinct_users(events, years[few])
        exact_series = counted.groupby(["type", "zone", "year"], dropna=False).size()
        by_series.loc[exact_series.index] = exact_series.to_numpy(dtype=float)
        quiet_years = largest_in_year.groupby(year).first() < QUIET_LIMIT
        exact_years = counted.drop_duplicates(["year", "user"]).groupby("year").size()
        exact_years = exact_years[quiet_years.reindex(exact_years.index).to_numpy()]
        by_year.loc[exact_years.index] = exact_years.to_numpy(dtype=float)

    def spread(frame: pd.DataFrame, small: pd.Series, keys: list[str]) -> np.ndarray:
        columns = [frame[c].astype(object) for c in keys] + [frame["period"].dt.year]
        index = pd.MultiIndex.from_arrays(columns) if keys else pd.Index(columns[0])
        return small.reindex(index).to_numpy(dtype=float)

    months = months.assign(**{SERIES_USERS: spread(months, by_series, ["type", "zone"]),
                              YEAR_USERS: spread(months, by_year, [])})
    years = years.assign(**{YEAR_USERS: spread(years, by_year, [])})
    return months, years


def _distinct_users(events, place_years: pd.DataFrame) -> pd.DataFrame:
    """The distinct (type, zone, year, user) of the check-ins at ``place_years`` (rows
    of the table by place and year). One pass over the log's integer codes: places,
    then years, then users, each a lookup, and the distinct keys by one sort."""
    frame = as_frame(events)
    place = frame["place_id"]
    if not isinstance(place.dtype, pd.CategoricalDtype):
        place = place.astype(str).astype("category")
    codes = place.cat.codes.to_numpy().astype(np.int64)
    years = place_years["period"].dt.year.to_numpy(dtype=np.int64)
    first, span = int(years.min()), int(years.max() - years.min() + 1)
    category = pd.Index(place.cat.categories.astype(str)).get_indexer(
        place_years["place_id"].astype(str))
    known = np.flatnonzero(category >= 0)
    # (place category, year) -> row of place_years; the last slot is code -1 (missing)
    lookup = np.full((len(place.cat.categories) + 1) * span, -1, dtype=np.int64)
    lookup[category[known] * span + years[known] - first] = known
    wanted = np.zeros(len(place.cat.categories) + 1, dtype=bool)
    wanted[category[known]] = True
    rows = np.flatnonzero(wanted[codes])
    stamps = frame["timestamp"]
    if not pd.api.types.is_datetime64_any_dtype(stamps):
        stamps = pd.to_datetime(stamps, errors="coerce")
    year = (stamps.to_numpy()[rows].astype("datetime64[Y]").astype(np.int64) + 1970 - first)
    inside = (year >= 0) & (year < span)                 # NaT falls far outside
    found = np.full(len(rows), -1, dtype=np.int64)
    found[inside] = lookup[codes[rows][inside] * span + year[inside]]
    users = frame["user_id"].iloc[rows]
    user = (users.cat.codes.to_numpy() if isinstance(users.dtype, pd.CategoricalDtype)
            else pd.factorize(users.to_numpy())[0]).astype(np.int64)
    keep = (found >= 0) & (user >= 0)
    size = np.int64(len(place_years))
    keys = sorted_unique(user[keep] * size + found[keep])
    where = place_years.iloc[keys % size]
    counted = pd.DataFrame({"type": where["type"].astype(object).to_numpy(),
                            "zone": where["zone"].astype(object).to_numpy(),
                            "year": where["period"].dt.year.to_numpy(dtype=np.int64),
                            "user": keys // size})
    return counted.drop_duplicates()
