"""Statistics for pilot evaluations: estimates, weighting, profiles, baselines,
retention, satisfaction, commute impact, attendance and the evaluation itself.

Every public function takes a ``surveys.Survey`` (or a DataFrame plus column names)
and returns a tidy DataFrame. Each module adds its public names below with one import
line and extends ``__all__``.
"""

__all__: list[str] = []
from analysis.evaluation_model import Evaluation, Section, Table  # noqa: E402
__all__ += ["Evaluation", "Section", "Table"]
from analysis.likert import likert, likert_distribution  # noqa: E402
from analysis.nps import nps  # noqa: E402
from analysis.reliability import cronbach_alpha  # noqa: E402
from analysis.group_comparison import compare_groups, ordinal_model  # noqa: E402
from analysis.before_after import before_after  # noqa: E402
__all__ += ["likert", "likert_distribution", "nps", "cronbach_alpha", "compare_groups", "ordinal_model", "before_after"]
from analysis.estimation import design_effect, effective_n, mean, proportion, quantile  # noqa: E402
from analysis.intervals import proportion_ci  # noqa: E402
__all__ += ["proportion", "mean", "quantile", "design_effect", "effective_n", "proportion_ci"]
from analysis.weighting import ConvergenceError, poststratify, rake, trim_weights  # noqa: E402
__all__ += ["rake", "poststratify", "trim_weights", "ConvergenceError"]
from analysis.impact import commute_impact, impact_parameters  # noqa: E402
from analysis.attendance import attendance_summary, attendance_by, attendance_growth  # noqa: E402
from analysis.thirdplace import thirdplace_indicators, thirdplace_comparison  # noqa: E402
__all__ += ["commute_impact", "impact_parameters", "attendance_summary", "attendance_by", "attendance_growth", "thirdplace_indicators", "thirdplace_comparison"]
from analysis.retention import kaplan_meier, logrank, retention_at, survival_quantiles  # noqa: E402
from analysis.design_survival import design_kaplan_meier  # noqa: E402
__all__ += ["design_kaplan_meier"]
from analysis.interval_censoring import bands_to_intervals, default_bands, life_table, turnbull  # noqa: E402
from analysis.checkins import cohorts, compare_seniority, durations_from_dates, retention_from_checkins, seniority_bands  # noqa: E402
__all__ += ["kaplan_meier", "survival_quantiles", "retention_at", "logrank", "turnbull", "life_table", "bands_to_intervals", "default_bands", "retention_from_checkins", "cohorts", "durations_from_dates", "seniority_bands", "compare_seniority"]
from analysis.baselines import baselines, load_baselines  # noqa: E402
from analysis.comparison import compare_baseline  # noqa: E402
from analysis.profile import profile  # noqa: E402
__all__ += ["baselines", "load_baselines", "compare_baseline", "profile"]
from analysis.evaluate import evaluate  # noqa: E402
__all__ += ["evaluate"]
from analysis.weighting import Calibration  # noqa: E402
__all__ += ["Calibration"]
