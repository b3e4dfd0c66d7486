"""Survey-tool exports: recognise the tool from the header, then apply its conventions.

:func:`detect_layout` looks at the first records of a text or spreadsheet export and
says which tool wrote it, how many header rows to consume and what the columns are
called. :func:`apply_tool` then drops the tool's system and personal-data columns and
sets aside the rows the tool marks as not real answers (unsubmitted, unfinished,
preview). Each decision leaves a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveys._columns import blank_mask, blank_rows
from surveys.notes import Note

__all__ = ["Layout", "detect_layout", "apply_tool", "clean_names", "dropped_columns"]

_GOOGLE_TIMESTAMPS = {
    "horodateur", "timestamp", "marca temporal", "zeitstempel", "carimbo de data/hora",
    "informazioni cronologiche", "tijdstempel", "sygnatura czasowa",
}
_LS_CODE = {"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp"}
_LS_TEXT = {"Response ID", "Date submitted", "Last page", "Start language"}
_LS_SYSTEM = {
    "lastpage", "startlanguage", "seed", "startdate", "datestamp", "refurl", "interviewtime",
    "Last page", "Start language", "Seed", "Date started", "Date last action",
    "Referrer URL", "Total time",
}
_LS_TIMING = re.compile(r"^(groupTime\d+|Group time: .*|Question time: .*)$", re.S)
_LS_PII = {"token", "ipaddr", "IP address", "Token", "Access code"}
_LS_CODE_TEXT = re.compile(r"^([^\s.]+)\. ", re.S)
_QUALTRICS_PII = {
    "IPAddress", "RecipientEmail", "RecipientFirstName", "RecipientLastName",
    "LocationLatitude", "LocationLongitude", "EmailAddress", "Name",
}
#: Qualtrics' own columns about the response, not the respondent: when it was started,
#: ended and recorded, how far and how long, through which channel and interface
#: language. ``Status`` and ``Finished`` stay until unfinished and preview responses are
#: set aside; ``ResponseId`` and ``ExternalReference`` may be the respondent's id.
_QUALTRICS_SYSTEM = {
    "StartDate", "EndDate", "RecordedDate", "Progress", "Duration (in seconds)",
    "DistributionChannel", "UserLanguage", "ResponseSet", "LocationAccuracy",
}
_SURVEYMONKEY_PII = {"IP Address", "Email Address", "First Name", "Last Name"}
_KOBO_META = re.compile(
    r"^(_uuid|_submission_time|_validation_status|_notes|_status|_submitted_by|__version__|"
    r"_tags|_index|_parent_table_name|_parent_index|_submission__.*|_attachments|_geolocation|"
    r"_xform_id_string|meta/instanceID|formhub/uuid)$"
)


@dataclass
class Layout:
    """How a tabular export is laid out: tool, header rows and raw column names."""

    tool: str
    n_header: int
    names: list[str]
    notes: list[str] = field(default_factory=list)


def _strip(cell) -> str:
    """A header cell as a clean string (BOM and surrounding spaces removed)."""
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return ""
    return str(cell).replace("\ufeff", "").strip()


def clean_names(names: list[str], source: str) -> tuple[list[str], list[str]]:
    """Name empty cells ``unnamed_<n>`` and de-duplicate with ``.1``, ``.2`` suffixes."""
    out = [n if n else f"unnamed_{i + 1}" for i, n in enumerate(names)]
    notes = []
    empty = [i + 1 for i, n in enumerate(names) if not n]
    if empty:
        notes.append(Note("unnamed_columns", file=source, count=len(empty)))
    seen: set[str] = set()
    taken = set(out)
    dupes = []
    for i, name in enumerate(out):
        if name in seen:
            k = 1
            while f"{name}.{k}" in taken:
                k += 1
            out[i] = f"{name}.{k}"
            taken.add(out[i])
            dupes.append(name)
        seen.add(name)
    if dupes:
        shown = ", ".join(repr(d[:60]) for d in dict.fromkeys(dupes))
        notes.append(Note("duplicate_columns", file=source, count=len(dupes), shown=shown))
    return out, notes


def _qualtrics(head: list[list[str]], source: str) -> Layout | None:
    """Qualtrics CSV: 3 header rows (ids, texts, ImportId) or legacy 2 rows (V1.., labels)."""
    names = head[0]
    if len(head) >= 3 and ("ResponseId" in names or "ResponseID" in names) and any(
        c.startswith(("{\"ImportId\"", "{'ImportId'")) for c in head[2]
    ):
        return Layout("qualtrics", 3, names, [Note("qualtrics", file=source)])
    if len(head) >= 2 and names[:2] == ["V1", "V2"] and "ResponseID" in head[1]:
        label = head[1] + [""] * (len(names) - len(head[1]))
        merged = [label[i] if re.fullmatch(r"V\d+", n) and label[i] else n
                  for i, n in enumerate(names)]
        return Layout("qualtrics", 2, merged, [Note("qualtrics_legacy", file=source)])
    return None


def _limesurvey(names: list[str], source: str) -> Layout | None:
    """LimeSurvey: code headings, text headings or 'code. question text' headings."""
    if names and all(_LS_CODE_TEXT.match(n) for n in names[:2]) and names[0].startswith("id. "):
        codes = [m.group(1) if (m := _LS_CODE_TEXT.match(n)) else n for n in names]
        return Layout("limesurvey", 1, codes, [Note("limesurvey_code_text", file=source)])
    if {"id", "submitdate"} <= set(names) and len(_LS_CODE & set(names)) >= 3:
        return Layout("limesurvey", 1, names, [Note("limesurvey_codes", file=source)])
    if {"Response ID", "Date submitted"} <= set(names) and len(_LS_TEXT & set(names)) >= 3:
        return Layout("limesurvey", 1, names, [Note("limesurvey_texts", file=source)])
    return None


def _surveymonkey(head: list[list[str]], source: str) -> Layout | None:
    """SurveyMonkey: row 1 question texts with blanks, row 2 'Response' or option texts."""
    if len(head) < 2:
        return None
    first, second = head[0], head[1] + [""] * (len(head[0]) - len(head[1]))
    if not any(c in ("Response", "Open-Ended Response") for c in second):
        return None
    if not any(c == "" for c in first[1:]):
        return None
    filled, current = [], ""
    for cell in first:
        current = cell or current
        filled.append(current)
    names = [
        q if (not o or o in ("Response", "Open-Ended Response")) else f"{q} - {o}"
        for q, o in zip(filled, second)
    ]
    return Layout("surveymonkey", 2, names, [Note("surveymonkey", file=source)])


def detect_layout(head: list[list], source: str) -> Layout:
    """Recognise the tool from the first records and describe the header.

    Parameters
    ----------
    head : list of list
        The first records of the file (header candidates), cells as read.
    source : str
        File name for the notes.

    Returns
    -------
    Layout
        ``tool`` (``csv`` when no tool is recognised), ``n_header`` rows to consume,
        raw ``names`` (one per column of the widest of the header rows) and notes.
    """
    head = [[_strip(c) for c in rec] for rec in head]
    if not head or not any(head[0]):
        return Layout("csv", 1, head[0] if head else [], [])
    names = head[0]
    for found in (_qualtrics(head, source), _limesurvey(names, source),
                  _surveymonkey(head, source)):
        if found is not None:
            return found
    kobo_ids = {"_uuid", "_submission__uuid"} & set(names)
    if kobo_ids and {"_submission_time", "_index", "_parent_index"} & set(names):
        hxl = len(head) > 1 and any(c.startswith("#") for c in head[1]) and all(
            c == "" or c.startswith("#") for c in head[1]
        )
        notes = [Note("kobo", file=source)]
        if hxl:
            notes.append(Note("kobo_hxl", file=source))
        return Layout("kobo", 2 if hxl else 1, names, notes)
    if names[0].lower() in _GOOGLE_TIMESTAMPS:
        return Layout("googleforms", 1, names,
                      [Note("googleforms", file=source, column=repr(names[0]))])
    return Layout("csv", 1, names, [])


def _drop(data: pd.DataFrame, columns: list[str], key: str, source: str) -> tuple[pd.DataFrame, list[str]]:
    """Drop columns and say so with the note ``key`` (a key of :data:`surveys.notes.MESSAGES`)."""
    if not columns:
        return data, []
    shown = ", ".join(repr(c[:40]) for c in columns[:8]) + (" ..." if len(columns) > 8 else "")
    return data.drop(columns=columns), [Note(key, file=source, count=len(columns), shown=shown)]


def _exclude(mask: np.ndarray, rows: np.ndarray, reason: str) -> pd.DataFrame:
    """The rows under ``mask`` set aside, with their reason (``row``, ``reason``)."""
    chosen = np.asarray(rows)[mask].astype(np.int64)
    return pd.DataFrame({"row": chosen, "reason": np.full(len(chosen), reason, dtype=object)})


def _tool_drops(tool: str, cols: list) -> list[tuple[list, str]]:
    """The columns a tool's conventions drop, in groups: (columns, key of the note)."""
    if tool == "limesurvey":
        after = cols[cols.index("interviewtime") + 1:] if "interviewtime" in cols else []
        system = [c for c in cols if c in _LS_SYSTEM or _LS_TIMING.match(c)
                  or (c in after and c.endswith("Time"))]
        return [(system, "dropped_system"), ([c for c in cols if c in _LS_PII], "dropped_pii")]
    if tool == "qualtrics":
        return [([c for c in cols if c in _QUALTRICS_SYSTEM], "dropped_system_qualtrics"),
                ([c for c in cols if c in _QUALTRICS_PII], "dropped_pii_qualtrics")]
    if tool == "surveymonkey":
        return [([c for c in cols if c in _SURVEYMONKEY_PII], "dropped_pii_surveymonkey")]
    if tool == "kobo":
        return [([c for c in cols if _KOBO_META.match(c)], "dropped_kobo_meta")]
    return []


def dropped_columns(tool: str, names: list[str]) -> list[int]:
    """Positions of the columns :func:`apply_tool` drops from a table named ``names``
    (a reader need not convert them).

    Examples
    --------
    >>> dropped_columns("limesurvey", ["id", "submitdate", "lastpage", "ipaddr", "Q1"])
    [2, 3]
    """
    dropped = {c for cols, _ in _tool_drops(tool, list(names)) for c in cols}
    return [i for i, name in enumerate(names) if name in dropped]


def _drop_all(data: pd.DataFrame, tool: str, source: str) -> tuple[pd.DataFrame, list[str]]:
    """Drop the columns of :func:`_tool_drops`, one note per group."""
    notes: list[str] = []
    for cols, key in _tool_drops(tool, list(data.columns)):
        data, more = _drop(data, cols, key, source)
        notes += more
    return data, notes


def _limesurvey_apply(data, rows, source):
    """Drop LimeSurvey system/timing/personal columns; set aside unsubmitted responses."""
    data, notes = _drop_all(data, "limesurvey", source)
    submit = next((c for c in ("submitdate", "Date submitted") if c in data.columns), None)
    excluded: list[pd.DataFrame] = []
    if submit is not None and len(data):
        mask = blank_mask(data[submit])
        if mask.any():  # a row blank everywhere is an empty row, not an unsubmitted answer
            candidates = np.flatnonzero(mask)
            mask[candidates[blank_rows(data, candidates)]] = False
        excluded = [_exclude(mask, rows, "unsubmitted response (empty submitdate)")]
        data, rows = data.loc[~mask], rows[~mask]
    return data, rows, excluded, notes


def _qualtrics_apply(data, rows, source):
    """Drop Qualtrics personal-data columns; set aside unfinished and preview responses."""
    data, notes = _drop_all(data, "qualtrics", source)
    excluded: list[pd.DataFrame] = []
    keep = np.ones(len(data), dtype=bool)
    if "Finished" in data.columns:
        finished = data["Finished"].astype(str).str.strip().str.lower()
        mask = finished.isin(["0", "0.0", "false"]).to_numpy()
        excluded.append(_exclude(mask, rows, "unfinished response (Finished = 0)"))
        keep &= ~mask
    if "Status" in data.columns:
        status = data["Status"].astype(str).str.strip().str.lower()
        mask = status.isin(["1", "1.0", "survey preview"]).to_numpy() & keep
        excluded.append(_exclude(mask, rows, "survey preview (Status = Survey Preview)"))
        keep &= ~mask
    return data.loc[keep], rows[keep], excluded, notes


def apply_tool(tool: str, data: pd.DataFrame, rows: np.ndarray, source: str):
    """Apply a tool's conventions to a named table.

    Returns the table, its row numbers, the excluded rows (a list of ``row``/``reason``
    DataFrames) and notes.
    """
    if tool == "limesurvey":
        return _limesurvey_apply(data, rows, source)
    if tool == "qualtrics":
        return _qualtrics_apply(data, rows, source)
    data, notes = _drop_all(data, tool, source)
    return data, rows, [], notes
