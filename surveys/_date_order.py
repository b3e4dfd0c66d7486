"""The day/month order of a file's two-digit-year dates, decided over all its columns.

Each date column written day/month/two-digit year finds its own order
(:func:`surveys._parse.short_year_dates`): day first when a value's first part is above
12 (``16/10/15``), month first when its second part is (``10/16/15``), day first
assumed when every value reads both ways (``05/01/16``). A file is written by one
export, in one order: a column whose values read both ways follows the order another
of its columns shows (:func:`follow_file_order` types it again so), and a file whose
columns show both orders gets a note saying so (each column keeps its own order then,
and one reading both ways is read day first, as French exports write).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from surveys.notes import Note

__all__ = ["SHOWN", "BOTH_WAYS", "file_order", "follow_file_order"]

#: The note keys (of :func:`surveys._validate.type_column`) of a column whose values
#: show their order -> that order.
SHOWN = {"dates_day_first_yy": "day_first", "dates_month_first_yy": "month_first"}
#: The note key of a column whose two-digit-year dates all read both ways.
BOTH_WAYS = "dates_day_first_assumed_yy"


def file_order(notes: Mapping[str, list[str]]) -> tuple[str | None, dict[str, list[str]]]:
    """The order a file's columns show, and which columns show each.

    Parameters
    ----------
    notes : mapping of str to list of str
        Each column's note keys, as typed (:class:`surveys._validate.Typed`).

    Returns
    -------
    order : str or None
        ``"day_first"`` or ``"month_first"`` when the columns that show an order all
        show that one; None when none shows one or they disagree.
    shown : dict
        ``{"day_first": [columns], "month_first": [columns]}``.

    Examples
    --------
    >>> file_order({"start": ["dates_day_first_yy"], "end": ["dates_day_first_assumed_yy"]})
    ('day_first', {'day_first': ['start'], 'month_first': []})
    >>> file_order({"a": ["dates_day_first_yy"], "b": ["dates_month_first_yy"]})[0] is None
    True
    """
    shown: dict[str, list[str]] = {"day_first": [], "month_first": []}
    for column, keys in notes.items():
        for key in keys:
            if key in SHOWN:
                shown[SHOWN[key]].append(column)
    telling = [order for order, columns in shown.items() if columns]
    return (telling[0] if len(telling) == 1 else None), shown


def follow_file_order(typed: dict, retype: Callable[[str, str], object],
                      names: Mapping[str, str], file) -> list[Note]:
    """Type again, in the file's order, the date columns whose values read both ways.

    Parameters
    ----------
    typed : dict
        Variable name -> :class:`surveys._validate.Typed`, changed in place: a column
        typed again replaces its entry (its note key taken out: the note returned
        names the column that shows the order).
    retype : callable
        ``retype(name, order)`` types variable ``name`` again with ``date_order=order``.
    names : mapping of str to str
        Variable name -> the file's column name (for the notes).
    file : str or Path
        The file (for the notes).

    Returns
    -------
    list of Note
        ``dates_<order>_file_yy`` for each column typed again, or one
        ``dates_orders_differ`` when the file's columns show both orders (nothing is
        typed again then).

    Examples
    --------
    >>> from surveys._validate import Typed
    >>> typed = {"start": Typed({}, notes=["dates_month_first_yy"]),
    ...          "end": Typed({}, notes=["dates_day_first_assumed_yy"])}
    >>> notes = follow_file_order(typed, lambda name, order: Typed(
    ...     {}, notes=[f"dates_{order}_file_yy"]), {"start": "Début", "end": "Fin"}, "f.csv")
    >>> [n.key for n in notes], typed["end"].notes
    (['dates_month_first_file_yy'], [])
    """
    order, shown = file_order({name: t.notes for name, t in typed.items()})
    label = {name: repr(names.get(name, name)) for name in typed}
    if shown["day_first"] and shown["month_first"]:
        return [Note("dates_orders_differ", file=file,
                     day=", ".join(label[n] for n in shown["day_first"]),
                     month=", ".join(label[n] for n in shown["month_first"]))]
    if order is None:
        return []
    notes = []
    source = ", ".join(label[n] for n in shown[order])
    for name in [n for n, t in typed.items() if BOTH_WAYS in t.notes]:  # a few columns
        again = retype(name, order)
        key = f"dates_{order}_file_yy"
        if key in again.notes:
            again.notes = [k for k in again.notes if k != key]
            notes.append(Note(key, file=file, column=label[name], source=source))
        typed[name] = again
    return notes
