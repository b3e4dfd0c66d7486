"""Figures: assert on the drawn data (bar widths, line points), not on pixels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from reports.figures import draw, to_svg
from surveys.errors import SurveyError


def _likert() -> pd.DataFrame:
    """Two items in the shape analysis.likert returns (mean rows are ignored)."""
    return pd.DataFrame({
        "item": ["sat_overall"] * 3 + ["sat_stress"] * 3,
        "statistic": ["mean", "top2", "bottom2"] * 2,
        "n": [60] * 6,
        "estimate": [3.9, 0.7, 0.1, 3.1, 0.4, 0.35],
    })


def test_likert_bars_widths_are_the_shares():
    """Segments are bottom2, neutral remainder and top2, in percent, per item."""
    ax = draw("likert_bars", _likert()).axes[0]
    negative, neutral, positive = ax.containers
    assert np.allclose([b.get_width() for b in negative], [10, 35])
    assert np.allclose([b.get_width() for b in neutral], [20, 25])
    assert np.allclose([b.get_width() for b in positive], [70, 40])


def test_likert_bars_diverge_around_zero():
    """Dissatisfied answers end where the neutral segment, centred on zero, begins."""
    ax = draw("likert_bars", _likert()).axes[0]
    negative, neutral, positive = ax.containers
    assert np.allclose([b.get_x() for b in neutral], [-10, -12.5])
    assert np.allclose([b.get_x() + b.get_width() for b in negative], [-10, -12.5])
    assert np.allclose([b.get_x() for b in positive], [10, 12.5])


def test_likert_bars_from_a_full_distribution():
    """With one share per scale point, five segments; point 3 straddles zero."""
    data = pd.DataFrame({"item": ["sat_overall"] * 5, "category": [1, 2, 3, 4, 5],
                         "estimate": [0.05, 0.1, 0.2, 0.4, 0.25]})
    ax = draw("likert_bars", data).axes[0]
    widths = [c[0].get_width() for c in ax.containers]
    assert np.allclose(widths, [5, 10, 20, 40, 25])
    assert np.isclose(ax.containers[2][0].get_x(), -10)


def test_likert_bars_readable_in_greyscale():
    """Negative segments carry hatches, not only a colour."""
    fig = draw("likert_bars", _likert())
    assert all(b.get_hatch() for b in fig.axes[0].containers[0])
    assert len(fig.legends) == 1 and len(fig.legends[0].get_texts()) == 3


def _survival() -> pd.DataFrame:
    km = pd.DataFrame({"curve": "kaplan_meier", "time": [2.0, 5.0, 9.0],
                       "survival": [0.9, 0.7, 0.4], "ci_low": [0.8, 0.55, 0.25],
                       "ci_high": [0.97, 0.82, 0.56], "reference": False})
    ref = pd.DataFrame({"curve": "aquitaine-2016", "time": [3.0, 6.0, 12.0, 24.0],
                        "survival": [0.86, 0.69, 0.45, 0.13], "reference": True})
    return pd.concat([km, ref], ignore_index=True)


def test_km_curve_steps_start_at_full_retention():
    """The estimate is a step line from 100 % at time 0 through each survival value."""
    ax = draw("km_curve", _survival()).axes[0]
    line = ax.lines[0]
    assert line.get_drawstyle() == "steps-post"
    assert np.allclose(line.get_xdata(), [0, 2, 5, 9])
    assert np.allclose(line.get_ydata(), [100, 90, 70, 40])


def test_km_curve_draws_the_reference_dashed_without_band():
    """The Nouvelle-Aquitaine points are a dashed, marked line; only the estimate has a band."""
    ax = draw("km_curve", _survival(), lang="en").axes[0]
    reference = ax.lines[1]
    assert reference.get_linestyle() == "--" and reference.get_marker() == "s"
    assert np.allclose(reference.get_ydata(), [86, 69, 45, 13])
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["Kaplan–Meier", "Confidence interval", "Nouvelle-Aquitaine 2016 reference"]


def test_baseline_dots_place_pilot_and_reference():
    """Dots at the pilot's shares with their intervals, diamonds at the references."""
    data = pd.DataFrame({"indicator": ["manager", "man"], "estimate": [0.31, 0.3],
                         "ci_low": [0.2, 0.19], "ci_high": [0.43, 0.42],
                         "baseline": [0.57, 0.69]})
    ax = draw("baseline_dots", data).axes[0]
    assert np.allclose(ax.lines[0].get_xdata(), [31, 30])
    assert np.allclose(ax.lines[-1].get_xdata(), [57, 69])
    assert ax.lines[-1].get_marker() == "D"
    segments = ax.collections[0].get_segments()  # the interval bars
    assert np.allclose([s[:, 0] for s in segments], [[20, 43], [19, 42]])


def test_baseline_dots_draw_an_exact_figure_whose_bounds_pass_it_by_rounding():
    """A raking margin's interval is nil: bounds a rounding error beyond the estimate
    (0.35 + 1e-16) draw as a dot without a bar, not an error (scale-1400 pilot)."""
    data = pd.DataFrame({"indicator": ["man"], "estimate": [0.35],
                         "ci_low": [0.35 + 1e-16], "ci_high": [0.35 - 1e-16],
                         "baseline": [0.69]})
    ax = draw("baseline_dots", data).axes[0]
    assert np.allclose(ax.lines[0].get_xdata(), [35])
    segments = ax.collections[0].get_segments()
    assert np.allclose([s[:, 0] for s in segments], [[35, 35]])


def test_baseline_dots_leave_out_a_reference_whose_pilot_value_is_hidden():
    """A comparison whose pilot value is hidden is not drawn as a lone diamond: the
    figure draws the others and says under the plot how many were left out."""
    data = pd.DataFrame({"indicator": ["manager", "man", "woman"],
                         "estimate": [np.nan, 0.3, 0.7], "ci_low": [np.nan, 0.19, 0.58],
                         "ci_high": [np.nan, 0.42, 0.81], "baseline": [0.57, 0.69, 0.31]})
    fig = draw("baseline_dots", data)
    ax = fig.axes[0]
    assert np.allclose(ax.lines[0].get_xdata(), [30, 70])
    assert np.allclose(ax.lines[-1].get_xdata(), [69, 31])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Hommes", "Femmes"]
    assert [t.get_text() for t in fig.texts] == [
        "1 comparaison non représentée\xa0: la valeur du pilote y repose sur trop peu "
        "de personnes (secret statistique)."]


def test_baseline_dots_with_every_pilot_value_hidden_are_one_line():
    """When every pilot value is hidden, the figure is the line saying so, no axes."""
    data = pd.DataFrame({"indicator": ["manager", "man"], "estimate": [np.nan, np.nan],
                         "ci_low": [np.nan, np.nan], "ci_high": [np.nan, np.nan],
                         "baseline": [0.57, 0.69]})
    fig = draw("baseline_dots", data, lang="en")
    assert fig.axes == []
    assert [t.get_text() for t in fig.texts] == [
        "No comparison drawn: the pilot's value rests on too few people everywhere "
        "(statistical confidentiality)."]


def test_impact_bars_draw_bounds_that_pass_the_estimate_by_rounding():
    """An impact bar whose interval bound passes its value by a rounding error draws."""
    data = pd.DataFrame({"indicator": ["km_avoided"], "estimate": [100.0],
                         "ci_low": [100.0 + 1e-13], "ci_high": [120.0]})
    assert draw("impact_bars", data).axes


def test_impact_bars_draw_the_population_totals_when_given():
    """Extrapolated to the population (as the report's cards are), the bars are the
    population totals and the axis says so; without a population, the respondents'."""
    data = pd.DataFrame({"indicator": ["km"], "estimate": [100.0], "ci_low": [80.0],
                         "ci_high": [120.0], "population_estimate": [130.0],
                         "population_ci_low": [104.0], "population_ci_high": [156.0]})
    ax = draw("impact_bars", data).axes[0]
    assert [bar.get_width() for bar in ax.patches] == [130.0]
    assert "population" in ax.get_xlabel()
    ax = draw("impact_bars", data.drop(columns=["population_estimate"])).axes[0]
    assert [bar.get_width() for bar in ax.patches] == [100.0]


def _attendance() -> pd.DataFrame:
    periods = pd.date_range("2016-01-01", periods=3, freq="MS")
    rows = [(p, kind, zone, 10 * (i + 1) + k)
            for k, (kind, zone) in enumerate([("coworking", "urban"), ("fablab", "rural"),
                                              ("hybrid", "rural")])
            for i, p in enumerate(periods)]
    return pd.DataFrame(rows, columns=["period", "type", "zone", "visits"])


def test_attendance_series_one_panel_per_zone_one_line_per_type():
    """Urban panel: the coworking line; rural panel: fablab and hybrid, values as given."""
    fig = draw("attendance_series", _attendance())
    urban, rural = fig.axes
    assert [t.get_text() for t in (urban.title, rural.title)] == ["Urbaine", "Rurale"]
    assert [list(l.get_ydata()) for l in urban.lines] == [[10, 20, 30]]
    assert [list(l.get_ydata()) for l in rural.lines] == [[11, 21, 31], [12, 22, 32]]
    assert rural.lines[0].get_linestyle() != rural.lines[1].get_linestyle()
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Coworking", "Fablab", "Hybride"]


def test_attendance_series_per_place_draws_without_summing():
    """Several places of a type in a zone: one line per place, nothing added up."""
    data = pd.concat([_attendance().assign(place_id="a"),
                      _attendance().assign(place_id="b", visits=lambda d: d["visits"] + 100)])
    urban = draw("attendance_series", data).axes[0]
    assert sorted(list(l.get_ydata()) for l in urban.lines) == [[10, 20, 30], [110, 120, 130]]


def test_impact_bars_one_panel_per_unit():
    """Euros share a panel; each bar's width is the yearly estimate."""
    data = pd.DataFrame({"indicator": ["km", "energy_eur", "maintenance_eur", "co2_kg"],
                         "estimate": [275964.0, 232914.0, 60712.0, 193.2],
                         "ci_low": [230000.0, 195000.0, 50600.0, 161.0],
                         "ci_high": [320000.0, 270000.0, 70400.0, 224.0]})
    fig = draw("impact_bars", data, lang="en")
    widths = [[p.get_width() for p in ax.patches] for ax in fig.axes]
    assert widths == [[275964.0], [232914.0, 60712.0], [193.2]]
    assert fig.axes[1].get_xlabel() == "Yearly total for the respondents (€)"
    assert fig.axes[0].xaxis.get_major_formatter()(250000, 0) == "250,000"


def test_svg_is_deterministic_and_self_contained():
    """Same input, same SVG text; no date, no XML prologue, no external reference."""
    first = to_svg(draw("km_curve", _survival()), salt="km")
    second = to_svg(draw("km_curve", _survival()), salt="km")
    assert first == second
    assert first.startswith("<svg") and "<dc:date>" not in first
    assert "href=\"http" not in first


def test_dollar_in_a_label_is_not_mathtext():
    """A '$' in a user label is drawn as text, not parsed as a formula."""
    data = pd.DataFrame({"indicator": ["cost $5 and $6"], "estimate": [0.3], "ci_low": [0.2],
                         "ci_high": [0.4], "baseline": [0.5]})
    fig = draw("baseline_dots", data)
    assert "cost" in to_svg(fig)


def test_missing_columns_raise_a_clear_error():
    """A table without the figure's columns names them."""
    with pytest.raises(SurveyError, match="survival"):
        draw("km_curve", pd.DataFrame({"time": [1.0]}))


def test_unknown_figure_kind_lists_the_kinds():
    """An unknown kind is refused with the list of kinds."""
    with pytest.raises(SurveyError, match="likert_bars"):
        draw("pie", pd.DataFrame())


@pytest.mark.parametrize("name", ["RdBu", "Greys", "dark", "colorblind"])
def test_palettes_equal_seaborn(name):
    """The palettes drawn without seaborn are seaborn's color_palette, value for value."""
    import seaborn as sns

    from reports.figures import _palette

    for n_colors in range(1, 13):
        assert _palette(name, n_colors) == list(sns.color_palette(name, n_colors))


def test_km_curve_shades_a_hidden_end_and_keeps_whole_months():
    """A curve whose level is hidden after month 4 (too few exits) still runs to its
    last month, the hidden span shaded and named in the legend; ticks are whole months."""
    data = pd.DataFrame({"time": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
                         "survival": [1.0] * 5 + [np.nan] * 4})
    ax = draw("km_curve", data, lang="en").axes[0]
    assert ax.get_xlim() == (0.0, 8.0)
    assert any("too few exits" in text.get_text() for text in ax.get_legend().get_texts())
    ticks = [t for t in ax.get_xticks() if 0 <= t <= 8]
    assert all(float(t).is_integer() for t in ticks)


def test_likert_bars_say_how_many_items_are_left_out():
    """An item with a hidden share is not drawn, and a line under the bars says so."""
    data = _likert()
    data.loc[1, "estimate"] = np.nan  # sat_overall's top-2 share hidden
    fig = draw("likert_bars", data, lang="en")
    assert any("1 question not drawn" in t.get_text() for t in fig.texts)
    assert not draw("likert_bars", _likert(), lang="en").texts


def test_likert_bars_with_every_item_hidden_draw_only_the_reason():
    """Every item hidden: no empty axes nor legend, only the line saying why."""
    data = _likert()
    data.loc[data["statistic"] == "top2", "estimate"] = np.nan
    fig = draw("likert_bars", data, lang="en")
    assert not fig.axes and not fig.legends
    assert any("No question drawn" in t.get_text() for t in fig.texts)


def test_impact_bars_write_totals_to_three_significant_figures():
    """The figure writes each total as the page does, to three significant figures
    (321 217 km is an estimate: 321 000), not to the unit."""
    data = pd.DataFrame({"indicator": ["km_avoided", "trips_avoided"],
                         "estimate": [321217.4, 7024.0], "ci_low": [275736.0, 6500.0],
                         "ci_high": [366699.0, 7500.0]})
    texts = [t.get_text() for ax in draw("impact_bars", data, lang="en").axes for t in ax.texts]
    assert sorted(texts) == ["321,000", "7,020"]
