"""The table a reader hands to validation: source values plus what the reader learnt.

Readers (``surveys/_readers*.py``) turn a file into a :class:`RawTable`; validation
(``surveys/_validate.py``) maps it onto a codebook. Keeping this boundary small lets
every file format share one validation path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["RawTable", "PROBLEM_COLUMNS", "EXCLUDED_COLUMNS"]

#: Columns of ``Survey.problems`` (and of ``RawTable.problems``).
PROBLEM_COLUMNS = ["row", "column", "value", "reason", "action"]
#: Columns of ``Survey.excluded`` (and of ``RawTable.excluded``).
EXCLUDED_COLUMNS = ["row", "reason"]


@dataclass
class RawTable:
    """What a reader read from one source.

    Attributes
    ----------
    data : DataFrame
        One column per source column (names de-duplicated, BOM and surrounding
        spaces stripped), one row per data row kept by the reader. Text formats
        give strings (``object`` dtype, empty cells as ``None``/NaN); binary formats
        (xlsx, sav, dta, parquet) give their native types.
    rows : ndarray of int
        1-based data-row number in the source for each row of ``data`` (the first
        row after the header row(s) is 1).
    path : str
        Source name used in messages (file name, or ``"<DataFrame>"``).
    format : str
        ``csv``, ``xlsx``, ``sav``, ``dta``, ``parquet``, ``dataframe``, or the tool
        detected (``limesurvey``, ``qualtrics``, ``googleforms``, ``surveymonkey``).
    n_rows : int
        Data rows in the source (kept by the reader + set aside by the reader).
    excluded : DataFrame
        Rows the reader already set aside (``row``, ``reason``), e.g. an
        unsubmitted LimeSurvey response or a Qualtrics preview.
    value_labels : dict
        Column -> {code: label} from SPSS/Stata metadata.
    notes : list of str
        Things worth telling the user (encoding, delimiter, header rows, dropped
        system columns...). One sentence each.
    problems : list of dict
        Cell-level problems the reader found (keys of ``PROBLEM_COLUMNS``).
    """

    data: pd.DataFrame
    rows: np.ndarray
    path: str
    format: str
    n_rows: int
    excluded: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=EXCLUDED_COLUMNS)
    )
    value_labels: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
