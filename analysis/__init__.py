"""Statistics for pilot evaluations: estimates, weighting, profiles, baselines,
retention, satisfaction, commute impact, attendance and the evaluation itself.

Every public function takes a ``surveys.Survey`` (or a DataFrame plus column names)
and returns a tidy DataFrame. Each module adds its public names below with one import
line and extends ``__all__``.
"""

__all__: list[str] = []
from analysis.evaluation_model import Evaluation, Section, Table  # noqa: E402
__all__ += ["Evaluation", "Section", "Table"]
