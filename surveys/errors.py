"""Errors and warnings raised on purpose by bilan.

Every error raised for a user mistake subclasses :class:`SurveyError`, itself a
``ValueError``; the command line catches it, prints its message and exits 2.
"""

from __future__ import annotations

__all__ = [
    "SurveyError",
    "CodebookError",
    "PilotFileError",
    "BilanWarning",
    "SmallGroupWarning",
    "DataQualityWarning",
]


class SurveyError(ValueError):
    """A whole-file or whole-input problem: the message names the file, row, column or key."""


class CodebookError(SurveyError):
    """A codebook (shipped or user-supplied) is malformed or lacks a variable."""


class PilotFileError(SurveyError):
    """A pilot file (TOML) is unreadable or has a missing or wrong key."""


class BilanWarning(UserWarning):
    """Base category of every warning bilan emits, so users can filter them at once."""


class SmallGroupWarning(BilanWarning):
    """An estimate rests on fewer respondents than is reasonable to publish."""


class DataQualityWarning(BilanWarning):
    """Something in the data deserves a look (a reversed item, a fallback value...)."""
