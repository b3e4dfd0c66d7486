"""The report's key messages: a few sentences a funder reads first ("L'essentiel").

First what the pilot did and how it was received: the kilometres and CO₂ its telework
avoided in a year, with what the total is extrapolated to, and the shares satisfied, as
the opening cards give them (:func:`reports.pilot_glance.glance_cards`). Then what the
tables conclude, where the cards cannot: whose scores moved clearly between two waves,
whether the third places are used, and how the reference comparisons came out, counted by
verdict with at most two of them named (never a calibration margin: that share is given
to the pilot, not a result of it). Each sentence is written from the published tables
(after small-cell suppression) and names no figure the tables hide: a hidden comparison,
paired test or place is left out of the sentence, as it is left out of the table.

A sentence needs its table: a pilot without waves, references or a check-in log gets
fewer sentences, or none.
"""

from __future__ import annotations

import pandas as pd

from reports.formatting import format_interval, format_number
from reports.i18n import Catalogue
from reports.pilot_glance import glance_cards
from reports.presentation import Prepared, pilot_kinds, published_rows, table_kind

__all__ = ["key_messages"]

#: Reference comparisons named in the sentence that counts them (the others counted).
_NAMED = 2
#: The significance level of "clearly", as the verdicts use it.
_ALPHA = 0.05


def key_messages(prepared: list[Prepared], cat: Catalogue, populations: dict[str, str],
                 cards: list[dict]) -> list[str]:
    """The report's key messages, in the catalogue's language.

    Parameters
    ----------
    prepared : list of Prepared
        The evaluation's tables after suppression.
    cat : Catalogue
        Messages of the report's language.
    populations : dict
        Source name -> the population it describes.
    cards : list of dict
        The reference comparisons' cards (:func:`reports.key_figures.summary_cards`).

    Returns
    -------
    list of str
        One sentence per message, ready for the page (not yet HTML-escaped).

    Examples
    --------
    >>> from analysis.evaluation_model import Table
    >>> from reports.i18n import catalogue
    >>> f = pd.DataFrame({"item": ["sat_overall"], "test": ["wilcoxon"], "n": [34],
    ...                   "estimate": [0.79], "p_value": [0.0005], "suppressed": [False]})
    >>> item = Prepared("satisfaction", Table("agents_before_after", f, "t"), f, "x")
    >>> key_messages([item], catalogue("en"), {"agents": "Agents"}, [])[0]
    'Agents: between the two waves, scores rose clearly for “Overall satisfaction with telework” (+0.79 points out of 5).'
    """
    glance = glance_cards(prepared, cat, populations)
    messages = [*_impacts(glance, cat, populations), _satisfaction(glance, cat, populations)]
    kinds = pilot_kinds(prepared)
    for item in prepared:
        if item.section == "satisfaction" and item.table.key.endswith("_before_after"):
            own = cat.for_kind(table_kind(item.table.key, kinds))   # the kind's item labels
            messages.append(_changed(item, own, populations))
    for item in prepared:
        if item.section == "attendance" and item.table.key == "by_place_year":
            messages.append(_occupancy(item, cat))
    messages.append(_compared(cards, cat))
    return [message for message in messages if message]


def _keyed(glance: list[dict], theme: str) -> list[dict]:
    """The opening cards of one theme (their ``key``), in the page's order."""
    return [card for card in glance if (card.get("key") or {}).get("theme") == theme]


def _lowered(name: str) -> str:
    """A population's name inside a sentence: its first letter in lower case, unless
    the name starts with an acronym (``CCI``)."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _impacts(glance: list[dict], cat: Catalogue, populations: dict[str, str]) -> list[str]:
    """Per population, the kilometres and CO₂ avoided in a year, as their cards write
    them, and what the totals are extrapolated to: the population's size, the whole
    population, or only the respondents' own trips."""
    sources = dict.fromkeys(card["key"]["source"] for theme in ("impact_km", "impact_co2_kg")
                            for card in _keyed(glance, theme))
    messages = []
    for source in sources:
        cards = {card["key"]["theme"]: card for theme in ("impact_km", "impact_co2_kg")
                 for card in _keyed(glance, theme) if card["key"]["source"] == source}
        parts = [cat.text(f"essentials.{theme}", value=cards[theme]["value"])
                 for theme in ("impact_km", "impact_co2_kg") if theme in cards]
        key = next(iter(cards.values()))["key"]
        basis = "size" if key["size"] else "whole" if key["whole"] else "respondents"
        messages.append(cat.text(f"essentials.impact_{basis}",
                                 population=populations.get(source, source),
                                 avoided=cat.text("essentials.and").join(parts),
                                 size=key["size"], n=key["n"], count=key["n"]))
    return messages


def _satisfaction(glance: list[dict], cat: Catalogue, populations: dict[str, str]) -> str:
    """The share satisfied or very satisfied of each population, as its card gives it
    (the first wave's share beside it when the pilot asked twice)."""
    parts = []
    for card in _keyed(glance, "satisfied"):
        key = card["key"]
        which = f"essentials.satisfied_with.{key['kind']}"
        which = which if cat.has(which) else "essentials.satisfied_with.any"
        text = cat.text(which, value=card["value"],
                        population=_lowered(populations.get(key["source"], key["source"])))
        if key["before"]:
            text += cat.text("essentials.satisfied_before", value=key["before"])
        parts.append(text)
    if not parts:
        return ""
    return cat.text("essentials.satisfied", parts=cat.text("essentials.parts").join(parts))


def _names(names: list[tuple[str, str]], cat: Catalogue) -> str:
    """A list of (name, population) in words: "« a » (agents), « b »"; the population
    named where there is one."""
    quoted = [cat.text("essentials.quoted_population", name=name, population=population.lower()
                       if cat.lang == "fr" else population) if population
              else cat.text("essentials.quoted", name=name) for name, population in names]
    return cat.text("essentials.separator").join(quoted)


def _compared(cards: list[dict], cat: Catalogue) -> str:
    """How many reference comparisons came out clearly higher, lower or alike, with at
    most :data:`_NAMED` of the clear ones named (one of each direction when both have
    one); a calibration margin (``exact``: given, not estimated) is counted, not named,
    and a difference clear for the population itself only (``finite``: a test with the
    finite population correction) is named after those clear beyond it."""
    tones: dict[str, list[tuple[str, str]]] = {"higher": [], "lower": [], "similar": []}
    given: set[tuple[str, str]] = set()
    finite: set[tuple[str, str]] = set()
    several = len({population.get("name", "") for group in cards
                   for population in group["populations"]}) > 1
    for group in cards:
        for population in group["populations"]:
            named = (population.get("name") or "") if several else ""
            for card in population["cards"]:
                entry = (card["indicator"], named)
                if card["tone"] in tones and entry not in tones[card["tone"]]:
                    tones[card["tone"]].append(entry)
                    if card.get("exact"):
                        given.add(entry)
                    if card.get("finite"):
                        finite.add(entry)
    if not tones["higher"] and not tones["lower"]:
        if not tones["similar"]:
            return ""
        return cat.text("essentials.compared_alike", count=len(tones["similar"]))
    # named first: the differences clear beyond the population itself (a test without
    # the finite population correction); a calibration margin is never named
    nameable = {tone: sorted((e for e in tones[tone] if e not in given),
                             key=lambda e: e in finite) for tone in ("higher", "lower")}
    shares = _allotted({tone: len(entries) for tone, entries in nameable.items()})
    parts = [_tone_part(tone, tones[tone], nameable[tone][:shares[tone]], cat)
             for tone in ("higher", "lower") if tones[tone]]
    if tones["similar"]:
        parts.append(cat.text("essentials.compared_similar", count=len(tones["similar"])))
    return cat.text("essentials.compared", parts=cat.text("essentials.parts").join(parts))


def _allotted(available: dict[str, int]) -> dict[str, int]:
    """How many of each direction to name: :data:`_NAMED` in all, shared between the
    directions that have a nameable comparison, the first direction first.

    Examples
    --------
    >>> _allotted({"higher": 5, "lower": 3}), _allotted({"higher": 0, "lower": 4})
    ({'higher': 1, 'lower': 1}, {'higher': 0, 'lower': 2})
    """
    left, shares = _NAMED, {}
    for position, (tone, count) in enumerate(available.items()):
        others = sum(1 for c in list(available.values())[position + 1:] if c)
        shares[tone] = min(count, max(left - others, 0))
        left -= shares[tone]
    return shares


def _tone_part(tone: str, entries: list, named: list, cat: Catalogue) -> str:
    """One direction of the comparisons: its count, and the comparisons named (all of
    them when they are all named, else "dont …")."""
    if named and len(named) == len(entries):
        return cat.text(f"essentials.compared_{tone}", names=_names(named, cat))
    if named:
        return cat.text(f"essentials.compared_{tone}_among", count=len(entries),
                        names=_names(named, cat))
    return cat.text(f"essentials.compared_{tone}_count", count=len(entries))


def _changed(item: Prepared, cat: Catalogue, populations: dict[str, str]) -> str:
    """Whose scores rose or fell clearly between two waves (paired rank test)."""
    frame = item.data
    if not {"item", "test", "estimate", "p_value"} <= set(frame.columns):
        return ""
    ranked = published_rows(frame[frame["test"] == "wilcoxon"], ["estimate", "p_value"])
    if ranked.empty:
        return ""
    p = ranked["p_adjusted"] if "p_adjusted" in ranked.columns else ranked["p_value"]
    p = pd.to_numeric(p, errors="coerce").fillna(pd.to_numeric(ranked["p_value"]))
    change = pd.to_numeric(ranked["estimate"], errors="coerce")
    source = item.table.key.removesuffix("_before_after")
    population = populations.get(source, source)
    parts = []
    for direction, moved in (("up", (p < _ALPHA) & (change > 0)),
                             ("down", (p < _ALPHA) & (change < 0))):
        if moved.any():
            items = [cat.text("essentials.item_change", item=cat.value("item", row.item),
                              change=_signed_points(row.estimate, cat),
                              count=abs(float(row.estimate)))   # point(s): its plural
                     for row in ranked[moved.to_numpy()].itertuples()]
            parts.append(cat.text(f"essentials.scores_{direction}",
                                  items=cat.text("essentials.separator").join(items)))
    if not parts:
        return cat.text("essentials.scores_steady", population=population, count=len(ranked))
    return cat.text("essentials.scores", population=population,
                    parts=cat.text("essentials.parts").join(parts))


def _signed_points(value: float, cat: Catalogue) -> str:
    """A change of mean score with its sign, two decimals as the table writes it."""
    text = format_number(abs(float(value)), cat.lang, 2)
    return ("+" if value > 0 else "\u2212") + text


def _occupancy(item: Prepared, cat: Catalogue) -> str:
    """How many places were little used in the last year with a published occupancy
    above 0, with the range of occupancy.

    A year whose published places all have an occupancy of 0 is skipped: "from 0 to
    0 %" is no finding, and beside such zeros the count of hidden places named the one
    place used (a log's quiet last year, one badge its only user: privacy review 13,
    finding 2). Hidden places are counted in the sentence only in the year it tells,
    and only rows the table hides (a place without capacity has no occupancy, and is
    not hidden)."""
    frame = item.data
    if not {"period", "occupancy", "little_used"} <= set(frame.columns):
        return ""
    rows = published_rows(frame, ["occupancy"])
    if rows.empty:
        return ""
    used = rows.loc[pd.to_numeric(rows["occupancy"], errors="coerce") > 0, "period"]
    if used.empty:
        return ""
    last = rows[rows["period"] == used.max()]
    flagged = last["little_used"].astype("boolean").fillna(False).astype(bool)
    occupancy = pd.to_numeric(last["occupancy"], errors="coerce")
    threshold = _threshold(item, cat)
    if threshold is None:
        return ""
    values = {"year": pd.Timestamp(last["period"].iloc[0]).year, "places": len(last),
              "count": int(flagged.sum()), "threshold": threshold,
              "range": format_interval(occupancy.min(), occupancy.max(), cat.lang,
                                       share=True)}
    key = "all" if flagged.all() else ("none" if not flagged.any() else
                                       "one" if flagged.sum() == 1 else "some")
    text = cat.text(f"essentials.occupancy_{key}", **values)
    # places of that year whose row is hidden are not counted: the sentence says so
    year = frame["period"] == last["period"].iloc[0]
    unpublished = (int(frame.loc[year, "suppressed"].fillna(False).astype(bool).sum())
                   if "suppressed" in frame.columns else 0)
    if unpublished:
        text = text.removesuffix(".") + cat.text("essentials.occupancy_hidden",
                                                 count=unpublished)
    return text


def _threshold(item: Prepared, cat: Catalogue) -> str | None:
    """The "little used" threshold as the occupancy note writes it (``20``)."""
    for note in item.table.notes:
        if getattr(note, "key", None) == "occupancy_rule":
            threshold = note.values["threshold"]
            return threshold.get(cat.lang, threshold["en"]) if isinstance(threshold, dict) \
                else str(threshold)
    return None
