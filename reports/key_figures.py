"""The key figures of the report's summary: one card per comparison with a reference.

Each baseline comparison of the evaluation becomes a card: what is measured, the
pilot's value with its unit, the reference's value, and the verdict in words. Its
label, from the message catalogue, says what the number is (a share of men, a mean
distance), not only the answer it counts. Cards are grouped by reference study, then
by the pilot's population they are about; one sentence counts them by verdict for a
reader in a hurry.
"""

from __future__ import annotations

import math

import pandas as pd

from reports.baseline_notes import FPC_MARK, fpc_notes, fpc_verdicts, population_sizes
from reports.cell_wording import figure_text, indicator_label
from reports.formatting import is_missing
from reports.i18n import Catalogue
from reports.presentation import Prepared, is_comparison, share_mask, verdict_key

__all__ = ["summary_cards", "tally"]


def _card(row: pd.Series, share: bool, cat: Catalogue) -> dict:
    """One key figure: the pilot's value, the reference's, and the verdict."""
    key = verdict_key(row)
    hidden = key == "verdict.too_few"
    against = ""
    if not is_missing(row["baseline"]):
        against = cat.text("report.key_against",
                           baseline=figure_text(row["baseline"], row, share, cat, "baseline"))
    return {
        "indicator": indicator_label(row, cat),
        "pilot": cat.text("report.suppressed_mark") if hidden
        else figure_text(row["estimate"], row, share, cat, like=row["baseline"]),
        "against": against,
        "verdict": cat.text(key),
        "tone": key.split(".")[1],
        "exact": share and _given(row),
    }


def _given(row: pd.Series) -> bool:
    """Whether the pilot's share is given, not estimated (a calibration margin, or a
    census: its interval is that share alone)."""
    low, high = row.get("ci_low"), row.get("ci_high")
    return not (is_missing(low) or is_missing(high)) and math.isclose(
        float(low), float(high), rel_tol=1e-9, abs_tol=1e-12)


def summary_cards(prepared: list[Prepared], cat: Catalogue,
                  populations: dict[str, str]) -> list[dict]:
    """Key figures grouped by reference source, then by the pilot's population each is
    about (its ``source``): one card per baseline comparison whose figure is published.
    A hidden comparison gets no empty card: its indicator is listed in the population's
    ``hidden`` (and ``hidden_line``, the sentence naming them all)."""
    groups: dict[str, dict] = {}
    sizes = population_sizes(prepared)
    for item in prepared:
        frame = item.data
        if item.section != "baselines" or not is_comparison(frame):
            continue
        shares = share_mask(item.table, frame)
        finite = fpc_verdicts(frame, sizes)   # a clear verdict for the population itself
        share = "estimate" in item.table.share_columns
        study = next((c for c in ("source_id", "source") if c in frame.columns), None)
        pilot = "source" if study == "source_id" else None
        for position, (_, row) in enumerate(frame.iterrows()):
            name = str(row[study]) if study else ""
            group = groups.setdefault(name, {"source": cat.value("source", name) if name else "",
                                             "populations": {}})
            own = row[pilot] if pilot else None
            own = "" if is_missing(own) else str(own)
            label = populations.get(own, own)
            population = group["populations"].setdefault(own, {
                "label": cat.text("report.key_population", population=label) if label else "",
                "name": label, "cards": [], "notes": [], "hidden_line": ""})
            card = _card(row, share and bool(shares[position]), cat)
            if card["tone"] == "too_few":   # no empty card: named in one line below
                population.setdefault("hidden", []).append(card["indicator"])
                continue
            notes = [_reference_note(row, cat)]
            card["finite"] = bool(finite[position])
            if card["finite"]:   # the table's footnote, under the card too
                notes += [fpc_notes(frame.iloc[[position]], [True], sizes, populations,
                                    cat)[0].removeprefix(FPC_MARK).strip()]
            _mark(card, population, " ".join(n for n in notes if n) or None)
            population["cards"].append(card)
    for group in groups.values():
        for population in group["populations"].values():
            if population.get("hidden"):
                population["hidden_line"] = cat.text(
                    "report.key_hidden", count=len(population["hidden"]),
                    names=", ".join(cat.text("essentials.quoted", name=name)
                                    for name in population["hidden"]))
    return [{"source": g["source"], "populations": list(g["populations"].values())}
            for g in groups.values()]


def _reference_note(row: pd.Series, cat: Catalogue) -> str | None:
    """What a reader must know of the reference before reading the verdict ("compare
    as an indication only", "base n not given"), in the report's language."""
    note = row.get("reference_note_fr" if cat.lang == "fr" else "reference_note")
    return cat.typeset(note) if isinstance(note, str) and note.strip() else None


def _mark(card: dict, population: dict, note: str | None) -> None:
    """Number a card's note within its population (one number per distinct note)."""
    notes = population.setdefault("notes", [])
    card["mark"] = ""
    if note is None:
        return
    known = next((n["mark"] for n in notes if n["text"] == note), None)
    card["mark"] = known or str(len(notes) + 1)
    if known is None:
        notes.append({"mark": card["mark"], "text": note})


def tally(cards: list[dict], cat: Catalogue) -> str:
    """One sentence counting the key figures by verdict, for a reader in a hurry.

    Examples
    --------
    >>> from reports.i18n import catalogue
    >>> cards = [{"populations": [{"cards": [{"tone": t} for t in
    ...           ("higher", "lower", "similar", "similar", "too_few")]}]}]
    >>> tally(cards, catalogue("en"))
    '5 comparisons with a reference: 1 clearly higher, 1 clearly lower, 2 with no clear difference, 1 hidden (statistical confidentiality).'
    """
    tones = [card["tone"] for group in cards for population in group["populations"]
             for card in population["cards"]]
    tones += ["too_few" for group in cards for population in group["populations"]
              for _ in population.get("hidden", [])]
    if not tones:
        return ""
    parts = [cat.text(f"report.tally_{tone}", count=tones.count(tone))
             for tone in ("higher", "lower", "similar", "untested", "too_few")
             if tone in tones]
    return cat.text("report.tally", total=len(tones),
                    parts=cat.text("report.tally_separator").join(parts))

