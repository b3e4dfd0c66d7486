"""Ingest: codebooks, readers, validation, pseudonymisation, pilot files and demo data."""

from surveys.errors import (
    BilanWarning,
    CodebookError,
    DataQualityWarning,
    PilotFileError,
    SmallGroupWarning,
    SurveyError,
)
from surveys.survey import Survey, read
from surveys.pilot import Pilot, read_pilot
from surveys.codebook import Codebook, codebook  # last: `surveys.codebook` is the function

__all__ = [
    "SurveyError",
    "CodebookError",
    "PilotFileError",
    "BilanWarning",
    "SmallGroupWarning",
    "DataQualityWarning",
]
__all__ += ["read", "read_pilot", "codebook", "Survey", "Pilot", "Codebook"]
from surveys.demo import demo  # noqa: E402

__all__ += ["demo"]
from surveys.pilot_draft import Draft, DraftSource, draft_pilot  # noqa: E402

__all__ += ["draft_pilot", "Draft", "DraftSource"]
from surveys.reason_text import reason_in_language, reasons_in_language  # noqa: E402

__all__ += ["reason_in_language", "reasons_in_language"]
