"""Ingest: codebooks, readers, validation, pseudonymisation, pilot files and demo data."""

from surveys.errors import (
    BilanWarning,
    CodebookError,
    DataQualityWarning,
    PilotFileError,
    SmallGroupWarning,
    SurveyError,
)

__all__ = [
    "SurveyError",
    "CodebookError",
    "PilotFileError",
    "BilanWarning",
    "SmallGroupWarning",
    "DataQualityWarning",
]
