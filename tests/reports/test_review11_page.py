"""Review 11 (editorial) on the demo page and files: a reference's figure is written
with the decimals it was published with, beside the pilot's whole percentages."""

from __future__ import annotations

import csv
import html
import re


def _text(page: str) -> str:
    """The page's text, tags removed, spaces collapsed."""
    return html.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_reference_card_keeps_its_published_decimals(demo_reports):
    """Nouvelle-Aquitaine's 45,5 % of urban places reads 45,5 %, not 46 %."""
    text = _text(demo_reports["fr"].read_text(encoding="utf-8"))
    assert "contre 45,5\u202f%" in text
    assert "contre 46\u202f%" not in text


def test_reference_whole_share_stays_whole(demo_reports):
    """A reference published as a whole percentage gets no decimals (20 %, not 20,0 %)."""
    text = _text(demo_reports["en"].read_text(encoding="utf-8"))
    assert re.search(r"(?:against|vs) 18\.2%", text)
    assert re.search(r"(?:against|vs) \d+\.0%", text) is None


def test_csv_keeps_the_reference_as_given(demo_reports):
    """The comparisons' CSV file holds the reference's value as published (0.455)."""
    path = demo_reports["fr"].parent / "csv" / "baselines_comparisons.csv"
    with path.open(encoding="utf-8") as file:
        values = {row["indicator"]: row["baseline"] for row in csv.DictReader(file)}
    assert any(float(v) == 0.455 for v in values.values() if v)


def test_type_zone_users_say_they_are_summed_over_places(demo_reports):
    """The monthly table by type and zone sums its places' users; its note says so."""
    text = _text(demo_reports["fr"].read_text(encoding="utf-8"))
    assert "un usager venu dans deux de ces lieux le même mois compte deux fois" in text


def test_curve_captions_do_not_speak_of_undrawn_bars(demo_reports):
    """A retention curve keeps its level over hidden months: its caption does not say
    that hidden bars and points are not drawn; nor does the reference dots' caption,
    whose figure counts the comparisons it leaves out itself (editorial review 13)."""
    page = demo_reports["fr"].read_text(encoding="utf-8")
    captions = dict(re.findall(r'<figcaption id="([^"]+)-caption">(.*?)</figcaption>', page,
                               flags=re.S))
    undrawn = "Les barres et points masqués ne sont pas dessinés."
    curves = [key for key in captions if key.startswith("retention-") and "curve" in key]
    assert curves and not any(undrawn in captions[key] for key in curves)
    assert undrawn not in captions["baselines-comparisons"]


def test_hidden_comparisons_carry_no_analysis_note(demo_reports):
    """A hidden comparison row keeps no analysis note (its test's n gave a hidden split
    back); no published note writes the test's n."""
    path = demo_reports["fr"].parent / "csv" / "baselines_comparisons.csv"
    with path.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    hidden = [row for row in rows if row["suppressed"] == "True"]
    assert hidden and all(not row["note"] and not row["note_fr"] for row in hidden)
    assert not any("n = " in row["note"] for row in rows)


def test_declared_seniority_has_its_own_headers(demo_reports):
    """The declared-seniority (Turnbull) sheet names its columns for what they hold (no
    one left: a share coming for longer, users in each band), not as a retention curve."""
    import openpyxl

    book = openpyxl.load_workbook(demo_reports["fr"].parent / "tables.xlsx", read_only=True)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            if row and "Masse" in row:
                found.append(row)
                break
    assert found, "no sheet with the bands' mass"
    headers = found[0]
    assert "Part venant depuis plus longtemps" in headers and "Usagers dans la tranche" in headers
    assert "Départs" not in headers and "Part encore présente" not in headers
