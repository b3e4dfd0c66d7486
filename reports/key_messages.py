"""The report's key messages: a few sentences a funder reads first ("L'essentiel").

The cards say how many, how satisfied, how long; these sentences say what the tables
conclude, where the cards cannot: which reference comparisons came out clearly above or
below, whose scores moved clearly between two waves, whether the third places are used.
Each sentence is written from the published tables (after small-cell suppression)
and names no figure the tables hide: a hidden comparison, paired test or place is left
out of the sentence, as it is left out of the table.

A sentence needs its table: a pilot without waves, references or a check-in log gets
fewer sentences, or none.
"""

from __future__ import annotations

import pandas as pd

from reports.formatting import format_interval, format_number
from reports.i18n import Catalogue
from reports.presentation import Prepared, pilot_kinds, published_rows, table_kind

__all__ = ["key_messages"]

#: Names listed in a sentence before "and N others".
_NAMED = 3
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
    messages = [_compared(cards, cat)]
    kinds = pilot_kinds(prepared)
    for item in prepared:
        if item.section == "satisfaction" and item.table.key.endswith("_before_after"):
            own = cat.for_kind(table_kind(item.table.key, kinds))   # the kind's item labels
            messages.append(_changed(item, own, populations))
    for item in prepared:
        if item.section == "attendance" and item.table.key == "by_place_year":
            messages.append(_occupancy(item, cat))
    return [message for message in messages if message]


def _names(names: list[tuple[str, str]], cat: Catalogue) -> str:
    """A list of (name, population) in words: "« a » (agents), « b » et 2 autres"; the
    population named where there is one."""
    quoted = [cat.text("essentials.quoted_population", name=name, population=population.lower()
                       if cat.lang == "fr" else population) if population
              else cat.text("essentials.quoted", name=name) for name, population in names[:_NAMED]]
    text = cat.text("essentials.separator").join(quoted)
    if len(names) > _NAMED:
        return cat.text("essentials.and_others", names=text, count=len(names) - _NAMED)
    return text


def _compared(cards: list[dict], cat: Catalogue) -> str:
    """Which reference comparisons came out clearly higher or lower, and how many not."""
    tones: dict[str, list[tuple[str, str]]] = {"higher": [], "lower": [], "similar": []}
    several = len({population.get("name", "") for group in cards
                   for population in group["populations"]}) > 1
    for group in cards:
        for population in group["populations"]:
            named = (population.get("name") or "") if several else ""
            for card in population["cards"]:
                entry = (card["indicator"], named)
                if card["tone"] in tones and entry not in tones[card["tone"]]:
                    tones[card["tone"]].append(entry)
    if not tones["higher"] and not tones["lower"]:
        if not tones["similar"]:
            return ""
        return cat.text("essentials.compared_alike", count=len(tones["similar"]))
    parts = [cat.text(f"essentials.compared_{tone}", names=_names(tones[tone], cat))
             for tone in ("higher", "lower") if tones[tone]]
    if tones["similar"]:
        parts.append(cat.text("essentials.compared_similar", count=len(tones["similar"])))
    return cat.text("essentials.compared", parts=cat.text("essentials.parts").join(parts))


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
    """How many places were little used in the last year, with the range of occupancy."""
    frame = item.data
    if not {"period", "occupancy", "little_used"} <= set(frame.columns):
        return ""
    rows = published_rows(frame, ["occupancy"])
    if rows.empty:
        return ""
    last = rows[rows["period"] == rows["period"].max()]
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
    unpublished = int((frame["period"] == last["period"].iloc[0]).sum()) - len(last)
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
