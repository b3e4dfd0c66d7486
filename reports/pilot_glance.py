"""The pilot at a glance: the handful of figures a funder asks for first.

How many took part, how satisfied they are, whether they would recommend it, how long
they stay, what it saved on the road. Each card is taken from a table the report
publishes, after small-cell suppression: a figure hidden there is not shown here
either, and no card computes anything the tables do not hold. A table the evaluation
does not have (no check-in log, no commute answers) gives no card.

Cards follow the pilot's populations in the order of the data-quality table (the pilot
file's order), theme by theme: participation, satisfaction, recommendation, retention
(and the companies that keep teleworking after the pilot), commute impact.
"""

from __future__ import annotations

import math

import pandas as pd

from reports.cell_wording import interval
from reports.formatting import (format_count, format_interval, format_number, format_percent,
                                format_signed, format_significant, is_missing)
from reports.i18n import Catalogue
from reports.presentation import Prepared, published_rows

__all__ = ["glance_cards"]

#: Kinds of source whose respondents are people answering a survey.
_PEOPLE = ("agent", "company", "thirdplace")
#: Horizons (months) at which a retention card may be read, most telling first.
_HORIZONS = (12.0, 6.0, 3.0)
#: Significant figures of an estimated total (kilometres, CO2): 321 000 km, not 321 217.
_FIGURES = 3


def glance_cards(prepared: list[Prepared], cat: Catalogue,
                 populations: dict[str, str]) -> list[dict]:
    """The report's opening figures, one card each.

    Parameters
    ----------
    prepared : list of Prepared
        The evaluation's tables after suppression.
    cat : Catalogue
        Messages of the report's language.
    populations : dict
        Source name -> the population it describes
        (:func:`reports.presentation.pilot_populations`).

    Returns
    -------
    list of dict
        ``indicator`` (what is counted, with its population), ``value`` (the figure
        with its unit) and ``detail`` (its interval, base or comparison point), all
        text ready for the page; ``number`` (the figure as shown, a share as a
        fraction), ``unit`` and ``share`` for a spreadsheet; ``key``, what the card is
        for the key messages (:mod:`reports.key_messages`), not text of the page:
        ``theme`` (``"satisfied"``, ``"impact_km"``, ``"impact_co2_kg"``...), the
        ``source`` and its ``kind``, and the figure's parts as the card writes them
        (``before``: the first wave's figure; for a total, ``n`` its respondents, ``whole``
        whether it is extrapolated to the population, and ``size`` that population's
        size, "" when not known).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> from reports.i18n import catalogue
    >>> q = pd.DataFrame({"source": ["ag", "ag"], "kind": ["agent", "agent"],
    ...                   "measure": ["rows_read", "rows_kept"], "detail": [None, None],
    ...                   "n": [90, 85]})
    >>> card = glance_cards([Prepared("quality", Table("summary", q, "t"), q, "q")],
    ...                     catalogue("en"), {"ag": "Agents"})[0]
    >>> card["indicator"], card["value"], card["detail"]
    ('Agents: answers kept', '85', 'of 90 read')
    """
    tables = {(p.section, p.table.key): p for p in prepared}
    quality = _data(tables, "quality", "summary")
    if quality is None or not {"source", "kind", "measure", "n"} <= set(quality.columns):
        return []
    kinds = dict(quality[["source", "kind"]].drop_duplicates("source").astype(str).itertuples(
        index=False))
    people = [name for name, kind in kinds.items() if kind in _PEOPLE]
    logs = [name for name, kind in kinds.items() if kind == "attendance"]
    cards = [card for name in people if (card := _answers(quality, name, populations, cat))]
    cards += [card for name in logs if (card := _visits(quality, tables, kinds, name, cat))]
    for build in (_satisfied, _recommend, _staying, _continuing):
        cards += [card for name in people
                  if (card := build(tables, name, kinds[name], populations, cat))]
    cards += [card for name in logs if (card := _seniority(tables, name, cat))]
    for name in people:
        cards += _impact(tables, name, populations, cat)
    return cards


def _data(tables: dict, section: str, key: str) -> pd.DataFrame | None:
    """The published data of a table of the evaluation, or None when it has none."""
    item = tables.get((section, key))
    return None if item is None else item.data


def _card(indicator: str, number: float, detail: str, cat: Catalogue, *,
          style: str = "count", digits: int = 0, unit: str | None = None) -> dict:
    """One card: the figure written for the page (``value``) and, for a spreadsheet,
    the number as shown (``number``: a share stays a fraction, ``share`` says so; an
    estimated total, ``style="total"``, is shown to three significant figures and kept
    to ``digits``, the precision of its table) with its ``unit``."""
    if style == "share":
        value, shown = format_percent(number, cat.lang), round(float(number), 2)
    elif style == "signed":
        value, shown = format_signed(number, cat.lang), float(round(float(number)))
    elif style == "total":  # an estimated total: three significant figures on the page,
        # the workbook keeping the precision of the tables (whole units, tenths of a tonne)
        value, shown = format_significant(number, cat.lang, _FIGURES), round(float(number), digits)
    else:
        value, shown = format_number(number, cat.lang, digits), round(float(number), digits)
    unit_text = cat.text(f"units.{unit}") if unit else ""
    if unit_text:
        value = f"{value}\u00a0{unit_text}"
    return {"indicator": indicator, "value": value, "detail": detail, "number": shown,
            "unit": unit_text, "share": style == "share", "signed": style == "signed"}


def _is_published(row: pd.Series, column: str = "estimate") -> bool:
    """Whether one row's ``column`` is published (not suppressed, not missing)."""
    hidden = row.get("suppressed", False)
    return not is_missing(row.get(column)) and not (not is_missing(hidden) and bool(hidden))


def _measure(quality: pd.DataFrame, source: str, measure: str) -> float | None:
    """A source's total of one data-quality measure (the row without detail)."""
    rows = quality[(quality["source"].astype(str) == source) & (quality["measure"] == measure)]
    if "detail" in rows.columns:
        rows = rows[rows["detail"].isna() | (rows["detail"].astype(str) == "")]
    return None if rows.empty or is_missing(rows["n"].iloc[0]) else float(rows["n"].iloc[0])


def _answers(quality, name: str, populations: dict, cat: Catalogue) -> dict | None:
    kept, read = _measure(quality, name, "rows_kept"), _measure(quality, name, "rows_read")
    if kept is None:
        return None
    detail = cat.text("glance.of_read", read=format_count(read, cat.lang)) if read else ""
    people = _measure(quality, name, "respondents")  # over several waves
    if people is not None:
        detail = _joined([detail, cat.text("glance.people", people=format_count(people, cat.lang))],
                         cat)
    return _card(cat.text("glance.answers", population=populations.get(name, name)),
                 kept, detail, cat)


def _visits(quality, tables: dict, kinds: dict, name: str, cat: Catalogue) -> dict | None:
    """Check-ins kept, with the users they come from and the places open to them."""
    kept = _measure(quality, name, "rows_kept")
    if kept is None:
        return None
    parts = []
    users = _users(tables, name)
    if users is not None:
        parts.append(cat.text("glance.users", users=format_count(users, cat.lang)))
    places = [_measure(quality, source, "rows_kept") for source, kind in kinds.items()
              if kind == "places"]
    if places and places[0]:
        parts.append(cat.text("glance.places", places=format_count(places[0], cat.lang)))
    return _card(cat.text("glance.visits"), kept, _joined(parts, cat), cat)


def _users(tables: dict, name: str) -> float | None:
    """The log's users: those of its curve's month 0 (still followed after the first
    day, plus those who left or stopped being followed on it), or else its cohorts'
    sizes added up; None when a part of either is hidden."""
    curve = _data(tables, "retention", f"{name}_users_curve")
    if curve is not None and {"time", "at_risk"} <= set(curve.columns):
        first = curve[curve["time"] == 0]
        parts = [c for c in ("at_risk", "events", "censored") if c in first.columns]
        if len(first) and first[parts].notna().all(axis=None):
            return float(first[parts].iloc[0].sum())
    cohorts = _data(tables, "retention", f"{name}_cohorts")
    if cohorts is None or not {"period_index", "users"} <= set(cohorts.columns):
        return None
    sizes = cohorts.loc[cohorts["period_index"] == 0, "users"]
    return float(sizes.sum()) if len(sizes) and sizes.notna().all() else None


def _last_and_first(frame: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series | None]:
    """The row of the last wave, and that of the first when there are two or more."""
    waves = list(dict.fromkeys(frame[column]))
    last = frame[frame[column] == waves[-1]].iloc[0]
    first = frame[frame[column] == waves[0]].iloc[0] if len(waves) > 1 else None
    return last, first


def _satisfied(tables: dict, name: str, kind: str, populations: dict,
               cat: Catalogue) -> dict | None:
    """Share satisfied or very satisfied overall (4–5): the satisfaction table's (the
    last wave's answers when the pilot asked before and after), with the first wave's
    share beside it."""
    def overall(frame):
        frame = published_rows(frame)
        if frame.empty or not {"item", "statistic"} <= set(frame.columns):
            return frame.iloc[0:0]
        return frame[(frame["item"] == "sat_overall") & (frame["statistic"] == "top2")]

    rows = overall(_data(tables, "satisfaction", f"{name}_items"))
    if rows.empty:
        return None
    row, before = rows.iloc[0], None
    by_wave = overall(_data(tables, "satisfaction", f"{name}_items_by_wave"))
    described = tables[("satisfaction", f"{name}_items")].table.notes
    # beside the last wave's share, the first's (not when the table is the first wave's)
    if "wave" in by_wave.columns and not by_wave.empty and "report.earlier_wave" not in described:
        before = _last_and_first(by_wave, "wave")[1]
    detail = [_interval_text(row, share=True, cat=cat), _base(row, cat)]
    earlier = "" if before is None else format_percent(before["estimate"], cat.lang)
    if earlier:
        detail.append(_wave_text(before, earlier, cat))
    key = f"glance.satisfied_with.{kind}"  # what was rated: telework, the support, the place
    key = key if cat.has(key) else "glance.satisfied"
    card = _card(cat.text(key, population=populations.get(name, name)),
                 row["estimate"], _joined(detail, cat), cat, style="share")
    card["key"] = {"theme": "satisfied", "source": name, "kind": kind, "before": earlier}
    return card


def _wave_text(row: pd.Series, value: str, cat: Catalogue) -> str:
    """``avant : 43 %``: the first wave's figure, beside the last one's."""
    wave = cat.value("wave", row["wave"])
    return cat.text("glance.wave_value", wave=wave[:1].lower() + wave[1:], value=value)


def _recommend(tables: dict, name: str, kind: str, populations: dict,
               cat: Catalogue) -> dict | None:
    """Net promoter score (−100 to +100), after the pilot when it asked before and after."""
    frame = _data(tables, "satisfaction", f"{name}_nps")
    if published_rows(frame).empty:
        return None
    before = None
    if "wave" in frame.columns:  # the last wave's score, or no card when it is hidden
        row, before = _last_and_first(frame, "wave")
        if not _is_published(row):
            return None
        if before is not None and not _is_published(before):
            before = None
    else:
        row = published_rows(frame).iloc[0]
    detail = [_interval_text(row, share=False, cat=cat, signed=True), _base(row, cat)]
    if before is not None:
        detail.append(_wave_text(before, format_signed(before["estimate"], cat.lang), cat))
    return _card(cat.text("glance.nps", population=populations.get(name, name)),
                 row["estimate"], _joined(detail, cat), cat, style="signed")


def _staying(tables: dict, name: str, kind: str, populations: dict,
             cat: Catalogue) -> dict | None:
    """Share still in the programme at the longest of 12, 6 or 3 months observed; no
    card when that share is hidden (a shorter horizon, before the exits, would read as
    if no one had left)."""
    table = _data(tables, "retention", f"{name}_stays_horizons")
    frame = published_rows(table)
    if frame.empty or "time" not in frame.columns:
        return None
    if "at_risk" in table.columns:  # observed: someone still followed then (a count
        # hidden by the small-cell rule is someone: the horizon was observed)
        at_risk = pd.to_numeric(table["at_risk"], errors="coerce")
        observed = table[at_risk.isna() | (at_risk > 0)]
        longest = [h for h in _HORIZONS if (observed["time"] == h).any()][:1]
        frame = frame[frame["time"].isin(longest)]
    for horizon in _HORIZONS:
        rows = frame[frame["time"] == horizon]
        if not rows.empty:
            row = rows.iloc[0]
            key = f"glance.staying.{kind}" if cat.has(f"glance.staying.{kind}") else \
                "glance.staying.any"
            followed = row.get("at_risk")
            followed = "" if is_missing(followed) else cat.text(
                "glance.followed", n=format_count(followed, cat.lang))
            return _card(cat.text(key, population=populations.get(name, name),
                                  months=format_count(horizon, cat.lang)),
                         row["estimate"],
                         _joined([_interval_text(row, share=True, cat=cat), followed], cat),
                         cat, style="share")
    return None


def _continuing(tables: dict, name: str, kind: str, populations: dict,
                cat: Catalogue) -> dict | None:
    """Share of companies that keep teleworking after the pilot (their profile's
    ``continue_after``): what a chamber of commerce's programme is judged on."""
    frame = published_rows(_data(tables, "profiles", name))
    if frame.empty or not {"variable", "category", "statistic"} <= set(frame.columns):
        return None
    rows = frame[(frame["variable"] == "continue_after") & (frame["statistic"] == "share")
                 & (frame["category"].astype(str) == "True")]
    if rows.empty:
        return None
    row = rows.iloc[0]
    return _card(cat.text("glance.continuing", population=populations.get(name, name)),
                 row["estimate"], _joined([_interval_text(row, share=True, cat=cat),
                                           _base(row, cat)], cat), cat, style="share")


def _seniority(tables: dict, name: str, cat: Catalogue) -> dict | None:
    """Median time a third place's users keep coming (from the check-ins)."""
    frame = published_rows(_data(tables, "retention", f"{name}_users_median"))
    if frame.empty or "probability" not in frame.columns:
        return None
    rows = frame[frame["probability"] == 0.5]
    if rows.empty:
        return None
    row = rows.iloc[0]
    # whole months as the report publishes durations of stays; tenths otherwise
    values = [row.get(c) for c in ("estimate", "ci_low", "ci_high")]
    whole = all(is_missing(v) or float(v).is_integer() for v in values)
    digits = 0 if whole else 1
    return _card(cat.text("glance.median_attendance"), row["estimate"],
                 _interval_text(row, share=False, cat=cat, scale=1.0, digits=digits,
                                unit="months"), cat,
                 digits=digits, unit="months")


def _impact(tables: dict, name: str, populations: dict, cat: Catalogue) -> list[dict]:
    """Kilometres and CO2 the pilot's telework saved in a year: the whole population's
    figure where the pilot gives its size (the respondents' total otherwise), so that
    the card is what the pilot did, not what the answers add up to."""
    frame = published_rows(_data(tables, "impact", f"{name}_commute"))
    if frame.empty or "indicator" not in frame.columns:
        return []
    cards = []
    for indicator, unit in (("km", "km"), ("co2_kg", "co2_kg")):
        rows = frame[frame["indicator"] == indicator]
        if rows.empty:
            continue
        own = rows.iloc[0]
        row, base, size = _whole_population(own, cat)
        scale = 1.0
        if unit == "co2_kg" and abs(float(row["estimate"])) >= 1000:  # tonnes read better
            unit, scale = "co2_t", 1000.0
        card = _card(cat.text(f"glance.impact_{indicator}",
                              population=populations.get(name, name)),
                     float(row["estimate"]) / scale,
                     _joined([_interval_text(row, share=False, cat=cat, scale=scale,
                                             unit=unit, significant=_FIGURES),
                              base], cat), cat,
                     style="total", digits=1 if scale > 1 else 0, unit=unit)
        card["key"] = {"theme": f"impact_{indicator}", "source": name, "kind": None,
                       "size": size, "n": format_count(row["n"], cat.lang),
                       "whole": row is not own}
        cards.append(card)
    return cards


def _whole_population(row: pd.Series, cat: Catalogue) -> tuple[pd.Series, str, str]:
    """The impact row's population estimate and interval in place of the respondents'
    total, with the words saying so, and the population's size as written ("" when not
    known); the row as it is when there is none."""
    estimate = row.get("population_estimate")
    if is_missing(estimate) or not math.isfinite(float(estimate)):
        return row, _base(row, cat), ""
    whole = row.copy()
    whole["estimate"] = estimate
    whole["ci_low"], whole["ci_high"] = row.get("population_ci_low"), row.get("population_ci_high")
    per = row.get("per_teleworker")
    if is_missing(per) or not float(per):
        return whole, cat.text("glance.whole_population",
                               n=format_count(row["n"], cat.lang)), ""
    # the population the total is extrapolated to: its estimate over the mean per person
    size = format_count(round(float(estimate) / float(per)), cat.lang)
    return whole, cat.text("glance.population_of", size=size,
                           n=format_count(row["n"], cat.lang)), size


def _interval_text(row: pd.Series, *, share: bool, cat: Catalogue,
                   scale: float | None = None, digits: int | None = None,
                   unit: str | None = None, signed: bool = False,
                   significant: int | None = None) -> str:
    """``IC 95 % : 48 à 78 %``, by :func:`reports.formatting.format_interval`; with
    ``scale``, bounds divided by it, with the value's decimals (``digits``; by default
    whole units, or tenths of a thousand) or ``significant`` figures, followed by their
    ``unit`` (``IC 95 % : 276 000 à 367 000 km``); ``signed``: a score's (``−17 à +31``).
    A bound not reached is written in words (:func:`reports.cell_wording.interval`)."""
    low, high = row.get("ci_low"), row.get("ci_high")
    if is_missing(low) and is_missing(high):
        return ""
    if is_missing(low) or is_missing(high):
        return cat.text("glance.ci", interval=interval(low, high, share, cat))
    unit_text = cat.text(f"units.{unit}") if unit else ""
    if scale is not None:
        places = None if significant else digits if digits is not None else \
            1 if scale > 1 else 0
        text = format_interval(float(low) / scale, float(high) / scale, cat.lang,
                               decimals=places, significant=significant, unit=unit_text)
    else:
        text = format_interval(low, high, cat.lang, share=share, signed=signed)
    return cat.text("glance.ci", interval=text)


def _base(row: pd.Series, cat: Catalogue) -> str:
    n = row.get("n")
    if is_missing(n) or not math.isfinite(float(n)):
        return ""
    return cat.text("glance.base", n=format_count(n, cat.lang))


def _joined(parts: list[str], cat: Catalogue) -> str:
    return cat.text("glance.separator").join(p for p in parts if p)
